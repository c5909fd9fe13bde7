import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Roles a member can hold on top of plain membership. */
export const ROLES = ['mentor', 'moderator', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * A person with an account. An account is "pending" until its email is verified: several pending
 * sign-ups may name the same address (so sign-up never reveals whether an address is taken), but
 * only one verified account can hold it.
 */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Stored lower-cased and trimmed. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    /** Short public introduction, Markdown. */
    bio: text('bio'),
    /** scrypt hash with its parameters (functions/auth/password.ts); null for accounts that cannot sign in. */
    passwordHash: text('password_hash'),
    emailVerifiedAt: integer('email_verified_at', { mode: 'timestamp_ms' }),
    /** Which version of the community guidelines the member accepted, and when. */
    termsVersion: text('terms_version'),
    termsAcceptedAt: integer('terms_accepted_at', { mode: 'timestamp_ms' }),
    /** Which version of the privacy notice the member accepted, and when. */
    privacyVersion: text('privacy_version'),
    privacyAcceptedAt: integer('privacy_accepted_at', { mode: 'timestamp_ms' }),
    /** Language for mail and, later, the interface: en or es. */
    locale: text('locale', { enum: ['en', 'es'] })
      .notNull()
      .default('en'),
    /** TOTP secret (hex), set once two-factor is on. */
    totpKey: text('totp_key'),
    /** A secret being enrolled, waiting for its first code. */
    totpPendingKey: text('totp_pending_key'),
    totpEnabledAt: integer('totp_enabled_at', { mode: 'timestamp_ms' }),
    /** The last 30-second step whose code was accepted: each code works once. */
    totpLastStep: integer('totp_last_step'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    uniqueIndex('users_verified_email_unique')
      .on(t.email)
      .where(sql`${t.emailVerifiedAt} is not null`),
    index('users_email_idx').on(t.email),
    // New members and joining cohorts on the impact dashboard.
    index('users_created_idx').on(t.createdAt, t.emailVerifiedAt),
  ],
);

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
