import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.ts';

/**
 * Sessions after Lucia's design: the cookie holds `<id>.<secret>`; only a SHA-256 of the secret
 * is stored, so a leaked table cannot be replayed as cookies. See ADR 006.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    /** Hex SHA-256 of the token's secret part. */
    secretHash: text('secret_hash').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** Last time the session was used, refreshed at most hourly: drives the idle timeout. */
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
    /** A short description of the browser and system, for the member's session list. */
    device: text('device').notNull().default('Unknown device'),
    /** When the member last proved who they are (password, or password and code) in this session. */
    authenticatedAt: integer('authenticated_at', { mode: 'timestamp_ms' }),
    /** False between the password and the second factor, for members with two-factor on. */
    twoFactorVerified: integer('two_factor_verified', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const CODE_PURPOSES = ['verify_email', 'password_reset', 'change_email'] as const;

/** One-time codes sent by email. Only a hash is stored; each has a deadline and an attempt budget. */
export const emailCodes = sqliteTable(
  'email_codes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: CODE_PURPOSES }).notNull(),
    /** The address the code was sent to. */
    email: text('email').notNull(),
    codeHash: text('code_hash').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('email_codes_user_idx').on(t.userId, t.purpose)],
);

/** Mail waiting to be sent, or kept for /dev/mail under the local outbox transport. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_created_idx').on(t.createdAt)],
);

/** Security events: sign-ins, role changes, exports, deletions. Never holds secrets or bodies. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    actorUserId: text('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    subjectUserId: text('subject_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Truncated hash of the client address, enough to see a pattern, not to locate anyone. */
    ipHash: text('ip_hash'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index('audit_events_created_idx').on(t.createdAt), index('audit_events_subject_idx').on(t.subjectUserId)],
);

/** Single-use two-factor recovery codes; only hashes are stored. */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);
