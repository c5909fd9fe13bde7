import { and, eq } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { postReactions, posts, REACTION_KINDS, threads } from '#db/schema/index.ts';
import type { DiscussionCatalog } from '../../discussions/catalog.ts';
import { ApiError, notFound } from '../../errors.ts';
import { validationError } from '../../lib/validation.ts';
import { notificationInsert } from '../notifications.ts';
import { canPost, loadViewer, moderates, type Actor } from './access.ts';
import { readablePost } from './read.ts';
import { postPath, readableCategory } from './shared.ts';

type ReactionKind = (typeof REACTION_KINDS)[number];

/** Adds (or, with `remove`, takes back) the actor's reaction: helpful, thanks or me too. */
export async function react(
  db: Database,
  catalog: DiscussionCatalog,
  actor: Actor,
  postId: string,
  kind: ReactionKind,
  remove: boolean,
  now: Date,
) {
  const { row, viewer, category, own } = await readablePost(db, catalog, actor, postId);
  if (remove) {
    await db
      .delete(postReactions)
      .where(and(eq(postReactions.postId, postId), eq(postReactions.userId, actor.id), eq(postReactions.kind, kind)));
    return { postId, kind, reacted: false, threadId: row.thread.id };
  }
  if (row.post.status !== 'visible' || row.thread.status !== 'visible')
    throw new ApiError(409, 'not_visible', 'Only published posts take reactions.');
  if (!canPost(viewer, category)) throw new ApiError(403, 'forbidden', 'You cannot take part in this category.');
  if (own) throw new ApiError(409, 'own_post', 'You cannot react to your own post.');
  await db.insert(postReactions).values({ postId, userId: actor.id, kind, createdAt: now }).onConflictDoNothing();
  return { postId, kind, reacted: true, threadId: row.thread.id };
}

/**
 * Accepts a reply as the thread's solution (Q&A categories), or unmarks it with `null`. The asker
 * and the category's moderators (moderators, coordinators, the group's facilitators) may do it.
 * "Solution" is the asker's judgement that it answered the question; "helpful" stays a reaction.
 */
export async function setSolution(
  db: Database,
  catalog: DiscussionCatalog,
  actor: Actor,
  threadId: string,
  postId: string | null,
  now: Date,
) {
  const viewer = await loadViewer(db, actor);
  const [[thread], [post]] = await db.batch([
    db.select().from(threads).where(eq(threads.id, threadId)),
    db
      .select({
        id: posts.id,
        threadId: posts.threadId,
        seq: posts.seq,
        status: posts.status,
        authorId: posts.authorId,
      })
      .from(posts)
      .where(eq(posts.id, postId ?? '')),
  ]);
  if (!thread || thread.status !== 'visible') throw notFound('That thread');
  const category = readableCategory(catalog, viewer, thread.category);
  if (!category.qa) throw new ApiError(409, 'not_qa', 'Only question-and-answer categories have solutions.');
  if (thread.authorId !== actor.id && !moderates(viewer, category))
    throw new ApiError(403, 'forbidden', 'Only the person who asked, or a facilitator, can accept a solution.');
  if (postId === null) {
    await db.update(threads).set({ solutionPostId: null, solvedAt: null }).where(eq(threads.id, threadId));
    return { threadId, solutionPostId: null };
  }
  if (!post || post.threadId !== threadId || post.status !== 'visible' || post.seq === 1)
    throw validationError({ postId: 'Choose a published reply in this thread.' });
  if (thread.solutionPostId === postId) return { threadId, solutionPostId: postId };
  await db.batch([
    db.update(threads).set({ solutionPostId: postId, solvedAt: now }).where(eq(threads.id, threadId)),
    ...(post.authorId && post.authorId !== actor.id
      ? [
          notificationInsert(
            db,
            post.authorId,
            {
              kind: 'discussion.solution',
              title: `Your reply was accepted as the solution to “${thread.title}”`,
              body: 'Thank you for helping.',
              url: postPath(postId),
            },
            now,
          ),
        ]
      : []),
  ]);
  return { threadId, solutionPostId: postId };
}
