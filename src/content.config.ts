import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

/** Public guidelines: how the community works and where its limits are. */
const guidelines = defineCollection({
  loader: glob({ pattern: '**/*.md', base: './content/guidelines' }),
  schema: z.strictObject({
    /** Page title, shown as the heading and in the browser tab. */
    title: z.string().min(3).max(90),
    /** One or two sentences for the guideline list and search results. */
    description: z.string().min(10).max(240),
    /** Position in the guideline list, lowest first. */
    order: z.number().int().min(0),
    /** When a coordinator last checked this page was still right (YYYY-MM-DD). */
    lastReviewed: z.coerce.date(),
    /** Shown in a highlighted box at the top of the page, e.g. on the crisis page. */
    urgent: z.boolean().default(false),
  }),
});

export const collections = { guidelines };
