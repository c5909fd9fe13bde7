import { and, eq, max, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '#db/client.ts';
import {
  postRevisions,
  posts,
  subscriptions,
  threadAliases,
  threadReads,
  threads,
  type PostStatus,
} from '#db/schema/index.ts';
import type { Category } from '#src/lib/content/schema.ts';
import type { DiscussionCatalog } from '../../discussions/catalog.ts';
import { ApiError, notFound, tooManyRequests } from '../../errors.ts';
import { renderMarkdown } from '../../lib/markdown.ts';
import { validationError } from '../../lib/validation.ts';
import { groupsOf, moderates, postRefusal, viewerOf, type Actor, type Viewer } from './access.ts';
import { mentionedHandles, resolveMentions } from './mentions.ts';
import { fanOutStatements } from './notify.ts';
import { moderatedPolicy } from './policy.ts';
import { anonymousName, checkText, cleanText, readableCategory, threadClosed, threadLocked } from './shared.ts';

/** A new thread, a reply, or an edit: every post is written by `writePost`. */
export type PostDraft =
  | { kind: 'thread'; categorySlug: string; title: string; body: string; anonymous?: boolean | undefined }
  | {
      kind: 'reply';
      threadId: string;
      body: string;
      replyToPostId?: string | undefined;
      anonymous?: boolean | undefined;
    }
  | { kind: 'edit'; postId: string; body: string; title?: string | undefined; reason?: string | undefined };

// ================================================================================================
// THE POSTING POLICY HOOK
//
// Every new thread, reply and edit passes through `PostingPolicy` after the basic checks below
// (who may post where, title and body limits, locked and closed threads, slow mode) and before
// anything is written. Moderation plugs in here: `postingPolicy(db, …)` from
// functions/services/moderation/policy.ts (trust levels, day-one limits and posting rate limits
// answering 429 with Retry-After, watched words, silences and suspensions, links and images for new
// members, holding new members' first posts where `category.holdFirstPosts` says so).
//
// A policy throws an ApiError to refuse the post, or answers the status to store it with:
// 'visible', or 'held' (waiting for approval: no one but the author and moderators sees it, it
// counts nowhere and notifies no one until `releaseHeldPost` publishes it).
// ================================================================================================

export interface PolicyInput {
  kind: PostDraft['kind'];
  actor: Actor;
  category: Category;
  /** The thread replied to or edited in (absent for a new thread), as the core read it. */
  thread?:
    | {
        id: string;
        authorId: string | null;
        lockedAt: Date | null;
        closedAt: Date | null;
        slowModeSeconds: number;
      }
    | undefined;
  /** The post being edited, with its current status. */
  post?: { id: string; status: PostStatus; seq: number } | undefined;
  title?: string | undefined;
  body: string;
  anonymous: boolean;
  now: Date;
}
export interface PolicyDecision {
  /** New posts: 'visible' or 'held'. Edits may also keep a post 'hidden' (or release it). */
  status: 'visible' | 'held' | 'hidden';
  /** Shown to the author of a held post. */
  reason?: string | undefined;
  /**
   * More to write with the post, in its batch and after it, so that both are written or neither
   * (e.g. a held post's review-queue item).
   */
  statements?: ((post: { id: string; threadId: string; authorId: string }) => BatchItem<'sqlite'>[]) | undefined;
}
export type PostingPolicy = (db: Database, input: PolicyInput) => Promise<PolicyDecision>;

/** No moderation at all (tests of the core alone): new posts are visible, edits keep the post's status. */
export const basicPolicy: PostingPolicy = async (_db, input) => {
  const current = input.post?.status;
  return { status: current === 'held' || current === 'hidden' ? current : 'visible' };
};

/** What the posting policy is told of a thread (PolicyInput['thread']). */
const policyThread = (t: NonNullable<PolicyInput['thread']>): NonNullable<PolicyInput['thread']> => ({
  id: t.id,
  authorId: t.authorId,
  lockedAt: t.lockedAt,
  closedAt: t.closedAt,
  slowModeSeconds: t.slowModeSeconds,
});

export interface WriteContext {
  catalog: DiscussionCatalog;
  now: Date;
  /** Defaults to `moderatedPolicy` (./policy.ts); see THE POSTING POLICY HOOK above. */
  policy?: PostingPolicy | undefined;
}

export interface WriteResult {
  thread: { id: string; category: string; title: string };
  post: { id: string; seq: number; status: PostStatus };
}

/**
 * Writes a post: a new thread with its opening post, a reply, or an edit. The one place posts are
 * written, so limits, permissions, anonymity, the posting policy, rendering, mentions,
 * subscriptions and notifications apply to all three alike. Everything is written in one batch:
 * a failure leaves nothing half-written.
 */
export async function writePost(db: Database, ctx: WriteContext, actor: Actor, draft: PostDraft): Promise<WriteResult> {
  const body = cleanText(draft.body);
  const rawTitle = draft.kind === 'edit' ? draft.title : draft.kind === 'thread' ? draft.title : undefined;
  const title = rawTitle === undefined ? undefined : cleanText(rawTitle).replace(/\s+/g, ' ').trim();
  checkText({ title, body });
  const now = ctx.now;
  const viewer = viewerOf(actor, await groupsOf(db, actor.id));

  switch (draft.kind) {
    case 'thread':
      return createThread(db, ctx, viewer, actor, { ...draft, title: title!, body }, now);
    case 'reply':
      return createReply(db, ctx, viewer, actor, { ...draft, body }, now);
    case 'edit':
      return editPost(db, ctx, viewer, actor, { ...draft, title, body }, now);
  }
}

async function createThread(
  db: Database,
  ctx: WriteContext,
  viewer: Viewer,
  actor: Actor,
  draft: Extract<PostDraft, { kind: 'thread' }>,
  now: Date,
): Promise<WriteResult> {
  const category = readableCategory(ctx.catalog, viewer, draft.categorySlug);
  const refusal = postRefusal(viewer, category);
  if (refusal) throw refusal;
  const anonymous = draft.anonymous === true;
  if (anonymous && !category.anonymous) throw anonymousNotAllowed();

  const decision = await (ctx.policy ?? moderatedPolicy)(db, {
    kind: 'thread',
    actor,
    category,
    title: draft.title,
    body: draft.body,
    anonymous,
    now,
  });
  const status: PostStatus = decision.status === 'held' ? 'held' : 'visible';
  const threadId = crypto.randomUUID();
  const postId = crypto.randomUUID();
  const mentioned = status === 'visible' ? await mentionsIn(db, draft.body) : [];
  const notifications =
    status === 'visible'
      ? await fanOutStatements(db, {
          kind: 'thread',
          category,
          thread: { id: threadId, title: draft.title, postFirst: category.postFirst },
          post: { id: postId, body: draft.body },
          authorId: actor.id,
          authorName: anonymous ? anonymousName(1) : await displayNameOf(db, actor),
          replyToAuthorId: null,
          mentionedIds: mentioned,
          now,
        })
      : [];

  await db.batch([
    db.insert(threads).values({
      id: threadId,
      category: category.slug,
      title: draft.title,
      authorId: actor.id,
      anonymous,
      status,
      createdAt: now,
      lastPostAt: now,
      lastSeq: 1,
      replyCount: 0,
      postFirst: category.postFirst,
    }),
    db.insert(posts).values({
      id: postId,
      threadId,
      seq: 1,
      authorId: actor.id,
      anonymous,
      body: draft.body,
      bodyHtml: renderMarkdown(draft.body),
      status,
      statusReason: decision.reason ?? null,
      createdAt: now,
    }),
    ...(anonymous ? [db.insert(threadAliases).values({ threadId, userId: actor.id, number: 1 })] : []),
    // Authors watch their threads.
    db
      .insert(subscriptions)
      .values({ userId: actor.id, targetType: 'thread', target: threadId, level: 'watch', updatedAt: now })
      .onConflictDoNothing(),
    db.insert(threadReads).values({ userId: actor.id, threadId, lastSeq: 1, readAt: now }),
    ...notifications,
    ...(decision.statements?.({ id: postId, threadId, authorId: actor.id }) ?? []),
  ]);
  return {
    thread: { id: threadId, category: category.slug, title: draft.title },
    post: { id: postId, seq: 1, status },
  };
}

async function createReply(
  db: Database,
  ctx: WriteContext,
  viewer: Viewer,
  actor: Actor,
  draft: Extract<PostDraft, { kind: 'reply' }>,
  now: Date,
): Promise<WriteResult> {
  const [[thread], [alias], [named], [lastOwn], replyTo] = await db.batch([
    db.select().from(threads).where(eq(threads.id, draft.threadId)),
    db
      .select({ number: threadAliases.number })
      .from(threadAliases)
      .where(and(eq(threadAliases.threadId, draft.threadId), eq(threadAliases.userId, actor.id))),
    db
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.threadId, draft.threadId), eq(posts.authorId, actor.id), eq(posts.anonymous, false)))
      .limit(1),
    db
      .select({ at: max(posts.createdAt) })
      .from(posts)
      .where(and(eq(posts.threadId, draft.threadId), eq(posts.authorId, actor.id))),
    db
      .select({ threadId: posts.threadId, authorId: posts.authorId, status: posts.status })
      .from(posts)
      .where(eq(posts.id, draft.replyToPostId ?? '')),
  ]);
  if (!thread || thread.status !== 'visible') throw notFound('That thread');
  const category = readableCategory(ctx.catalog, viewer, thread.category);
  const refusal = postRefusal(viewer, category);
  if (refusal) throw refusal;
  const moderator = moderates(viewer, category);
  if (thread.lockedAt && !moderator) throw threadLocked();
  if (thread.closedAt && !moderator) throw threadClosed();
  if (thread.slowModeSeconds > 0 && !moderator && lastOwn?.at) {
    const wait = Math.ceil((lastOwn.at.getTime() + thread.slowModeSeconds * 1000 - now.getTime()) / 1000);
    if (wait > 0) throw tooManyRequests(wait);
  }
  const target = replyTo[0];
  if (draft.replyToPostId && (!target || target.threadId !== thread.id || target.status === 'deleted'))
    throw validationError({ replyToPostId: 'That post is not in this thread.' });

  // One identity per member per thread: once anonymous here, always anonymous here, and the other way round.
  let anonymous: boolean;
  if (draft.anonymous === undefined) anonymous = Boolean(alias);
  else anonymous = draft.anonymous;
  if (anonymous && !category.anonymous) throw anonymousNotAllowed();
  if (anonymous && named)
    throw new ApiError(
      409,
      'identity_fixed',
      'You have posted under your name in this thread, so your replies here stay under your name.',
    );
  if (!anonymous && alias)
    throw new ApiError(
      409,
      'identity_fixed',
      'You have posted anonymously in this thread, so your replies here stay anonymous.',
    );

  const decision = await (ctx.policy ?? moderatedPolicy)(db, {
    kind: 'reply',
    actor,
    category,
    thread: policyThread(thread),
    body: draft.body,
    anonymous,
    now,
  });
  const status: PostStatus = decision.status === 'held' ? 'held' : 'visible';
  const visible = status === 'visible';
  const postId = crypto.randomUUID();
  const notifications = visible
    ? await fanOutStatements(db, {
        kind: 'reply',
        category,
        thread: { id: thread.id, title: thread.title, postFirst: thread.postFirst },
        post: { id: postId, body: draft.body },
        authorId: actor.id,
        authorName: anonymous
          ? anonymousName(alias?.number ?? (await nextAlias(db, thread.id)))
          : await displayNameOf(db, actor),
        replyToAuthorId: target?.status === 'visible' ? target.authorId : null,
        mentionedIds: await mentionsIn(db, draft.body),
        now,
      })
    : [];

  const currentSeq = sql`(select ${threads.lastSeq} from ${threads} where ${threads.id} = ${thread.id})`;
  const results = await db.batch([
    // The seq is taken inside the batch's transaction, so concurrent replies get distinct numbers.
    db
      .update(threads)
      .set(
        visible
          ? { lastSeq: sql`${threads.lastSeq} + 1`, replyCount: sql`${threads.replyCount} + 1`, lastPostAt: now }
          : { lastSeq: sql`${threads.lastSeq} + 1` },
      )
      .where(eq(threads.id, thread.id)),
    db.insert(posts).values({
      id: postId,
      threadId: thread.id,
      seq: currentSeq,
      authorId: actor.id,
      anonymous,
      replyToPostId: draft.replyToPostId ?? null,
      body: draft.body,
      bodyHtml: renderMarkdown(draft.body),
      status,
      statusReason: decision.reason ?? null,
      createdAt: now,
    }),
    ...(anonymous && !alias ? [aliasInsert(db, thread.id, actor.id)] : []),
    // Repliers track the thread unless they chose otherwise.
    db
      .insert(subscriptions)
      .values({ userId: actor.id, targetType: 'thread', target: thread.id, level: 'track', updatedAt: now })
      .onConflictDoNothing(),
    db
      .insert(threadReads)
      .values({ userId: actor.id, threadId: thread.id, lastSeq: currentSeq, readAt: now })
      .onConflictDoUpdate({
        target: [threadReads.userId, threadReads.threadId],
        set: { lastSeq: sql`excluded.last_seq`, readAt: now },
      }),
    ...notifications,
    ...(decision.statements?.({ id: postId, threadId: thread.id, authorId: actor.id }) ?? []),
    db.select({ seq: posts.seq }).from(posts).where(eq(posts.id, postId)),
  ]);
  const [inserted] = results[results.length - 1] as { seq: number }[];
  return {
    thread: { id: thread.id, category: category.slug, title: thread.title },
    post: { id: postId, seq: inserted!.seq, status },
  };
}

