import { and, eq } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { threadAliases, userRoles, users } from '#db/schema/index.ts';
import { threadPath } from '../discussions/shared.ts';

/**
 * Small pieces the moderation services share. Thresholds that shape the queue are here so the
 * ADR (docs/decisions/010-moderation-and-trust.md) has one place to point at.
 */

/** A post is hidden pending review when its open flags weigh this much (safety flags aside). */
export const AUTO_HIDE_WEIGHT = 3;
/** ...and at least one of those flags comes from an account at least this old. */
export const ESTABLISHED_FLAGGER_DAYS = 7;
/** Beta prior on a flagger's accuracy: with no history a flag weighs exactly 1. */
export const FLAG_PRIOR = { upheld: 2, dismissed: 2 } as const;

export { threadPath };
/** A post on its thread's page (the page anchors each post as `post-<seq>`). */
export const postPath = (threadId: string, seq: number) => `${threadPath(threadId)}#post-${seq}`;

/** Where the crisis resources are, for the person who flags a safety concern. */
export const CRISIS_RESOURCES = {
  url: '/guidelines/crisis-and-wellbeing/',
  message:
    'Moderators and coordinators are volunteers and may not see this straight away. If someone may be in danger now, contact emergency services first. These services can help today.',
} as const;

export const aliasName = (n: number | null | undefined) => (n ? `Anonymous member ${n}` : 'Anonymous member');

/** An anonymous author's alias number in a thread, if they have one. */
export async function aliasOf(db: Database, threadId: string, userId: string | null) {
  if (!userId) return null;
  const [row] = await db
    .select({ number: threadAliases.number })
    .from(threadAliases)
    .where(and(eq(threadAliases.threadId, threadId), eq(threadAliases.userId, userId)));
  return row?.number ?? null;
}

/**
 * The coordinators on duty, who are emailed about safety concerns. Hearth has no rota yet, so
 * every coordinator with a confirmed address is on duty.
 */
export async function coordinatorsOnDuty(db: Database) {
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      locale: users.locale,
      verified: users.emailVerifiedAt,
    })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(eq(userRoles.role, 'coordinator'));
  return rows.filter((r) => r.verified !== null);
}
