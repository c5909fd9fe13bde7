import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { notifications, posts, threadReads } from '#db/schema/index.ts';
import { handleOf } from '#functions/services/discussions/mentions.ts';
import { createGroup, discussionHarness } from '#tests/factories/discussions.ts';
import { createTestDb } from '#tests/setup/db.ts';

const body = 'Shall we meet before Thursday’s seminar to go through the reading?';
const SECRET = 'Cohort-only plan: meet in room 2.14';

/**
 * A group-only category (`cohort`, group `cohort-a`) must be invisible to everyone outside the
 * group, everywhere: lists, thread pages, permalinks, search, replies, reactions, subscriptions,
 * histories and notifications. The answer is 404, never 403, so its existence does not leak.
 */
async function setting() {
  const db = await createTestDb();
  const h = discussionHarness(db);
  const insider = await h.member({ displayName: 'Insider Ines' });
  const facilitator = await h.member({ displayName: 'Facilitator Fred' });
  const outsider = await h.member({ displayName: 'Outsider Olu' });
  const moderator = await h.member({ displayName: 'Moderator Mo', roles: ['moderator'] });
  const mentor = await h.member({ displayName: 'Mentor Maya', roles: ['mentor'] });
  const coordinator = await h.member({ displayName: 'Coordinator Cleo', roles: ['coordinator'] });
  await createGroup(db, 'cohort-a', { member: [insider], facilitator: [facilitator] });
  const created = await h.startThread(insider, {
    categorySlug: 'cohort',
    title: 'Study plan for the cohort',
    body: `${SECRET}. ${body}`,
  });
  expect(created.status).toBe(201);
  const { thread, post } = created.body;
  return { db, h, insider, facilitator, outsider, moderator, mentor, coordinator, thread, post };
}

describe('a group-only category', () => {
  it('is seen by the group’s members, its facilitators and coordinators', async () => {
    const { h, insider, facilitator, coordinator, thread } = await setting();
    for (const who of [insider, facilitator, coordinator]) {
      expect((await h.thread(who, thread.id)).status).toBe(200);
      expect((await h.get(who, '/api/categories')).body.map((c: { slug: string }) => c.slug)).toContain('cohort');
      expect((await h.get(who, '/api/categories/cohort/threads')).body.threads).toHaveLength(1);
      expect((await h.get(who, '/api/search?q=cohort')).body.results.length).toBeGreaterThan(0);
    }
  });

  it('does not exist for anyone else: lists, pages, search and every write answer 404', async () => {
    const { h, outsider, moderator, mentor, thread, post } = await setting();
    for (const who of [null, outsider, moderator, mentor]) {
      const label = who ? 'a signed-in outsider' : 'a visitor';
      const cats = await h.get(who, '/api/categories');
      expect(
        cats.body.map((c: { slug: string }) => c.slug),
        label,
      ).not.toContain('cohort');
      expect((await h.get(who, '/api/categories/cohort/threads')).status, label).toBe(404);
      expect((await h.thread(who, thread.id)).status, label).toBe(404);
      const search = await h.get(who, '/api/search?q=cohort%20room');
      expect(search.status).toBe(200);
      expect(search.body.results, label).toEqual([]);
      expect(JSON.stringify([cats.body, search.body])).not.toContain('room 2.14');
      if (!who) continue;
      const attempts = await Promise.all([
        h.reply(who, thread.id, { body: 'Can I join?' }),
        h.startThread(who, { categorySlug: 'cohort', title: 'Let me in please', body }),
        h.json(who, 'POST', `/api/posts/${post.id}/reactions`, { kind: 'helpful' }),
        h.json(who, 'DELETE', `/api/posts/${post.id}/reactions?kind=helpful`),
        h.json(who, 'PATCH', `/api/posts/${post.id}`, { body: 'Edited by a stranger' }),
        h.json(who, 'DELETE', `/api/posts/${post.id}`),
        h.get(who, `/api/posts/${post.id}/revisions`),
        h.json(who, 'POST', `/api/threads/${thread.id}/solution`, { postId: post.id }),
        h.json(who, 'POST', `/api/threads/${thread.id}/read`, { seq: 1 }),
        h.json(who, 'POST', '/api/subscriptions', { targetType: 'thread', target: thread.id, level: 'watch' }),
        h.json(who, 'POST', '/api/subscriptions', { targetType: 'category', target: 'cohort', level: 'watch' }),
      ]);
      expect(
        attempts.map((a) => a.status),
        label,
      ).toEqual(attempts.map(() => 404));
      for (const a of attempts) expect(JSON.stringify(a.body)).not.toMatch(/room 2\.14|Study plan/);
    }
    // Nothing any of them tried was written.
    expect(await h.db().select().from(posts)).toHaveLength(1);
    expect((await h.db().select().from(threadReads)).map((r) => r.userId)).toHaveLength(1);
  });

  it('does not notify outsiders, even when they are mentioned or watch everything', async () => {
    const { h, insider, outsider, thread } = await setting();
    await h.json(outsider, 'POST', '/api/subscriptions', { targetType: 'category', target: 'members', level: 'watch' });
    await h.reply(insider, thread.id, { body: `@${handleOf(outsider)} would love this plan: ${SECRET}` });
    expect(await h.db().select().from(notifications).where(eq(notifications.userId, outsider.id))).toEqual([]);
  });

  it('disappears for a member who leaves the group', async () => {
    const { h, db, insider, thread, coordinator } = await setting();
    const removed = await h.json(coordinator, 'DELETE', `/api/groups/cohort-a/members/${insider.id}`);
    expect(removed.status).toBe(200);
    expect((await h.thread(insider, thread.id)).status).toBe(404);
    expect((await h.get(insider, '/api/search?q=cohort')).body.results).toEqual([]);
    void db;
  });
});

