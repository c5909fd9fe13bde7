import { eq, getTableName, or, sql, type Column, type SQL } from 'drizzle-orm';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database } from '#db/client.ts';
import { outbox, userRoles, users } from '#db/schema/index.ts';
import { allTables } from '#db/tables.ts';
import { ApiError } from '../errors.ts';
import { auditInsert } from './audit.ts';

/**
 * Which rows belong to a member, derived from the schema: every table with a foreign key to
 * users.id (plus users itself), and the few tables that name a member another way. Tables that
 * hold no member data say why here. A test fails when a table fits none of these, so a table
 * added later cannot be forgotten by the export or the deletion.
 */
export const NO_MEMBER_DATA: Record<string, string> = {
  app_meta: 'facts about the installation',
  rate_limits: 'hashed client addresses that expire within the hour',
  page_feedback: 'anonymous by design: no account, session or address is stored',
  __drizzle_migrations: 'schema history',
  ...Object.fromEntries(
    ['', '_data', '_idx', '_docsize', '_config'].map((suffix) => [
      `discussion_search${suffix}`,
      'the full-text index of posts, rebuilt from them (a member’s posts are exported from `posts`)',
    ]),
  ),
  thread_first_replies: 'when each thread was first answered: a time per thread, kept for the impact dashboard',
  survey_counts: 'how many answered what, per survey and breakdown group: counts only, kept for the results',
  survey_scores:
    'each linked response’s ratings added up, under its pseudonym (or member, for identified surveys): derived from the response and deleted with it',
  survey_answers:
    'answers hang off a response: anonymous ones identify nobody; identified ones go with their response (exported and deleted with it)',
};
const BY_EMAIL: Record<string, Column> = { outbox: outbox.toAddress };

export interface MemberTable {
  table: SQLiteTable;
  name: string;
  /** Conditions selecting the member's rows. */
  where: (userId: string, email: string) => SQL | undefined;
}

export function memberTables(): MemberTable[] {
  const result: MemberTable[] = [];
  for (const table of allTables as SQLiteTable[]) {
    const name = getTableName(table);
    if (table === users) {
      result.push({ table, name, where: (id) => eq(users.id, id) });
      continue;
    }
    const columns = getTableConfig(table)
      .foreignKeys.map((fk) => fk.reference())
      .filter((ref) => ref.foreignTable === users)
      .map((ref) => ref.columns[0]!);
    if (columns.length) {
      result.push({ table, name, where: (id) => or(...columns.map((c) => eq(c, id))) });
    } else if (BY_EMAIL[name]) {
      const column = BY_EMAIL[name]!;
      result.push({ table, name, where: (_, email) => eq(column, email) });
    }
  }
  return result;
}

/** Secrets stay out of exports even when they are the member's own: hashes help nobody. */
const REDACTED = /hash$/i;

/**
 * Rows in a member's export may be someone else's (a post they deleted as a moderator, one they
 * reviewed): an anonymous post or thread keeps its author out of every export but its author's.
 */
const ANONYMOUS_AUTHOR_TABLES = new Set(['posts', 'threads']);
function withoutOthersIdentity(table: string, row: Record<string, unknown>, userId: string) {
  if (!ANONYMOUS_AUTHOR_TABLES.has(table) || !row.anonymous || row.authorId === userId) return row;
  return { ...row, authorId: null };
}

/** Every row about the member, by table, with hashed secrets redacted. */
export async function exportMemberData(db: Database, userId: string, now: Date) {
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  if (!user) throw new ApiError(404, 'not_found', 'That account was not found.');
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const t of memberTables()) {
    const rows = (await db.select().from(t.table).where(t.where(userId, user.email))) as Record<string, unknown>[];
    tables[t.name] = rows.map((row) =>
      Object.fromEntries(
        Object.entries(withoutOthersIdentity(t.name, row, userId)).map(([k, v]) => [
          k,
          REDACTED.test(k) && v ? '[redacted]' : v,
        ]),
      ),
    );
  }
  await auditInsert(db, { type: 'account.exported', actorUserId: userId, subjectUserId: userId }, now);
  return { exportedAt: now.toISOString(), format: 'hearth-export/1', tables };
}

/**
 * Deletes the account in one batch: the users row (its sessions, codes and roles go with it by
 * cascade; authored content keeps its rows with the author set to null, shown as "former
 * member"), mail addressed to it, and an audit entry without personal data.
 */
export async function deleteAccount(db: Database, userId: string, now: Date) {
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  if (!user) throw new ApiError(404, 'not_found', 'That account was not found.');
  const isAdmin = (await db.select().from(userRoles).where(eq(userRoles.userId, userId))).some(
    (r) => r.role === 'admin',
  );
  if (isAdmin) {
    const [row] = await db
      .select({ n: sql<number>`count(*)` })
      .from(userRoles)
      .where(eq(userRoles.role, 'admin'));
    if (Number(row?.n ?? 0) <= 1)
      throw new ApiError(
        409,
        'last_admin',
        'Hearth needs at least one admin. Make someone else an admin before deleting your account.',
      );
  }
  await db.batch([
    db.delete(outbox).where(eq(outbox.toAddress, user.email)),
    db.delete(users).where(eq(users.id, userId)),
    auditInsert(db, { type: 'account.deleted' }, now),
  ]);
}
