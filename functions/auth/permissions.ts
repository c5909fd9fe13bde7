import type { Role } from '#db/schema/index.ts';
import { ApiError } from '../errors.ts';
import type { SessionUser } from './session.ts';

/**
 * Who may do what, in one place that routes and pages share. Permissions read
 * `action:entity:access`: `own` applies to the member's own records, `any` to everyone's.
 * Every member holds the `member` grants; roles add theirs.
 */
export const GRANTS = {
  member: [
    'read:account:own',
    'update:account:own',
    'export:account:own',
    'delete:account:own',
    'create:content:own',
    'update:training:own',
    'use:mentoring:own',
    'flag:post:own',
  ],
  mentor: [],
  // Only moderators reveal anonymous authors (content/guidelines/en/moderation-policy.md); coordinators
  // who need to hold the moderator role as well. Facilitators moderate their groups' categories
  // without a role: see functions/services/moderation/scope.ts. Moderation also covers seeing every
  // reply in post-first threads, reading edit histories and accepting solutions, in every category
  // the moderator can read (group-only categories stay limited to their group).
  moderator: ['moderate:discussions:any', 'manage:watched-words:any', 'sanction:member:any', 'reveal:anonymous:any'],
  coordinator: [
    'moderate:discussions:any',
    'manage:watched-words:any',
    'sanction:member:any',
    // Create groups, add members, name facilitators; coordinators also read group-only categories.
    'manage:groups:any',
    'read:member:any',
    'read:training-report:any',
    'review:content:any',
    'manage:mentoring:any',
    'read:mentorship:any',
    'read:survey-results:any',
  ],
  admin: [
    'read:member:any',
    'update:role:any',
    'read:audit:any',
    'read:training-report:any',
    'review:content:any',
    'read:survey-results:any',
    'read:metrics:any',
  ],
} as const satisfies Record<'member' | Role, readonly string[]>;

export type Permission = (typeof GRANTS)[keyof typeof GRANTS][number];

/** Until their email is confirmed, members can read but not post (create content) or flag. */
const NEEDS_VERIFIED_EMAIL: readonly Permission[] = ['create:content:own', 'flag:post:own'];

export function permissionsOf(
  user: (Pick<SessionUser, 'roles'> & { emailVerified?: boolean }) | null,
): Set<Permission> {
  if (!user) return new Set();
  const granted = new Set<Permission>(GRANTS.member);
  for (const role of user.roles) for (const p of GRANTS[role]) granted.add(p);
  if (user.emailVerified === false) for (const p of NEEDS_VERIFIED_EMAIL) granted.delete(p);
  return granted;
}

export function can(
  user: (Pick<SessionUser, 'roles'> & { emailVerified?: boolean }) | null,
  permission: Permission,
): boolean {
  return permissionsOf(user).has(permission);
}

/** 401 when nobody is signed in, 403 when the member lacks the permission. */
export function requirePermission(user: SessionUser | null, permission: Permission): SessionUser {
  if (!user) throw new ApiError(401, 'unauthenticated', 'Please sign in first.');
  if (!can(user, permission)) throw new ApiError(403, 'forbidden', 'Your role does not allow this.');
  return user;
}
