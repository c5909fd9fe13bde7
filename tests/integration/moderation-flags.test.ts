import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { flags, memberSanctions, moderationItems, notifications, outbox, posts } from '#db/schema/index.ts';
import { weightFrom } from '#functions/services/moderation/flags.ts';
import { AUTO_HIDE_WEIGHT } from '#functions/services/moderation/shared.ts';
import { createMember, createReply, createThread, moderationTestApp } from '#tests/factories/moderation.ts';

const DAY = 86_400_000;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function setup() {
  const { db, t, now, as } = await moderationTestApp();
  const author = await createMember(db, now, { displayName: 'Ada Author' });
  const thread = await createThread(db, { authorId: author.id, body: 'You can always resit for free.' });
  const flag = async (userId: string, postId: string, body: object, ip?: string) =>
    t.postJson(`/api/posts/${postId}/flags`, body, { headers: await as(userId), ...(ip ? { ip } : {}) });
  return { db, t, now, as, author, thread, flag };
}

describe('flagging a post', () => {
  it('takes one flag per member per post, weighted 1 for a member with no history, into the queue', async () => {
    const { db, now, thread, flag } = await setup();
    const reader = await createMember(db, now);
    const res = await flag(reader.id, thread.postId, { reason: 'needs-source', note: 'Is that right?' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Json;
    expect(body.flag).toMatchObject({ postId: thread.postId, reason: 'needs-source' });
    expect(body.crisis).toBeUndefined();

    // Flag spam: the same member again, with another reason, from another address.
    const again = await flag(reader.id, thread.postId, { reason: 'spam' }, '198.51.100.9');
    expect(again.status).toBe(409);
    expect(((await again.json()) as Json).error.code).toBe('already_flagged');
    const rows = await db.select().from(flags).where(eq(flags.postId, thread.postId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.weight).toBe(1);
    const [item] = await db.select().from(moderationItems).where(eq(moderationItems.postId, thread.postId));
    expect(item).toMatchObject({ status: 'open', kind: 'flags', urgent: false, weight: 1 });
  });

  it('refuses your own post, posts you cannot see, unconfirmed members and strangers', async () => {
    const { db, t, now, author, thread, flag, as } = await setup();
    const own = await flag(author.id, thread.postId, { reason: 'spam' });
    expect(own.status).toBe(403);
    expect(((await own.json()) as Json).error.code).toBe('own_post');

    const reader = await createMember(db, now);
    const held = await createReply(db, thread.id, { authorId: author.id, status: 'held' });
    const hidden = await createReply(db, thread.id, { authorId: author.id, status: 'hidden' });
    const deleted = await createReply(db, thread.id, { authorId: author.id, status: 'deleted' });
    const hiddenThread = await createThread(db, { authorId: author.id, status: 'hidden' });
    for (const postId of [held.id, hidden.id, deleted.id, hiddenThread.postId, crypto.randomUUID()]) {
      const res = await flag(reader.id, postId, { reason: 'harassment' });
      expect(res.status, postId).toBe(404);
    }
    expect(await db.select().from(flags)).toHaveLength(0);

    const unconfirmed = await createMember(db, now, { verified: false });
    expect((await flag(unconfirmed.id, thread.postId, { reason: 'spam' })).status).toBe(403);
    expect((await t.postJson(`/api/posts/${thread.postId}/flags`, { reason: 'spam' })).status).toBe(401);
    // Weight cannot be claimed, and reasons are a closed list.
    const headers = await as(reader.id);
    for (const body of [
      { reason: 'spam', weight: 50 },
      { reason: 'dislike' },
      { reason: 'spam', flaggerId: author.id },
    ])
      expect((await t.postJson(`/api/posts/${thread.postId}/flags`, body, { headers })).status).toBe(400);
  });

  it('hides a post pending review once established members’ flags weigh enough, and tells the author without names', async () => {
    const { db, now, author, thread, flag } = await setup();
    const readers = await Promise.all(
      ['Bea Flagger', 'Cy Flagger', 'Di Flagger'].map((displayName) => createMember(db, now, { displayName })),
    );
    for (const [i, r] of readers.entries()) {
      const res = await flag(r.id, thread.postId, { reason: 'misinformation', note: `Note from ${r.displayName}` });
      expect(res.status).toBe(201);
      const [post] = await db.select().from(posts).where(eq(posts.id, thread.postId));
      expect(post!.flagWeight).toBe(i + 1);
      expect(post!.status).toBe(i + 1 >= AUTO_HIDE_WEIGHT ? 'hidden' : 'visible');
    }
    const [post] = await db.select().from(posts).where(eq(posts.id, thread.postId));
    expect(post!.statusReason).toMatch(/review/);
    const told = await db.select().from(notifications).where(eq(notifications.userId, author.id));
    expect(told).toHaveLength(1);
    const text = JSON.stringify(told);
    for (const r of readers) {
      expect(text).not.toContain(r.displayName);
      expect(text).not.toContain(r.id);
    }
  });

  it('does not let sock puppets with no history hide a post or weigh more than anyone else', async () => {
    const { db, now, thread, flag } = await setup();
    // Five accounts made today: each weighs exactly 1, like any member without history.
    for (let i = 0; i < 5; i++) {
      const puppet = await createMember(db, now, { joinedDaysAgo: 0 });
      expect((await flag(puppet.id, thread.postId, { reason: 'spam' }, `10.9.0.${i}`)).status).toBe(201);
    }
    const rows = await db.select().from(flags).where(eq(flags.postId, thread.postId));
    expect(rows.map((r) => r.weight)).toEqual([1, 1, 1, 1, 1]);
    const [post] = await db.select().from(posts).where(eq(posts.id, thread.postId));
    expect(post!.flagWeight).toBe(5);
    // Over the threshold, but nobody of standing agrees: it waits in the queue, visible.
    expect(post!.status).toBe('visible');
    const [item] = await db.select().from(moderationItems).where(eq(moderationItems.postId, thread.postId));
    expect(item!.status).toBe('open');
  });

  it('weighs a flagger by their past accuracy, so careful flaggers count more and careless ones less', async () => {
    const { db, now, author, flag } = await setup();
    expect(weightFrom(0, 0)).toBe(1);
    expect(weightFrom(6, 0)).toBeGreaterThan(1.5);
    expect(weightFrom(0, 6)).toBeLessThan(0.5);
    expect(weightFrom(1000, 0)).toBeLessThan(2);

    const careful = await createMember(db, now);
    const careless = await createMember(db, now);
    // Their history: posts they flagged before, resolved either way.
    for (let i = 0; i < 4; i++) {
      const old = await createThread(db, { authorId: author.id });
      await db.insert(flags).values([
        {
          id: crypto.randomUUID(),
          postId: old.postId,
          flaggerId: careful.id,
          reason: 'spam',
          outcome: 'upheld',
          resolvedAt: now,
        },
        {
          id: crypto.randomUUID(),
          postId: old.postId,
          flaggerId: careless.id,
          reason: 'spam',
          outcome: 'dismissed',
          resolvedAt: now,
        },
      ]);
    }
    const target = await createThread(db, { authorId: author.id });
    await flag(careful.id, target.postId, { reason: 'spam' });
    await flag(careless.id, target.postId, { reason: 'spam' });
    const rows = await db
      .select()
      .from(flags)
      .where(and(eq(flags.postId, target.postId)));
    const weightOf = (id: string) => rows.find((r) => r.flaggerId === id)!.weight;
    expect(weightOf(careful.id)).toBeCloseTo(weightFrom(4, 0));
    expect(weightOf(careless.id)).toBeCloseTo(weightFrom(0, 4));
    expect(weightOf(careful.id)).toBeGreaterThan(1);
    expect(weightOf(careless.id)).toBeLessThan(1);
  });

  it('treats a safety concern as urgent: top of the queue, coordinators on duty emailed once, crisis resources for the flagger', async () => {
    const { db, t, now, thread, flag, as } = await setup();
    const coordinators = await Promise.all([
      createMember(db, now, { roles: ['coordinator'], displayName: 'Cora Coordinator' }),
      createMember(db, now, { roles: ['coordinator'], displayName: 'Colm Coordinator' }),
    ]);
    const moderator = await createMember(db, now, { roles: ['moderator'] });
    const reader = await createMember(db, now, { displayName: 'Worried Reader' });
    const res = await flag(reader.id, thread.postId, { reason: 'safety', note: 'They wrote goodbye to everyone.' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Json;
    expect(body.crisis.url).toBe('/guidelines/crisis-and-wellbeing/');
    expect(body.crisis.message).toMatch(/emergency services/);

    const [item] = await db.select().from(moderationItems).where(eq(moderationItems.postId, thread.postId));
    expect(item!.urgent).toBe(true);
    const mail = await db.select().from(outbox);
    expect(mail.map((m) => m.toAddress).sort()).toEqual(coordinators.map((c) => c.email).sort());
    expect(mail.map((m) => m.toAddress)).not.toContain(moderator.email);
    for (const m of mail) {
      expect(m.subject).toMatch(/safety/i);
      expect(m.textBody).toContain(`/moderation?item=${item!.id}`);
      // Neither the post nor the flagger travels by email.
      expect(m.textBody + m.htmlBody).not.toMatch(/resit|Worried Reader|goodbye/);
    }

    // A second safety flag on the same post does not email again, and safety flags never hide a post.
    for (let i = 0; i < 4; i++) {
      const other = await createMember(db, now);
      expect((await flag(other.id, thread.postId, { reason: 'safety' }, `10.8.0.${i}`)).status).toBe(201);
    }
    expect(await db.select().from(outbox)).toHaveLength(2);
    const [post] = await db.select().from(posts).where(eq(posts.id, thread.postId));
    expect(post!.status).toBe('visible');

    // Without JavaScript, the flagger lands on the crisis resources page.
    const other = await createMember(db, now);
    const form = await t.postForm(
      `/api/posts/${(await createReply(db, thread.id, { authorId: other.id })).id}/flags`,
      { reason: 'safety', next: '/discussions' },
      { headers: await as(reader.id) },
    );
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/flag-sent');
  });

  it('lets a silenced member flag safety concerns only', async () => {
    const { db, now, thread, flag } = await setup();
    const silenced = await createMember(db, now);
    await db.insert(memberSanctions).values({
      id: crypto.randomUUID(),
      userId: silenced.id,
      kind: 'silence',
      reason: 'Cooling off',
      startsAt: new Date(now.getTime() - DAY),
      endsAt: new Date(now.getTime() + DAY),
    });
    const spam = await flag(silenced.id, thread.postId, { reason: 'spam' });
    expect(spam.status).toBe(403);
    expect((await flag(silenced.id, thread.postId, { reason: 'safety' })).status).toBe(201);
  });
});
