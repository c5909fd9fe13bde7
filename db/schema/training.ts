import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.ts';

/**
 * A member's progress through one lesson. Tracks and lessons live in `content/` and are named
 * by slug; the grader compares these dates with the track's renewal window, so retaking a lesson
 * only moves its dates forward.
 */
export const lessonProgress = sqliteTable(
  'lesson_progress',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    track: text('track').notNull(),
    lesson: text('lesson').notNull(),
    /** Last time the member marked the lesson done (or passed its check, which also marks it). */
    completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
    /** Last time the member passed the lesson's knowledge check. */
    checkPassedAt: integer('check_passed_at', { mode: 'timestamp_ms' }),
    /** Best score so far, in percent. */
    bestScore: integer('best_score').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.track, t.lesson] }),
    check('lesson_progress_score', sql`${t.bestScore} between 0 and 100`),
  ],
);

/**
 * Each time a member passes a whole track. The newest row per member and track is the one that
 * counts; older rows are the history shown to coordinators. `unlocks` is copied from the track
 * so eligibility can be asked of the database alone.
 */
export const trackCompletions = sqliteTable(
  'track_completions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    track: text('track').notNull(),
    /** The eligibility the track grants (e.g. `mentor-application`), if any. */
    unlocks: text('unlocks'),
    completedAt: integer('completed_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    /** When the "renew soon" reminder went out; at most one per completion. */
    remindedAt: integer('reminded_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('track_completions_user_track_idx').on(t.userId, t.track, t.completedAt),
    index('track_completions_expires_idx').on(t.expiresAt),
    index('track_completions_completed_idx').on(t.completedAt, t.track),
  ],
);

/** Readers' "this resource is out of date" reports: the coordinators' review list. */
export const contentReports = sqliteTable(
  'content_reports',
  {
    id: text('id').primaryKey(),
    /** Site path of the reported page, e.g. /resources/active-listening-phrases/. */
    pagePath: text('page_path').notNull(),
    /** What seems wrong, in the reader's words (optional, plain text). */
    note: text('note'),
    /** Null for visitors who were not signed in, and after the reporter deletes their account. */
    reporterId: text('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
    resolvedBy: text('resolved_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('content_reports_open_idx').on(t.resolvedAt, t.createdAt),
    check('content_reports_note_len', sql`length(${t.note}) <= 1000`),
  ],
);
