import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { lessonProgress, trackCompletions, users } from '#db/schema/index.ts';
import type { Eligibility, Locale } from '#src/lib/content/schema.ts';
import { ApiError, notFound } from '../errors.ts';
import { trainingRenewalMail } from '../mail/messages.ts';
import type { MailTransport } from '../mail/transport.ts';
import type { SurveyCatalog } from '../surveys/catalog.ts';
import type { CatalogLesson, CatalogTrack, TrainingCatalog } from '../training/catalog.ts';
import { triggerSurveys } from './surveys.ts';

/** A completion can be renewed, and its reminder goes out, this many days before it expires. */
export const RENEWAL_WINDOW_DAYS = 30;
const DAY = 86_400_000;

export type TrackStatus = 'not-started' | 'in-progress' | 'passed' | 'renewal-due' | 'expired';

export interface TrackProgress {
  slug: string;
  /** Lessons done in the current round (since the renewal window opened, when renewing). */
  completedLessons: string[];
  /** Lessons whose knowledge check was passed in the current round. */
  passedChecks: string[];
  lessonCount: number;
  /** Share of the round's work done: a lesson counts once it is done and its check passed. */
  percent: number;
  /** Whether the member holds a current completion. */
  passed: boolean;
  status: TrackStatus;
  completedAt: string | null;
  expiresAt: string | null;
  unlocks: Eligibility | null;
}

export interface QuestionFeedback {
  questionId: string;
  correct: boolean;
  explanation: string;
}

export interface CheckResult {
  score: number;
  passed: boolean;
  passMark: number;
  feedback: QuestionFeedback[];
  /** True when this submission completed (or renewed) the whole track. */
  trackCompleted: boolean;
  track: TrackProgress;
}

export function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

function findLesson(catalog: TrainingCatalog, trackSlug: string, lessonSlug: string) {
  const track = catalog.track(trackSlug);
  if (!track) throw notFound('That training track');
  const lesson = track.lessons.find((l) => l.slug === lessonSlug);
  if (!lesson) throw notFound('That lesson');
  return { track, lesson };
}

type ProgressRow = typeof lessonProgress.$inferSelect;
type CompletionRow = typeof trackCompletions.$inferSelect;

/** Newest completion per track for one member. */
async function latestCompletions(db: Database, userId: string, track?: string) {
  const rows = await db
    .select()
    .from(trackCompletions)
    .where(and(eq(trackCompletions.userId, userId), track ? eq(trackCompletions.track, track) : undefined))
    .orderBy(desc(trackCompletions.completedAt));
  const latest = new Map<string, CompletionRow>();
  for (const row of rows) if (!latest.has(row.track)) latest.set(row.track, row);
  return latest;
}

/**
 * Where a member stands on a track. While a completion is current and outside its renewal window,
 * the track is done. Otherwise only work since the window opened counts, so renewing means
 * passing the checks again.
 */
function trackState(track: CatalogTrack, rows: ProgressRow[], latest: CompletionRow | undefined, now: Date) {
  const windowStart = latest ? latest.expiresAt.getTime() - RENEWAL_WINDOW_DAYS * DAY : 0;
  const current = latest !== undefined && now < latest.expiresAt;
  const settled = current && now.getTime() < windowStart;
  const since = settled ? 0 : windowStart;
  const slugs = new Set(track.lessons.map((l) => l.slug));
  const mine = rows.filter((r) => r.track === track.slug && slugs.has(r.lesson));
  const completedLessons = mine.filter((r) => r.completedAt && r.completedAt.getTime() >= since).map((r) => r.lesson);
  const passedChecks = mine.filter((r) => r.checkPassedAt && r.checkPassedAt.getTime() >= since).map((r) => r.lesson);
  const finished = track.lessons.filter((l) => completedLessons.includes(l.slug) && passedChecks.includes(l.slug));
  const status: TrackStatus = settled
    ? 'passed'
    : current
      ? 'renewal-due'
      : latest
        ? 'expired'
        : completedLessons.length || passedChecks.length || mine.some((r) => r.attempts > 0)
          ? 'in-progress'
          : 'not-started';
  const progress: TrackProgress = {
    slug: track.slug,
    completedLessons: track.lessons.map((l) => l.slug).filter((s) => completedLessons.includes(s)),
    passedChecks: track.lessons.map((l) => l.slug).filter((s) => passedChecks.includes(s)),
    lessonCount: track.lessons.length,
    percent: settled ? 100 : Math.round((100 * finished.length) / Math.max(1, track.lessons.length)),
    passed: current,
    status,
    completedAt: latest ? latest.completedAt.toISOString() : null,
    expiresAt: latest ? latest.expiresAt.toISOString() : null,
    unlocks: track.unlocks ?? null,
  };
  const readyToComplete = !settled && track.lessons.length > 0 && finished.length === track.lessons.length;
  return { progress, readyToComplete, windowStart };
}

