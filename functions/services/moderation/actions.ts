import { and, eq, isNull, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '#db/client.ts';
import {
  flags,
  memberSanctions,
  memberTasks,
  moderationActions,
  moderationItems,
  posts,
  sessions,
  threads,
  users,
  type Role,
} from '#db/schema/index.ts';
import { can } from '../../auth/permissions.ts';
import { ApiError, notFound } from '../../errors.ts';
import { auditInsert } from '../audit.ts';
import { notificationInsert, type NewNotification } from '../notifications.ts';
import { coversCategory, type ModerationScope } from './scope.ts';
import { aliasName, aliasOf, postPath, threadPath } from './shared.ts';

/**
 * What moderators do with an item in the queue, with a thread, and with an anonymous author.
 * Every action is one batch: the change, the moderation log row (actor, reason, state before and
 * after), the flags' outcomes (which feed each flagger's accuracy) and the author's notification.
 * Notifications say what was decided and why, never who flagged.
 */

export const ITEM_ACTIONS = [
  'keep',
  'hide',
  'delete',
  'request-source',
  'mark-reviewed',
  'warn',
  'silence',
  'suspend',
  'lock-thread',
] as const;
export type ItemAction = (typeof ITEM_ACTIONS)[number];

export const SANCTIONS = ['warn', 'silence', 'suspend'] as const;
export type SanctionAction = (typeof SANCTIONS)[number];

/** What becomes of the flags: keeping a post, or vouching for it, means the flags were mistaken. */
const DISMISSES: readonly ItemAction[] = ['keep', 'mark-reviewed'];

export interface ItemActionInput {
  action: ItemAction;
  reason: string;
  /** mark-reviewed: a link to a reliable source, shown on the post. */
  citation?: string | undefined;
  /** silence/suspend (as the action or as `sanction`): how many days. */
  days?: number | undefined;
  /** A sanction on top of a post decision (hide, delete, request-source). */
  sanction?: SanctionAction | undefined;
  /** Lock the thread as well. */
  lockThread?: boolean | undefined;
}

export interface ActionContext {
  now: Date;
  ipHash?: string | null;
}

interface Actor {
  id: string;
  roles: Role[];
}

const DAY = 86_400_000;
const day = (d: Date) => new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(d);

type PostState = {
  status: string;
  statusReason: string | null;
  sourceRequested: boolean;
  reviewed: boolean;
  reviewCitation: string | null;
};

/**
 * The log row that also claims the item. It must run right after the statement that resolves the
 * item: when that changed nothing (another moderator got there first), `action` is NULL, the NOT
 * NULL constraint fails, and the whole batch rolls back.
 */
function claimedLogRow(
  db: Database,
  row: {
    itemId: string | null;
    postId: string | null;
    threadId: string | null;
    subjectId: string | null;
    actorId: string;
    action: string;
    reason: string;
    before: unknown;
    after: unknown;
    now: Date;
  },
) {
  return db.run(sql`insert into moderation_actions
      (id, item_id, post_id, thread_id, subject_id, actor_id, action, reason, before, after, created_at)
    values (${crypto.randomUUID()}, ${row.itemId}, ${row.postId}, ${row.threadId}, ${row.subjectId}, ${row.actorId},
      case when changes() = 1 then ${row.action} end, ${row.reason},
      ${JSON.stringify(row.before)}, ${JSON.stringify(row.after)}, ${row.now.getTime()})`);
}

const isLostClaim = (err: unknown) => {
  for (let e = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++)
    if (e instanceof Error && /NOT NULL constraint failed: moderation_actions\.action/.test(e.message)) return true;
  return false;
};

async function loadItem(db: Database, itemId: string) {
  const [row] = await db
    .select({
      item: moderationItems,
      post: posts,
      thread: { id: threads.id, title: threads.title, category: threads.category, lockedAt: threads.lockedAt },
    })
    .from(moderationItems)
    .innerJoin(posts, eq(posts.id, moderationItems.postId))
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(moderationItems.id, itemId));
  return row ?? null;
}

const stateOf = (p: typeof posts.$inferSelect): PostState => ({
  status: p.status,
  statusReason: p.statusReason,
  sourceRequested: p.sourceRequestedAt !== null,
  reviewed: p.reviewedAt !== null,
  reviewCitation: p.reviewCitation,
});

function sanctionOf(input: ItemActionInput): SanctionAction | null {
  if ((SANCTIONS as readonly string[]).includes(input.action)) return input.action as SanctionAction;
  return input.sanction ?? null;
}