async function editPost(
  db: Database,
  ctx: WriteContext,
  viewer: Viewer,
  actor: Actor,
  draft: Extract<PostDraft, { kind: 'edit' }>,
  now: Date,
): Promise<WriteResult> {
  const [row] = await db
    .select({ post: posts, thread: threads })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(posts.id, draft.postId));
  if (!row) throw notFound('That post');
  const { post, thread } = row;
  const category = readableCategory(ctx.catalog, viewer, thread.category);
  const mine = post.authorId === actor.id;
  // Others' held posts, and threads still held, are not there for anyone but their author.
  if (!mine && (post.status === 'held' || thread.status !== 'visible')) throw notFound('That post');
  if (!mine) throw new ApiError(403, 'forbidden', 'Only the author can edit a post.');
  if (post.status === 'deleted') throw new ApiError(409, 'post_deleted', 'This post was deleted.');
  const refusal = postRefusal(viewer, category);
  if (refusal) throw refusal;
  if (thread.lockedAt && !moderates(viewer, category)) throw threadLocked();
  if (draft.title !== undefined && post.seq !== 1)
    throw validationError({ title: 'Only the opening post of a thread has a title.' });
  const title = post.seq === 1 ? (draft.title ?? thread.title) : thread.title;
  if (draft.body === post.body && title === thread.title)
    return {
      thread: { id: thread.id, category: category.slug, title },
      post: { id: post.id, seq: post.seq, status: post.status },
    };

  const decision = await (ctx.policy ?? moderatedPolicy)(db, {
    kind: 'edit',
    actor,
    category,
    thread: policyThread(thread),
    post: { id: post.id, status: post.status, seq: post.seq },
    title: post.seq === 1 ? title : undefined,
    body: draft.body,
    anonymous: post.anonymous,
    now,
  });
  // The policy decides what an edit does to a held or hidden post (basicPolicy: nothing).
  const status: PostStatus = decision.status;
  // Only people named for the first time in this edit hear about it.
  const before = new Set(mentionedHandles(post.body));
  const fresh = mentionedHandles(draft.body).filter((h) => !before.has(h));
  const notifications =
    status === 'visible' && post.status === 'visible' && fresh.length
      ? await fanOutStatements(db, {
          kind: post.seq === 1 ? 'thread' : 'reply',
          category,
          thread: { id: thread.id, title, postFirst: thread.postFirst },
          post: { id: post.id, body: draft.body },
          authorId: actor.id,
          authorName: post.anonymous
            ? anonymousName(await aliasOf(db, thread.id, actor.id))
            : await displayNameOf(db, actor),
          replyToAuthorId: null,
          mentionedIds: (await resolveMentions(db, fresh)).map((m) => m.id),
          mentionsOnly: true,
          now,
        })
      : [];

  await db.batch([
    db.insert(postRevisions).values({
      id: crypto.randomUUID(),
      postId: post.id,
      body: post.body,
      title: title !== thread.title ? thread.title : null,
      editorId: actor.id,
      reason: draft.reason?.trim().slice(0, 300) || null,
      createdAt: now,
    }),
    db
      .update(posts)
      .set({
        body: draft.body,
        bodyHtml: renderMarkdown(draft.body),
        editedAt: now,
        status,
        ...(status === 'held' && decision.reason ? { statusReason: decision.reason } : {}),
      })
      .where(eq(posts.id, post.id)),
    ...(title !== thread.title ? [db.update(threads).set({ title }).where(eq(threads.id, thread.id))] : []),
    ...((post.status === 'visible') !== (status === 'visible') ? [recount(db, thread.id)] : []),
    ...notifications,
    ...(decision.statements?.({ id: post.id, threadId: thread.id, authorId: actor.id }) ?? []),
  ]);
  return { thread: { id: thread.id, category: category.slug, title }, post: { id: post.id, seq: post.seq, status } };
}

