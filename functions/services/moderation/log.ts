import { alias } from 'drizzle-orm/sqlite-core';
import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { memberTasks, moderationActions, posts, threadAliases, threads, users } from '#db/schema/index.ts';
import { aliasName, postPath, threadPath } from './shared.ts';

export const LOG_PAGE = 50;

/**
 * The moderation log for moderators and coordinators, newest first: who did what, why, and the
 * state before and after. The person concerned by an action on an anonymous post is shown by
 * alias only, reveals included: the log must not spread what a reveal told one moderator.
 */
export async function listModerationLog(db: Database, options: { before?: string | undefined } = {}) {
  const actor = alias(users, 'actor');
  const subject = alias(users, 'subject');
  const before = options.before && /^\d+$/.test(options.before) ? new Date(Number(options.before)) : null;
  const rows = await db
    .select({
      id: moderationActions.id,
      action: moderationActions.action,
      reason: moderationActions.reason,
      before: moderationActions.before,
      after: moderationActions.after,
      createdAt: moderationActions.createdAt,
      actorId: moderationActions.actorId,
      actorName: actor.displayName,
      subjectId: moderationActions.subjectId,
      subjectName: subject.displayName,
      postId: moderationActions.postId,
      postSeq: posts.seq,
      anonymous: posts.anonymous,
      threadId: moderationActions.threadId,
      threadTitle: threads.title,
      aliasNumber: threadAliases.number,
    })
    .from(moderationActions)
    .leftJoin(actor, eq(actor.id, moderationActions.actorId))
    .leftJoin(subject, eq(subject.id, moderationActions.subjectId))
    .leftJoin(posts, eq(posts.id, moderationActions.postId))
    .leftJoin(threads, eq(threads.id, moderationActions.threadId))
    .leftJoin(
      threadAliases,
      and(
        eq(threadAliases.threadId, moderationActions.threadId),
        eq(threadAliases.userId, moderationActions.subjectId),
      ),
    )
    .where(before ? lt(moderationActions.createdAt, before) : undefined)
    .orderBy(desc(moderationActions.createdAt), desc(moderationActions.id))
    .limit(LOG_PAGE + 1);
  const page = rows.slice(0, LOG_PAGE);
  return {
    entries: page.map((r) => ({
      id: r.id,
      action: r.action,
      reason: r.reason,
      before: r.before,
      after: r.after,
      createdAt: r.createdAt.toISOString(),
      actor: r.actorId ? (r.actorName ?? 'Former member') : 'Hearth (automatic)',
      subject: r.anonymous ? aliasName(r.aliasNumber) : r.subjectId ? (r.subjectName ?? 'Former member') : null,
      thread: r.threadId ? { id: r.threadId, title: r.threadTitle ?? '' } : null,
      url: r.threadId ? (r.postSeq ? postPath(r.threadId, r.postSeq) : threadPath(r.threadId)) : null,
    })),
    nextBefore: rows.length > LOG_PAGE ? String(page[page.length - 1]!.createdAt.getTime()) : null,
  };
}

/** A member's open tasks from moderators ("add a source"), with where to do them. */
export async function openTasks(db: Database, userId: string) {
  const rows = await db
    .select({
      id: memberTasks.id,
      kind: memberTasks.kind,
      createdAt: memberTasks.createdAt,
      postId: memberTasks.postId,
      threadId: posts.threadId,
      seq: posts.seq,
      title: threads.title,
    })
    .from(memberTasks)
    .innerJoin(posts, eq(posts.id, memberTasks.postId))
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(and(eq(memberTasks.userId, userId), isNull(memberTasks.doneAt)))
    .orderBy(desc(memberTasks.createdAt));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    createdAt: r.createdAt.toISOString(),
    title: r.title,
    url: postPath(r.threadId, r.seq),
  }));
}
