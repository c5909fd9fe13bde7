import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { groupMembers, groups, type Role } from '#db/schema/index.ts';
import type { Category } from '#src/lib/content/schema.ts';
import { can } from '../../auth/permissions.ts';
import { ApiError, notFound } from '../../errors.ts';

/**
 * Who may read and write where in discussions. One module, shared by routes, pages, search and
 * notifications, so a group-only category is invisible (404) the same way everywhere.
 */

/** The signed-in member as the discussion services need them; `null` is a visitor. */
export interface Actor {
  id: string;
  roles: Role[];
  emailVerified?: boolean;
}

export type GroupRole = 'member' | 'facilitator';

/** An actor with their group memberships (group slug → role), or a visitor. */
export interface Viewer {
  actor: Actor | null;
  groups: ReadonlyMap<string, GroupRole>;
}

export const VISITOR: Viewer = { actor: null, groups: new Map() };

/** The query for an actor's current (not archived) groups; run alone or inside a batch. */
export function groupsOf(db: Database, userId: string) {
  return db
    .select({ slug: groups.slug, role: groupMembers.role })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groupMembers.userId, userId), isNull(groups.archivedAt)));
}

export function viewerOf(actor: Actor | null, rows: { slug: string; role: GroupRole }[] = []): Viewer {
  return { actor, groups: new Map(rows.map((r) => [r.slug, r.role])) };
}

export async function loadViewer(db: Database, actor: Actor | null): Promise<Viewer> {
  return actor ? viewerOf(actor, await groupsOf(db, actor.id)) : VISITOR;
}

/** Moderators, coordinators and admins: every reply in post-first threads, edit histories, solutions. */
export const isModerator = (viewer: Viewer) => can(viewer.actor, 'moderate:discussions:any');

const isStaff = (roles: readonly Role[]) =>
  roles.some((r) => r === 'moderator' || r === 'coordinator' || r === 'admin');

/** A facilitator of the category's group moderates that category. */
export const isFacilitator = (viewer: Viewer, category: Category) =>
  category.group !== undefined && viewer.groups.get(category.group) === 'facilitator';

/** May moderate posts in the category: see all replies in post-first mode, accept solutions. */
export const moderates = (viewer: Viewer, category: Category) =>
  canRead(viewer, category) && (isModerator(viewer) || isFacilitator(viewer, category));

/**
 * public: everyone; members: anyone signed in; group: the group's members and facilitators, and
 * coordinators (who run the groups). Nobody else, moderators included, learns the category exists.
 */
export function canRead(viewer: Viewer, category: Category): boolean {
  if (category.visibility === 'public') return true;
  if (!viewer.actor) return false;
  if (category.visibility === 'members') return true;
  return viewer.groups.has(category.group!) || can(viewer.actor, 'manage:groups:any');
}

/** Why the actor may not post in a category, or null when they may. */
export function postRefusal(viewer: Viewer, category: Category): ApiError | null {
  if (!viewer.actor) return new ApiError(401, 'unauthenticated', 'Please sign in first.');
  if (!canRead(viewer, category)) return notFound('That category');
  if (!can(viewer.actor, 'create:content:own'))
    return new ApiError(403, 'forbidden', 'Confirm your email address before you post.');
  const roles = viewer.actor.roles;
  if (category.whoMayPost === 'staff' && !isStaff(roles))
    return new ApiError(403, 'forbidden', 'Only the community team posts in this category.');
  if (category.whoMayPost === 'mentors' && !isStaff(roles) && !roles.includes('mentor'))
    return new ApiError(403, 'forbidden', 'Only mentors post in this category.');
  return null;
}

export const canPost = (viewer: Viewer, category: Category) => postRefusal(viewer, category) === null;

/** The categories the viewer can read, in display order. */
export const readableCategories = (viewer: Viewer, categories: readonly Category[]) =>
  categories.filter((c) => canRead(viewer, c));
