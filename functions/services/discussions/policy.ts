import {
  EDITED_AFTER_HIDE,
  editedPostStatements,
  openItemOf,
  postingDecisionStatements,
  postingPolicy,
  sendsBackToQueue,
} from '../moderation/policy.ts';
import type { PostingPolicy } from './write.ts';

/**
 * The posting policy every post goes through (functions/services/moderation/policy.ts): sanctions,
 * trust-level limits and posting rates (429 with Retry-After), watched words, links and images for
 * new members, first posts held where the category says so, slow mode. In the post's own batch, a
 * held or watched-word post gets its review-queue item, and an edit closes the author's "add a
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
  const edited = input.kind === 'edit' ? input.post : undefined;
  // An edited post's open queue item: a held or flagged edit joins it; a hidden post without one
  // goes back to the queue (unless this decision queues it anyway).
  const openItemId = edited ? await openItemOf(db, edited.id) : null;
  const queued = decision.status === 'held' || Boolean(decision.flagAs);
  const backToQueue = Boolean(edited) && !queued && sendsBackToQueue(edited!.status, openItemId);
  const current = edited?.status;
  const status =
    decision.status === 'held' || backToQueue
      ? 'held'
      : current === 'held' || current === 'hidden'
        ? current
        : 'visible';
  return {
    status,
    reason: (backToQueue ? EDITED_AFTER_HIDE : decision.statusReason) ?? undefined,
    statements: (post) => [
      ...postingDecisionStatements(db, { post, decision, openItemId, now: input.now }),
      ...(edited ? editedPostStatements(db, { post, backToQueue, now: input.now }) : []),
    ],
  };
};