describe('members-only categories', () => {
  it('are 404 for visitors and open to every signed-in member', async () => {
    const h = discussionHarness(await createTestDb());
    const m = await h.member();
    const other = await h.member();
    const { thread } = (await h.startThread(m, { categorySlug: 'members', title: 'For members only', body })).body;
    expect((await h.thread(null, thread.id)).status).toBe(404);
    expect((await h.get(null, '/api/categories/members/threads')).status).toBe(404);
    expect((await h.get(null, '/api/search?q=seminar')).body.results).toEqual([]);
    expect((await h.thread(other, thread.id)).status).toBe(200);
    // Public categories are readable signed out.
    const open = (await h.startThread(m, { categorySlug: 'open', title: 'Open to all', body })).body;
    expect((await h.thread(null, open.thread.id)).status).toBe(200);
    expect((await h.get(null, '/api/search?q=seminar')).body.results).toHaveLength(1);
  });
});

describe('search', () => {
  it('finds only published posts: never held, hidden or deleted ones, nor replies hidden by post-first', async () => {
    const h = discussionHarness(await createTestDb());
    const [a, b, c] = [await h.member(), await h.member(), await h.member()];
    const { thread } = (await h.startThread(a, { categorySlug: 'members', title: 'Revision timetables', body })).body;
    const reply = (await h.reply(b, thread.id, { body: 'My timetable uses colour blocks' })).body.post;
    expect((await h.get(c, '/api/search?q=colour')).body.results).toHaveLength(1);
    for (const status of ['held', 'hidden', 'deleted'] as const) {
      await h.db().update(posts).set({ status }).where(eq(posts.id, reply.id));
      expect((await h.get(c, '/api/search?q=colour')).body.results, status).toEqual([]);
    }
    const reflection = (await h.startThread(a, { categorySlug: 'reflect', title: 'What helped this week', body })).body;
    await h.reply(b, reflection.thread.id, { body: 'Walking to campus with a friend' });
    expect((await h.get(c, '/api/search?q=walking')).body.results).toEqual([]);
    await h.reply(c, reflection.thread.id, { body: 'Cooking for my flatmates' });
    expect((await h.get(c, '/api/search?q=walking')).body.results).toHaveLength(1);
  });
});
