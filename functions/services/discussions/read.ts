import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import {
  categoryVisits,
  postReactions,
  postRevisions,
  posts,
  REACTION_KINDS,
  subscriptions,
  threadAliases,
  threadReads,
  threads,
  users,
  type PostStatus,
  memberBlocks,
} from '#db/schema/index.ts';
import type { Category, Locale } from '#src/lib/content/schema.ts';
import { localized, type DiscussionCatalog } from '../../discussions/catalog.ts';
import { ApiError, notFound } from '../../errors.ts';
import { renderMarkdown } from '../../lib/markdown.ts';
import {
  canPost,
  canRead,
  groupsOf,
  loadViewer,
  moderates,
  readableCategories,
  viewerOf,
  type Actor,
} from './access.ts';
import {
  anonymousName,
  authorColumns,
  authorJoins,
  authorView,
  decodeThreadCursor,
  encodeThreadCursor,
  POSTS_PAGE,
  readableCategory,
  replyAlias,
  replyAuthor,
  replyPost,
  THREADS_PAGE,
  type AuthorRow,
  type AuthorView,
} from './shared.ts';

type ReactionKind = (typeof REACTION_KINDS)[number];
type Level = 'watch' | 'track' | 'mute';

/** A category as lists show it, for one reader. */
/** A thread's author: their account when the thread is signed, their alias when it is anonymous. */
const threadAuthorNamed = and(eq(users.id, threads.authorId), eq(threads.anonymous, false));
const threadAuthorAlias = and(
  eq(threadAliases.threadId, threads.id),
  eq(threadAliases.userId, threads.authorId),
  eq(threads.anonymous, true),
);

export interface CategorySummary {
  slug: string;
  name: string;
  description: string;
  visibility: Category['visibility'];
  whoMayPost: Category['whoMayPost'];
  anonymous: boolean;
  qa: boolean;
  postFirst: boolean;
  threadCount: number;
  lastActivityAt: string | null;
  /** Threads with activity since the reader last opened the category (null for visitors and first visits). */
  newThreads: number | null;
  canPost: boolean;
}

const summary = (c: Category, locale: Locale | undefined) => ({
  slug: c.slug,
  name: localized(c.name, locale),
  description: localized(c.description, locale),
  visibility: c.visibility,
  whoMayPost: c.whoMayPost,
  anonymous: c.anonymous,
  qa: c.qa,
  postFirst: c.postFirst,
});

/** The categories the reader may see, with counts and what is new since their last visit. */
export async function listCategories(
  db: Database,
  catalog: DiscussionCatalog,
  actor: Actor | null,
  locale?: Locale,
): Promise<CategorySummary[]> {
  const me = actor?.id ?? '';
  const [groupRows, counts, fresh] = await db.batch([
    groupsOf(db, me),
    db
      .select({ category: threads.category, n: count(), last: sql<number | null>`max(${threads.lastPostAt})` })
      .from(threads)
      .where(eq(threads.status, 'visible'))
      .groupBy(threads.category),
    db
      .select({ category: threads.category, n: count() })
      .from(threads)
      .innerJoin(categoryVisits, and(eq(categoryVisits.category, threads.category), eq(categoryVisits.userId, me)))
      .where(and(eq(threads.status, 'visible'), gt(threads.lastPostAt, categoryVisits.visitedAt)))
      .groupBy(threads.category),
  ]);
  const viewer = viewerOf(actor, groupRows);
  const countOf = new Map(counts.map((r) => [r.category, r]));
  const freshOf = new Map(fresh.map((r) => [r.category, Number(r.n)]));
  return readableCategories(viewer, catalog.categories).map((c) => {
    const row = countOf.get(c.slug);
    return {
      ...summary(c, locale),
      threadCount: Number(row?.n ?? 0),
      lastActivityAt: row?.last ? new Date(Number(row.last)).toISOString() : null,
      newThreads: actor ? (freshOf.get(c.slug) ?? 0) : null,
      canPost: canPost(viewer, c),
    };
  });
}

/** A thread as lists and its page show it. */
export interface ThreadView {
  id: string;
  category: string;
  title: string;
  author: AuthorView;
  createdAt: string;
  lastPostAt: string;
  replyCount: number;
  pinned: boolean;
  locked: boolean;
  closed: boolean;
  solved: boolean;
  solutionPostId: string | null;
  postFirst: boolean;
  prompt: boolean;
  slowModeSeconds: number;
  status: PostStatus;
}

