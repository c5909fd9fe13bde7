import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { flags, moderationItems, postReactions, threadReads, threads, watchedWords } from '#db/schema/index.ts';
import type { Database } from '#db/client.ts';
import { createSession } from '#functions/auth/session.ts';
import { listQueue } from '#functions/services/moderation/queue.ts';
import { postingPolicy, recordPostingDecision, type PostingInput } from '#functions/services/moderation/policy.ts';
import {
  levelFor,
  POSTING_LIMITS,
  TRUST_LEVELS,
  trustLevel,
  trustProgress,
} from '#functions/services/moderation/trust.ts';
import { createMember, createReply, createThread, postHistory } from '#tests/factories/moderation.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { fakeClock, testApp, withSession } from '#tests/setup/app.ts';

const DAY = 86_400_000;
const now = fakeClock().now();
const at = (msAgo: number) => new Date(now.getTime() - msAgo);

/** Activity that earns `level`: the level's requirements, met exactly, in the database. */
async function memberAt(db: Database, level: 0 | 1 | 2 | 3) {
  const req = TRUST_LEVELS[level]!.requires;
  const member = await createMember(db, now, { joinedDaysAgo: req ? req.daysSinceJoining : 0 });
  if (!req) return member;
  const other = await createMember(db, now);
  // Old posts (outside every 24-hour window).
  await postHistory(db, member.id, req.postsWritten, at(3 * DAY));
  for (let i = 0; i < req.threadsRead; i++) {
    const th = await createThread(db, { authorId: other.id, createdAt: at(5 * DAY) });
    await db.insert(threadReads).values({ userId: member.id, threadId: th.id, lastSeq: 1, readAt: at(4 * DAY) });
  }
  if (req.reactionsReceived) {
    const mine = await createThread(db, { authorId: member.id, createdAt: at(4 * DAY) });
    const fans = await Promise.all(Array.from({ length: req.reactionsReceived }, () => createMember(db, now)));
    await db
      .insert(postReactions)
      .values(fans.map((f) => ({ postId: mine.postId, userId: f.id, kind: 'helpful' as const })));
  }
  expect(await trustLevel(db, member.id, now)).toBe(level);
  return member;
}

const input = (
  user: { id: string; roles: [] | PostingInput['user']['roles'] },
  extra: Partial<PostingInput> = {},
): PostingInput => ({
  user,
  category: { slug: 'general' },
  kind: 'thread',
  title: 'A question about deadlines',
  body: 'When is the essay due?',
  now,
  ...extra,
});

const failure = (p: Promise<unknown>) => p.then(() => null).catch((e: unknown) => e as Record<string, unknown>);

describe('trust levels', () => {
  it('follow the thresholds, and upheld flags hold a member back', async () => {
    const base = { daysSinceJoining: 0, threadsRead: 0, postsWritten: 0, reactionsReceived: 0, flagsUpheld: 0 };
    expect(levelFor(base)).toBe(0);
    for (const l of TRUST_LEVELS) {
      if (!l.requires) continue;
      const { maxFlagsUpheld, ...req } = l.requires;
      expect(levelFor({ ...base, ...req, flagsUpheld: maxFlagsUpheld }), l.name).toBe(l.level);
      expect(levelFor({ ...base, ...req, flagsUpheld: maxFlagsUpheld + 1 }), l.name).toBeLessThan(l.level);
      expect(levelFor({ ...base, ...req, daysSinceJoining: req.daysSinceJoining - 1 })).toBeLessThan(l.level);
    }
  });

  it('are computed from activity in the database, and members see their progress', async () => {
    const db = await createTestDb();
    const member = await memberAt(db, 1);
    const progress = await trustProgress(db, member, now);
    expect(progress).toMatchObject({ level: 1, name: 'Member', next: { level: 2, name: 'Regular' } });
    const days = progress.next!.requirements.find((r) => r.key === 'daysSinceJoining')!;
    expect(days).toMatchObject({ have: 1, need: 14, met: false });

    // Level 1 allows two posts that moderators acted on after flags; a third drops them back to 0.
    const other = await createMember(db, now);
    for (let i = 0; i < 3; i++) {
      const th = await createThread(db, { authorId: member.id, createdAt: at(3 * DAY) });
      await db.insert(flags).values({
        id: crypto.randomUUID(),
        postId: th.postId,
        flaggerId: other.id,
        reason: 'harassment',
        outcome: 'upheld',
        resolvedAt: at(DAY),
      });
    }
    expect(await trustLevel(db, member.id, now)).toBe(0);

    const t = testApp(db);
    const res = await t.request('/api/me/trust', {
      headers: withSession((await createSession(db, member.id, t.clock.now())).token),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ level: 0, activity: { flagsUpheld: 3 }, next: { level: 1 } });
    expect((await t.request('/api/me/trust')).status).toBe(401);
  });
});

