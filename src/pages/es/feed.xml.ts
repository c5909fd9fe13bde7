import type { APIRoute } from 'astro';
import { feed } from '../../lib/content/feed.ts';

export const GET: APIRoute = (context) => feed(context, 'es');
