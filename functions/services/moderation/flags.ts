import { and, eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '#db/client.ts';
import { flags, moderationActions, moderationItems, type FlagReason, type Role } from '#db/schema/index.ts';
import { ApiError, notFound } from '../../errors.ts';
import { moderationMail } from '../../mail/moderation-messages.ts';
import type { MailTransport } from '../../mail/transport.ts';
import { notificationInsert, notify } from '../notifications.ts';
import { activeSanction } from './sanctions.ts';
import type { CategoryGroups } from './scope.ts';
import {
  AUTO_HIDE_WEIGHT,
  CRISIS_RESOURCES,
  ESTABLISHED_FLAGGER_DAYS,
  FLAG_PRIOR,
  coordinatorsOnDuty,
  postPath,
} from './shared.ts';
import { canSeePost, loadPost } from './visibility.ts';

const DAY = 86_400_000;

/**
 * A flagger's weight: their past accuracy (flags upheld against flags dismissed) under a Beta
 * prior, scaled so that a member with no history weighs exactly 1. It lies between 0 and 2: a
 * careful flagger counts up to twice, a careless one fades, and nobody can start above 1.
 */
export function weightFrom(upheld: number, dismissed: number): number {
  const { upheld: a, dismissed: b } = FLAG_PRIOR;
  return (2 * (upheld + a)) / (upheld + dismissed + a + b);
}

export async function flaggerWeight(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({
      upheld: sql<number>`count(*) filter (where ${flags.outcome} = 'upheld')`,
      dismissed: sql<number>`count(*) filter (where ${flags.outcome} = 'dismissed')`,
    })
    .from(flags)
    .where(eq(flags.flaggerId, userId));
  return weightFrom(Number(row?.upheld ?? 0), Number(row?.dismissed ?? 0));
}

export interface FlagContext {
  mail: MailTransport;
  siteUrl: string;
  now: Date;
  categoryGroups: CategoryGroups;
}

/**
 * A member flags a post they can see, once. The flag's weight feeds the post's queue item; a post
 * whose open flags weigh AUTO_HIDE_WEIGHT (with at least one flagger of some standing) is hidden
 * pending review. A safety concern is urgent: it goes to the top of the queue, the coordinators on
 * duty get an email, and the answer carries crisis resources for the person who flagged.
 * Safety flags never hide a post: someone asking for help must stay readable.
 */
export async function createFlag(
  db: Database,
  ctx: FlagContext,
  user: { id: string; roles: Role[] },
  postId: string,
  input: { reason: FlagReason; note?: string | undefined },
) {
  const { now } = ctx;
  const post = await loadPost(db, postId);
  if (!post || !(await canSeePost(db, user, post, ctx.categoryGroups))) throw notFound('That post');
  if (post.status === 'deleted') throw notFound('That post');
  if (post.authorId === user.id)
    throw new ApiError(403, 'own_post', 'You cannot flag your own post. You can edit or delete it instead.');
  // A silenced or suspended member keeps one way to raise an alarm: a safety concern.
  if (input.reason !== 'safety' && (await activeSanction(db, user.id, now)))
    throw new ApiError(403, 'member_sanctioned', 'While your account is paused you can flag safety concerns only.');

  const weight = await flaggerWeight(db, user.id);
  const [before] = await db
    .select({ urgent: moderationItems.urgent })
    .from(moderationItems)
    .where(and(eq(moderationItems.postId, postId), eq(moderationItems.status, 'open')));
  const flagId = crypto.randomUUID();
  const itemId = crypto.randomUUID();
  const nowMs = now.getTime();
  const establishedBefore = nowMs - ESTABLISHED_FLAGGER_DAYS * DAY;
  const hiddenReason = 'Hidden while moderators review flags from members.';

  const results = await db.batch([
    db
      .insert(flags)
      .values({
        id: flagId,
        postId,
        flaggerId: user.id,
        reason: input.reason,
        note: input.note?.trim() || null,
        weight,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: flags.id }),
    // Every step below recomputes from the flags, so a duplicate flag (refused above) changes nothing.
    db.run(sql`update posts set flag_weight = (
        select coalesce(sum(weight), 0) from flags
        where post_id = ${postId} and resolved_at is null and reason != 'safety')
      where id = ${postId}`),
    db.run(sql`insert into moderation_items (id, post_id, kind, urgent, weight, status, created_at)
      select ${itemId}, ${postId}, 'flags', 0, 0, 'open', ${nowMs}
      where exists (select 1 from flags where post_id = ${postId} and resolved_at is null)
      on conflict do nothing`),
    db.run(sql`update moderation_items set
        weight = (select flag_weight from posts where id = ${postId}),
        urgent = exists (select 1 from flags where post_id = ${postId} and resolved_at is null and reason = 'safety')
      where post_id = ${postId} and status = 'open'`),
    db.run(sql`update posts set status = 'hidden', status_reason = ${hiddenReason}
      where id = ${postId} and status = 'visible' and flag_weight >= ${AUTO_HIDE_WEIGHT}
        and exists (select 1 from flags f join users u on u.id = f.flagger_id
          where f.post_id = ${postId} and f.resolved_at is null and f.reason != 'safety'
            and u.created_at <= ${establishedBefore})`),
  ] as const);
  const inserted = results[0];
  if (inserted.length === 0)
    throw new ApiError(409, 'already_flagged', 'You have already flagged this post. A moderator will look at it.');
  const hidden = (results[4] as { rowsAffected?: number }).rowsAffected === 1;

  const [item] = await db
    .select({ id: moderationItems.id, urgent: moderationItems.urgent, weight: moderationItems.weight })
    .from(moderationItems)
    .where(and(eq(moderationItems.postId, postId), eq(moderationItems.status, 'open')));
  if (hidden) {
    const writes: BatchItem<'sqlite'>[] = [
      db.insert(moderationActions).values({
        id: crypto.randomUUID(),
        itemId: item?.id ?? null,
        postId,
        threadId: post.threadId,
        subjectId: post.authorId,
        actorId: null,
        action: 'auto-hide',
        reason: `Open flags reached a weight of ${AUTO_HIDE_WEIGHT}.`,
        before: { status: 'visible' },
        after: { status: 'hidden', statusReason: hiddenReason },
        createdAt: now,
      }),
    ];
    if (post.authorId)
      writes.push(
        notificationInsert(
          db,
          post.authorId,
          {
            kind: 'moderation.hidden-pending-review',
            title: `Your post in “${post.title}” is hidden while moderators review it`,
            body: 'Some members were concerned about it. A moderator will look soon and tell you what they decide.',
            url: postPath(post.threadId, post.seq),
          },
          now,
        ),
      );
    await db.batch(writes as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  }
  if (input.reason === 'safety' && item && !before?.urgent) await alertCoordinators(db, ctx, item.id);
  return {
    flag: { id: flagId, postId, reason: input.reason, createdAt: now.toISOString() },
    ...(input.reason === 'safety' ? { crisis: CRISIS_RESOURCES } : {}),
  };
}

async function alertCoordinators(db: Database, ctx: FlagContext, itemId: string) {
  const url = new URL(`/moderation?item=${itemId}#item-${itemId}`, ctx.siteUrl).toString();
  for (const person of await coordinatorsOnDuty(db)) {
    const message = moderationMail('safetyFlagged', person, { url });
    await notify(
      db,
      person.id,
      { kind: 'moderation.safety', title: message.subject, body: message.text.split('\n\n')[1] ?? '', url },
      ctx.now,
    );
    await ctx.mail.send(db, message, ctx.now);
  }
}

/** Open flags of the member's, for "you flagged this" on a post. */
export async function hasFlagged(db: Database, userId: string, postId: string) {
  const [row] = await db
    .select({ id: flags.id })
    .from(flags)
    .where(and(eq(flags.postId, postId), eq(flags.flaggerId, userId)));
  return Boolean(row);
}