/** The thread columns every thread query selects. */
function threadColumns(viewerId: string | null) {
  return {
    thread: threads,
    ...authorColumns(threads, users, threadAliases, viewerId),
  };
}

function threadView(row: ThreadRow): ThreadView {
  const t = row.thread;
  return {
    id: t.id,
    category: t.category,
    title: t.title,
    author: authorView(row, t.prompt !== null),
    createdAt: t.createdAt.toISOString(),
    lastPostAt: t.lastPostAt.toISOString(),
    replyCount: t.replyCount,
    pinned: t.pinnedAt !== null,
    locked: t.lockedAt !== null,
    closed: t.closedAt !== null,
    solved: t.solutionPostId !== null,
    solutionPostId: t.solutionPostId,
    postFirst: t.postFirst,
    prompt: t.prompt !== null,
    slowModeSeconds: t.slowModeSeconds,
    status: t.status,
  };
}
type ThreadRow = AuthorRow & { thread: typeof threads.$inferSelect };

/** A thread in a list, with the reader's unread state. */
export interface ThreadListItem extends ThreadView {
  /** The reader never opened it. */
  unopened: boolean;
  /** Visible posts after the last one the reader saw (0 when caught up or never opened). */
  unread: number;
  /** Active since the reader's previous visit to the category. */
  newSinceLastVisit: boolean;
}

/**
 * A category's threads, most recently active first, 20 at a time by keyset on
 * (last_post_at, id): never OFFSET, so a page costs the same at any depth. Pinned threads head
 * the first page.
 */
export async function listThreads(
  db: Database,
  catalog: DiscussionCatalog,
  actor: Actor | null,
  slug: string,
  options: { cursor?: string | undefined; limit?: number | undefined; since?: Date | null | undefined } = {},
) {
  const after = decodeThreadCursor(options.cursor);
  const limit = options.limit ?? THREADS_PAGE;
  const me = actor?.id ?? null;
  const base = () =>
    db
      .select({
        ...threadColumns(me),
        readSeq: threadReads.lastSeq,
        unread: me
          ? sql<number>`(select count(*) from ${posts} p where p.thread_id = ${threads.id} and p.seq > ${threadReads.lastSeq} and p.status = 'visible')`
          : sql<number>`0`,
      })
      .from(threads)
      .leftJoin(users, threadAuthorNamed)
      .leftJoin(threadAliases, threadAuthorAlias)
      .leftJoin(threadReads, and(eq(threadReads.threadId, threads.id), eq(threadReads.userId, me ?? '')));
  const [groupRows, pinned, page, visits] = await db.batch([
    groupsOf(db, me ?? ''),
    base()
      .where(
        and(
          eq(threads.category, slug),
          isNotNull(threads.pinnedAt),
          eq(threads.status, 'visible'),
          sql`${after ? 1 : 0} = 0`,
        ),
      )
      .orderBy(desc(threads.pinnedAt)),
    base()
      .where(
        and(
          eq(threads.category, slug),
          eq(threads.status, 'visible'),
          isNull(threads.pinnedAt),
          // A row-value comparison: one range on the activity index, read in order (no sort step).
          after ? sql`(${threads.lastPostAt}, ${threads.id}) < (${after.at.getTime()}, ${after.id})` : undefined,
        ),
      )
      .orderBy(desc(threads.lastPostAt), desc(threads.id))
      .limit(limit + 1),
    db
      .select()
      .from(categoryVisits)
      .where(and(eq(categoryVisits.userId, me ?? ''), eq(categoryVisits.category, slug))),
  ]);
  const viewer = viewerOf(actor, groupRows);
  const category = readableCategory(catalog, viewer, slug);
  const since = options.since !== undefined ? options.since : (visits[0]?.previousAt ?? null);
  const item = (row: (typeof page)[number]): ThreadListItem => {
    const view = threadView(row);
    return {
      ...view,
      unopened: me !== null && row.readSeq === null,
      unread: row.readSeq === null ? 0 : Number(row.unread),
      newSinceLastVisit: since !== null && row.thread.lastPostAt > since,
    };
  };
  const rows = page.slice(0, limit);
  return {
    category: { ...summary(category, undefined), canPost: canPost(viewer, category) },
    pinned: pinned.map(item),
    threads: rows.map(item),
    nextCursor: page.length > limit ? encodeThreadCursor(rows[rows.length - 1]!.thread) : null,
    since: since?.toISOString() ?? null,
  };
}