describe('the posting policy', () => {
  it('limits new members to two links and no images; higher levels lift it', async () => {
    const db = await createTestDb();
    const newbie = await memberAt(db, 0);
    const three = 'See https://a.example, https://b.example and [this](https://c.example).';
    const refused = await failure(postingPolicy(db, input(newbie, { body: three })));
    expect(refused).toMatchObject({
      status: 422,
      code: 'too_many_links',
      details: { fields: { body: expect.any(String) } },
    });
    await expect(
      postingPolicy(db, input(newbie, { body: 'https://a.example and https://b.example' })),
    ).resolves.toMatchObject({
      status: 'visible',
    });
    expect(
      await failure(postingPolicy(db, input(newbie, { body: 'Look: ![chart](https://x.example/c.png)' }))),
    ).toMatchObject({
      status: 422,
      code: 'images_not_allowed',
    });
    const member = await memberAt(db, 1);
    await expect(postingPolicy(db, input(member, { body: three }))).resolves.toMatchObject({
      status: 'visible',
      trustLevel: 1,
    });
  });

  it('holds a new member’s first posts in categories that ask for it, and queues them', async () => {
    const db = await createTestDb();
    const newbie = await memberAt(db, 0);
    const holding = { slug: 'first-year', holdFirstPosts: true };
    const decision = await postingPolicy(db, input(newbie, { category: holding }));
    expect(decision).toMatchObject({ status: 'held', reasons: ['first-posts'] });
    expect(decision.statusReason).toMatch(/moderator/);
    await expect(postingPolicy(db, input(newbie))).resolves.toMatchObject({ status: 'visible' });
    const member = await memberAt(db, 1);
    await expect(postingPolicy(db, input(member, { category: holding }))).resolves.toMatchObject({ status: 'visible' });

    const thread = await createThread(db, { authorId: newbie.id, status: 'held' });
    await recordPostingDecision(db, { postId: thread.postId, decision, now });
    const [item] = await db.select().from(moderationItems).where(eq(moderationItems.postId, thread.postId));
    expect(item).toMatchObject({ kind: 'held', status: 'open' });
  });

  it('holds new members to day-one limits: 3 threads and 10 replies a day, 15 s between threads, 5 s between posts', async () => {
    const db = await createTestDb();
    const newbie = await memberAt(db, 0);
    const other = await createMember(db, now);
    const elsewhere = await createThread(db, { authorId: other.id, createdAt: at(DAY * 2) });
    // Three threads, the first 20 hours ago: the fourth waits until that one is 24 hours old.
    for (const ago of [20 * 3_600_000, 10 * 3_600_000, 60_000])
      await createThread(db, { authorId: newbie.id, createdAt: at(ago) });
    const day = await failure(postingPolicy(db, input(newbie)));
    expect(day).toMatchObject({ status: 429, code: 'daily_limit', headers: { 'Retry-After': String(4 * 3600) } });
    expect((day as { message: string }).message).toMatch(/3 threads a day/);

    // Ten replies in the last hours; the eleventh is refused.
    for (let i = 10; i >= 1; i--)
      await createReply(db, elsewhere.id, { authorId: newbie.id, createdAt: at(i * 120_000) });
    const reply = input(newbie, { kind: 'reply', threadId: elsewhere.id });
    expect(await failure(postingPolicy(db, reply))).toMatchObject({ status: 429, code: 'daily_limit' });

    const fresh = await memberAt(db, 0);
    await createThread(db, { authorId: fresh.id, createdAt: at(10_000) });
    expect(await failure(postingPolicy(db, input(fresh)))).toMatchObject({
      status: 429,
      code: 'posting_too_fast',
      headers: { 'Retry-After': '5' },
      details: { retryAfterSeconds: 5, reason: expect.stringMatching(/15 seconds/) },
    });
    await createReply(db, elsewhere.id, { authorId: fresh.id, createdAt: at(2_000) });
    expect(await failure(postingPolicy(db, input(fresh, { kind: 'reply', threadId: elsewhere.id })))).toMatchObject({
      status: 429,
      headers: { 'Retry-After': '3' },
    });
    // Edits are not posts: no rate limit.
    await expect(postingPolicy(db, input(fresh, { kind: 'edit', threadId: elsewhere.id }))).resolves.toMatchObject({
      status: 'visible',
    });
  });

  it('lifts the limits at higher levels and for staff', async () => {
    const db = await createTestDb();
    const trusted = await memberAt(db, 3);
    const moderator = await createMember(db, now, { roles: ['moderator'], joinedDaysAgo: 0 });
    for (const user of [trusted, moderator]) {
      for (let i = 1; i <= 12; i++) await createThread(db, { authorId: user.id, createdAt: at(i * 1000) });
      await expect(postingPolicy(db, input(user))).resolves.toMatchObject({ status: 'visible' });
    }
    expect(POSTING_LIMITS[3].threadsPerDay).toBeNull();
    expect(POSTING_LIMITS[0].threadsPerDay).toBe(3);
  });

  it('applies watched words: block names the field without echoing the word, hold holds, flag queues', async () => {
    const db = await createTestDb();
    const member = await memberAt(db, 1);
    await db.insert(watchedWords).values([
      { id: crypto.randomUUID(), pattern: 'essay mill*', action: 'block' },
      { id: crypto.randomUUID(), pattern: 'diet pill*', action: 'hold' },
      { id: crypto.randomUUID(), pattern: 'crypto', action: 'flag' },
    ]);
    const blocked = await failure(postingPolicy(db, input(member, { title: 'Best ESSAY Mills compared' })));
    expect(blocked).toMatchObject({
      status: 422,
      code: 'watched_word',
      details: { fields: { title: expect.any(String) } },
    });
    expect(JSON.stringify(blocked)).not.toMatch(/essay|mill/i);
    expect(await failure(postingPolicy(db, input(member, { body: 'try an essay mill' })))).toMatchObject({
      details: { fields: { body: expect.any(String) } },
    });
    // Word boundaries: "essay milling" is blocked by the wildcard; "essays" alone is not.
    await expect(postingPolicy(db, input(member, { body: 'My essays are late' }))).resolves.toMatchObject({
      status: 'visible',
    });

    await expect(postingPolicy(db, input(member, { body: 'These diet pills work' }))).resolves.toMatchObject({
      status: 'held',
      reasons: ['watched-word'],
    });
    const flagged = await postingPolicy(db, input(member, { body: 'Anyone into Crypto?' }));
    expect(flagged).toMatchObject({ status: 'visible', flagAs: { watchedWords: ['crypto'] } });
    const thread = await createThread(db, { authorId: member.id, body: 'Anyone into Crypto?' });
    await recordPostingDecision(db, { postId: thread.postId, decision: flagged, now });
    const moderator = await createMember(db, now, { roles: ['moderator'] });
    const { items } = await listQueue(db, moderator, { all: true, staff: true });
    expect(items[0]).toMatchObject({
      kind: 'watched-word',
      why: [{ action: 'watched-word', watchedWords: ['crypto'] }],
    });
  });

  it('refuses replies to locked or closed threads, except from staff', async () => {
    const db = await createTestDb();
    const member = await memberAt(db, 1);
    const moderator = await createMember(db, now, { roles: ['moderator'] });
    const thread = await createThread(db, { authorId: member.id, createdAt: at(DAY) });
    await db.update(threads).set({ lockedAt: now }).where(eq(threads.id, thread.id));
    const reply = (user: typeof member) => input(user, { kind: 'reply', threadId: thread.id });
    expect(await failure(postingPolicy(db, reply(member)))).toMatchObject({ status: 409, code: 'thread_locked' });
    await expect(postingPolicy(db, reply(moderator))).resolves.toMatchObject({ status: 'visible' });
  });
});
