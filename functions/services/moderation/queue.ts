import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import {
  flags,
  moderationActions,
  moderationItems,
  posts,
  threadAliases,
  threads,
  users,
  type FlagReason,
} from '#db/schema/index.ts';
import { ApiError } from '../../errors.ts';
import type { ModerationScope } from './scope.ts';
import { aliasName, postPath } from './shared.ts';

/**
 * The review queue: open items, safety concerns first, then by the weight of their flags, then
 * oldest first. Keyset pagination on (urgent, weight, created_at, id), never OFFSET.
 */

export const QUEUE_PAGE = 20;

interface Cursor {
  urgent: boolean;
  weight: number;
  createdAt: number;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return encodeBase64urlNoPadding(
    new TextEncoder().encode(JSON.stringify([c.urgent ? 1 : 0, c.weight, c.createdAt, c.id])),
  );
}

export function decodeCursor(raw: string): Cursor {
  try {
    const value = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(raw))) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 4 &&
      (value[0] === 0 || value[0] === 1) &&
      typeof value[1] === 'number' &&
      Number.isFinite(value[1]) &&
      Number.isSafeInteger(value[2]) &&
      typeof value[3] === 'string' &&
      value[3].length <= 64
    )
      return { urgent: value[0] === 1, weight: value[1], createdAt: value[2], id: value[3] };
  } catch {
    /* fall through */
  }
  throw new ApiError(400, 'validation_failed', 'Please check the field: cursor.', {
    details: { fields: { cursor: 'This is not a cursor from the previous page.' } },
  });
}

/** Items after the cursor in queue order: urgent desc, weight desc, created asc, id asc. */
function after(c: Cursor): SQL {
  const at = new Date(c.createdAt);
  const u = c.urgent ? 1 : 0;
  return or(
    lt(moderationItems.urgent, Boolean(u)),
    and(
      eq(moderationItems.urgent, Boolean(u)),
      or(
        lt(moderationItems.weight, c.weight),
        and(
          eq(moderationItems.weight, c.weight),
          or(gt(moderationItems.createdAt, at), and(eq(moderationItems.createdAt, at), gt(moderationItems.id, c.id))),
        ),
      ),
    ),
  )!;
}

const scopeFilter = (scope: ModerationScope) => (scope.all ? undefined : inArray(threads.category, scope.categories));

export async function queueCounts(db: Database, scope: ModerationScope) {
  const [row] = await db
    .select({
      open: sql<number>`count(*)`,
      urgent: sql<number>`count(*) filter (where ${moderationItems.urgent} = 1)`,
    })
    .from(moderationItems)
    .innerJoin(posts, eq(posts.id, moderationItems.postId))
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(and(eq(moderationItems.status, 'open'), scopeFilter(scope)));
  return { open: Number(row?.open ?? 0), urgent: Number(row?.urgent ?? 0) };
}

