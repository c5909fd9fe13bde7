import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { groupMembers, groups, posts, threads, type Role } from '#db/schema/index.ts';
import { can } from '../../auth/permissions.ts';
import { ApiError } from '../../errors.ts';
import type { DiscussionCatalog } from '../../discussions/catalog.ts';

/**
 * Who moderates what. Moderators and coordinators (`moderate:discussions:any`) moderate every
 * category; a group's facilitators moderate the categories that belong to their group, with the
 * post and thread tools only (no sanctions, no reveals).
 *
 * Which categories belong to which group is content (content/categories.yaml, read by the
 * discussions core). `loadCategoryGroups` is the one place that reads it for moderation.
 */

/** Category slug → the slug of the group it belongs to (group-only categories). */
export type CategoryGroups = ReadonlyMap<string, string>;

const NO_GROUP_CATEGORIES: CategoryGroups = new Map();

/** The group-only categories of the discussions catalog: category slug → group slug. */
export async function loadCategoryGroups(catalog: DiscussionCatalog): Promise<CategoryGroups> {
  const entries = catalog.categories.flatMap((c) =>
    c.visibility === 'group' && c.group ? [[c.slug, c.group] as const] : [],
  );
  return entries.length ? new Map(entries) : NO_GROUP_CATEGORIES;
}

export type ModerationScope = { all: true; staff: true } | { all: false; staff: false; categories: string[] };

interface Who {
  id: string;
  roles: Role[];
  emailVerified?: boolean;
}

/** What the member moderates, or null when nothing. */
export async function moderationScope(
  db: Database,
  user: Who | null,
  categoryGroups: CategoryGroups,
): Promise<ModerationScope | null> {
  if (!user) return null;
  if (can(user, 'moderate:discussions:any')) return { all: true, staff: true };
  if (categoryGroups.size === 0) return null;
  const rows = await db
    .select({ slug: groups.slug })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groupMembers.userId, user.id), eq(groupMembers.role, 'facilitator')));
  const mine = new Set(rows.map((r) => r.slug));
  const categories = [...categoryGroups].filter(([, group]) => mine.has(group)).map(([slug]) => slug);
  return categories.length ? { all: false, staff: false, categories } : null;
}

export async function requireModerationScope(db: Database, user: Who | null, categoryGroups: CategoryGroups) {
  if (!user) throw new ApiError(401, 'unauthenticated', 'Please sign in first.');
  const scope = await moderationScope(db, user, categoryGroups);
  if (!scope) throw new ApiError(403, 'forbidden', 'Only moderators and facilitators can do this.');
  return scope;
}

export const coversCategory = (scope: ModerationScope, category: string) =>
  scope.all || scope.categories.includes(category);

/** 404 unless the scope covers the post's category (facilitators learn nothing about other categories). */
export async function requirePostInScope(db: Database, scope: ModerationScope, postId: string) {
  const [row] = await db
    .select({ category: threads.category })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(posts.id, postId));
  if (!row || !coversCategory(scope, row.category)) throw new ApiError(404, 'not_found', 'That post was not found.');
}

/** Whether the member belongs to the group that owns a group-only category (true for open categories). */
export async function readsCategory(
  db: Database,
  userId: string | null,
  category: string,
  categoryGroups: CategoryGroups,
) {
  const group = categoryGroups.get(category);
  if (!group) return true;
  if (!userId) return false;
  const rows = await db
    .select({ userId: groupMembers.userId })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groupMembers.userId, userId), inArray(groups.slug, [group])));
  return rows.length > 0;
}
