import { eq } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { posts, threadAliases, threads, users, type PostStatus, type Role } from '#db/schema/index.ts';
import { createSession } from '#functions/auth/session.ts';
import { testApp, withSession } from '#tests/setup/app.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { createUser } from './users.ts';

/**
 * Threads and posts inserted directly, for the moderation tests: the discussions core (routes,
 * Markdown, aliases) is not needed to moderate. `bodyHtml` is the escaped body.
 */

const DAY = 86_400_000;
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A member who joined `joinedDaysAgo` days before `now` (default: 30 days, an established member). */
export async function createMember(
  db: Database,
  now: Date,
  options: { joinedDaysAgo?: number; roles?: Role[]; displayName?: string; verified?: boolean } = {},
) {
  const user = await createUser(db, {
    ...(options.roles ? { roles: options.roles } : {}),
    ...(options.displayName ? { displayName: options.displayName } : {}),
    ...(options.verified === false ? { verified: false } : {}),
  });
  const createdAt = new Date(now.getTime() - (options.joinedDaysAgo ?? 30) * DAY);
  await db.update(users).set({ createdAt }).where(eq(users.id, user.id));
  return { ...user, roles: options.roles ?? [], createdAt };
}

export interface ThreadOptions {
  authorId: string;
  category?: string;
  title?: string;
  body?: string;
  anonymous?: boolean;
  createdAt?: Date;
  status?: PostStatus;
}

export async function createThread(db: Database, options: ThreadOptions) {
  const createdAt = options.createdAt ?? new Date('2026-11-20T10:00:00Z');
  const body = options.body ?? 'Does anyone have tips for keeping up with reading week?';
  const id = crypto.randomUUID();
  const postId = crypto.randomUUID();
  await db.insert(threads).values({
    id,
    category: options.category ?? 'general',
    title: options.title ?? 'Keeping up with the reading',
    authorId: options.authorId,
    anonymous: options.anonymous ?? false,
    status: options.status ?? 'visible',
    createdAt,
    lastPostAt: createdAt,
    lastSeq: 1,
  });
  await insertPost(db, { ...options, id: postId, threadId: id, seq: 1, body, createdAt });
  return { id, postId, category: options.category ?? 'general' };
}

export async function createReply(
  db: Database,
  threadId: string,
  options: { authorId: string; body?: string; anonymous?: boolean; createdAt?: Date; status?: PostStatus },
) {
  const [thread] = await db.select({ lastSeq: threads.lastSeq }).from(threads).where(eq(threads.id, threadId));
  const seq = (thread?.lastSeq ?? 1) + 1;
  const createdAt = options.createdAt ?? new Date('2026-11-20T11:00:00Z');
  const body = options.body ?? 'I block out two hours every morning. It helps.';
  const id = crypto.randomUUID();
  await insertPost(db, { ...options, id, threadId, seq, body, createdAt });
  await db.update(threads).set({ lastSeq: seq, lastPostAt: createdAt }).where(eq(threads.id, threadId));
  return { id, seq };
}

async function insertPost(
  db: Database,
  p: { id: string; threadId: string; seq: number; authorId: string; body: string; createdAt: Date } & {
    anonymous?: boolean;
    status?: PostStatus;
  },
) {
  await db.insert(posts).values({
    id: p.id,
    threadId: p.threadId,
    seq: p.seq,
    authorId: p.authorId,
    anonymous: p.anonymous ?? false,
    body: p.body,
    bodyHtml: `<p>${escapeHtml(p.body)}</p>`,
    status: p.status ?? 'visible',
    createdAt: p.createdAt,
  });
  if (p.anonymous) await aliasFor(db, p.threadId, p.authorId);
}

/** The author's alias number in the thread, created on first use (1, 2, …). */
export async function aliasFor(db: Database, threadId: string, userId: string) {
  const existing = await db.select().from(threadAliases).where(eq(threadAliases.threadId, threadId));
  const mine = existing.find((a) => a.userId === userId);
  if (mine) return mine.number;
  const number = existing.length + 1;
  await db.insert(threadAliases).values({ threadId, userId, number });
  return number;
}

/** `count` posts by the author in a thread of their own, `spacingMs` apart, ending at `lastAt`. */
export async function postHistory(db: Database, authorId: string, count: number, lastAt: Date, spacingMs = 60_000) {
  const first = new Date(lastAt.getTime() - (count - 1) * spacingMs);
  const thread = await createThread(db, { authorId, createdAt: first });
  for (let i = 1; i < count; i++)
    await createReply(db, thread.id, { authorId, createdAt: new Date(first.getTime() + i * spacingMs) });
  return thread;
}

/** A test database and app, with a helper that signs a member in (a session row, no password). */
export async function moderationTestApp() {
  const db = await createTestDb();
  const t = testApp(db);
  const now = t.clock.now();
  const as = async (userId: string) => withSession((await createSession(db, userId, t.clock.now())).token);
  return { db, t, now, as };
}
