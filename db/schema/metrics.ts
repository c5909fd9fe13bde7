import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { threads } from './discussions.ts';
import { users } from './users.ts';

/*
 * Rollups for the impact dashboard (functions/services/metrics.ts), kept by triggers in the
 * database (migration 0010), so every writer keeps them exact without calling anything, and
 * filled from existing rows when the migration runs. Weeks are numbered from Monday 5 January 1970
 * (UTC): week = (ms − 345600000) / 604800000, whole weeks.
 */

/**
 * The weeks in which a member did something Hearth records: a post or reply, a reaction, a lesson
 * completed or its check passed, a check-in, a mentorship message, a sign-in or a signed-in
 * request (a session's start and each refresh of its last use). Members with a confirmed email
 * only. It outlives what it counts: a session that ends, or a lesson done again, leaves its weeks.
 */
export const memberActivityWeeks = sqliteTable(
  'member_activity_weeks',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    week: integer('week').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.week] }), index('member_activity_weeks_week_idx').on(t.week)],
);

/**
 * When each thread got its first visible reply from someone other than its author. Recomputed
 * for the thread whenever a reply is written or a reply's status changes (held, hidden, deleted,
 * approved).
 */
export const threadFirstReplies = sqliteTable('thread_first_replies', {
  threadId: text('thread_id')
    .primaryKey()
    .references(() => threads.id, { onDelete: 'cascade' }),
  repliedAt: integer('replied_at', { mode: 'timestamp_ms' }).notNull(),
});
