import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { memberBlocks, userRoles, users } from '#db/schema/index.ts';
import { ApiError, notFound } from '../../errors.ts';

/**
 * A member blocks or mutes another. Both collapse the other's posts for them; a block also stops
 * the other from mentioning them. Moderators, coordinators and admins cannot be blocked or muted:
 * their notes on a thread must stay readable.
 */
export type BlockKind = 'block' | 'mute';

const UNBLOCKABLE_ROLES = ['moderator', 'coordinator', 'admin'] as const;

export async function blockMember(db: Database, userId: string, otherId: string, kind: BlockKind, now: Date) {
  if (otherId === userId)
    throw new ApiError(400, 'validation_failed', 'You cannot block or mute yourself.', {
      details: { fields: { id: 'That is you.' } },
    });
  const [other] = await db
    .select({ id: users.id, displayName: users.displayName, verified: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, otherId));
  if (!other || other.verified === null) throw notFound('That member');
  const staff = await db
    .select({ role: userRoles.role })
    .from(userRoles)
    .where(and(eq(userRoles.userId, otherId), inArray(userRoles.role, [...UNBLOCKABLE_ROLES])));
  if (staff.length)
    throw new ApiError(
      409,
      'cannot_block_staff',
      'Moderators and coordinators cannot be blocked or muted. If one of them worries you, tell another coordinator.',
    );
  await db
    .insert(memberBlocks)
    .values({ userId, otherId, kind, createdAt: now })
    .onConflictDoUpdate({ target: [memberBlocks.userId, memberBlocks.otherId], set: { kind, createdAt: now } });
  return { member: { id: other.id, displayName: other.displayName }, kind };
}

export async function unblockMember(db: Database, userId: string, otherId: string) {
  const removed = await db
    .delete(memberBlocks)
    .where(and(eq(memberBlocks.userId, userId), eq(memberBlocks.otherId, otherId)))
    .returning({ kind: memberBlocks.kind });
  if (!removed.length) throw notFound('That block');
  return { removed: removed[0]!.kind };
}

export async function listBlocks(db: Database, userId: string) {
  const rows = await db
    .select({
      id: memberBlocks.otherId,
      displayName: users.displayName,
      kind: memberBlocks.kind,
      createdAt: memberBlocks.createdAt,
    })
    .from(memberBlocks)
    .innerJoin(users, eq(users.id, memberBlocks.otherId))
    .where(eq(memberBlocks.userId, userId))
    .orderBy(asc(users.displayName));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/**
 * For the discussions core, before it turns `@name` into a mention and a notification: false when
 * the person mentioned has blocked the author.
 */
export async function canMention(db: Database, authorId: string, mentionedId: string): Promise<boolean> {
  return (await blockersAmong(db, authorId, [mentionedId])).length === 0;
}

/**
 * `canMention` for many at once, as one query that can join a batch: the members among
 * `mentionedIds` who have blocked the author (their mentions notify no one).
 */
export function blockersAmong(db: Database, authorId: string, mentionedIds: string[]) {
  return db
    .select({ userId: memberBlocks.userId })
    .from(memberBlocks)
    .where(
      and(
        inArray(memberBlocks.userId, mentionedIds.length ? mentionedIds : ['']),
        eq(memberBlocks.otherId, authorId),
        eq(memberBlocks.kind, 'block'),
      ),
    );
}

/**
 * For the discussions core, when it renders a thread for `userId`: the authors whose posts are
 * collapsed for them (blocked or muted). Apply it to named posts only, never to anonymous ones:
 * collapsing an anonymous post would tell the reader who wrote it.
 */
export async function hiddenAuthorsFor(db: Database, userId: string): Promise<Map<string, BlockKind>> {
  const rows = await db
    .select({ otherId: memberBlocks.otherId, kind: memberBlocks.kind })
    .from(memberBlocks)
    .where(eq(memberBlocks.userId, userId));
  return new Map(rows.map((r) => [r.otherId, r.kind]));
}
