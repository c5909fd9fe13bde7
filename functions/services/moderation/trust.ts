import { eq, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { users, type Role } from '#db/schema/index.ts';
import { ApiError } from '../../errors.ts';

/**
 * Trust levels, computed from what a member has done; nothing is stored. The thresholds and the
 * posting limits of each level live here and nowhere else (ADR 010 explains them). Staff roles
 * (moderators, coordinators, admins) post without these limits whatever their level.
 */
const DAY = 86_400_000;

export type TrustLevel = 0 | 1 | 2 | 3;

export interface Activity {
  /** Whole days since the account was created. */
  daysSinceJoining: number;
  /** Threads the member has opened and read (thread_reads rows). */
  threadsRead: number;
  /** Posts (opening posts and replies) that are visible now. */
  postsWritten: number;
  /** Reactions other members gave the member's posts. */
  reactionsReceived: number;
  /** The member's posts that moderators acted on after a flag, in the last FLAGS_UPHELD_WINDOW_DAYS. */
  flagsUpheld: number;
}

export interface LevelRequirement {
  daysSinceJoining: number;
  threadsRead: number;
  postsWritten: number;
  reactionsReceived: number;
  /** At most this many upheld flags in the window. */
  maxFlagsUpheld: number;
}

/** Upheld flags older than this no longer hold a member back. */
export const FLAGS_UPHELD_WINDOW_DAYS = 180;

export const TRUST_LEVELS: readonly { level: TrustLevel; name: string; requires: LevelRequirement | null }[] = [
  { level: 0, name: 'New member', requires: null },
  {
    level: 1,
    name: 'Member',
    requires: { daysSinceJoining: 1, threadsRead: 5, postsWritten: 2, reactionsReceived: 0, maxFlagsUpheld: 2 },
  },
  {
    level: 2,
    name: 'Regular',
    requires: { daysSinceJoining: 14, threadsRead: 25, postsWritten: 10, reactionsReceived: 5, maxFlagsUpheld: 1 },
  },
  {
    level: 3,
    name: 'Trusted',
    requires: { daysSinceJoining: 60, threadsRead: 100, postsWritten: 40, reactionsReceived: 25, maxFlagsUpheld: 0 },
  },
];

export interface PostingLimits {
  /** Links allowed in one post; null is no limit. */
  maxLinks: number | null;
  images: boolean;
  /** In categories with `holdFirstPosts`, posts wait for approval. */
  heldInHoldingCategories: boolean;
  /** New threads in any 24 hours; null is no limit. */
  threadsPerDay: number | null;
  /** Replies in any 24 hours; null is no limit. */
  repliesPerDay: number | null;
  secondsBetweenThreads: number;
  secondsBetweenPosts: number;
}

const NO_LIMITS: PostingLimits = {
  maxLinks: null,
  images: true,
  heldInHoldingCategories: false,
  threadsPerDay: null,
  repliesPerDay: null,
  secondsBetweenThreads: 0,
  secondsBetweenPosts: 0,
};

export const POSTING_LIMITS: Record<TrustLevel | 'staff', PostingLimits> = {
  0: {
    maxLinks: 2,
    images: false,
    heldInHoldingCategories: true,
    threadsPerDay: 3,
    repliesPerDay: 10,
    secondsBetweenThreads: 15,
    secondsBetweenPosts: 5,
  },
  1: {
    maxLinks: 10,
    images: true,
    heldInHoldingCategories: false,
    threadsPerDay: 10,
    repliesPerDay: 60,
    secondsBetweenThreads: 15,
    secondsBetweenPosts: 5,
  },
  2: {
    maxLinks: null,
    images: true,
    heldInHoldingCategories: false,
    threadsPerDay: 30,
    repliesPerDay: 200,
    secondsBetweenThreads: 5,
    secondsBetweenPosts: 2,
  },
  3: NO_LIMITS,
  staff: NO_LIMITS,
};

const STAFF_ROLES: Role[] = ['moderator', 'coordinator', 'admin'];
export const isModerationStaff = (roles: Role[]) => roles.some((r) => STAFF_ROLES.includes(r));

export function meets(activity: Activity, req: LevelRequirement): boolean {
  return (
    activity.daysSinceJoining >= req.daysSinceJoining &&
    activity.threadsRead >= req.threadsRead &&
    activity.postsWritten >= req.postsWritten &&
    activity.reactionsReceived >= req.reactionsReceived &&
    activity.flagsUpheld <= req.maxFlagsUpheld
  );
}

/** The highest level whose requirements (and every lower level's) the activity meets. */
export function levelFor(activity: Activity): TrustLevel {
  let level: TrustLevel = 0;
  for (const l of TRUST_LEVELS) {
    if (!l.requires) continue;
    if (!meets(activity, l.requires)) break;
    level = l.level;
  }
  return level;
}

/** A member's activity, in one query. Null when there is no such member. */
export async function memberActivity(db: Database, userId: string, now: Date): Promise<Activity | null> {
  const since = new Date(now.getTime() - FLAGS_UPHELD_WINDOW_DAYS * DAY);
  const [row] = await db
    .select({
      createdAt: users.createdAt,
      // Written out with table names: drizzle leaves columns unqualified in a one-table select.
      threadsRead: sql<number>`(select count(*) from thread_reads r where r.user_id = users.id)`,
      postsWritten: sql<number>`(select count(*) from posts p where p.author_id = users.id and p.status = 'visible')`,
      reactionsReceived: sql<number>`(select count(*) from post_reactions x join posts p on p.id = x.post_id
        where p.author_id = users.id and x.user_id != users.id)`,
      flagsUpheld: sql<number>`(select count(distinct f.post_id) from flags f join posts p on p.id = f.post_id
        where p.author_id = users.id and f.outcome = 'upheld' and f.resolved_at > ${since.getTime()})`,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!row) return null;
  return {
    daysSinceJoining: Math.max(0, Math.floor((now.getTime() - row.createdAt.getTime()) / DAY)),
    threadsRead: Number(row.threadsRead),
    postsWritten: Number(row.postsWritten),
    reactionsReceived: Number(row.reactionsReceived),
    flagsUpheld: Number(row.flagsUpheld),
  };
}

/** The member's trust level now (0 for an unknown member). */
export async function trustLevel(db: Database, userId: string, now: Date): Promise<TrustLevel> {
  const activity = await memberActivity(db, userId, now);
  return activity ? levelFor(activity) : 0;
}

/** Posting limits for a member: staff roles have none; everyone else by level. */
export async function postingLimitsFor(db: Database, user: { id: string; roles: Role[] }, now: Date) {
  if (isModerationStaff(user.roles)) return { level: null, limits: POSTING_LIMITS.staff };
  const level = await trustLevel(db, user.id, now);
  return { level, limits: POSTING_LIMITS[level] };
}

const LABELS: Record<keyof LevelRequirement, string> = {
  daysSinceJoining: 'Days since you joined',
  threadsRead: 'Threads read',
  postsWritten: 'Posts written',
  reactionsReceived: 'Reactions from others',
  maxFlagsUpheld: 'Posts moderators acted on (recent)',
};

/** Where the member stands and what the next level asks, for the progress page. */
export async function trustProgress(db: Database, user: { id: string; roles: Role[] }, now: Date) {
  const activity = await memberActivity(db, user.id, now);
  if (!activity) throw new ApiError(404, 'not_found', 'That account was not found.');
  const level = levelFor(activity);
  const current = TRUST_LEVELS[level]!;
  const next = TRUST_LEVELS[level + 1];
  const requirements = next?.requires
    ? (Object.keys(LABELS) as (keyof LevelRequirement)[]).map((key) => {
        const need = next.requires![key];
        if (key === 'maxFlagsUpheld')
          return {
            key,
            label: LABELS[key],
            have: activity.flagsUpheld,
            need,
            atMost: true,
            met: activity.flagsUpheld <= need,
          };
        const have = activity[key];
        return { key, label: LABELS[key], have, need, atMost: false, met: have >= need };
      })
    : [];
  return {
    level,
    name: current.name,
    staff: isModerationStaff(user.roles),
    activity,
    limits: isModerationStaff(user.roles) ? POSTING_LIMITS.staff : POSTING_LIMITS[level],
    next: next ? { level: next.level, name: next.name, requirements } : null,
  };
}

export type TrustProgress = Awaited<ReturnType<typeof trustProgress>>;