/** Acts on an open queue item. 409 when it is already resolved. */
export async function actOnItem(
  db: Database,
  ctx: ActionContext,
  actor: Actor,
  scope: ModerationScope,
  itemId: string,
  input: ItemActionInput,
) {
  const { now } = ctx;
  const found = await loadItem(db, itemId);
  if (!found || !coversCategory(scope, found.thread.category)) throw notFound('That queue item');
  const { item, post, thread } = found;
  if (item.status !== 'open')
    throw new ApiError(409, 'already_resolved', 'Another moderator has already dealt with this item.');

  const sanction = sanctionOf(input);
  if (sanction && !can(actor, 'sanction:member:any'))
    throw new ApiError(403, 'forbidden', 'Only moderators and coordinators can warn, silence or suspend members.');
  if (sanction && input.action === 'keep')
    throw new ApiError(400, 'validation_failed', 'Keeping a post and sanctioning its author do not go together.', {
      details: { fields: { sanction: 'Choose another decision, or no sanction.' } },
    });
  if ((sanction === 'silence' || sanction === 'suspend') && !input.days)
    throw new ApiError(400, 'validation_failed', 'Please check the field: days.', {
      details: { fields: { days: 'Say for how many days.' } },
    });
  if (sanction && !post.authorId) throw new ApiError(409, 'no_author', 'The author of this post has left Hearth.');

  const before = { ...stateOf(post), threadLocked: thread.lockedAt !== null };
  const postUpdate: Partial<typeof posts.$inferInsert> = {};
  const writes: BatchItem<'sqlite'>[] = [];
  // Held for approval, or hidden pending review: the decision settles it.
  const pendingStatus = post.status === 'held' || post.status === 'hidden';
  const subject = post.authorId;
  const notes: NewNotification[] = [];
  const where = `“${thread.title}”`;
  const url = postPath(post.threadId, post.seq);
  const reason = input.reason.trim();

  switch (input.action) {
    case 'keep':
      if (pendingStatus) Object.assign(postUpdate, { status: 'visible', statusReason: null });
      if (post.status === 'held')
        notes.push({ kind: 'moderation.approved', title: `Your post in ${where} is now visible to everyone`, url });
      else if (post.status === 'hidden')
        notes.push({
          kind: 'moderation.kept',
          title: `Your post in ${where} is visible again`,
          body: 'A moderator looked at it and kept it as it is.',
          url,
        });
      break;
    case 'hide':
      Object.assign(postUpdate, {
        status: 'hidden',
        statusReason: `Hidden by a moderator until it is edited: ${reason}`,
      });
      notes.push({
        kind: 'moderation.hidden',
        title: `A moderator hid your post in ${where} until you edit it`,
        body: `${reason} Once you edit it, a moderator will look again.`,
        url,
      });
      break;
    case 'delete':
      Object.assign(postUpdate, { status: 'deleted', deletedAt: now, deletedBy: actor.id, statusReason: reason });
      notes.push({ kind: 'moderation.deleted', title: `A moderator removed your post in ${where}`, body: reason, url });
      break;
    case 'request-source':
      Object.assign(postUpdate, { sourceRequestedAt: now });
      if (pendingStatus) Object.assign(postUpdate, { status: 'visible', statusReason: null });
      if (subject)
        writes.push(
          db
            .insert(memberTasks)
            .values({ id: crypto.randomUUID(), userId: subject, postId: post.id, kind: 'add-source', createdAt: now }),
        );
      notes.push({
        kind: 'moderation.source-requested',
        title: `A moderator asked you to add a source to your post in ${where}`,
        body: `${reason} Edit the post to add it; the “source requested” label goes once you do.`,
        url,
      });
      break;
    case 'mark-reviewed':
      Object.assign(postUpdate, { reviewedAt: now, reviewedBy: actor.id, reviewCitation: input.citation ?? null });
      if (pendingStatus) Object.assign(postUpdate, { status: 'visible', statusReason: null });
      notes.push({
        kind: 'moderation.reviewed',
        title: `A facilitator reviewed your post in ${where}`,
        body: 'It now shows “Reviewed by a facilitator”. Thank you for a helpful post.',
        url,
      });
      break;
    default:
      break;
  }

  const lock = input.action === 'lock-thread' || input.lockThread === true;
  if (lock && !thread.lockedAt) writes.push(db.update(threads).set({ lockedAt: now }).where(eq(threads.id, thread.id)));

  let sanctionAfter: Record<string, unknown> | null = null;
  if (sanction && subject) {
    const kind = sanction === 'warn' ? 'warning' : sanction === 'silence' ? 'silence' : 'suspension';
    const endsAt = sanction === 'warn' ? null : new Date(now.getTime() + (input.days ?? 0) * DAY);
    sanctionAfter = { kind, endsAt: endsAt?.toISOString() ?? null };
    writes.push(
      db.insert(memberSanctions).values({
        id: crypto.randomUUID(),
        userId: subject,
        kind,
        reason,
        startsAt: now,
        endsAt,
        actorId: actor.id,
      }),
    );
    if (kind === 'suspension') writes.push(db.delete(sessions).where(eq(sessions.userId, subject)));
    writes.push(
      auditInsert(
        db,
        {
          type: 'member.sanctioned',
          actorUserId: actor.id,
          subjectUserId: subject,
          ipHash: ctx.ipHash ?? null,
          detail: { kind, days: input.days ?? null, itemId },
        },
        now,
      ),
    );
    notes.push(sanctionNotice(kind, reason, endsAt, url));
  }

  if (Object.keys(postUpdate).length) {
    writes.push(db.update(posts).set(postUpdate).where(eq(posts.id, post.id)));
    if (post.seq === 1 && postUpdate.status)
      writes.push(db.update(threads).set({ status: postUpdate.status }).where(eq(threads.id, post.threadId)));
    writes.push(
      db.run(sql`update threads set reply_count = (
          select count(*) from posts where thread_id = ${post.threadId} and seq > 1 and status = 'visible')
        where id = ${post.threadId}`),
    );
  }
  const outcome = DISMISSES.includes(input.action) ? 'dismissed' : 'upheld';
  writes.push(
    db
      .update(flags)
      .set({ resolvedAt: now, outcome })
      .where(and(eq(flags.postId, post.id), isNull(flags.resolvedAt))),
    db.update(posts).set({ flagWeight: 0 }).where(eq(posts.id, post.id)),
  );
  if (subject) for (const n of notes) writes.push(notificationInsert(db, subject, n, now));

  const after = {
    ...before,
    ...(postUpdate.status !== undefined ? { status: postUpdate.status, statusReason: postUpdate.statusReason } : {}),
    ...(postUpdate.sourceRequestedAt ? { sourceRequested: true } : {}),
    ...(postUpdate.reviewedAt ? { reviewed: true, reviewCitation: postUpdate.reviewCitation } : {}),
    ...(lock ? { threadLocked: true } : {}),
    ...(sanctionAfter ? { sanction: sanctionAfter } : {}),
    flagsOutcome: outcome,
  };
  try {
    await db.batch([
      db
        .update(moderationItems)
        .set({ status: 'resolved', resolvedAt: now, resolvedBy: actor.id })
        .where(and(eq(moderationItems.id, itemId), eq(moderationItems.status, 'open'))),
      claimedLogRow(db, {
        itemId,
        postId: post.id,
        threadId: post.threadId,
        subjectId: subject,
        actorId: actor.id,
        action: input.action,
        reason,
        before,
        after,
        now,
      }),
      ...writes,
    ]);
  } catch (err) {
    if (isLostClaim(err))
      throw new ApiError(409, 'already_resolved', 'Another moderator has already dealt with this item.');
    throw err;
  }
  return { item: { id: itemId, status: 'resolved' as const }, action: input.action, post: { id: post.id, ...after } };
}

