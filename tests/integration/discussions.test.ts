import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import * as schema from '#db/schema/index.ts';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '#db/client.ts';
import { notifications, postRevisions, posts, subscriptions, threadReads, threads } from '#db/schema/index.ts';
import { getThread, listThreads } from '#functions/services/discussions/read.ts';
import { BENCH_CATALOG, countingDatabase, threadWithReplies } from '#scripts/lib/discussion-bench.ts';
import { writePost, type PostingPolicy } from '#functions/services/discussions/write.ts';
import { handleOf } from '#functions/services/discussions/mentions.ts';
import { freePort } from '#scripts/lib/ports.ts';
import { discussionHarness, fixtureDiscussions } from '#tests/factories/discussions.ts';
import { createTestDb } from '#tests/setup/db.ts';

const body = 'I keep putting off my essay until the night before. What helps you start earlier?';

describe('threads and replies', () => {
  it('starts a thread, takes replies and shows them in order with their authors', async () => {
    const h = discussionHarness(await createTestDb());
    const asker = await h.member({ displayName: 'Tomás Silva' });
    const helper = await h.member({ displayName: 'Priya Raman' });
    const created = await h.startThread(asker, { categorySlug: 'members', title: 'Starting essays earlier', body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      thread: { title: 'Starting essays earlier' },
      post: { seq: 1, status: 'visible' },
    });
    const id = created.body.thread.id as string;

    const reply = await h.reply(helper, id, {
      body: 'I write **one ugly paragraph** first. [Pomodoro](https://example.org/p)',
    });
    expect(reply.status).toBe(201);
    expect(reply.body.post.seq).toBe(2);

    const page = await h.thread(asker, id);
    expect(page.status).toBe(200);
    expect(page.body.posts.map((p: { seq: number }) => p.seq)).toEqual([1, 2]);
    expect(page.body.posts[0].author).toMatchObject({ kind: 'member', displayName: 'Tomás Silva', you: true });
    expect(page.body.posts[1].author).toMatchObject({ kind: 'member', displayName: 'Priya Raman', you: false });
    expect(page.body.posts[1].bodyHtml).toBe(
      '<p>I write <strong>one ugly paragraph</strong> first. <a href="https://example.org/p" rel="nofollow ugc noopener">Pomodoro</a></p>',
    );
    expect(page.body.thread).toMatchObject({ replyCount: 1, author: { displayName: 'Tomás Silva' } });
    // GET changes nothing: reading state moves only with POST /read (or the page itself).
    const [read] = await h.db().select().from(threadReads).where(eq(threadReads.userId, asker.id));
    expect(read?.lastSeq).toBe(1);
    expect((await h.json(asker, 'POST', `/api/threads/${id}/read`, { seq: 2 })).body).toEqual({ lastSeq: 2 });
  });

  it('refuses titles of the wrong length and empty or overlong bodies, naming the field', async () => {
    const h = discussionHarness(await createTestDb());
    const m = await h.member();
    for (const [input, field] of [
      [{ title: 'Hi', body }, 'title'],
      [{ title: 'x'.repeat(151), body }, 'title'],
      [{ title: '   Four   ', body }, 'title'],
      [{ title: 'A good title', body: '   ' }, 'body'],
      [{ title: 'A good title', body: 'x'.repeat(32_001) }, 'body'],
    ] as const) {
      const res = await h.startThread(m, { categorySlug: 'members', ...input });
      expect(res.status, JSON.stringify(input).slice(0, 40)).toBe(400);
      expect(Object.keys(res.body.error.details.fields)).toContain(field);
    }
    // Exactly at the limits is fine; a 32,000-character post in emoji, sent as a form, fits the body limit.
    const emoji = '💛'.repeat(16_000);
    const ok = await h.request('/api/threads', {
      method: 'POST',
      headers: { ...h.as(m), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ categorySlug: 'members', title: 'x'.repeat(150), body: emoji }).toString(),
    });
    expect(ok.status).toBe(201);
    // Far beyond it, the body is refused before it is read.
    const huge = await h.request('/api/threads', {
      method: 'POST',
      headers: { ...h.as(m), 'content-type': 'application/json' },
      body: JSON.stringify({ categorySlug: 'members', title: 'Too big', body: 'x'.repeat(500_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await h.db().select().from(threads)).toHaveLength(1);
  });

  it('refuses unknown fields and strangers’ ids in the body', async () => {
    const h = discussionHarness(await createTestDb());
    const m = await h.member();
    for (const extra of [{ authorId: crypto.randomUUID() }, { status: 'visible' }, { role: 'admin' }]) {
      const res = await h.startThread(m, { categorySlug: 'members', title: 'A good title', body, ...extra });
      expect(res.status).toBe(400);
    }
  });

  it('keeps posting to those the category allows, and to confirmed members', async () => {
    const h = discussionHarness(await createTestDb());
    const member = await h.member();
    const mentor = await h.member({ roles: ['mentor'] });
    const moderator = await h.member({ roles: ['moderator'] });
    const unconfirmed = await h.member({ verified: false });
    const start = (u: { id: string }, categorySlug: string) =>
      h.startThread(u, { categorySlug, title: 'A good title', body }).then((r) => r.status);
    expect(await start(member, 'mentors')).toBe(403);
    expect(await start(mentor, 'mentors')).toBe(201);
    expect(await start(mentor, 'staff')).toBe(403);
    expect(await start(moderator, 'staff')).toBe(201);
    expect(await start(unconfirmed, 'members')).toBe(403);
    expect(await start(member, 'no-such-category')).toBe(404);
    expect(
      (await h.json(null, 'POST', '/api/threads', { categorySlug: 'open', title: 'A good title', body })).status,
    ).toBe(401);
  });

  it('numbers concurrent replies without gaps or repeats', async () => {
    const h = discussionHarness(await createTestDb());
    const asker = await h.member();
    const people = await Promise.all(Array.from({ length: 6 }, () => h.member()));
    const id = (await h.startThread(asker, { categorySlug: 'members', title: 'Who is around?', body })).body.thread.id;
    const results = await Promise.all(
      people.flatMap((p) => [1, 2, 3].map((n) => h.reply(p, id, { body: `Here, round ${n}` }))),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const seqs = results.map((r) => r.body.post.seq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 18 }, (_, i) => i + 2));
    const [row] = await h.db().select().from(threads).where(eq(threads.id, id));
    expect(row).toMatchObject({ lastSeq: 19, replyCount: 18 });
  });

  it('quote-replies point at their post, which must be in the same thread', async () => {
    const h = discussionHarness(await createTestDb());
    const a = await h.member({ displayName: 'Hannah Brooks' });
    const b = await h.member();
    const one = (await h.startThread(a, { categorySlug: 'members', title: 'Thread one', body })).body;
    const two = (await h.startThread(a, { categorySlug: 'members', title: 'Thread two', body })).body;
    const quoted = await h.reply(b, one.thread.id, {
      body: '> the night before\n\nSame here!',
      replyToPostId: one.post.id,
    });
    expect(quoted.status).toBe(201);
    const page = await h.thread(b, one.thread.id);
    expect(page.body.posts[1].replyTo).toMatchObject({
      id: one.post.id,
      seq: 1,
      author: { displayName: 'Hannah Brooks' },
    });
    expect(page.body.posts[1].bodyHtml).toContain('<blockquote>');
    const wrong = await h.reply(b, one.thread.id, { body: 'x', replyToPostId: two.post.id });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.fields).toHaveProperty('replyToPostId');
  });
});

describe('editing and deleting', () => {
  it('keeps each earlier version for the author and moderators, and shows that the post was edited', async () => {
    const h = discussionHarness(await createTestDb());
    const author = await h.member();
    const other = await h.member();
    const moderator = await h.member({ roles: ['moderator'] });
    const { thread, post } = (
      await h.startThread(author, { categorySlug: 'members', title: 'First title', body: 'Version one' })
    ).body;
    h.clock.advance(60_000);
    const edited = await h.json(author, 'PATCH', `/api/posts/${post.id}`, {
      body: 'Version two',
      title: 'Second title',
      reason: 'typo',
    });
    expect(edited.status).toBe(200);
    const page = await h.thread(other, thread.id);
    expect(page.body.thread.title).toBe('Second title');
    expect(page.body.posts[0]).toMatchObject({ bodyHtml: '<p>Version two</p>', editedAt: h.clock.now().toISOString() });

    const history = await h.get(author, `/api/posts/${post.id}/revisions`);
    expect(history.status).toBe(200);
    expect(history.body.revisions).toHaveLength(1);
    expect(history.body.revisions[0]).toMatchObject({ body: 'Version one', title: 'First title', reason: 'typo' });
    expect((await h.get(moderator, `/api/posts/${post.id}/revisions`)).status).toBe(200);
    expect((await h.get(other, `/api/posts/${post.id}/revisions`)).status).toBe(403);
    expect((await h.get(null, `/api/posts/${post.id}/revisions`)).status).toBe(401);

    // Only the author edits; a reply has no title.
    expect((await h.json(other, 'PATCH', `/api/posts/${post.id}`, { body: 'Mine now' })).status).toBe(403);
    const reply = (await h.reply(other, thread.id, { body: 'A reply' })).body.post;
    expect((await h.json(other, 'PATCH', `/api/posts/${reply.id}`, { body: 'x', title: 'A title' })).status).toBe(400);
    expect(await h.db().select().from(postRevisions)).toHaveLength(1);
  });

  it('deletes softly: the place stays, the text goes, and the counts follow', async () => {
    const h = discussionHarness(await createTestDb());
    const a = await h.member();
    const b = await h.member();
    const { thread } = (await h.startThread(a, { categorySlug: 'members', title: 'A good title', body })).body;
    const reply = (await h.reply(b, thread.id, { body: 'Secret plan' })).body.post;
    expect((await h.json(a, 'DELETE', `/api/posts/${reply.id}`)).status).toBe(403);
    expect((await h.json(b, 'DELETE', `/api/posts/${reply.id}`)).status).toBe(200);
    const page = await h.thread(a, thread.id);
    expect(page.body.posts[1]).toMatchObject({ seq: 2, status: 'deleted', bodyHtml: '' });
    expect(JSON.stringify(page.body)).not.toContain('Secret plan');
    expect(page.body.thread.replyCount).toBe(0);
    expect((await h.json(b, 'PATCH', `/api/posts/${reply.id}`, { body: 'Back' })).status).toBe(409);
    // The row is still there (soft).
    expect(await h.db().select().from(posts).where(eq(posts.id, reply.id))).toHaveLength(1);
  });
});

describe('reactions and solutions', () => {
  it('counts helpful, thanks and me-too, one each per member, never on one’s own post', async () => {
    const h = discussionHarness(await createTestDb());
    const a = await h.member();
    const b = await h.member();
    const c = await h.member();
    const { thread, post } = (await h.startThread(a, { categorySlug: 'members', title: 'A good title', body })).body;
    expect((await h.json(b, 'POST', `/api/posts/${post.id}/reactions`, { kind: 'helpful' })).status).toBe(201);
    expect((await h.json(b, 'POST', `/api/posts/${post.id}/reactions`, { kind: 'helpful' })).status).toBe(201);
    expect((await h.json(c, 'POST', `/api/posts/${post.id}/reactions`, { kind: 'helpful' })).status).toBe(201);
    expect((await h.json(c, 'POST', `/api/posts/${post.id}/reactions`, { kind: 'me-too' })).status).toBe(201);
    expect((await h.json(a, 'POST', `/api/posts/${post.id}/reactions`, { kind: 'thanks' })).status).toBe(409);
    expect((await h.json(b, 'POST', `/api/posts/${post.id}/reactions`, { kind: 'love' })).status).toBe(400);
    let page = await h.thread(c, thread.id);
    expect(page.body.posts[0].reactions).toEqual({ helpful: 2, thanks: 0, 'me-too': 1 });
    expect(page.body.posts[0].myReactions.sort()).toEqual(['helpful', 'me-too']);
    expect((await h.json(c, 'DELETE', `/api/posts/${post.id}/reactions?kind=helpful`)).status).toBe(200);
    // HTML forms take a reaction back with remove=true.
    await h.postForm(`/api/posts/${post.id}/reactions`, { kind: 'me-too', remove: 'true' }, { headers: h.as(c) });
    page = await h.thread(c, thread.id);
    expect(page.body.posts[0].reactions).toEqual({ helpful: 1, thanks: 0, 'me-too': 0 });
  });

  it('lets the asker or a moderator accept one reply in Q&A categories, apart from "helpful"', async () => {
    const h = discussionHarness(await createTestDb());
    const asker = await h.member();
    const answerer = await h.member();
    const bystander = await h.member();
    const moderator = await h.member({ roles: ['moderator'] });
    const { thread, post } = (
      await h.startThread(asker, { categorySlug: 'qa', title: 'How do I cite a lecture?', body })
    ).body;
    const answer = (await h.reply(answerer, thread.id, { body: 'Use the lecturer, date and course code.' })).body.post;
    const solution = (postId: string | null, who: { id: string }) =>
      h.json(who, 'POST', `/api/threads/${thread.id}/solution`, { postId });
    expect((await solution(answer.id, bystander)).status).toBe(403);
    expect((await solution(post.id, asker)).status).toBe(400); // the question is not its own answer
    expect((await solution(answer.id, asker)).status).toBe(200);
    const page = await h.thread(bystander, thread.id);
    expect(page.body.thread).toMatchObject({ solved: true, solutionPostId: answer.id });
    expect(page.body.posts[1]).toMatchObject({ isSolution: true, reactions: { helpful: 0 } });
    const [note] = await h
      .db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, answerer.id), eq(notifications.kind, 'discussion.solution')));
    expect(note?.title).toContain('How do I cite a lecture?');
    expect((await solution(null, moderator)).status).toBe(200);
    expect((await h.thread(bystander, thread.id)).body.thread.solved).toBe(false);

    const elsewhere = (await h.startThread(asker, { categorySlug: 'members', title: 'Not a question', body })).body;
    const r = (await h.reply(answerer, elsewhere.thread.id, { body: 'Reply' })).body.post;
    expect((await h.json(asker, 'POST', `/api/threads/${elsewhere.thread.id}/solution`, { postId: r.id })).status).toBe(
      409,
    );
  });
});