/**
 * Soft-deletes the author's own post: the row stays (replies keep their context) with its text
 * removed from view. Moderators delete through moderation, which records why.
 */
export async function deleteOwnPost(db: Database, catalog: DiscussionCatalog, actor: Actor, postId: string, now: Date) {
  const viewer = viewerOf(actor, await groupsOf(db, actor.id));
  const [row] = await db
    .select({ post: posts, thread: threads })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(posts.id, postId));
  if (!row) throw notFound('That post');
  const { post, thread } = row;
  readableCategory(catalog, viewer, thread.category);
  if (post.authorId !== actor.id) {
    if (post.status === 'held' || thread.status !== 'visible') throw notFound('That post');
    throw new ApiError(403, 'forbidden', 'Only the author can delete a post.');
  }
  if (post.status === 'deleted') return { thread: { id: thread.id }, post: { id: post.id, seq: post.seq } };
  await db.batch([
    db.update(posts).set({ status: 'deleted', deletedAt: now, deletedBy: actor.id }).where(eq(posts.id, post.id)),
    // Deleting a held opening post withdraws the thread; a visible thread stays for its replies.
    ...(post.seq === 1 && thread.status === 'held'
      ? [db.update(threads).set({ status: 'deleted' }).where(eq(threads.id, thread.id))]
      : []),
    ...(thread.solutionPostId === post.id
      ? [db.update(threads).set({ solutionPostId: null, solvedAt: null }).where(eq(threads.id, thread.id))]
      : []),
    recount(db, thread.id),
  ]);
  return { thread: { id: thread.id }, post: { id: post.id, seq: post.seq } };
}