/**
 * Records that the member opened the category now, and answers the time "new since your last
 * visit" compares with: their visit before this sitting (a sitting ends after 30 quiet minutes).
 */
export async function recordCategoryVisit(db: Database, userId: string, slug: string, now: Date): Promise<Date | null> {
  const sitting = new Date(now.getTime() - 30 * 60_000);
  const [row] = await db
    .insert(categoryVisits)
    .values({ userId, category: slug, previousAt: null, visitedAt: now })
    .onConflictDoUpdate({
      target: [categoryVisits.userId, categoryVisits.category],
      set: {
        previousAt: sql`case when ${categoryVisits.visitedAt} < ${sitting.getTime()} then ${categoryVisits.visitedAt} else ${categoryVisits.previousAt} end`,
        visitedAt: now,
      },
    })
    .returning({ previousAt: categoryVisits.previousAt });
  return row?.previousAt ?? null;
}

/** A post as the thread page shows it to one reader. */
export interface PostView {
  id: string;
  seq: number;
  author: AuthorView;
  /** Sanitized HTML; empty for deleted posts and, for others than the author, hidden ones. */
  bodyHtml: string;
  status: PostStatus;
  /** Why a post is held or hidden, for its author and moderators. */
  statusReason: string | null;
  createdAt: string;
  editedAt: string | null;
  replyTo: { id: string; seq: number; author: AuthorView } | null;
  reactions: Record<ReactionKind, number>;
  myReactions: ReactionKind[];
  isSolution: boolean;
  sourceRequested: boolean;
  reviewed: { citation: string | null } | null;
  /** The reader may edit and delete it (their own post). */
  mine: boolean;
}

export interface ThreadPage {
  thread: ThreadView;
  category: ReturnType<typeof summary>;
  posts: PostView[];
  nextCursor: string | null;
  /** Replies the reader cannot see yet (post-first threads, before they reply). */
  hiddenReplies: number;
  viewer: {
    signedIn: boolean;
    canReply: boolean;
    /** Why not, in a sentence (locked, closed, wrong role…), when signed in and unable to reply. */
    replyBlocked: string | null;
    moderates: boolean;
    /** 'anonymous' or 'named' once the reader has posted here: their replies keep that identity. */
    identity: 'anonymous' | 'named' | null;
    canAcceptSolution: boolean;
    subscription: Level | null;
    /** The highest post number the reader had seen before this page. */
    readSeq: number;
    /** Member id → 'block' | 'mute', for folding named posts away (never anonymous ones). */
    mutedAuthors: Record<string, 'block' | 'mute'>;
  };
}

/**
 * One page of a thread for one reader: its posts after `cursor` (a post number), with authors,
 * reactions and reading state, in ONE database round trip. With `markRead`, the reader's place is
 * saved in a second. Invisible threads (a group's, held, or a category that is gone) are 404.
 */
