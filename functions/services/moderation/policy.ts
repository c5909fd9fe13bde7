import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '#db/client.ts';
import { memberTasks, moderationActions, moderationItems, posts, threads, type Role } from '#db/schema/index.ts';
import { ApiError, notFound } from '../../errors.ts';
import { MARKDOWN_MAX_LENGTH, renderMarkdown } from '../../lib/markdown.ts';
import { requireNotSanctioned } from './sanctions.ts';
import { isModerationStaff, postingLimitsFor, type TrustLevel } from './trust.ts';
import { loadWatchedWords, matchWatchedWords } from './watched-words.ts';

/**
 * What happens to a post a member is about to write: refused (an ApiError), published, or held
 * for approval, and whether it must also go to the review queue. The discussions core calls
 * `postingPolicy` before it writes a thread, a reply or an edit, writes the post with the status
 * it returns, and with it, in the same batch, `postingDecisionStatements` (and after an edit
 * `editedPostStatements`; functions/services/discussions/policy.ts). On an edit, write `held` only
 * when the decision says so and otherwise leave the post's status alone: a post a moderator hid
 * must not become visible by being edited (it goes back to the queue instead).
 *
 * Rate limits are exact counts in the database: they come from the posts table itself (by author
 * and creation time, on posts_author_idx), so they hold across isolates with no counter to keep.
 */

const DAY = 86_400_000;

export type PostingKind = 'thread' | 'reply' | 'edit';
export type HoldReason = 'first-posts' | 'watched-word';

export interface PostingInput {
  user: { id: string; roles: Role[] };
  category: { slug: string; holdFirstPosts?: boolean | undefined };
  /** The thread replied to or edited in (not for a new thread). */
  threadId?: string | undefined;
  /** That thread's state when the caller has already read it (saves reading it again). */
  thread?: { lockedAt: Date | null; closedAt: Date | null; slowModeSeconds: number } | undefined;
  kind: PostingKind;
  body: string;
  title?: string | undefined;
  now: Date;
}

export interface PostingDecision {
  status: 'visible' | 'held';
  reasons: HoldReason[];
  /** For the post's `status_reason` when held: shown to its author and moderators. */
  statusReason: string | null;
  /** Watched words that ask for a review: pass the decision to recordPostingDecision. */
  flagAs: { watchedWords: string[] } | null;
  /** The author's trust level (null for staff). */
  trustLevel: TrustLevel | null;
}

const HOLD_MESSAGES: Record<HoldReason, string> = {
  'first-posts':
    'A moderator reads the first posts of new members in this category before others see them. It usually takes less than a day.',
  'watched-word': 'A moderator will read this post before others see it. It usually takes less than a day.',
};

const refused = (field: string, code: string, message: string) =>
  new ApiError(422, code, message, { details: { fields: { [field]: message } } });

const tooSoon = (code: string, seconds: number, reason: string) =>
  new ApiError(429, code, `${reason} Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`, {
    headers: { 'Retry-After': String(seconds) },
    details: { retryAfterSeconds: seconds, reason },
  });

const secondsUntil = (at: number, now: Date) => Math.max(1, Math.ceil((at - now.getTime()) / 1000));

/** Links as the rendered post will show them (Markdown links and autolinks). */
export function countLinks(body: string): number {
  if (body.length > MARKDOWN_MAX_LENGTH) return 0;
  return (renderMarkdown(body).match(/<a\s/g) ?? []).length;
}