export async function getProgress(db: Database, catalog: TrainingCatalog, userId: string, now: Date) {
  const [rows, latest] = await Promise.all([
    db.select().from(lessonProgress).where(eq(lessonProgress.userId, userId)),
    latestCompletions(db, userId),
  ]);
  return { tracks: catalog.tracks.map((t) => trackState(t, rows, latest.get(t.slug), now).progress) };
}

export async function getTrackProgress(
  db: Database,
  catalog: TrainingCatalog,
  userId: string,
  trackSlug: string,
  now: Date,
) {
  const track = catalog.track(trackSlug);
  if (!track) throw notFound('That training track');
  const [rows, latest] = await Promise.all([
    db
      .select()
      .from(lessonProgress)
      .where(and(eq(lessonProgress.userId, userId), eq(lessonProgress.track, trackSlug))),
    latestCompletions(db, userId, trackSlug),
  ]);
  return trackState(track, rows, latest.get(trackSlug), now).progress;
}

/**
 * Records a completion once every lesson is done and every check passed in this round. One
 * statement that inserts only while no current, unexpiring completion exists, so two answers
 * arriving together cannot record the track twice. A new completion invites the member to the
 * surveys asked after this track (instance `track:<slug>:<completion id>`).
 */
async function completeIfReady(db: Database, track: CatalogTrack, surveys: SurveyCatalog, userId: string, now: Date) {
  const [rows, latest] = await Promise.all([
    db
      .select()
      .from(lessonProgress)
      .where(and(eq(lessonProgress.userId, userId), eq(lessonProgress.track, track.slug))),
    latestCompletions(db, userId, track.slug),
  ]);
  const state = trackState(track, rows, latest.get(track.slug), now);
  if (!state.readyToComplete) return { completed: false, progress: state.progress };
  const expiresAt = addMonths(now, track.refreshMonths);
  const windowMs = RENEWAL_WINDOW_DAYS * DAY;
  const completionId = crypto.randomUUID();
  const inserted = await db.run(sql`
    insert into ${trackCompletions} (id, user_id, track, unlocks, completed_at, expires_at)
    select ${completionId}, ${userId}, ${track.slug}, ${track.unlocks ?? null}, ${now.getTime()}, ${expiresAt.getTime()}
    where not exists (
      select 1 from ${trackCompletions}
      where user_id = ${userId} and track = ${track.slug} and expires_at - ${windowMs} > ${now.getTime()}
    )`);
  const completed = inserted.rowsAffected > 0;
  if (completed)
    await triggerSurveys(
      db,
      surveys,
      { type: 'track-completed', track: track.slug },
      `track:${track.slug}:${completionId}`,
      [userId],
      now,
    );
  const after = await getTrackProgress(db, { tracks: [track], track: () => track }, userId, track.slug, now);
  return { completed, progress: after };
}

/** Marks a lesson as done (again). Returns the member's progress on the track. */
export async function completeLesson(
  db: Database,
  catalog: TrainingCatalog,
  surveys: SurveyCatalog,
  userId: string,
  trackSlug: string,
  lessonSlug: string,
  now: Date,
) {
  const { track, lesson } = findLesson(catalog, trackSlug, lessonSlug);
  await db
    .insert(lessonProgress)
    .values({ userId, track: track.slug, lesson: lesson.slug, completedAt: now })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.track, lessonProgress.lesson],
      set: { completedAt: now },
    });
  const { completed, progress } = await completeIfReady(db, track, surveys, userId, now);
  return { trackCompleted: completed, track: progress };
}

/** The questions of a lesson without their answers: safe to send to a browser. */
export function publicQuestions(lesson: CatalogLesson, locale: Locale) {
  return (lesson.questions[locale] ?? lesson.questions.en).map((q) => ({
    id: q.id,
    prompt: q.prompt,
    multiple: q.correct.length > 1,
    options: q.options,
  }));
}