export async function getThread(
  db: Database,
  catalog: DiscussionCatalog,
  actor: Actor | null,
  threadId: string,
  options: { cursor?: number | undefined; limit?: number | undefined; markRead?: Date | undefined } = {},
): Promise<ThreadPage> {
  const me = actor?.id ?? null;
  const cursor = options.cursor ?? 0;
  const limit = Math.min(options.limit ?? POSTS_PAGE, POSTS_PAGE);
  const joins = authorJoins(posts, posts.threadId, users, threadAliases);
  const replyJoins = authorJoins(replyPost, replyPost.threadId, replyAuthor, replyAlias);
  const pageIds = db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.threadId, threadId), gt(posts.seq, cursor)))
    .orderBy(asc(posts.seq))
    .limit(limit + 1);
  const [groupRows, threadRows, postRows, reactionRows, mineRows, ownPosts, reads, subs, blockRows] = await db.batch([
    groupsOf(db, me ?? ''),
    db
      .select(threadColumns(me))
      .from(threads)
      .leftJoin(users, threadAuthorNamed)
      .leftJoin(threadAliases, threadAuthorAlias)
      .where(eq(threads.id, threadId)),
    db
      .select({
        post: {
          id: posts.id,
          seq: posts.seq,
          bodyHtml: posts.bodyHtml,
          status: posts.status,
          statusReason: posts.statusReason,
          createdAt: posts.createdAt,
          editedAt: posts.editedAt,
          replyToPostId: posts.replyToPostId,
          sourceRequestedAt: posts.sourceRequestedAt,
          reviewedAt: posts.reviewedAt,
          reviewCitation: posts.reviewCitation,
        },
        ...authorColumns(posts, users, threadAliases, me),
        reply: {
          seq: replyPost.seq,
          ...authorColumns(replyPost, replyAuthor, replyAlias, me),
        },
      })
      .from(posts)
      .leftJoin(users, joins.author)
      .leftJoin(threadAliases, joins.alias)
      .leftJoin(replyPost, eq(replyPost.id, posts.replyToPostId))
      .leftJoin(replyAuthor, replyJoins.author)
      .leftJoin(replyAlias, replyJoins.alias)
      .where(and(eq(posts.threadId, threadId), gt(posts.seq, cursor)))
      .orderBy(asc(posts.seq))
      .limit(limit + 1),
    db
      .select({ postId: postReactions.postId, kind: postReactions.kind, n: count() })
      .from(postReactions)
      .where(inArray(postReactions.postId, pageIds))
      .groupBy(postReactions.postId, postReactions.kind),
    db
      .select({ postId: postReactions.postId, kind: postReactions.kind })
      .from(postReactions)
      .where(and(inArray(postReactions.postId, pageIds), eq(postReactions.userId, me ?? ''))),
    db
      .select({ anonymous: posts.anonymous })
      .from(posts)
      .where(and(eq(posts.threadId, threadId), eq(posts.authorId, me ?? '')))
      .limit(1),
    db
      .select({ lastSeq: threadReads.lastSeq })
      .from(threadReads)
      .where(and(eq(threadReads.threadId, threadId), eq(threadReads.userId, me ?? ''))),
    db
      .select({ targetType: subscriptions.targetType, level: subscriptions.level })
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.userId, me ?? ''),
          or(
            and(eq(subscriptions.targetType, 'thread'), eq(subscriptions.target, threadId)),
            and(
              eq(subscriptions.targetType, 'category'),
              eq(
                subscriptions.target,
                sql`(select ${threads.category} from ${threads} where ${threads.id} = ${threadId})`,
              ),
            ),
          ),
        ),
      ),
    // Members the reader blocked or muted (moderation/blocks.ts): the page folds their named posts.
    db
      .select({ otherId: memberBlocks.otherId, kind: memberBlocks.kind })
      .from(memberBlocks)
      .where(eq(memberBlocks.userId, me ?? '')),
  ]);

  const viewer = viewerOf(actor, groupRows);
  const row = threadRows[0];
  if (!row) throw notFound('That thread');
  const category = readableCategory(catalog, viewer, row.thread.category);
  const moderator = moderates(viewer, category);
  const authored = Boolean(row.mine);
  if (row.thread.status !== 'visible' && !moderator && !(authored && row.thread.status === 'held'))
    throw notFound('That thread');

  const posted = ownPosts.length > 0;
  // Post-first: until the reader has posted, they see the opening post only.
  const seesReplies = !row.thread.postFirst || posted || moderator;
  const counts = new Map<string, Record<ReactionKind, number>>();
  for (const r of reactionRows) {
    const entry = counts.get(r.postId) ?? { helpful: 0, thanks: 0, 'me-too': 0 };
    entry[r.kind] = Number(r.n);
    counts.set(r.postId, entry);
  }
  const mine = new Map<string, ReactionKind[]>();
  for (const r of mineRows) mine.set(r.postId, [...(mine.get(r.postId) ?? []), r.kind]);

  const pageRows = postRows.slice(0, limit);
  const views: PostView[] = [];
  for (const p of pageRows) {
    const own = Boolean(p.mine);
    if (p.post.seq > 1 && !seesReplies && !own) continue;
    if (p.post.status === 'held' && !own && !moderator) continue;
    const shown = p.post.status === 'visible' || (p.post.status !== 'deleted' && (own || moderator));
    views.push({
      id: p.post.id,
      seq: p.post.seq,
      author: authorView(p, row.thread.prompt !== null && p.post.seq === 1),
      bodyHtml: shown ? p.post.bodyHtml : '',
      status: p.post.status,
      statusReason: own || moderator ? p.post.statusReason : null,
      createdAt: p.post.createdAt.toISOString(),
      editedAt: p.post.editedAt?.toISOString() ?? null,
      replyTo:
        p.post.replyToPostId && p.reply?.seq != null
          ? { id: p.post.replyToPostId, seq: p.reply.seq, author: authorView(p.reply) }
          : null,
      reactions: counts.get(p.post.id) ?? { helpful: 0, thanks: 0, 'me-too': 0 },
      myReactions: mine.get(p.post.id) ?? [],
      isSolution: row.thread.solutionPostId === p.post.id,
      sourceRequested: p.post.sourceRequestedAt !== null,
      reviewed: p.post.reviewedAt ? { citation: p.post.reviewCitation } : null,
      mine: own,
    });
  }

  const lastShown = pageRows.at(-1)?.post.seq ?? cursor;
  const readSeq = reads[0]?.lastSeq ?? 0;
  const threadSub = subs.find((s) => s.targetType === 'thread')?.level ?? null;
  const categorySub = subs.find((s) => s.targetType === 'category')?.level ?? null;
  const replyBlocked = !actor
    ? null
    : !canPost(viewer, category)
      ? 'You cannot post in this category.'
      : row.thread.lockedAt && !moderator
        ? 'This thread is locked.'
        : row.thread.closedAt && !moderator
          ? 'This thread is closed to new replies.'
          : row.thread.status !== 'visible'
            ? 'Replies open once the thread is approved.'
            : null;

  if (options.markRead && me && seesReplies && lastShown > readSeq)
    await db
      .insert(threadReads)
      .values({ userId: me, threadId, lastSeq: lastShown, readAt: options.markRead })
      .onConflictDoUpdate({
        target: [threadReads.userId, threadReads.threadId],
        set: { lastSeq: sql`max(${threadReads.lastSeq}, excluded.last_seq)`, readAt: options.markRead },
      });

  return {
    thread: threadView(row),
    category: summary(category, undefined),
    posts: views,
    nextCursor: postRows.length > limit ? String(lastShown) : null,
    hiddenReplies: seesReplies ? 0 : row.thread.replyCount,
    viewer: {
      signedIn: actor !== null,
      canReply: actor !== null && replyBlocked === null,
      replyBlocked,
      moderates: moderator,
      identity: posted ? (ownPosts[0]!.anonymous ? 'anonymous' : 'named') : null,
      canAcceptSolution: category.qa && (authored || moderator),
      subscription: (threadSub ??
        (categorySub === 'watch' || categorySub === 'mute' ? categorySub : null)) as Level | null,
      readSeq,
      mutedAuthors: Object.fromEntries(blockRows.map((b) => [b.otherId, b.kind])),
    },
  };
}