/** Markdown images (`![alt](…)`, `![alt][ref]`) and HTML `<img>`; bounded so no input is slow. */
export function hasImages(body: string): boolean {
  return /!\[[^\]\n]{0,300}\]\s{0,3}[([]/.test(body) || /<img\b/i.test(body);
}

async function threadState(db: Database, threadId: string) {
  const [row] = await db
    .select({
      status: threads.status,
      lockedAt: threads.lockedAt,
      closedAt: threads.closedAt,
      slowModeSeconds: threads.slowModeSeconds,
    })
    .from(threads)
    .where(eq(threads.id, threadId));
  if (!row) throw notFound('That thread');
  return row;
}

/** 429 when the member posted too recently or too often in the last 24 hours. */
async function requireWithinRates(
  db: Database,
  userId: string,
  kind: 'thread' | 'reply',
  limits: Awaited<ReturnType<typeof postingLimitsFor>>['limits'],
  now: Date,
) {
  const since = now.getTime() - DAY;
  const [row] = await db
    .select({
      threads: sql<number>`count(*) filter (where ${posts.seq} = 1)`,
      replies: sql<number>`count(*) filter (where ${posts.seq} > 1)`,
      lastPost: sql<number | null>`max(${posts.createdAt})`,
      lastThread: sql<number | null>`max(case when ${posts.seq} = 1 then ${posts.createdAt} end)`,
    })
    .from(posts)
    .where(and(eq(posts.authorId, userId), gt(posts.createdAt, new Date(since))));
  const lastPost = row?.lastPost == null ? null : Number(row.lastPost);
  const lastThread = row?.lastThread == null ? null : Number(row.lastThread);
  if (kind === 'thread' && lastThread !== null && limits.secondsBetweenThreads > 0) {
    const at = lastThread + limits.secondsBetweenThreads * 1000;
    if (at > now.getTime())
      throw tooSoon(
        'posting_too_fast',
        secondsUntil(at, now),
        `You can start a new thread every ${limits.secondsBetweenThreads} seconds.`,
      );
  }
  if (lastPost !== null && limits.secondsBetweenPosts > 0) {
    const at = lastPost + limits.secondsBetweenPosts * 1000;
    if (at > now.getTime())
      throw tooSoon(
        'posting_too_fast',
        secondsUntil(at, now),
        `Please leave ${limits.secondsBetweenPosts} seconds between posts.`,
      );
  }
  const cap = kind === 'thread' ? limits.threadsPerDay : limits.repliesPerDay;
  const count = Number(kind === 'thread' ? row?.threads : row?.replies) || 0;
  if (cap !== null && count >= cap) {
    // The window reopens when the oldest post that fills it is 24 hours old.
    const [oldest] = await db
      .select({ createdAt: posts.createdAt })
      .from(posts)
      .where(
        and(
          eq(posts.authorId, userId),
          gt(posts.createdAt, new Date(since)),
          kind === 'thread' ? eq(posts.seq, 1) : gt(posts.seq, 1),
        ),
      )
      .orderBy(desc(posts.createdAt))
      .limit(1)
      .offset(cap - 1);
    const at = (oldest?.createdAt.getTime() ?? now.getTime()) + DAY;
    throw tooSoon(
      'daily_limit',
      secondsUntil(at, now),
      kind === 'thread'
        ? `At your trust level you can start ${cap} threads a day. This limit lifts as you take part.`
        : `At your trust level you can post ${cap} replies a day. This limit lifts as you take part.`,
    );
  }
}

async function requireOutsideSlowMode(db: Database, userId: string, threadId: string, seconds: number, now: Date) {
  const [last] = await db
    .select({ createdAt: posts.createdAt })
    .from(posts)
    .where(and(eq(posts.authorId, userId), eq(posts.threadId, threadId)))
    .orderBy(desc(posts.createdAt))
    .limit(1);
  if (!last) return;
  const at = last.createdAt.getTime() + seconds * 1000;
  if (at > now.getTime())
    throw tooSoon(
      'slow_mode',
      secondsUntil(at, now),
      `This thread is in slow mode: everyone can post once every ${seconds} seconds, to give replies time.`,
    );
}

async function visiblePostsOf(db: Database, userId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(posts)
    .where(and(eq(posts.authorId, userId), eq(posts.status, 'visible')));
  return Number(row?.n ?? 0);
}

/** A new member's first posts are held in holding categories until this many have been approved. */
export const FIRST_POSTS_HELD = 3;

export async function postingPolicy(db: Database, input: PostingInput): Promise<PostingDecision> {
  const { user, now, kind } = input;
  await requireNotSanctioned(db, user.id, now);
  const staff = isModerationStaff(user.roles);
  if (kind !== 'thread') {
    if (!input.threadId) throw new ApiError(400, 'validation_failed', 'A reply or an edit needs its thread.');
    const thread = input.thread ?? (await threadState(db, input.threadId));
    if (kind === 'reply' && !staff) {
      if (thread.lockedAt)
        throw new ApiError(409, 'thread_locked', 'This thread is locked: moderators have paused replies.');
      if (thread.closedAt) throw new ApiError(409, 'thread_closed', 'This thread is closed to new replies.');
    }
    if (kind === 'reply' && !staff && thread.slowModeSeconds > 0)
      await requireOutsideSlowMode(db, user.id, input.threadId, thread.slowModeSeconds, now);
  }
  const { level, limits } = await postingLimitsFor(db, user, now);
  if (kind !== 'edit') await requireWithinRates(db, user.id, kind, limits, now);

  if (limits.maxLinks !== null) {
    const links = countLinks(input.body);
    if (links > limits.maxLinks)
      throw refused(
        'body',
        'too_many_links',
        `New members can include up to ${limits.maxLinks} links in a post, and this one has ${links}. The limit lifts as you take part.`,
      );
  }
  if (!limits.images && hasImages(input.body))
    throw refused('body', 'images_not_allowed', 'New members cannot add images yet. The limit lifts as you take part.');

  const words = matchWatchedWords(await loadWatchedWords(db), { title: input.title, body: input.body });
  const blockedField = words.blocked[0];
  if (blockedField)
    throw refused(
      blockedField,
      'watched_word',
      `This ${blockedField === 'title' ? 'title' : 'post'} contains a word or phrase our community guidelines do not allow here. Please reword it.`,
    );

  const reasons: HoldReason[] = [];
  if (!staff && words.held) reasons.push('watched-word');
  if (
    kind !== 'edit' &&
    input.category.holdFirstPosts &&
    limits.heldInHoldingCategories &&
    (await visiblePostsOf(db, user.id)) < FIRST_POSTS_HELD
  )
    reasons.push('first-posts');
  return {
    status: reasons.length ? 'held' : 'visible',
    reasons,
    statusReason: reasons.length ? HOLD_MESSAGES[reasons[0]!] : null,
    flagAs: !staff && words.flagged.length ? { watchedWords: words.flagged } : null,
    trustLevel: level,
  };
}

/** The post a decision is written for: the post itself, its thread and author. */
export interface DecidedPost {
  id: string;
  threadId: string;
  authorId: string | null;
}

/** The review-queue item open for a post, if any (read before the statements are built). */
export async function openItemOf(db: Database, postId: string): Promise<string | null> {
  const [item] = await db
    .select({ id: moderationItems.id })
    .from(moderationItems)
    .where(and(eq(moderationItems.postId, postId), eq(moderationItems.status, 'open')));
  return item?.id ?? null;
}

/**
 * A post into the review queue: a new item unless one is open for it, and the system's entry in
 * the moderation log saying why.
 */
function queueStatements(
  db: Database,
  input: {
    post: DecidedPost;
    openItemId: string | null;
    kind: 'held' | 'watched-word';
    entry: Pick<typeof moderationActions.$inferInsert, 'action' | 'reason' | 'before' | 'after'>;
    now: Date;
  },
): BatchItem<'sqlite'>[] {
  const { post, openItemId, kind, entry, now } = input;
  const itemId = openItemId ?? crypto.randomUUID();
  return [
    ...(openItemId
      ? []
      : [
          db
            .insert(moderationItems)
            .values({ id: itemId, postId: post.id, kind, createdAt: now })
            .onConflictDoNothing(),
        ]),
    db.insert(moderationActions).values({
      id: crypto.randomUUID(),
      itemId,
      postId: post.id,
      threadId: post.threadId,
      subjectId: post.authorId,
      actorId: null,
      ...entry,
      createdAt: now,
    }),
  ];
}

/**
 * What a posting decision writes, as statements to run in the same batch as the post itself
 * (after it): a held post, or one that matched a flagging watched word, gets an item in the
 * review queue (or joins the one open for it), with a system entry in the moderation log saying
 * why. Nothing for a plainly visible post.
 */
export function postingDecisionStatements(
  db: Database,
  input: { post: DecidedPost; decision: PostingDecision; openItemId: string | null; now: Date },
): BatchItem<'sqlite'>[] {
  const { post, decision, openItemId, now } = input;
  if (decision.status !== 'held' && !decision.flagAs) return [];
  const kind = decision.status === 'held' ? 'held' : 'watched-word';
  return queueStatements(db, {
    post,
    openItemId,
    kind,
    entry: {
      action: kind === 'held' ? 'held' : 'watched-word',
      reason: decision.reasons.length ? decision.reasons.join(', ') : 'watched-word',
      before: null,
      after: { status: decision.status, reasons: decision.reasons, watchedWords: decision.flagAs?.watchedWords ?? [] },
    },
    now,
  });
}

/** postingDecisionStatements for a post already written, run on their own. */
export async function recordPostingDecision(
  db: Database,
  input: { postId: string; decision: PostingDecision; now: Date },
) {
  const [post] = await db
    .select({ id: posts.id, authorId: posts.authorId, threadId: posts.threadId })
    .from(posts)
    .where(eq(posts.id, input.postId));
  if (!post) throw notFound('That post');
  const statements = postingDecisionStatements(db, {
    post,
    decision: input.decision,
    openItemId: await openItemOf(db, post.id),
    now: input.now,
  });
  if (statements.length) await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
}

/** Shown on a hidden post its author edits, while it waits for a moderator again. */
export const EDITED_AFTER_HIDE = 'Edited after a moderator hid it: waiting for a moderator to look again.';

/**
 * What an author's edit writes besides the post, in the same batch: an open "add a source" task is
 * done and the label goes; with `backToQueue` (a post a moderator hid until edited), the post goes
 * back to the queue, held, for a moderator to look at again.
 */
export function editedPostStatements(
  db: Database,
  input: { post: DecidedPost; backToQueue: boolean; now: Date },
): BatchItem<'sqlite'>[] {
  const { post, backToQueue, now } = input;
  const statements: BatchItem<'sqlite'>[] = [
    db
      .update(memberTasks)
      .set({ doneAt: now })
      .where(
        and(eq(memberTasks.postId, post.id), eq(memberTasks.userId, post.authorId ?? ''), isNull(memberTasks.doneAt)),
      ),
    db.update(posts).set({ sourceRequestedAt: null }).where(eq(posts.id, post.id)),
  ];
  if (!backToQueue) return statements;
  statements.push(
    db.update(posts).set({ status: 'held', statusReason: EDITED_AFTER_HIDE }).where(eq(posts.id, post.id)),
    ...queueStatements(db, {
      post,
      openItemId: null,
      kind: 'held',
      entry: {
        action: 'edited-after-hide',
        reason: 'The author edited a hidden post.',
        before: { status: 'hidden' },
        after: { status: 'held' },
      },
      now,
    }),
  );
  return statements;
}

/**
 * Whether an edit sends a post back to the queue: it was hidden, and no queue item is open for it
 * (hidden with none open means a moderator decided, not flags waiting for review).
 */
export const sendsBackToQueue = (status: string, openItemId: string | null) => status === 'hidden' && !openItemId;

/** editedPostStatements for an edit already written, run on their own. Returns the post's status now. */
export async function onPostEdited(db: Database, input: { postId: string; authorId: string; now: Date }) {
  const { postId, authorId, now } = input;
  const [post] = await db
    .select({ id: posts.id, status: posts.status, threadId: posts.threadId, authorId: posts.authorId })
    .from(posts)
    .where(and(eq(posts.id, postId), eq(posts.authorId, authorId)));
  if (!post) throw notFound('That post');
  const backToQueue = sendsBackToQueue(post.status, await openItemOf(db, postId));
  const statements = editedPostStatements(db, { post, backToQueue, now });
  await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  return { status: backToQueue ? 'held' : post.status };
}