describe('thread rules', () => {
  it('locked and closed threads take no replies from members; slow mode answers 429 with Retry-After', async () => {
    const h = discussionHarness(await createTestDb());
    const a = await h.member();
    const moderator = await h.member({ roles: ['moderator'] });
    const { thread } = (await h.startThread(a, { categorySlug: 'members', title: 'A good title', body })).body;
    await h.db().update(threads).set({ lockedAt: h.clock.now() }).where(eq(threads.id, thread.id));
    expect((await h.reply(a, thread.id, { body: 'hello' })).status).toBe(409);
    expect((await h.reply(moderator, thread.id, { body: 'Locked while we look at this.' })).status).toBe(201);
    await h.db().update(threads).set({ lockedAt: null, closedAt: h.clock.now() }).where(eq(threads.id, thread.id));
    const closed = await h.reply(a, thread.id, { body: 'hello' });
    expect(closed.body.error.code).toBe('thread_closed');

    await h.db().update(threads).set({ closedAt: null, slowModeSeconds: 60 }).where(eq(threads.id, thread.id));
    // The opening post counts: a minute after it, the next post is fine.
    expect((await h.reply(a, thread.id, { body: 'one' })).status).toBe(429);
    h.clock.advance(60_000);
    expect((await h.reply(a, thread.id, { body: 'one' })).status).toBe(201);
    h.clock.advance(20_000);
    const slow = await h.reply(a, thread.id, { body: 'two' });
    expect(slow.status).toBe(429);
    expect(slow.res.headers.get('retry-after')).toBe('40');
    h.clock.advance(40_000);
    expect((await h.reply(a, thread.id, { body: 'two' })).status).toBe(201);
  });

  it('post-first threads show others’ replies only after the member has replied; moderators see all', async () => {
    const h = discussionHarness(await createTestDb());
    const [a, b, c] = [await h.member(), await h.member(), await h.member()];
    const moderator = await h.member({ roles: ['moderator'] });
    const { thread } = (await h.startThread(a, { categorySlug: 'reflect', title: 'A small win this week', body })).body;
    await h.reply(b, thread.id, { body: 'I handed in early.' });
    let page = await h.thread(c, thread.id);
    expect(page.body.posts.map((p: { seq: number }) => p.seq)).toEqual([1]);
    expect(page.body.hiddenReplies).toBe(1);
    expect(JSON.stringify(page.body)).not.toContain('handed in');
    expect((await h.thread(moderator, thread.id)).body.posts).toHaveLength(2);
    await h.reply(c, thread.id, { body: 'I cooked a real meal.' });
    page = await h.thread(c, thread.id);
    expect(page.body.posts).toHaveLength(3);
    expect(page.body.hiddenReplies).toBe(0);
    // The opener posted, so they see the replies too.
    expect((await h.thread(a, thread.id)).body.posts).toHaveLength(3);
  });

  it('holds a post when the posting policy says so: seen by its author and moderators only, counted nowhere', async () => {
    const db = await createTestDb();
    const h = discussionHarness(db);
    const catalog = fixtureDiscussions();
    const [a, b] = [await h.member(), await h.member()];
    const moderator = await h.member({ roles: ['moderator'] });
    const { thread } = (await h.startThread(a, { categorySlug: 'members', title: 'A good title', body })).body;
    const hold: PostingPolicy = async () => ({ status: 'held', reason: 'New members’ first posts wait for approval.' });
    const held = await writePost(
      db,
      { catalog, now: h.clock.now(), policy: hold },
      { id: b.id, roles: [], emailVerified: true },
      { kind: 'reply', threadId: thread.id, body: 'Waiting room' },
    );
    expect(held.post).toMatchObject({ seq: 2, status: 'held' });
    expect((await h.thread(a, thread.id)).body.posts).toHaveLength(1);
    const own = await h.thread(b, thread.id);
    expect(own.body.posts[1]).toMatchObject({
      status: 'held',
      statusReason: 'New members’ first posts wait for approval.',
    });
    expect((await h.thread(moderator, thread.id)).body.posts).toHaveLength(2);
    expect((await h.thread(a, thread.id)).body.thread.replyCount).toBe(0);
    expect(await h.db().select().from(notifications).where(eq(notifications.userId, a.id))).toHaveLength(0);
    // A held new thread is not listed and is 404 for others.
    const heldThread = await writePost(
      db,
      { catalog, now: h.clock.now(), policy: hold },
      { id: b.id, roles: [], emailVerified: true },
      { kind: 'thread', categorySlug: 'members', title: 'Held thread', body },
    );
    expect((await h.thread(a, heldThread.thread.id)).status).toBe(404);
    expect((await h.thread(b, heldThread.thread.id)).status).toBe(200);
    const list = await listThreads(db, catalog, { id: a.id, roles: [] }, 'members');
    expect(list.threads.map((t) => t.id)).not.toContain(heldThread.thread.id);
  });
});

