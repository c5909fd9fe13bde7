import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Roles a member can hold on top of plain membership. */
export const ROLES = ['mentor', 'moderator', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A person with an account. Authentication columns arrive with the accounts work. */
export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  /** Stored lower-cased; uniqueness is case-insensitive by construction. */
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  /** Short public introduction, Markdown. */
  bio: text('bio'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
});

/** Extra roles; every user is a member without a row here. */
export const userRoles = sqliteTable(
  'user_roles',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    grantedAt: integer('granted_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] }), index('user_roles_role_idx').on(t.role)],
);
