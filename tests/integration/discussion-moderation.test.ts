import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { memberSanctions, memberTasks, moderationItems, posts, threads, watchedWords } from '#db/schema/index.ts';
import { discussionHarness } from '#tests/factories/discussions.ts';
import { createTestDb } from '#tests/setup/db.ts';

// The discussions core writes every post through moderation's posting policy unless told
// otherwise: these tests use the app as production builds it ('production' policy).
describe('posting through moderation', () => {
  it('holds day-one members to posting rates and caps, with 429 and Retry-After', async () => {
    const h = discussionHarness(await createTestDb(), { postingPolicy: 'production' });
    const newcomer = await h.member();
    const first = await h.startThread(newcomer, { categorySlug: 'members', title: 'Hello everyone', body: 'Hi!' });
    expect(first.status).toBe(201);
    const tooSoon = await h.startThread(newcomer, { categorySlug: 'members', title: 'Second one', body: 'Again' });
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(tooSoon.body.error.message).toMatch(/Try again in \d+ seconds?/);
    for (let i = 0; i < 2; i++) {
      h.clock.advance(20_000);
      expect((await h.startThread(newcomer, { categorySlug: 'members', title: `Topic ${i}`, body: 'x' })).status).toBe(
        201,
      );
    }
    h.clock.advance(20_000);
    const fourth = await h.startThread(newcomer, { categorySlug: 'members', title: 'Topic four', body: 'x' });
    expect(fourth.status).toBe(429);
    expect(await h.db().select().from(posts)).toHaveLength(3);
  });

  it('holds a post with a watched word for review, and refuses a suspended member', async () => {
    const h = discussionHarness(await createTestDb(), { postingPolicy: 'production' });
    const db = h.db();
    await db.insert(watchedWords).values({ id: crypto.randomUUID(), pattern: 'miracle cure', action: 'hold' });
    const author = await h.member();
    const held = await h.startThread(author, {
      categorySlug: 'members',
      title: 'Something that helped me',
      body: 'This miracle cure fixed my exam stress.',
    });
    expect(held.status).toBe(201);
    expect(held.body.post.status).toBe('held');
    const [item] = await db.select().from(moderationItems).where(eq(moderationItems.postId, held.body.post.id));
    expect(item).toMatchObject({ kind: 'held', status: 'open' });

    const suspended = await h.member();
    await db.insert(memberSanctions).values({
      id: crypto.randomUUID(),
      userId: suspended.id,
      kind: 'suspension',
      reason: 'Repeated harassment',
      startsAt: new Date(h.clock.now().getTime() - 1000),
      endsAt: new Date(h.clock.now().getTime() + 86_400_000),
    });
    const refused = await h.startThread(suspended, { categorySlug: 'members', title: 'Can I post?', body: 'Hi' });
    expect(refused.status).toBe(403);
    expect(await db.select().from(posts).where(eq(posts.authorId, suspended.id))).toHaveLength(0);
  });

  it('writes a held post and its review-queue item together, or neither', async () => {
    const h = discussionHarness(await createTestDb(), { postingPolicy: 'production' });
    const db = h.db();
    await db.insert(watchedWords).values({ id: crypto.randomUUID(), pattern: 'miracle cure', action: 'hold' });
    const author = await h.member();
    const draft = { categorySlug: 'members', title: 'Something that helped me', body: 'A miracle cure for stress.' };
    // The queue cannot take the item: the post must not be written without it.
    await db.run(sql`create trigger queue_down before insert on moderation_items
      begin select raise(abort, 'the review queue is unavailable'); end`);
    const failed = await h.startThread(author, draft);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await db.select().from(posts).where(eq(posts.authorId, author.id))).toEqual([]);
    expect(await db.select().from(threads).where(eq(threads.authorId, author.id))).toEqual([]);
    await db.run(sql`drop trigger queue_down`);
    const held = await h.startThread(author, draft);
    expect(held.status).toBe(201);
    const [item] = await db.select().from(moderationItems).where(eq(moderationItems.postId, held.body.post.id));
    expect(item).toMatchObject({ kind: 'held', status: 'open' });
  });

  it('closes the "add a source" task when the author edits the post', async () => {
    const h = discussionHarness(await createTestDb(), { postingPolicy: 'production' });
    const db = h.db();
    const author = await h.member();
    const thread = await h.startThread(author, {
      categorySlug: 'members',
      title: 'Sleep and memory',
      body: 'Sleep doubles memory.',
    });
    const postId = thread.body.post.id as string;
    await db.update(posts).set({ sourceRequestedAt: h.clock.now() }).where(eq(posts.id, postId));
    await db
      .insert(memberTasks)
      .values({ id: crypto.randomUUID(), userId: author.id, postId, kind: 'add-source', createdAt: h.clock.now() });
    h.clock.advance(60_000);
    const edited = await h.json(author, 'PATCH', `/api/posts/${postId}`, {
      body: 'Sleep helps memory ([a review](https://example.org/sleep-review)).',
    });
    expect(edited.status).toBe(200);
    const [task] = await db
      .select()
      .from(memberTasks)
      .where(and(eq(memberTasks.postId, postId)));
    expect(task!.doneAt).not.toBeNull();
  });
});
