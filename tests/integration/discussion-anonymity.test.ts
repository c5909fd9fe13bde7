import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { notifications, posts } from '#db/schema/index.ts';
import { postSource, quoteOf } from '#functions/services/discussions/read.ts';
import { handleOf } from '#functions/services/discussions/mentions.ts';
import { sendDigests } from '#functions/services/discussions/digest.ts';
import { outboxTransport } from '#functions/mail/transport.ts';
import { discussionHarness, fixtureDiscussions } from '#tests/factories/discussions.ts';
import { createTestDb } from '#tests/setup/db.ts';

/**
 * An anonymous author must not be findable from anything Hearth shows or sends: API fields, lists,
 * mentions, notifications (their text, recipients and timing), edit histories, search, quotes,
 * digests, other members' exports, and their own profile. Every test below looks for the author's
 * name, id, handle and email in everything another person can get.
 */
async function setting() {
  const db = await createTestDb();
  const h = discussionHarness(db);
  const author = await h.member({ displayName: 'Quiet Quentin', email: 'quentin@example.test', roles: ['mentor'] });
  const reader = await h.member({ displayName: 'Reader Rosa' });
  const moderator = await h.member({ displayName: 'Moderator Mo', roles: ['moderator'] });
  const fingerprints = [author.id, author.displayName, 'Quentin', handleOf(author), author.email];
  const leaks = (value: unknown) => {
    const text = JSON.stringify(value);
    return fingerprints.filter((f) => text.includes(f));
  };
  return { db, h, author, reader, moderator, leaks };
}

const opening = 'I have been crying after every lecture this week and I do not know why.';

