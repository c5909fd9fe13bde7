import type { APIRoute } from 'astro';
import { env } from 'cloudflare:workers';
import '../../lib/server/argon2-wasm.ts';
import { fetchApi } from '#functions/runtime.ts';
import { contentSources } from '#src/lib/server/runtime.ts';

export const prerender = false;

/** Hands every /api request to the Hono app in functions/. */
export const ALL: APIRoute = ({ request, locals }) => fetchApi(request, { ...env }, locals.cfContext, contentSources);