/**
 * Publishes a held post (for moderation's "approve"): it becomes visible, counts, and notifies
 * exactly as it would have when written.
 */
export async function releaseHeldPost(db: Database, catalog: DiscussionCatalog, postId: string, now: Date) {
  const [row] = await db
    .select({ post: posts, thread: threads })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(posts.id, postId));
  if (!row || row.post.status !== 'held') throw notFound('That held post');
  const { post, thread } = row;
  const category = catalog.category(thread.category);
  if (!category) throw notFound('That category');
  const notifications = post.authorId
    ? await fanOutStatements(db, {
        kind: post.seq === 1 ? 'thread' : 'reply',
        category,
        thread: { id: thread.id, title: thread.title, postFirst: thread.postFirst },
        post: { id: post.id, body: post.body },
        authorId: post.authorId,
        authorName: post.anonymous
          ? anonymousName(await aliasOf(db, thread.id, post.authorId))
          : await displayNameOf(db, { id: post.authorId }),
        replyToAuthorId: post.replyToPostId ? await authorOfPost(db, post.replyToPostId) : null,
        mentionedIds: await mentionsIn(db, post.body),
        now,
      })
    : [];
  await db.batch([
    db.update(posts).set({ status: 'visible', statusReason: null }).where(eq(posts.id, post.id)),
    ...(post.seq === 1 ? [db.update(threads).set({ status: 'visible' }).where(eq(threads.id, thread.id))] : []),
    recount(db, thread.id),
    ...notifications,
  ]);
}