export type Answers = Record<string, string | string[]>;

/**
 * Grades a knowledge check on the server. Every question needs an answer that names its
 * options; the result explains each question. Passing marks the lesson done.
 */
export async function submitCheck(
  db: Database,
  catalog: TrainingCatalog,
  surveys: SurveyCatalog,
  userId: string,
  trackSlug: string,
  lessonSlug: string,
  answers: Answers,
  locale: Locale,
  now: Date,
): Promise<CheckResult> {
  const { track, lesson } = findLesson(catalog, trackSlug, lessonSlug);
  const questions = lesson.questions.en;
  const wording = lesson.questions[locale] ?? questions;
  const fields: Record<string, string> = {};
  const chosen = new Map<string, Set<string>>();
  for (const key of Object.keys(answers))
    if (!questions.some((q) => q.id === key)) fields[`answers.${key}`] = 'This lesson has no such question.';
  for (const q of questions) {
    const raw = answers[q.id];
    const picked = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw]).filter(Boolean);
    if (picked.length === 0) fields[`answers.${q.id}`] = 'Choose an answer.';
    else if (picked.some((p) => !q.options.some((o) => o.id === p)))
      fields[`answers.${q.id}`] = 'That is not one of the choices.';
    else if (q.correct.length === 1 && picked.length > 1) fields[`answers.${q.id}`] = 'Choose one answer.';
    chosen.set(q.id, new Set(picked));
  }
  if (Object.keys(fields).length) {
    throw new ApiError(400, 'validation_failed', 'Answer every question before checking.', { details: { fields } });
  }
  const feedback = questions.map((q) => {
    const picked = chosen.get(q.id)!;
    const correct = picked.size === q.correct.length && q.correct.every((c) => picked.has(c));
    const explanation = wording.find((w) => w.id === q.id)?.explanation ?? q.explanation;
    return { questionId: q.id, correct, explanation };
  });
  const score = Math.round((100 * feedback.filter((f) => f.correct).length) / questions.length);
  const passed = score >= track.passMark;
  await db
    .insert(lessonProgress)
    .values({
      userId,
      track: track.slug,
      lesson: lesson.slug,
      attempts: 1,
      bestScore: score,
      ...(passed ? { completedAt: now, checkPassedAt: now } : {}),
    })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.track, lessonProgress.lesson],
      set: {
        attempts: sql`${lessonProgress.attempts} + 1`,
        bestScore: sql`max(${lessonProgress.bestScore}, ${score})`,
        ...(passed ? { completedAt: now, checkPassedAt: now } : {}),
      },
    });
  const { completed, progress } = passed
    ? await completeIfReady(db, track, surveys, userId, now)
    : { completed: false, progress: await getTrackProgress(db, catalog, userId, track.slug, now) };
  return { score, passed, passMark: track.passMark, feedback, trackCompleted: completed, track: progress };
}

/** The member's current completion of a track (for the certificate), or null. */
export async function currentCompletion(db: Database, userId: string, track: string, now: Date) {
  const [row] = await db
    .select()
    .from(trackCompletions)
    .where(
      and(eq(trackCompletions.userId, userId), eq(trackCompletions.track, track), gt(trackCompletions.expiresAt, now)),
    )
    .orderBy(desc(trackCompletions.completedAt))
    .limit(1);
  return row ?? null;
}

/** What the member's current completions let them do. Other features gate on these. */
export async function eligibilities(db: Database, userId: string, now: Date): Promise<Eligibility[]> {
  const rows = await db
    .selectDistinct({ unlocks: trackCompletions.unlocks })
    .from(trackCompletions)
    .where(
      and(
        eq(trackCompletions.userId, userId),
        gt(trackCompletions.expiresAt, now),
        isNotNull(trackCompletions.unlocks),
      ),
    );
  return rows.map((r) => r.unlocks as Eligibility).sort();
}

export async function hasEligibility(db: Database, userId: string, eligibility: Eligibility, now: Date) {
  return (await eligibilities(db, userId, now)).includes(eligibility);
}

export interface CompletionReportRow {
  userId: string;
  displayName: string;
  completedAt: string;
  expiresAt: string;
  status: 'current' | 'renewal-due' | 'expired';
}