/** Saves how far the member has read (never backwards). 404 for threads they cannot see. */
export async function markThreadRead(
  db: Database,
  catalog: DiscussionCatalog,
  actor: Actor,
  threadId: string,
  seq: number,
  now: Date,
) {
  const viewer = await loadViewer(db, actor);
  const [thread] = await db.select().from(threads).where(eq(threads.id, threadId));
  if (!thread || thread.status !== 'visible') throw notFound('That thread');
  readableCategory(catalog, viewer, thread.category);
  const upTo = Math.min(seq, thread.lastSeq);
  await db
    .insert(threadReads)
    .values({ userId: actor.id, threadId, lastSeq: upTo, readAt: now })
    .onConflictDoUpdate({
      target: [threadReads.userId, threadReads.threadId],
      set: { lastSeq: sql`max(${threadReads.lastSeq}, excluded.last_seq)`, readAt: now },
    });
  return { lastSeq: upTo };
}

/**
 * One post with its thread and its author as the reader may see them (anonymous authors as NULL
 * in SQL), for the routes that act on one post. 404 when the post does not exist, its category is
 * gone or not readable, or it is someone else's held post (or in a thread that is not published)
 * and the reader does not moderate the category.
 */
export async function readablePost(db: Database, catalog: DiscussionCatalog, actor: Actor | null, postId: string) {
  const viewer = await loadViewer(db, actor);
  const joins = authorJoins(posts, posts.threadId, users, threadAliases);
  const [row] = await db
    .select({
      post: { id: posts.id, seq: posts.seq, body: posts.body, status: posts.status, editedAt: posts.editedAt },
      thread: {
        id: threads.id,
        status: threads.status,
        title: threads.title,
        category: threads.category,
        postFirst: threads.postFirst,
        prompt: threads.prompt,
      },
      ...authorColumns(posts, users, threadAliases, actor?.id ?? null),
    })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .leftJoin(users, joins.author)
    .leftJoin(threadAliases, joins.alias)
    .where(eq(posts.id, postId));
  if (!row) throw notFound('That post');
  const category = catalog.category(row.thread.category);
  if (!category || !canRead(viewer, category)) throw notFound('That post');
  const own = Boolean(row.mine);
  const moderator = moderates(viewer, category);
  const published = row.post.status !== 'held' && row.thread.status === 'visible';
  if (!published && !own && !moderator) throw notFound('That post');
  return {
    row,
    viewer,
    category,
    own,
    moderator,
    author: authorView(row, row.thread.prompt !== null && row.post.seq === 1),
  };
}

