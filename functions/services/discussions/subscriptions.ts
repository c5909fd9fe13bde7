import { and, eq } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { digestSettings, subscriptions, threads } from '#db/schema/index.ts';
import type { DiscussionCatalog } from '../../discussions/catalog.ts';
import { notFound } from '../../errors.ts';
import { loadViewer, type Actor } from './access.ts';
import { readableCategory } from './shared.ts';

export type SubscriptionLevel = 'watch' | 'track' | 'mute';

/**
 * Watch (a notification for every post), track (unread counts only) or mute (nothing, not even
 * mentions) a thread or a whole category; `default` forgets the choice. Authors watch their
 * threads and repliers track them until they choose otherwise.
 */
export async function setSubscription(
  db: Database,
  catalog: DiscussionCatalog,
  actor: Actor,
  input: { targetType: 'thread' | 'category'; target: string; level: SubscriptionLevel | 'default' },
  now: Date,
) {
  const viewer = await loadViewer(db, actor);
  if (input.targetType === 'thread') {
    const [thread] = await db
      .select({ category: threads.category, status: threads.status })
      .from(threads)
      .where(eq(threads.id, input.target));
    if (!thread || thread.status !== 'visible') throw notFound('That thread');
    readableCategory(catalog, viewer, thread.category);
  } else {
    readableCategory(catalog, viewer, input.target);
  }
  const key = and(
    eq(subscriptions.userId, actor.id),
    eq(subscriptions.targetType, input.targetType),
    eq(subscriptions.target, input.target),
  );
  if (input.level === 'default') await db.delete(subscriptions).where(key);
  else
    await db
      .insert(subscriptions)
      .values({
        userId: actor.id,
        targetType: input.targetType,
        target: input.target,
        level: input.level,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [subscriptions.userId, subscriptions.targetType, subscriptions.target],
        set: { level: input.level, updatedAt: now },
      });
  return { targetType: input.targetType, target: input.target, level: input.level === 'default' ? null : input.level };
}

export type DigestFrequency = 'off' | 'daily' | 'weekly';
/** Without a choice, members get a weekly digest, and only when something is waiting for them. */
export const DEFAULT_DIGEST: DigestFrequency = 'weekly';

export async function getDigestFrequency(db: Database, userId: string): Promise<DigestFrequency> {
  const [row] = await db.select().from(digestSettings).where(eq(digestSettings.userId, userId));
  return row?.frequency ?? DEFAULT_DIGEST;
}

export async function setDigestFrequency(db: Database, userId: string, frequency: DigestFrequency) {
  await db
    .insert(digestSettings)
    .values({ userId, frequency })
    .onConflictDoUpdate({ target: digestSettings.userId, set: { frequency } });
  return { frequency };
}

/** The member's own choice for a thread or category, or null when they have not chosen. */
export async function subscriptionLevel(
  db: Database,
  userId: string,
  targetType: 'thread' | 'category',
  target: string,
): Promise<SubscriptionLevel | null> {
  const [row] = await db
    .select({ level: subscriptions.level })
    .from(subscriptions)
    .where(
      and(eq(subscriptions.userId, userId), eq(subscriptions.targetType, targetType), eq(subscriptions.target, target)),
    );
  return row?.level ?? null;
}