function sanctionNotice(
  kind: 'warning' | 'silence' | 'suspension',
  reason: string,
  endsAt: Date | null,
  url: string,
): NewNotification {
  if (kind === 'warning')
    return {
      kind: 'moderation.warning',
      title: 'A moderator sent you a warning',
      body: `${reason} A warning is a chance to reset. If you think it is wrong, you can ask a coordinator to review it.`,
      url,
    };
  const ends = endsAt ? day(endsAt) : '';
  if (kind === 'silence')
    return {
      kind: 'moderation.silenced',
      title: `You cannot post until ${ends}`,
      body: `${reason} You can still read. If you think this is wrong, you can ask a coordinator to review it.`,
      url,
    };
  return {
    kind: 'moderation.suspended',
    title: `Your account is suspended until ${ends}`,
    body: `${reason} You can sign in and read, but not post. If you think this is wrong, you can ask a coordinator to review it.`,
    url,
  };
}

export const THREAD_ACTIONS = ['pin', 'unpin', 'lock', 'unlock', 'close', 'reopen', 'move', 'slow-mode'] as const;
export type ThreadAction = (typeof THREAD_ACTIONS)[number];

export interface ThreadActionInput {
  action: ThreadAction;
  reason: string;
  /** move: the destination category's slug. */
  category?: string | undefined;
  /** slow-mode: seconds between a member's posts; 0 turns it off. */
  seconds?: number | undefined;
}