describe('anonymous posts', () => {
  it('show an alias, stable within the thread, and nothing else about the author', async () => {
    const { h, author, reader, moderator, leaks } = await setting();
    const second = await h.member({ displayName: 'Second Sam' });
    const { thread, post } = (
      await h.startThread(author, { categorySlug: 'anon', title: 'Hard week', body: opening, anonymous: true })
    ).body;
    await h.reply(reader, thread.id, { body: 'That sounds exhausting. You are not alone.', replyToPostId: post.id });
    await h.reply(second, thread.id, { body: 'Same here, honestly.', anonymous: true });
    // No `anonymous` field: the author's own identity in the thread keeps them anonymous.
    await h.reply(author, thread.id, { body: 'Thank you both, it helps.' });

    for (const who of [reader, moderator, null]) {
      const page = await h.thread(who, thread.id);
      if (who === null) {
        expect(page.status).toBe(404); // members-only category
        continue;
      }
      expect(leaks(page.body)).toEqual([]);
      const authors = page.body.posts.map((p: { author: { displayName: string } }) => p.author.displayName);
      expect(authors).toEqual(['Anonymous member 1', 'Reader Rosa', 'Anonymous member 2', 'Anonymous member 1']);
      expect(page.body.posts[0].author).toEqual({
        kind: 'anonymous',
        displayName: 'Anonymous member 1',
        alias: 1,
        you: false,
      });
      expect(page.body.posts[1].replyTo.author.displayName).toBe('Anonymous member 1');
      expect(leaks((await h.get(who, '/api/categories/anon/threads')).body)).toEqual([]);
    }
    // The author sees that the posts are theirs; nobody else does.
    const own = await h.thread(author, thread.id);
    expect(own.body.posts[0].author).toMatchObject({ kind: 'anonymous', you: true });
    expect(own.body.viewer.identity).toBe('anonymous');
    // One identity per thread: no switching to a name (that would link the two).
    const named = await h.reply(author, thread.id, { body: 'It is me!', anonymous: false });
    expect(named.status).toBe(409);
  });

  it('keep mentions and notifications free of the author, and notify exactly as a named post would', async () => {
    const { h, author, reader, leaks } = await setting();
    const watcher = await h.member();
    await h.json(watcher, 'POST', '/api/subscriptions', { targetType: 'category', target: 'anon', level: 'watch' });
    const anonymousThread = (
      await h.startThread(author, {
        categorySlug: 'anon',
        title: 'Hard week',
        body: `${opening} @${handleOf(reader)} you said you felt this too?`,
        anonymous: true,
      })
    ).body;
    const namedThread = (
      await h.startThread(author, {
        categorySlug: 'anon',
        title: 'Hard week',
        body: `${opening} @${handleOf(reader)} you said you felt this too?`,
      })
    ).body;
    const sent = await h.db().select().from(notifications);
    expect(leaks(sent.filter((n) => n.url === `/discussions/p/${anonymousThread.post.id}`))).toEqual([]);
    const forPost = (postId: string) =>
      sent
        .filter((n) => n.url === `/discussions/p/${postId}`)
        .map((n) => ({ userId: n.userId, kind: n.kind, at: n.createdAt.getTime() }))
        .sort((a, b) => a.userId.localeCompare(b.userId));
    // Same recipients, same kinds, same time: whether it was anonymous cannot be told from who heard.
    expect(forPost(anonymousThread.post.id)).toEqual(forPost(namedThread.post.id));
    expect(
      forPost(anonymousThread.post.id)
        .map((n) => n.userId)
        .sort(),
    ).toEqual([reader.id, watcher.id].sort());
    const mention = sent.find((n) => n.userId === reader.id && n.url?.endsWith(anonymousThread.post.id));
    expect(mention?.title).toBe('Anonymous member 1 mentioned you in “Hard week”');

    // Replies to the anonymous post reach its author, and say nothing about them to anyone else.
    await h.reply(reader, anonymousThread.thread.id, { body: 'Yes, I did.', replyToPostId: anonymousThread.post.id });
    const toAuthor = await h.db().select().from(notifications).where(eq(notifications.userId, author.id));
    expect(toAuthor.map((n) => n.kind)).toEqual(['discussion.reply']);
    // The author's watch on their own thread gives them nothing for their own posts, as for anyone.
    await h.reply(author, anonymousThread.thread.id, { body: 'Thanks.' });
    expect(await h.db().select().from(notifications).where(eq(notifications.userId, author.id))).toHaveLength(1);
    const watcherNotes = (await h.db().select().from(notifications).where(eq(notifications.userId, watcher.id))).filter(
      (n) => n.url !== `/discussions/p/${namedThread.post.id}`,
    );
    expect(watcherNotes.length).toBeGreaterThanOrEqual(2);
    expect(leaks(watcherNotes)).toEqual([]);
    expect(watcherNotes.some((n) => n.body.startsWith('Anonymous member 1:'))).toBe(true);
  });

  it('keep edit histories, search results, quotes and digests anonymous, even for moderators', async () => {
    const { db, h, author, reader, moderator, leaks } = await setting();
    const { thread, post } = (
      await h.startThread(author, { categorySlug: 'anon', title: 'Hard week', body: opening, anonymous: true })
    ).body;
    await h.json(author, 'PATCH', `/api/posts/${post.id}`, { body: `${opening} (edited)`, reason: 'more detail' });
    const history = await h.get(moderator, `/api/posts/${post.id}/revisions`);
    expect(history.status).toBe(200);
    expect(history.body.revisions[0].editor).toBe('Anonymous member 1');
    expect(leaks(history.body)).toEqual([]);

    for (const who of [reader, moderator]) {
      const found = await h.get(who, '/api/search?q=crying');
      expect(found.body.results).toHaveLength(1);
      expect(found.body.results[0].author.displayName).toBe('Anonymous member 1');
      expect(leaks(found.body)).toEqual([]);
    }
    const quote = quoteOf(await postSource(db, fixtureDiscussions(), { id: reader.id, roles: [] }, post.id, 'quote'));
    expect(quote).toContain('**Anonymous member 1** wrote:');
    expect(leaks(quote)).toEqual([]);

    await h.json(author, 'POST', '/api/subscriptions', { targetType: 'thread', target: thread.id, level: 'watch' });
    await h.json(reader, 'POST', '/api/subscriptions', { targetType: 'thread', target: thread.id, level: 'watch' });
    await h.reply(author, thread.id, { body: 'A little better today.' });
    h.clock.advance(60_000);
    expect(await sendDigests(db, outboxTransport, 'https://hearth.test', h.clock.now())).toBeGreaterThan(0);
    const mails = await db.$client.execute(`select to_address, subject, text_body, html_body from outbox`);
    const toReader = mails.rows.filter((m) => m.to_address === reader.email);
    expect(toReader).toHaveLength(1);
    expect(leaks(toReader)).toEqual([]);
  });

  it('stay out of other members’ exports, and in the author’s own', async () => {
    const { db, h, author, moderator } = await setting();
    const { post, thread } = (
      await h.startThread(author, { categorySlug: 'anon', title: 'Hard week', body: opening, anonymous: true })
    ).body;
    // A moderator deleted or reviewed it: those rows name the moderator, so they are in the moderator's export.
    await db.update(posts).set({ reviewedBy: moderator.id, reviewedAt: h.clock.now() }).where(eq(posts.id, post.id));
    const theirs = await h.get(moderator, '/api/me/export');
    const exported = theirs.body.tables.posts as { id: string; authorId: string | null }[];
    expect(exported.map((p) => p.id)).toContain(post.id);
    expect(JSON.stringify(theirs.body.tables.posts)).not.toContain(author.id);
    expect(JSON.stringify(theirs.body)).not.toContain(author.id);

    const mine = await h.get(author, '/api/me/export');
    expect((mine.body.tables.posts as { id: string; authorId: string }[]).find((p) => p.id === post.id)?.authorId).toBe(
      author.id,
    );
    expect((mine.body.tables.threads as { id: string }[]).map((t) => t.id)).toContain(thread.id);
  });

  it('do not appear on the author’s profile', async () => {
    const { h, author, reader } = await setting();
    await h.startThread(author, { categorySlug: 'anon', title: 'Hard week', body: opening, anonymous: true });
    const mentors = await h.get(reader, '/api/mentors');
    expect(JSON.stringify(mentors.body)).not.toContain('Hard week');
    expect(JSON.stringify(mentors.body)).not.toContain('crying');
  });

  it('are refused where the category does not allow them', async () => {
    const { h, author } = await setting();
    const res = await h.startThread(author, {
      categorySlug: 'members',
      title: 'Hard week',
      body: opening,
      anonymous: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toHaveProperty('anonymous');
  });
});