/** Completions and expiries per track, newest completion per member, soonest expiry first. */
export async function completionReport(db: Database, catalog: TrainingCatalog, now: Date) {
  const latest = db
    .select({
      userId: trackCompletions.userId,
      track: trackCompletions.track,
      completedAt: sql<number>`max(${trackCompletions.completedAt})`.as('latest_completed_at'),
    })
    .from(trackCompletions)
    .groupBy(trackCompletions.userId, trackCompletions.track)
    .as('latest');
  const rows = await db
    .select({
      userId: trackCompletions.userId,
      track: trackCompletions.track,
      displayName: users.displayName,
      completedAt: trackCompletions.completedAt,
      expiresAt: trackCompletions.expiresAt,
    })
    .from(trackCompletions)
    .innerJoin(
      latest,
      and(
        eq(latest.userId, trackCompletions.userId),
        eq(latest.track, trackCompletions.track),
        eq(latest.completedAt, trackCompletions.completedAt),
      ),
    )
    .innerJoin(users, eq(users.id, trackCompletions.userId))
    .orderBy(asc(trackCompletions.expiresAt));
  const inProgress = await db
    .select({ track: lessonProgress.track, members: sql<number>`count(distinct ${lessonProgress.userId})` })
    .from(lessonProgress)
    .where(
      sql`not exists (select 1 from ${trackCompletions} c where c.user_id = ${lessonProgress.userId} and c.track = ${lessonProgress.track})`,
    )
    .groupBy(lessonProgress.track);
  const windowMs = RENEWAL_WINDOW_DAYS * DAY;
  return catalog.tracks.map((track) => {
    const members: CompletionReportRow[] = rows
      .filter((r) => r.track === track.slug)
      .map((r) => ({
        userId: r.userId,
        displayName: r.displayName,
        completedAt: r.completedAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
        status:
          now >= r.expiresAt
            ? 'expired'
            : now.getTime() >= r.expiresAt.getTime() - windowMs
              ? 'renewal-due'
              : 'current',
      }));
    return {
      slug: track.slug,
      title: track.title.en,
      current: members.filter((m) => m.status === 'current').length,
      renewalDue: members.filter((m) => m.status === 'renewal-due').length,
      expired: members.filter((m) => m.status === 'expired').length,
      inProgress: Number(inProgress.find((p) => p.track === track.slug)?.members ?? 0),
      members,
    };
  });
}

/**
 * Emails each member whose newest completion enters its renewal window. Each completion is
 * claimed (reminded_at set) before its mail is queued, so overlapping runs send one reminder.
 */
export async function sendRenewalReminders(
  db: Database,
  mail: MailTransport,
  catalog: TrainingCatalog,
  siteUrl: string,
  now: Date,
) {
  const due = await db
    .select({ id: trackCompletions.id })
    .from(trackCompletions)
    .where(
      and(
        isNull(trackCompletions.remindedAt),
        gt(trackCompletions.expiresAt, now),
        lte(trackCompletions.expiresAt, new Date(now.getTime() + RENEWAL_WINDOW_DAYS * DAY)),
        sql`not exists (select 1 from ${trackCompletions} newer where newer.user_id = ${trackCompletions.userId} and newer.track = ${trackCompletions.track} and newer.completed_at > ${trackCompletions.completedAt})`,
      ),
    );
  if (due.length === 0) return 0;
  const claimed = await db
    .update(trackCompletions)
    .set({ remindedAt: now })
    .where(
      and(
        inArray(
          trackCompletions.id,
          due.map((d) => d.id),
        ),
        isNull(trackCompletions.remindedAt),
      ),
    )
    .returning({
      userId: trackCompletions.userId,
      track: trackCompletions.track,
      expiresAt: trackCompletions.expiresAt,
    });
  let sent = 0;
  for (const row of claimed) {
    const [member] = await db
      .select({ email: users.email, displayName: users.displayName, locale: users.locale })
      .from(users)
      .where(eq(users.id, row.userId));
    const track = catalog.track(row.track);
    if (!member || !track) continue;
    const locale = (member.locale === 'es' ? 'es' : 'en') satisfies Locale;
    const title = track.title[locale] ?? track.title.en;
    const expiresOn = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(row.expiresAt);
    const url = new URL(`${locale === 'es' ? '/es' : ''}/training/${track.slug}/`, siteUrl).toString();
    await mail.send(db, trainingRenewalMail(locale, member.email, member.displayName, title, expiresOn, url), now);
    sent++;
  }
  return sent;
}
