import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { auditEvents, ROLES, userRoles, users, type Role } from '#db/schema/index.ts';
import { ApiError, notFound } from '../errors.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import { auditInsert } from './audit.ts';

const PAGE = 50;

/** Cursor = `<createdAt ms>.<id>`: keyset pagination, newest first, never OFFSET. */
function parseCursor(cursor: string | undefined) {
  if (!cursor) return null;
  const [ms, id] = cursor.split('.', 2);
  if (!ms || !id || !/^\d+$/.test(ms))
    throw new ApiError(400, 'validation_failed', 'Please check the field: cursor.', {
      details: { fields: { cursor: 'Not a valid cursor.' } },
    });
  return { createdAt: new Date(Number(ms)), id };
}

/** Verified members for the admin list, with their roles. */
export async function listMembers(db: Database, options: { cursor?: string; query?: string } = {}) {
  const after = parseCursor(options.cursor);
  const q = options.query?.trim().toLowerCase();
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      emailVerifiedAt: users.emailVerifiedAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(
      and(
        sql`${users.emailVerifiedAt} is not null`,
        q ? or(sql`lower(${users.displayName}) like ${`%${q}%`}`, sql`${users.email} like ${`%${q}%`}`) : undefined,
        after
          ? or(lt(users.createdAt, after.createdAt), and(eq(users.createdAt, after.createdAt), lt(users.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(PAGE + 1);
  const page = rows.slice(0, PAGE);
  const roles = page.length
    ? await db
        .select()
        .from(userRoles)
        .where(
          inArray(
            userRoles.userId,
            page.map((r) => r.id),
          ),
        )
    : [];
  const last = page.at(-1);
  return {
    members: page.map((m) => ({
      id: m.id,
      email: m.email,
      displayName: m.displayName,
      createdAt: m.createdAt.toISOString(),
      roles: ROLES.filter((role) => roles.some((r) => r.userId === m.id && r.role === role)),
    })),
    nextCursor: rows.length > PAGE && last ? `${last.createdAt.getTime()}.${last.id}` : null,
  };
}

/**
 * Replaces a member's roles. Each grant and revocation is audited in the same batch, and the
 * member's sessions end, since their privileges changed (they sign in again with the new ones).
 * The last admin cannot remove their own admin role.
 */
export async function setRoles(db: Database, actorId: string, memberId: string, wanted: Role[], now: Date) {
  const [member] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, memberId), sql`${users.emailVerifiedAt} is not null`));
  if (!member) throw notFound('That member');
  const current = (await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, memberId))).map(
    (r) => r.role,
  );
  const target = [...new Set(wanted)];
  const granted = target.filter((r) => !current.includes(r));
  const revoked = current.filter((r) => !target.includes(r));
  if (revoked.includes('admin')) {
    const [{ admins } = { admins: 0 }] = await db
      .select({ admins: sql<number>`count(*)` })
      .from(userRoles)
      .where(eq(userRoles.role, 'admin'));
    if (Number(admins) <= 1)
      throw new ApiError(409, 'last_admin', 'Hearth needs at least one admin. Make someone else an admin first.');
  }
  if (!granted.length && !revoked.length) return { roles: current, changed: false };
  await db.batch([
    auditInsert(
      db,
      { type: 'role.changed', actorUserId: actorId, subjectUserId: memberId, detail: { granted, revoked } },
      now,
    ),
    ...(revoked.length
      ? [db.delete(userRoles).where(and(eq(userRoles.userId, memberId), inArray(userRoles.role, revoked)))]
      : []),
    ...(granted.length
      ? [db.insert(userRoles).values(granted.map((role) => ({ userId: memberId, role, grantedAt: now })))]
      : []),
  ]);
  await invalidateUserSessions(db, memberId);
  return { roles: ROLES.filter((r) => target.includes(r)), changed: true };
}

/** Security events, newest first, for admins. */
export async function listAudit(db: Database, options: { before?: string } = {}) {
  const beforeMs = options.before && /^\d+$/.test(options.before) ? new Date(Number(options.before)) : undefined;
  const rows = await db
    .select({
      id: auditEvents.id,
      type: auditEvents.type,
      createdAt: auditEvents.createdAt,
      actorUserId: auditEvents.actorUserId,
      subjectUserId: auditEvents.subjectUserId,
      ipHash: auditEvents.ipHash,
      detail: auditEvents.detail,
    })
    .from(auditEvents)
    .where(beforeMs ? lt(auditEvents.createdAt, beforeMs) : undefined)
    .orderBy(desc(auditEvents.createdAt))
    .limit(PAGE + 1);
  const ids = [
    ...new Set(rows.flatMap((r) => [r.actorUserId, r.subjectUserId]).filter((x): x is string => Boolean(x))),
  ];
  const names = ids.length
    ? await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, ids))
    : [];
  const nameOf = (id: string | null) => (id ? (names.find((n) => n.id === id)?.displayName ?? 'former member') : null);
  const page = rows.slice(0, PAGE);
  return {
    events: page.map((e) => ({
      ...e,
      createdAt: e.createdAt.toISOString(),
      actor: nameOf(e.actorUserId),
      subject: nameOf(e.subjectUserId),
    })),
    nextBefore: rows.length > PAGE ? String(page.at(-1)!.createdAt.getTime()) : null,
  };
}