/** Pin, lock, close, move or slow a thread down, with a log row saying who, why, before and after. */
export async function actOnThread(
  db: Database,
  ctx: ActionContext & { isCategory?: (slug: string) => boolean },
  actor: Actor,
  scope: ModerationScope,
  threadId: string,
  input: ThreadActionInput,
) {
  const { now } = ctx;
  const [thread] = await db.select().from(threads).where(eq(threads.id, threadId));
  if (!thread || !coversCategory(scope, thread.category)) throw notFound('That thread');
  const before = {
    pinned: thread.pinnedAt !== null,
    locked: thread.lockedAt !== null,
    closed: thread.closedAt !== null,
    category: thread.category,
    slowModeSeconds: thread.slowModeSeconds,
  };
  const set: Partial<typeof threads.$inferInsert> = {};
  switch (input.action) {
    case 'pin':
      set.pinnedAt = now;
      break;
    case 'unpin':
      set.pinnedAt = null;
      break;
    case 'lock':
      set.lockedAt = now;
      break;
    case 'unlock':
      set.lockedAt = null;
      break;
    case 'close':
      set.closedAt = now;
      break;
    case 'reopen':
      set.closedAt = null;
      break;
    case 'move': {
      const to = input.category;
      if (!to || !(ctx.isCategory ?? (() => true))(to))
        throw new ApiError(400, 'validation_failed', 'Please check the field: category.', {
          details: { fields: { category: 'Choose a category that exists.' } },
        });
      if (!coversCategory(scope, to))
        throw new ApiError(403, 'forbidden', 'You can move threads only between categories you moderate.');
      set.category = to;
      break;
    }
    case 'slow-mode':
      if (input.seconds === undefined)
        throw new ApiError(400, 'validation_failed', 'Please check the field: seconds.', {
          details: { fields: { seconds: 'Say how many seconds, or 0 to turn slow mode off.' } },
        });
      set.slowModeSeconds = input.seconds;
      break;
  }
  const after = {
    pinned: 'pinnedAt' in set ? set.pinnedAt !== null : before.pinned,
    locked: 'lockedAt' in set ? set.lockedAt !== null : before.locked,
    closed: 'closedAt' in set ? set.closedAt !== null : before.closed,
    category: set.category ?? before.category,
    slowModeSeconds: set.slowModeSeconds ?? before.slowModeSeconds,
  };
  await db.batch([
    db.update(threads).set(set).where(eq(threads.id, threadId)),
    db.insert(moderationActions).values({
      id: crypto.randomUUID(),
      threadId,
      subjectId: null,
      actorId: actor.id,
      action: `thread.${input.action}`,
      reason: input.reason.trim(),
      before,
      after,
      createdAt: now,
    }),
  ]);
  return { thread: { id: threadId, ...after }, url: threadPath(threadId) };
}

/**
 * Tells a moderator who wrote an anonymous post, for a reason. Recorded twice: in the moderation
 * log (which moderator, when, why) and in the security audit log that admins read.
 */
export async function revealAuthor(db: Database, ctx: ActionContext, actor: Actor, postId: string, reason: string) {
  const { now } = ctx;
  const [post] = await db
    .select({ id: posts.id, threadId: posts.threadId, authorId: posts.authorId, anonymous: posts.anonymous })
    .from(posts)
    .where(eq(posts.id, postId));
  if (!post) throw notFound('That post');
  if (!post.anonymous) throw new ApiError(409, 'not_anonymous', 'This post is not anonymous.');
  if (!post.authorId) throw new ApiError(409, 'no_author', 'The author of this post has left Hearth.');
  const [author] = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(eq(users.id, post.authorId));
  if (!author) throw new ApiError(409, 'no_author', 'The author of this post has left Hearth.');
  const alias = aliasName(await aliasOf(db, post.threadId, post.authorId));
  await db.batch([
    db.insert(moderationActions).values({
      id: crypto.randomUUID(),
      postId,
      threadId: post.threadId,
      subjectId: author.id,
      actorId: actor.id,
      action: 'reveal',
      reason: reason.trim(),
      before: null,
      after: null,
      createdAt: now,
    }),
    auditInsert(
      db,
      {
        type: 'anonymous.revealed',
        actorUserId: actor.id,
        subjectUserId: author.id,
        ipHash: ctx.ipHash ?? null,
        detail: { postId, reason: reason.trim() },
      },
      now,
    ),
  ]);
  return { post: { id: postId, alias }, author: { id: author.id, displayName: author.displayName } };
}