describe('thread lists', () => {
  it('pages by activity with a keyset cursor: every thread once, ties on time included, pinned first', async () => {
    const db = await createTestDb();
    const h = discussionHarness(db);
    const m = await h.member();
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      // Three threads share each timestamp: the id breaks the tie.
      if (i % 3 === 0) h.clock.advance(1000);
      ids.push((await h.startThread(m, { categorySlug: 'members', title: `Thread number ${i}`, body })).body.thread.id);
    }
    await db.update(threads).set({ pinnedAt: h.clock.now() }).where(eq(threads.id, ids[0]!));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<typeof h.get>> = await h.get(
        m,
        `/api/categories/members/threads?limit=5${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      if (pages === 0) expect(res.body.pinned.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
      else expect(res.body.pinned).toEqual([]);
      seen.push(...res.body.threads.map((t: { id: string }) => t.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(new Set(seen).size).toBe(22);
    expect(seen).not.toContain(ids[0]);
    const rows = await db.select().from(threads);
    const expected = rows
      .filter((r) => r.id !== ids[0])
      .sort((x, y) => y.lastPostAt.getTime() - x.lastPostAt.getTime() || (y.id < x.id ? -1 : 1))
      .map((r) => r.id);
    expect(seen).toEqual(expected);
    expect((await h.get(m, '/api/categories/members/threads?cursor=bogus')).status).toBe(400);
  });

  it('moves a thread up when someone replies, and marks what is unread', async () => {
    const h = discussionHarness(await createTestDb());
    const [a, b] = [await h.member(), await h.member()];
    const first = (await h.startThread(a, { categorySlug: 'members', title: 'The first one', body })).body.thread.id;
    h.clock.advance(1000);
    await h.startThread(a, { categorySlug: 'members', title: 'The second one', body });
    h.clock.advance(1000);
    await h.reply(b, first, { body: 'Bumping with an answer' });
    const list = await h.get(a, '/api/categories/members/threads');
    expect(list.body.threads[0]).toMatchObject({ id: first, unread: 1, unopened: false });
    expect((await h.get(b, '/api/categories/members/threads')).body.threads[1]).toMatchObject({ unopened: true });
  });

  it('lists categories with thread counts and whether the member may post', async () => {
    const h = discussionHarness(await createTestDb());
    const m = await h.member();
    await h.startThread(m, { categorySlug: 'members', title: 'A good title', body });
    const list = await h.get(m, '/api/categories');
    const members = list.body.find((c: { slug: string }) => c.slug === 'members');
    expect(members).toMatchObject({ threadCount: 1, canPost: true, visibility: 'members' });
    expect(list.body.find((c: { slug: string }) => c.slug === 'staff')).toMatchObject({ canPost: false });
    // Visitors see public categories only.
    expect((await h.get(null, '/api/categories')).body.map((c: { slug: string }) => c.slug)).toEqual(['open', 'staff']);
  });
});

describe('notifications and subscriptions', () => {
  it('tells the author of a replied post, people mentioned, and watchers; never the writer; not the muted', async () => {
    const h = discussionHarness(await createTestDb());
    const asker = await h.member({ displayName: 'Elena Petrova' });
    const helper = await h.member({ displayName: 'Samuel Mensah' });
    const named = await h.member({ displayName: 'Lucía Fernández' });
    const watcher = await h.member();
    const muted = await h.member({ displayName: 'Muted Person' });
    const { thread, post } = (
      await h.startThread(asker, { categorySlug: 'members', title: 'Group project help', body })
    ).body;
    await h.json(watcher, 'POST', '/api/subscriptions', { targetType: 'category', target: 'members', level: 'watch' });
    await h.json(muted, 'POST', '/api/subscriptions', { targetType: 'thread', target: thread.id, level: 'mute' });
    await h.reply(helper, thread.id, {
      body: `Ask @${handleOf(named)} and @${handleOf(muted)}, they ran one last year. Not @nobody-1234.`,
      replyToPostId: post.id,
    });
    const kinds = async (u: { id: string }) =>
      (await h.get(u, '/api/notifications')).body.notifications.map((n: { kind: string; title: string }) => n);
    expect(await kinds(asker)).toEqual([
      expect.objectContaining({
        kind: 'discussion.reply',
        title: 'Samuel Mensah replied to your post in “Group project help”',
      }),
    ]);
    expect(await kinds(named)).toEqual([expect.objectContaining({ kind: 'discussion.mention' })]);
    expect(await kinds(watcher)).toEqual([expect.objectContaining({ kind: 'discussion.watch' })]);
    expect(await kinds(muted)).toEqual([]);
    expect(await kinds(helper)).toEqual([]);
    // The replier now tracks the thread; the asker watches it.
    const subs = await h.db().select().from(subscriptions).where(eq(subscriptions.target, thread.id));
    expect(Object.fromEntries(subs.map((s) => [s.userId, s.level]))).toMatchObject({
      [asker.id]: 'watch',
      [helper.id]: 'track',
      [muted.id]: 'mute',
    });
    // An edit notifies only people it names for the first time.
    const replyId = (await h.thread(asker, thread.id)).body.posts[1].id;
    const newcomer = await h.member();
    await h.json(helper, 'PATCH', `/api/posts/${replyId}`, {
      body: `Ask @${handleOf(named)} and @${handleOf(newcomer)}.`,
    });
    expect(await kinds(named)).toHaveLength(1);
    expect(await kinds(newcomer)).toEqual([expect.objectContaining({ kind: 'discussion.mention' })]);
  });

  it('lets no one mention a member who blocked them, named or anonymous, new or edited; a mute does not stop it', async () => {
    const h = discussionHarness(await createTestDb());
    const asker = await h.member({ displayName: 'Elena Petrova' });
    const pest = await h.member({ displayName: 'Pat Pest' });
    const blocker = await h.member({ displayName: 'Lucía Fernández' });
    const muter = await h.member({ displayName: 'Amara Okafor' });
    expect((await h.json(blocker, 'POST', `/api/members/${pest.id}/block`, { kind: 'block' })).status).toBe(200);
    expect((await h.json(muter, 'POST', `/api/members/${pest.id}/block`, { kind: 'mute' })).status).toBe(200);
    const mentionsOf = async (u: { id: string }) =>
      (await h.get(u, '/api/notifications')).body.notifications.filter(
        (n: { kind: string }) => n.kind === 'discussion.mention',
      );
    const { thread } = (await h.startThread(asker, { categorySlug: 'members', title: 'Group project help', body }))
      .body;
    const named = await h.reply(pest, thread.id, { body: `Hey @${handleOf(blocker)} and @${handleOf(muter)}` });
    expect(named.status).toBe(201);
    const anon = (await h.startThread(asker, { categorySlug: 'anon', title: 'Asking quietly', body })).body.thread;
    expect((await h.reply(pest, anon.id, { body: `Still here @${handleOf(blocker)}`, anonymous: true })).status).toBe(
      201,
    );
    await h.json(pest, 'PATCH', `/api/posts/${named.body.post.id}`, { body: `Edited, @${handleOf(blocker)} again` });
    expect(await mentionsOf(blocker)).toEqual([]);
    // The block is one-way and personal: others still mention the blocker, the muter still hears.
    expect(await mentionsOf(muter)).toHaveLength(1);
    await h.reply(asker, thread.id, { body: `Thanks @${handleOf(blocker)}` });
    expect(await mentionsOf(blocker)).toHaveLength(1);
  });

  it('sets and forgets subscriptions only on things the member can see', async () => {
    const h = discussionHarness(await createTestDb());
    const m = await h.member();
    expect(
      (await h.json(m, 'POST', '/api/subscriptions', { targetType: 'category', target: 'cohort', level: 'watch' }))
        .status,
    ).toBe(404);
    expect(
      (
        await h.json(m, 'POST', '/api/subscriptions', {
          targetType: 'thread',
          target: crypto.randomUUID(),
          level: 'watch',
        })
      ).status,
    ).toBe(404);
    const ok = await h.json(m, 'POST', '/api/subscriptions', {
      targetType: 'category',
      target: 'members',
      level: 'track',
    });
    expect(ok.body).toEqual({ targetType: 'category', target: 'members', level: 'track' });
    const gone = await h.json(m, 'POST', '/api/subscriptions', {
      targetType: 'category',
      target: 'members',
      level: 'default',
    });
    expect(gone.body.level).toBeNull();
    expect(await h.db().select().from(subscriptions)).toHaveLength(0);
  });
});

describe('a failing database', () => {
  it('answers 503 and writes nothing, wherever the writes are interrupted', async () => {
    const db = await createTestDb();
    const h = discussionHarness(db);
    const a = await h.member();
    const b = await h.member();
    const watcher = await h.member();
    const { thread } = (await h.startThread(a, { categorySlug: 'members', title: 'A good title', body })).body;
    await h.json(watcher, 'POST', '/api/subscriptions', { targetType: 'thread', target: thread.id, level: 'watch' });
    const snapshot = async () =>
      JSON.stringify(
        await Promise.all(
          ['threads', 'posts', 'subscriptions', 'thread_reads', 'notifications', 'thread_aliases'].map((t) =>
            db.$client.execute(`select * from ${t} order by rowid`).then((r) => r.rows),
          ),
        ),
      );
    const before = await snapshot();
    // A client whose writes fail as a locked database would, one write statement later each time.
    for (let failAt = 1; failAt <= 6; failAt++) {
      const failing = failingWrites(db, failAt);
      const t = discussionHarness(failing);
      const res = await t.request(`/api/threads/${thread.id}/posts`, {
        method: 'POST',
        headers: { ...h.as(b), 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'This reply never lands.' }),
      });
      expect([201, 503]).toContain(res.status);
      if (res.status === 201) break;
      expect(res.headers.get('retry-after')).toBeTruthy();
      expect(await snapshot()).toBe(before);
    }
  });

  it('answers 503 when the database cannot be reached', async () => {
    const h = discussionHarness(createDatabase({ url: `http://127.0.0.1:${await freePort()}` }));
    const res = await h.request('/api/categories');
    expect(res.status).toBe(503);
  });
});

