import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Facts about this installation, such as when the demo community was seeded. */
export const appMeta = sqliteTable('app_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Fixed-window request counters. Workers isolates share no memory, so limits are counted here.
 * `key` never holds a raw IP address: callers pass a hash.
 */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    /** Epoch milliseconds at which this window ends and the row may be discarded. */
    resetAt: integer('reset_at').notNull(),
  },
  (t) => [index('rate_limits_reset_at_idx').on(t.resetAt)],
);
