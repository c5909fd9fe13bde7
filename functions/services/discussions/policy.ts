import type { Database } from '#db/client.ts';
import { onPostEdited, postingPolicy, recordPostingDecision } from '../moderation/policy.ts';
import type { PostingPolicy } from './write.ts';

/**
 * The posting policy every post goes through (functions/services/moderation/policy.ts): sanctions,
 * trust-level limits and posting rates (429 with Retry-After), watched words, links and images for
 * new members, first posts held where the category says so, slow mode. After the post is written,
 * a held or watched-word post gets its review-queue item, and an edit closes the author's "add a
 * source" task or sends a hidden post back to the queue.
 *
 * An edit never makes a held or hidden post visible by itself: only a moderator does.
 */
export const moderatedPolicy: PostingPolicy = async (db, input) => {
  const decision = await postingPolicy(db, {
    user: { id: input.actor.id, roles: input.actor.roles },
    category: { slug: input.category.slug, holdFirstPosts: input.category.holdFirstPosts },
    threadId: input.thread?.id,
    thread: input.thread,
    kind: input.kind,
    body: input.body,
    title: input.title,
    now: input.now,
  });
  const current = input.post?.status;
  const status =
    decision.status === 'held'
      ? 'held'
      : input.kind === 'edit' && (current === 'held' || current === 'hidden')
        ? current
        : 'visible';
  return {
    status,
    reason: decision.statusReason ?? undefined,
    afterWrite: async (db: Database, postId: string) => {
      await recordPostingDecision(db, { postId, decision, now: input.now });
      if (input.kind === 'edit') await onPostEdited(db, { postId, authorId: input.actor.id, now: input.now });
    },
  };
};