/**
 * Recomputes a thread's reply count and activity time from its visible posts (after a delete,
 * hide or release). The opening post's time is the floor, so a thread never loses its place
 * below its own creation.
 */
export function recount(db: Database, threadId: string) {
  return db
    .update(threads)
    .set({
      replyCount: sql`(select count(*) from ${posts} where ${posts.threadId} = ${threadId} and ${posts.seq} > 1 and ${posts.status} = 'visible')`,
      lastPostAt: sql`coalesce((select max(${posts.createdAt}) from ${posts} where ${posts.threadId} = ${threadId} and ${posts.status} = 'visible'), ${threads.createdAt})`,
    })
    .where(eq(threads.id, threadId));
}

/** Gives the member the next free alias number in the thread, unless they have one. */
function aliasInsert(db: Database, threadId: string, userId: string) {
  return db.run(
    sql`insert into ${threadAliases} (thread_id, user_id, number)
        select ${threadId}, ${userId}, coalesce(max(number), 0) + 1 from ${threadAliases} where thread_id = ${threadId}
        on conflict do nothing`,
  );
}

/** The alias number a new anonymous participant will get (for the notification text). */
async function nextAlias(db: Database, threadId: string): Promise<number> {
  const [row] = await db
    .select({ n: max(threadAliases.number) })
    .from(threadAliases)
    .where(eq(threadAliases.threadId, threadId));
  return (row?.n ?? 0) + 1;
}

async function aliasOf(db: Database, threadId: string, userId: string): Promise<number | null> {
  const [row] = await db
    .select({ number: threadAliases.number })
    .from(threadAliases)
    .where(and(eq(threadAliases.threadId, threadId), eq(threadAliases.userId, userId)));
  return row?.number ?? null;
}

async function authorOfPost(db: Database, postId: string): Promise<string | null> {
  const [row] = await db
    .select({ authorId: posts.authorId })
    .from(posts)
    .where(and(eq(posts.id, postId), eq(posts.status, 'visible')));
  return row?.authorId ?? null;
}

async function displayNameOf(db: Database, actor: { id: string }): Promise<string> {
  const row = await db.query.users.findFirst({
    columns: { displayName: true },
    where: (u, { eq }) => eq(u.id, actor.id),
  });
  return row?.displayName ?? 'Former member';
}

async function mentionsIn(db: Database, body: string): Promise<string[]> {
  return (await resolveMentions(db, mentionedHandles(body))).map((m) => m.id);
}

const anonymousNotAllowed = () => validationError({ anonymous: 'This category does not allow anonymous posts.' });
