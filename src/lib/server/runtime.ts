import { getCollection } from 'astro:content';
import { env } from 'cloudflare:workers';
import { buildCatalog, type TrainingCatalog } from '#functions/training/catalog.ts';
import { buildSurveyCatalog, type SurveyCatalog } from '#functions/surveys/catalog.ts';
import { buildDiscussionCatalog, type DiscussionCatalog } from '#functions/discussions/catalog.ts';
import { getRuntime, type Runtime } from '#functions/runtime.ts';

let catalog: Promise<TrainingCatalog> | undefined;

/** The training catalog from the published collections, built once per isolate. */
export function trainingCatalog(): Promise<TrainingCatalog> {
  catalog ??= Promise.all([getCollection('tracks'), getCollection('lessons')]).then(([tracks, lessons]) =>
    buildCatalog(tracks, lessons),
  );
  return catalog;
}

let surveys: Promise<SurveyCatalog> | undefined;

/** The published surveys, built once per isolate. */
export function surveyCatalog(): Promise<SurveyCatalog> {
  surveys ??= getCollection('surveys').then((entries) => buildSurveyCatalog(entries));
  return surveys;
}

let discussions: Promise<DiscussionCatalog> | undefined;

/** Discussion categories and themed prompts, built once per isolate. */
export function discussionCatalog(): Promise<DiscussionCatalog> {
  discussions ??= Promise.all([getCollection('categories'), getCollection('prompts')]).then(([categories, prompts]) =>
    buildDiscussionCatalog(categories, prompts),
  );
  return discussions;
}

/** Content the API reads from the collections. */
export const contentSources = { training: trainingCatalog, surveys: surveyCatalog, discussions: discussionCatalog };

/** The Worker's runtime for pages and the API, with the content the API reads from collections. */
export function workerRuntime(): Runtime {
  return getRuntime({ ...env }, contentSources);
}
