import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { groupMembers, groups, users } from '#db/schema/index.ts';
import { notFound } from '../errors.ts';
import { validationError } from '../lib/validation.ts';
import { auditInsert } from './audit.ts';
import { notificationInsert } from './notifications.ts';

/**
 * Groups (cohorts and their subgroups). Coordinators create them, add members and name
 * facilitators; a category with `visibility: group` is seen by its group only (and coordinators).
 */

export interface GroupInput {
  slug: string;
  name: string;
  description?: string | undefined;
  kind: 'cohort' | 'subgroup';
  parent?: string | undefined;
}

export async function listGroups(db: Database) {
  const rows = await db
    .select({ group: groups, members: count(groupMembers.userId) })
    .from(groups)
    .leftJoin(groupMembers, eq(groupMembers.groupId, groups.id))
    .where(isNull(groups.archivedAt))
    .groupBy(groups.id)
    .orderBy(asc(groups.name));
  const slugOf = new Map(rows.map((r) => [r.group.id, r.group.slug]));
  return rows.map((r) => ({
    id: r.group.id,
    slug: r.group.slug,
    name: r.group.name,
    description: r.group.description,
    kind: r.group.kind,
    parent: r.group.parentId ? (slugOf.get(r.group.parentId) ?? null) : null,
    members: Number(r.members),
    createdAt: r.group.createdAt.toISOString(),
  }));
}

export async function createGroup(db: Database, actorId: string, input: GroupInput, now: Date) {
  const [[existing], [parent]] = await db.batch([
    db.select({ id: groups.id }).from(groups).where(eq(groups.slug, input.slug)),
    db
      .select({ id: groups.id, kind: groups.kind })
      .from(groups)
      .where(eq(groups.slug, input.parent ?? '')),
  ]);
  if (existing) throw validationError({ slug: 'A group already has this slug.' });
  if (input.kind === 'subgroup' && !parent)
    throw validationError({ parent: 'Choose the cohort this subgroup belongs to.' });
  if (input.kind === 'cohort' && input.parent)
    throw validationError({ parent: 'Only a subgroup belongs to a cohort.' });
  const id = crypto.randomUUID();
  await db.batch([
    db.insert(groups).values({
      id,
      slug: input.slug,
      name: input.name,
      description: input.description ?? '',
      kind: input.kind,
      parentId: parent?.id ?? null,
      createdBy: actorId,
      createdAt: now,
    }),
    auditInsert(db, { type: 'group.created', actorUserId: actorId, detail: { slug: input.slug } }, now),
  ]);
  return { id, slug: input.slug, name: input.name };
}

async function requireGroup(db: Database, slug: string) {
  const [group] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.slug, slug), isNull(groups.archivedAt)));
  if (!group) throw notFound('That group');
  return group;
}

/** A group with its members, facilitators first. */
export async function getGroup(db: Database, slug: string) {
  const group = await requireGroup(db, slug);
  const members = await db
    .select({
      userId: users.id,
      displayName: users.displayName,
      email: users.email,
      role: groupMembers.role,
      addedAt: groupMembers.addedAt,
    })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(eq(groupMembers.groupId, group.id))
    .orderBy(asc(groupMembers.role), asc(users.displayName));
  return {
    id: group.id,
    slug: group.slug,
    name: group.name,
    description: group.description,
    kind: group.kind,
    members: members
      .sort((a, b) => (a.role === b.role ? 0 : a.role === 'facilitator' ? -1 : 1))
      .map((m) => ({ ...m, addedAt: m.addedAt.toISOString() })),
  };
}

/** Adds a member by email (a confirmed account) or id, or changes their role if they are in already. */
export async function addMember(
  db: Database,
  actorId: string,
  slug: string,
  input: { email?: string | undefined; userId?: string | undefined; role: 'member' | 'facilitator' },
  now: Date,
) {
  const group = await requireGroup(db, slug);
  const [user] = await db
    .select({ id: users.id, displayName: users.displayName, verified: users.emailVerifiedAt })
    .from(users)
    .where(input.userId ? eq(users.id, input.userId) : eq(users.email, (input.email ?? '').trim().toLowerCase()));
  if (!user || !user.verified)
    throw validationError({
      [input.userId ? 'userId' : 'email']: 'No member with a confirmed account has this address.',
    });
  await db.batch([
    db
      .insert(groupMembers)
      .values({ groupId: group.id, userId: user.id, role: input.role, addedAt: now })
      .onConflictDoUpdate({ target: [groupMembers.groupId, groupMembers.userId], set: { role: input.role } }),
    notificationInsert(
      db,
      user.id,
      {
        kind: 'group.added',
        title:
          input.role === 'facilitator'
            ? `You are now a facilitator of ${group.name}`
            : `You have been added to ${group.name}`,
        body: 'Its discussions are now in your list.',
        url: '/discussions',
      },
      now,
    ),
    auditInsert(
      db,
      {
        type: 'group.member_added',
        actorUserId: actorId,
        subjectUserId: user.id,
        detail: { group: slug, role: input.role },
      },
      now,
    ),
  ]);
  return { group: slug, userId: user.id, displayName: user.displayName, role: input.role };
}

async function requireMember(db: Database, groupId: string, userId: string) {
  const [row] = await db
    .select({ role: groupMembers.role })
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)));
  if (!row) throw notFound('That member of the group');
  return row;
}

export async function setMemberRole(
  db: Database,
  actorId: string,
  slug: string,
  userId: string,
  role: 'member' | 'facilitator',
  now: Date,
) {
  const group = await requireGroup(db, slug);
  await requireMember(db, group.id, userId);
  await db.batch([
    db
      .update(groupMembers)
      .set({ role })
      .where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, userId))),
    auditInsert(
      db,
      { type: 'group.role_changed', actorUserId: actorId, subjectUserId: userId, detail: { group: slug, role } },
      now,
    ),
  ]);
  return { group: slug, userId, role };
}

export async function removeMember(db: Database, actorId: string, slug: string, userId: string, now: Date) {
  const group = await requireGroup(db, slug);
  await requireMember(db, group.id, userId);
  await db.batch([
    db.delete(groupMembers).where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, userId))),
    auditInsert(
      db,
      { type: 'group.member_removed', actorUserId: actorId, subjectUserId: userId, detail: { group: slug } },
      now,
    ),
  ]);
  return { group: slug, userId, removed: true };
}