/**
 * The same database behind a client whose n-th write statement (counting statements inside
 * batches) fails with SQLITE_BUSY. A batch is one transaction, so it fails whole, as libSQL does.
 */
function failingWrites(db: Awaited<ReturnType<typeof createTestDb>>, n: number) {
  let writes = 0;
  const isWrite = (stmt: unknown) =>
    /^\s*(insert|update|delete|replace)\b/i.test(
      typeof stmt === 'string' ? stmt : ((stmt as { sql: string }).sql ?? ''),
    );
  const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  const client = new Proxy(db.$client, {
    get(target, prop, receiver) {
      if (prop === 'execute')
        return async (stmt: unknown) => {
          if (isWrite(stmt) && ++writes === n) throw busy();
          return target.execute(stmt as never);
        };
      if (prop === 'batch')
        return async (stmts: unknown[], mode?: unknown) => {
          const count = stmts.filter(isWrite).length;
          if (writes < n && writes + count >= n) {
            writes += count;
            throw busy();
          }
          writes += count;
          return target.batch(stmts as never, mode as never);
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return createDatabaseOver(client);
}

function createDatabaseOver(client: Awaited<ReturnType<typeof createTestDb>>['$client']) {
  return drizzle(client, { schema }) as unknown as Awaited<ReturnType<typeof createTestDb>>;
}

describe('the thread page’s cost', () => {
  it('loads 100 replies with their authors, reactions and reading state in one round trip, and saves the reading place in a second', async () => {
    const db = await createTestDb();
    const { threadId, reader } = await threadWithReplies(db, 100);
    const { db: counted, counter } = countingDatabase(db);
    const page = await getThread(counted, BENCH_CATALOG, reader, threadId, { markRead: new Date() });
    expect(page.posts).toHaveLength(100);
    expect(page.posts.some((p) => p.author.kind === 'anonymous')).toBe(true);
    expect(page.posts.some((p) => p.reactions.helpful > 0)).toBe(true);
    expect(counter.trips).toBeLessThanOrEqual(2);
    counter.reset();
    // Nothing new to save: the second visit is one round trip.
    await getThread(counted, BENCH_CATALOG, reader, threadId, { markRead: new Date() });
    expect(counter.trips).toBe(1);
  });
});

describe('polling for new replies', () => {
  it('answers 304 to the same question with the same ETag, and only the new posts after a cursor', async () => {
    const h = discussionHarness(await createTestDb());
    const [a, b] = [await h.member(), await h.member()];
    const { thread } = (await h.startThread(a, { categorySlug: 'members', title: 'A good title', body })).body;
    const first = await h.request(`/api/threads/${thread.id}?cursor=1`, { headers: h.as(b) });
    const etag = first.headers.get('etag')!;
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(((await first.json()) as { posts: unknown[] }).posts).toEqual([]);
    const again = await h.request(`/api/threads/${thread.id}?cursor=1`, {
      headers: { ...h.as(b), 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // Another reader's answer differs (it says what is theirs), so it has another ETag.
    const visitorTag = (await h.request(`/api/threads/${thread.id}?cursor=1`, { headers: h.as(a) })).headers.get(
      'etag',
    );
    expect(visitorTag).not.toBe(etag);
    await h.reply(a, thread.id, { body: 'News!' });
    const changed = await h.request(`/api/threads/${thread.id}?cursor=1`, {
      headers: { ...h.as(b), 'if-none-match': etag },
    });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { posts: { seq: number }[] }).posts.map((p) => p.seq)).toEqual([2]);
  });
});