export async function listQueue(
  db: Database,
  viewer: { id: string },
  scope: ModerationScope,
  options: { cursor?: string | undefined; limit?: number | undefined } = {},
) {
  const limit = Math.min(Math.max(options.limit ?? QUEUE_PAGE, 1), 50);
  const cursor = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = await db
    .select({
      item: moderationItems,
      post: {
        id: posts.id,
        threadId: posts.threadId,
        seq: posts.seq,
        authorId: posts.authorId,
        anonymous: posts.anonymous,
        bodyHtml: posts.bodyHtml,
        status: posts.status,
        statusReason: posts.statusReason,
        createdAt: posts.createdAt,
        editedAt: posts.editedAt,
        sourceRequestedAt: posts.sourceRequestedAt,
        reviewedAt: posts.reviewedAt,
        reviewCitation: posts.reviewCitation,
      },
      thread: {
        title: threads.title,
        category: threads.category,
        lockedAt: threads.lockedAt,
        closedAt: threads.closedAt,
        pinnedAt: threads.pinnedAt,
        slowModeSeconds: threads.slowModeSeconds,
      },
      author: { displayName: users.displayName },
    })
    .from(moderationItems)
    .innerJoin(posts, eq(posts.id, moderationItems.postId))
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .leftJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(moderationItems.status, 'open'), scopeFilter(scope), cursor ? after(cursor) : undefined))
    .orderBy(
      desc(moderationItems.urgent),
      desc(moderationItems.weight),
      asc(moderationItems.createdAt),
      asc(moderationItems.id),
    )
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const postIds = page.map((r) => r.post.id);
  const itemIds = page.map((r) => r.item.id);
  const none = ['\u0000'];

  const [openFlags, aliases, systemNotes, reveals] = await Promise.all([
    db
      .select({
        postId: flags.postId,
        reason: flags.reason,
        note: flags.note,
        weight: flags.weight,
        createdAt: flags.createdAt,
        flaggerId: flags.flaggerId,
        flaggerName: users.displayName,
      })
      .from(flags)
      .leftJoin(users, eq(users.id, flags.flaggerId))
      .where(and(inArray(flags.postId, postIds.length ? postIds : none), isNull(flags.resolvedAt)))
      .orderBy(asc(flags.createdAt)),
    db
      .select()
      .from(threadAliases)
      .where(inArray(threadAliases.threadId, page.length ? page.map((r) => r.post.threadId) : none)),
    db
      .select({
        itemId: moderationActions.itemId,
        action: moderationActions.action,
        after: moderationActions.after,
        createdAt: moderationActions.createdAt,
      })
      .from(moderationActions)
      .where(and(inArray(moderationActions.itemId, itemIds.length ? itemIds : none), isNull(moderationActions.actorId)))
      .orderBy(asc(moderationActions.createdAt)),
    db
      .select({ postId: moderationActions.postId })
      .from(moderationActions)
      .where(
        and(
          inArray(moderationActions.postId, postIds.length ? postIds : none),
          eq(moderationActions.action, 'reveal'),
          eq(moderationActions.actorId, viewer.id),
        ),
      ),
  ]);
  const revealed = new Set(reveals.map((r) => r.postId));

  const items = page.map(({ item, post, thread, author }) => {
    const mine = openFlags.filter((f) => f.postId === post.id);
    const byReason: Partial<Record<FlagReason, number>> = {};
    for (const f of mine) byReason[f.reason] = (byReason[f.reason] ?? 0) + 1;
    const alias = post.anonymous
      ? aliases.find((a) => a.threadId === post.threadId && a.userId === post.authorId)?.number
      : undefined;
    const showIdentity = !post.anonymous || (scope.staff && revealed.has(post.id));
    return {
      id: item.id,
      kind: item.kind,
      urgent: item.urgent,
      weight: Math.round(item.weight * 100) / 100,
      createdAt: item.createdAt.toISOString(),
      post: {
        id: post.id,
        threadId: post.threadId,
        threadTitle: thread.title,
        category: thread.category,
        seq: post.seq,
        url: postPath(post.threadId, post.seq),
        bodyHtml: post.bodyHtml,
        status: post.status,
        statusReason: post.statusReason,
        createdAt: post.createdAt.toISOString(),
        editedAt: post.editedAt?.toISOString() ?? null,
        sourceRequested: post.sourceRequestedAt !== null,
        reviewed: post.reviewedAt !== null,
        reviewCitation: post.reviewCitation,
      },
      thread: {
        id: post.threadId,
        locked: thread.lockedAt !== null,
        closed: thread.closedAt !== null,
        pinned: thread.pinnedAt !== null,
        slowModeSeconds: thread.slowModeSeconds,
      },
      author: post.anonymous
        ? {
            anonymous: true as const,
            alias: aliasName(alias),
            ...(showIdentity && post.authorId
              ? { revealed: true, id: post.authorId, displayName: author?.displayName ?? 'Former member' }
              : { revealed: false }),
          }
        : {
            anonymous: false as const,
            id: post.authorId,
            displayName: post.authorId ? (author?.displayName ?? 'Former member') : 'Former member',
          },
      flags: {
        total: mine.length,
        byReason,
        list: mine.map((f) => ({
          reason: f.reason,
          note: f.note,
          weight: Math.round(f.weight * 100) / 100,
          createdAt: f.createdAt.toISOString(),
          // Flaggers' names are for moderators and coordinators; facilitators see reasons and notes.
          ...(scope.staff ? { flagger: f.flaggerId ? (f.flaggerName ?? 'Former member') : 'Former member' } : {}),
        })),
      },
      why: systemNotes
        .filter((n) => n.itemId === item.id)
        .map((n) => {
          const after = (n.after ?? {}) as { reasons?: string[]; watchedWords?: string[] };
          return {
            action: n.action,
            reasons: after.reasons ?? [],
            watchedWords: after.watchedWords ?? [],
            at: n.createdAt.toISOString(),
          };
        }),
    };
  });
  const last = page[page.length - 1];
  return {
    items,
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({
            urgent: last.item.urgent,
            weight: last.item.weight,
            createdAt: last.item.createdAt.getTime(),
            id: last.item.id,
          })
        : null,
  };
}

export type QueueItem = Awaited<ReturnType<typeof listQueue>>['items'][number];