/**
 * Which thread and page a post is on, for permalinks (`/discussions/p/<id>`). Posts the reader
 * cannot see are 404, exactly like posts that do not exist.
 */
export async function locatePost(db: Database, catalog: DiscussionCatalog, actor: Actor | null, postId: string) {
  const { row } = await readablePost(db, catalog, actor, postId);
  if (row.thread.status !== 'visible') throw notFound('That post');
  // Pages start after a post number; the page holding post N starts after N - 1 when N is past the first page.
  const cursor = row.post.seq > POSTS_PAGE ? row.post.seq - 1 : 0;
  return { threadId: row.thread.id, seq: row.post.seq, cursor };
}

/** A post's earlier versions, newest first: for its author and the category's moderators only. */
export async function listRevisions(db: Database, catalog: DiscussionCatalog, actor: Actor, postId: string) {
  const { row, own, moderator, author } = await readablePost(db, catalog, actor, postId);
  if (!own && !moderator)
    throw new ApiError(403, 'forbidden', 'Only the author and moderators can see the edit history.');
  const revisions = await db
    .select({
      revision: postRevisions,
      // Compared in the database: an anonymous author's id never reaches this code.
      byAuthor: sql<number>`coalesce(${postRevisions.editorId} = ${posts.authorId}, 0)`,
    })
    .from(postRevisions)
    .innerJoin(posts, eq(posts.id, postRevisions.postId))
    .where(eq(postRevisions.postId, postId))
    .orderBy(desc(postRevisions.createdAt));
  return {
    post: {
      id: postId,
      seq: row.post.seq,
      threadId: row.thread.id,
      title: row.thread.title,
      author,
      editedAt: row.post.editedAt?.toISOString() ?? null,
    },
    current: { body: row.post.body, bodyHtml: renderMarkdown(row.post.body) },
    revisions: revisions.map(({ revision: r, byAuthor }) => ({
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      title: r.title,
      body: r.body,
      bodyHtml: renderMarkdown(r.body),
      reason: r.reason,
      // The author edits their own posts; anyone else editing is a moderator, never named here.
      editor: byAuthor ? author.displayName : 'A moderator',
    })),
  };
}

export { anonymousName };

/**
 * A post's Markdown source: for its author to edit, or for anyone who can read it to quote (only
 * published posts, with the author as the post shows them). 404 for anything else.
 */
export async function postSource(
  db: Database,
  catalog: DiscussionCatalog,
  actor: Actor,
  postId: string,
  purpose: 'edit' | 'quote',
) {
  const { row, category, own, moderator, author } = await readablePost(db, catalog, actor, postId);
  const { post, thread } = row;
  if (purpose === 'edit' ? !own || post.status === 'deleted' : post.status !== 'visible' || thread.status !== 'visible')
    throw notFound('That post');
  if (purpose === 'quote' && thread.postFirst && post.seq > 1 && !own && !moderator) {
    const [posted] = await db
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.threadId, thread.id), eq(posts.authorId, actor.id)))
      .limit(1);
    if (!posted) throw notFound('That post');
  }
  return {
    id: post.id,
    seq: post.seq,
    threadId: thread.id,
    threadTitle: thread.title,
    category: category.slug,
    body: post.body,
    status: post.status,
    author,
  };
}

/** A reply's starting text that quotes a post (its first 1,200 characters): its author as shown, and its text as a blockquote. */
export function quoteOf(source: { author: AuthorView; body: string }): string {
  const text = source.body.trim();
  const quoted = (text.length > 1200 ? `${text.slice(0, 1200).trimEnd()} …` : text)
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');
  return `> **${source.author.displayName}** wrote:\n>\n${quoted}\n\n`;
}
