import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { notifications } from '#db/schema/index.ts';

export interface NewNotification {
  kind: string;
  title: string;
  body?: string | undefined;
  /** A site path (absolute URLs are reduced to their path). */
  url?: string | undefined;
}

const sitePath = (url: string | undefined) => {
  if (!url) return null;
  try {
    const parsed = new URL(url, 'http://site.invalid');
    return `${parsed.pathname}${parsed.search}${parsed.hash}`;
  } catch {
    return null;
  }
};

/** The insert for one notification, to run alone or in a batch with the change it reports. */
export function notificationInsert(db: Database, userId: string, n: NewNotification, now: Date) {
  return db.insert(notifications).values({
    id: crypto.randomUUID(),
    userId,
    kind: n.kind,
    title: n.title.slice(0, 200),
    body: (n.body ?? '').slice(0, 500),
    url: sitePath(n.url),
    createdAt: now,
  });
}

/**
 * The same insert, for a batch, that runs only when the statement just before it changed a row
 * (`changes() = 1`): a notification for something that happened once, such as an invitation
 * inserted with `on conflict do nothing`, is never sent twice.
 */
export function notificationAfterChange(db: Database, userId: string, n: NewNotification, now: Date) {
  return db.run(sql`insert into ${notifications} (id, user_id, kind, title, body, url, created_at)
    select ${crypto.randomUUID()}, ${userId}, ${n.kind}, ${n.title.slice(0, 200)}, ${(n.body ?? '').slice(0, 500)},
      ${sitePath(n.url)}, ${now.getTime()}
    where changes() = 1`);
}

export async function notify(db: Database, userId: string, n: NewNotification, now: Date) {
  await notificationInsert(db, userId, n, now);
}

/** Newest first, 30 at a time (keyset on the creation time). */
export async function listNotifications(db: Database, userId: string, before?: Date) {
  const rows = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), before ? lt(notifications.createdAt, before) : undefined))
    .orderBy(desc(notifications.createdAt))
    .limit(31);
  const page = rows.slice(0, 30);
  return {
    notifications: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      body: r.body,
      url: r.url,
      createdAt: r.createdAt.toISOString(),
      read: r.readAt !== null,
    })),
    nextBefore: rows.length > 30 ? page[page.length - 1]!.createdAt.getTime().toString() : null,
    unread: await unreadCount(db, userId),
  };
}

export async function unreadCount(db: Database, userId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

/** Marks the member's own notifications read: the ones named, or all. */
export async function markRead(db: Database, userId: string, ids: string[] | 'all', now: Date) {
  const done = await db
    .update(notifications)
    .set({ readAt: now })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        ids === 'all' ? undefined : inArray(notifications.id, ids.length ? ids : ['']),
      ),
    )
    .returning({ id: notifications.id });
  return { marked: done.length };
}
