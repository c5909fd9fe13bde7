import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import {
  categorySchema,
  crisisRegionSchema,
  guidelineSchema,
  lessonSchema,
  promptSchema,
  resourceSchema,
  surveySchema,
  trackSchema,
} from './lib/content/schema.ts';

// Every page lives at `content/<collection>/<locale>/<slug>.md`; its id is that path without the
// extension (`en/code-of-conduct`; a track's `index.md` takes its folder's name), so a translation
// shares its slug with the English page.
const byPath = ({ entry }: { entry: string }) => entry.replace(/\.md$/, '').replace(/\/index$/, '');

/** Public guidelines: how the community works and where its limits are. */
const guidelines = defineCollection({
  loader: glob({ pattern: '*/*.md', base: './content/guidelines', generateId: byPath }),
  schema: guidelineSchema,
});

/** Training tracks: `content/training/<locale>/<track>/index.md`. */
const tracks = defineCollection({
  loader: glob({ pattern: '*/*/index.md', base: './content/training', generateId: byPath }),
  schema: trackSchema,
});

/** Lessons of a track: `content/training/<locale>/<track>/<lesson>.md`. */
const lessons = defineCollection({
  loader: glob({ pattern: ['*/*/*.md', '!*/*/index.md'], base: './content/training', generateId: byPath }),
  schema: lessonSchema,
});

/** The resource library: `content/resources/<locale>/<slug>.md`. */
const resources = defineCollection({
  loader: glob({ pattern: '*/*.md', base: './content/resources', generateId: byPath }),
  schema: resourceSchema,
});

/** Feedback surveys and standard instruments: `content/surveys/<locale>/<slug>.yaml`. */
const surveys = defineCollection({
  loader: glob({
    pattern: '*/*.yaml',
    base: './content/surveys',
    generateId: ({ entry }) => entry.replace(/\.yaml$/, ''),
  }),
  schema: surveySchema,
});

/** Crisis lines per region, shown on the crisis page. */
const crisisContacts = defineCollection({
  loader: file('./content/crisis-contacts.yaml'),
  schema: crisisRegionSchema,
});

/** Discussion categories: one list in `content/categories.yaml`, each entry keyed by its `slug`. */
const categories = defineCollection({
  loader: file('./content/categories.yaml'),
  schema: categorySchema,
});

/** Themed discussion prompts: `content/prompts/<locale>/<slug>.md`, opened as threads on their date. */
const prompts = defineCollection({
  loader: glob({ pattern: '*/*.md', base: './content/prompts', generateId: byPath }),
  schema: promptSchema,
});

export const collections = { guidelines, tracks, lessons, resources, surveys, crisisContacts, categories, prompts };
