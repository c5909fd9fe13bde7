import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '#db/client.ts';
import { groupMembers, groups, posts, subscriptions, userRoles } from '#db/schema/index.ts';
import type { Category } from '#src/lib/content/schema.ts';
import { localized } from '../../discussions/catalog.ts';
import { markdownToText } from '../../lib/markdown.ts';
import { blockersAmong } from '../moderation/blocks.ts';
import { notificationInsert, type NewNotification } from '../notifications.ts';
import { postPath } from './shared.ts';

/**
 * Who hears about a new post, and what they are told. Notifications name the author exactly as
 * the post shows them ("Anonymous member 2" for anonymous posts) and are written in the same
 * batch as the post, with the post's own time, for every post alike: nothing in their content,
 * recipients or timing depends on whether the author chose to be anonymous.
 */

export type Level = 'watch' | 'track' | 'mute';

export interface PostEvent {
  kind: 'thread' | 'reply';
  category: Category;
  thread: { id: string; title: string; postFirst: boolean };
  post: { id: string; body: string };
  /** The writer: never notified of their own post, never named here. */
  authorId: string;
  /** The author as the post shows them. */
  authorName: string;
  /** The author of the post being replied to, if any. */
  replyToAuthorId: string | null;
  /** Members named with @handle (already resolved). */
  mentionedIds: string[];
  /** An edit: only the members it names for the first time hear about it. */
  mentionsOnly?: boolean;
  now: Date;
}

const STAFF_ROLES = ['moderator', 'coordinator', 'admin'] as const;

/** A condition that switches a query in a fixed-shape batch on or off. */
const only = (condition: boolean) => sql`${condition ? 1 : 0} = 1`;

/** The notification inserts for a new visible post, to run in the post's own batch. */
export async function fanOutStatements(db: Database, event: PostEvent): Promise<BatchItem<'sqlite'>[]> {
  const { category, thread } = event;
  const group = category.visibility === 'group' ? category.group! : null;
  const [threadSubs, categorySubs, groupRows, coordinatorRows, participantRows, staffRows, blockerRows] =
    await db.batch([
      db
        .select({ userId: subscriptions.userId, level: subscriptions.level })
        .from(subscriptions)
        .where(and(eq(subscriptions.targetType, 'thread'), eq(subscriptions.target, thread.id))),
      db
        .select({ userId: subscriptions.userId, level: subscriptions.level })
        .from(subscriptions)
        .where(and(eq(subscriptions.targetType, 'category'), eq(subscriptions.target, category.slug))),
      db
        .select({ userId: groupMembers.userId, role: groupMembers.role })
        .from(groupMembers)
        .innerJoin(groups, eq(groups.id, groupMembers.groupId))
        .where(and(eq(groups.slug, group ?? ''), isNull(groups.archivedAt), only(group !== null))),
      db
        .select({ userId: userRoles.userId })
        .from(userRoles)
        .where(and(eq(userRoles.role, 'coordinator'), only(group !== null))),
      db
        .selectDistinct({ userId: posts.authorId })
        .from(posts)
        .where(and(eq(posts.threadId, thread.id), only(thread.postFirst))),
      db
        .select({ userId: userRoles.userId })
        .from(userRoles)
        .where(and(inArray(userRoles.role, [...STAFF_ROLES]), only(thread.postFirst))),
      // A member who blocked the author cannot be mentioned by them.
      blockersAmong(db, event.authorId, event.mentionedIds),
    ]);
  const blockedAuthor = new Set(blockerRows.map((r) => r.userId));

  // Who can read the thread at all (group-only categories: the group and coordinators).
  const readers = group ? new Set([...groupRows.map((r) => r.userId), ...coordinatorRows.map((r) => r.userId)]) : null;
  const canRead = (id: string) => readers === null || readers.has(id);
  // Post-first threads: replies are shown only to those who posted, staff and facilitators.
  const seesReplies = thread.postFirst
    ? new Set([
        ...participantRows.map((r) => r.userId).filter((id): id is string => id !== null),
        ...staffRows.map((r) => r.userId),
        ...groupRows.filter((r) => r.role === 'facilitator').map((r) => r.userId),
      ])
    : null;
  const mayReadPost = (id: string) => event.kind === 'thread' || seesReplies === null || seesReplies.has(id);

  const threadLevel = new Map(threadSubs.map((s) => [s.userId, s.level as Level]));
  const categoryLevel = new Map(categorySubs.map((s) => [s.userId, s.level as Level]));
  const level = (id: string): Level | undefined => {
    const own = threadLevel.get(id);
    if (own) return own;
    const inCategory = categoryLevel.get(id);
    return inCategory === 'watch' || inCategory === 'mute' ? inCategory : undefined;
  };

  const excerpt = markdownToText(event.post.body, 160);
  const title = event.thread.title;
  const url = postPath(event.post.id);
  const out = new Map<string, NewNotification>();
  const add = (id: string, n: NewNotification) => {
    if (id === event.authorId || out.has(id) || !canRead(id) || level(id) === 'mute') return;
    out.set(id, n);
  };

  for (const id of event.mentionedIds.filter((m) => !blockedAuthor.has(m)))
    add(id, {
      kind: 'discussion.mention',
      title: `${event.authorName} mentioned you in “${title}”`,
      // Someone who has not yet answered a reflective prompt sees no one else's answer, here either.
      body: mayReadPost(id) ? excerpt : 'Share your own reply to read it.',
      url,
    });
  if (event.mentionsOnly) return [...out].map(([userId, n]) => notificationInsert(db, userId, n, event.now));
  if (event.replyToAuthorId && mayReadPost(event.replyToAuthorId))
    add(event.replyToAuthorId, {
      kind: 'discussion.reply',
      title: `${event.authorName} replied to your post in “${title}”`,
      body: excerpt,
      url,
    });
  const watchers = new Set([...threadLevel.keys(), ...categoryLevel.keys()]);
  for (const id of watchers) {
    if (level(id) !== 'watch' || !mayReadPost(id)) continue;
    add(
      id,
      event.kind === 'thread'
        ? {
            kind: 'discussion.thread',
            title: `New thread in ${localized(event.category.name, 'en')}: “${title}”`,
            body: `${event.authorName}: ${excerpt}`,
            url,
          }
        : { kind: 'discussion.watch', title: `New reply in “${title}”`, body: `${event.authorName}: ${excerpt}`, url },
    );
  }
  return [...out].map(([userId, n]) => notificationInsert(db, userId, n, event.now));
}
