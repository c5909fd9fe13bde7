import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * "Was this page helpful?" answers on published pages. Anonymous by design: no user, session
 * or IP is stored, and the date is kept to the day.
 */
export const pageFeedback = sqliteTable(
  'page_feedback',
  {
    id: text('id').primaryKey(),
    /** Site-relative path of the page, e.g. /guidelines/code-of-conduct. */
    pagePath: text('page_path').notNull(),
    helpful: integer('helpful', { mode: 'boolean' }).notNull(),
    /** Optional note, plain text, at most 1,000 characters. */
    comment: text('comment'),
    /** YYYY-MM-DD, UTC. */
    createdDay: text('created_day').notNull(),
  },
  (t) => [
    index('page_feedback_page_idx').on(t.pagePath),
    check('page_feedback_comment_len', sql`length(${t.comment}) <= 1000`),
  ],
);
