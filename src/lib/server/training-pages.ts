import type { AstroGlobal } from 'astro';
import { currentCompletion, getTrackProgress } from '#functions/services/training.ts';
import type { Locale } from '../content/schema.ts';
import { findTrack } from '../content/training.ts';
import { gradePostedCheck } from './knowledge-check.ts';
import { trainingCatalog, workerRuntime } from './runtime.ts';

/**
 * What the on-demand training routes need before they render, shared by the English and the
 * Spanish route files. Each returns the view's props, or the Response to send instead (404,
 * a redirect to sign-in, …).
 */
const notFound = () => new Response(null, { status: 404 });
const signIn = (astro: AstroGlobal, next: string) => astro.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);

export async function trackPageProps(astro: AstroGlobal, locale: Locale) {
  const found = await findTrack(locale, astro.params.track ?? '');
  return found ? { found } : notFound();
}

/** The lesson page's knowledge-check form posts here; GET goes back to the lesson. */
export async function checkPageProps(astro: AstroGlobal, locale: Locale) {
  const found = await findTrack(locale, astro.params.track ?? '');
  const lesson = found?.lessons.find((l) => l.slug === `${found.track.slug}/${astro.params.lesson}`);
  if (!found || !lesson) return notFound();
  const lessonPath = astro.url.pathname.replace(/check\/?$/, '');
  if (astro.request.method !== 'POST') return astro.redirect(lessonPath);
  const user = astro.locals.user;
  if (!user) return signIn(astro, lessonPath);
  const outcome = await gradePostedCheck(astro, user.id, found.track.slug, astro.params.lesson!, locale);
  const status = { invalid: 400, limited: 429, unavailable: 503, result: 200 }[outcome.kind];
  astro.response.status = status;
  return { found, lesson, outcome };
}

/** Only a current completion has a certificate; otherwise the track page says what is left. */
export async function certificatePageProps(astro: AstroGlobal, locale: Locale) {
  const found = await findTrack(locale, astro.params.track ?? '');
  if (!found) return notFound();
  const user = astro.locals.user;
  if (!user) return signIn(astro, astro.url.pathname);
  const { db } = workerRuntime();
  const now = new Date();
  const [progress, completion] = await Promise.all([
    getTrackProgress(db, await trainingCatalog(), user.id, found.track.slug, now),
    currentCompletion(db, user.id, found.track.slug, now),
  ]);
  if (!progress.passed || !completion) return astro.redirect(astro.url.pathname.replace(/certificate\/?$/, ''));
  return { found, progress, name: user.displayName, reference: completion.id.slice(0, 8).toUpperCase() };
}
