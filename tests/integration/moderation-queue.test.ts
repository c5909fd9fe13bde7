import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  auditEvents,
  flags,
  groupMembers,
  groups,
  memberSanctions,
  memberTasks,
  moderationActions,
  moderationItems,
  notifications,
  posts,
  sessions,
  threads,
} from '#db/schema/index.ts';
import { actOnItem } from '#functions/services/moderation/actions.ts';
import { onPostEdited, postingPolicy } from '#functions/services/moderation/policy.ts';
import { listQueue } from '#functions/services/moderation/queue.ts';
import { moderationScope } from '#functions/services/moderation/scope.ts';
import { createMember, createReply, createThread, moderationTestApp } from '#tests/factories/moderation.ts';

const DAY = 86_400_000;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function setup() {
  const { db, t, now, as } = await moderationTestApp();
  const moderator = await createMember(db, now, { roles: ['moderator'], displayName: 'Mo Moderator' });
  const modHeaders = await as(moderator.id);
  const author = await createMember(db, now, { displayName: 'Ada Author' });
  let ip = 0;
  const flag = async (userId: string, postId: string, reason = 'spam', note?: string) => {
    const res = await t.postJson(
      `/api/posts/${postId}/flags`,
      { reason, ...(note ? { note } : {}) },
      { headers: await as(userId), ip: `10.7.${Math.floor(ip / 200)}.${ip++ % 200}` },
    );
    expect(res.status).toBe(201);
  };
  const queue = async (query = '', headers = modHeaders) =>
    (await (await t.request(`/api/moderation/queue${query}`, { headers })).json()) as Json;
  const act = (itemId: string, body: object, headers = modHeaders) =>
    t.postJson(`/api/moderation/items/${itemId}/actions`, body, { headers });
  const itemOf = async (postId: string) => {
    const [item] = await db
      .select()
      .from(moderationItems)
      .where(and(eq(moderationItems.postId, postId), eq(moderationItems.status, 'open')));
    return item!;
  };
  const postOf = async (postId: string) => (await db.select().from(posts).where(eq(posts.id, postId)))[0]!;
  return { db, t, now, as, moderator, modHeaders, author, flag, queue, act, itemOf, postOf };
}

describe('the review queue', () => {
  it('puts safety first, then weighted flags, then the oldest, page by page with a keyset cursor', async () => {
    const { db, t, now, author, flag, queue } = await setup();
    const [a, b, c] = await Promise.all([createMember(db, now), createMember(db, now), createMember(db, now)]);
    const spam = await createThread(db, { authorId: author.id, title: 'Cheap essays here' });
    const misinfo = await createThread(db, { authorId: author.id, title: 'Resits are always free' });
    const safety = await createThread(db, { authorId: author.id, title: 'I cannot go on' });
    const offTopic = await createThread(db, { authorId: author.id, title: 'Football tonight?' });
    await flag(a.id, spam.postId, 'spam');
    t.clock.advance(1000);
    await flag(a.id, misinfo.postId, 'misinformation');
    await flag(b.id, misinfo.postId, 'needs-source');
    t.clock.advance(1000);
    await flag(a.id, offTopic.postId, 'off-topic');
    t.clock.advance(1000);
    await flag(c.id, safety.postId, 'safety');

    const all = await queue();
    expect(all.items.map((i: Json) => i.post.threadTitle)).toEqual([
      'I cannot go on',
      'Resits are always free',
      'Cheap essays here',
      'Football tonight?',
    ]);
    expect(all.items[0].urgent).toBe(true);
    expect(all.items[1].flags).toMatchObject({ total: 2, byReason: { misinformation: 1, 'needs-source': 1 } });
    expect(all.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = await queue(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((i: Json) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((i: Json) => i.id));
  });

  it('refuses a bad cursor, members, admins and strangers', async () => {
    const { db, t, now, as, modHeaders } = await setup();
    expect((await t.request('/api/moderation/queue?cursor=bm9wZQ', { headers: modHeaders })).status).toBe(400);
    const member = await createMember(db, now);
    const admin = await createMember(db, now, { roles: ['admin'] });
    const coordinator = await createMember(db, now, { roles: ['coordinator'] });
    expect((await t.request('/api/moderation/queue', { headers: await as(member.id) })).status).toBe(403);
    expect((await t.request('/api/moderation/queue', { headers: await as(admin.id) })).status).toBe(403);
    expect((await t.request('/api/moderation/queue', { headers: await as(coordinator.id) })).status).toBe(200);
    expect((await t.request('/api/moderation/queue')).status).toBe(401);
  });

  it('names flaggers to staff only, and shows an anonymous author by alias until this moderator reveals them', async () => {
    const { db, t, now, as, author, flag, queue, modHeaders, itemOf } = await setup();
    const flagger = await createMember(db, now, { displayName: 'Fern Flagger' });
    const anon = await createThread(db, { authorId: author.id, anonymous: true, category: 'cohort-a-only' });
    await flag(flagger.id, anon.postId, 'harassment', 'Third time this week.');

    const seen = await queue();
    expect(seen.items[0].author).toEqual({ anonymous: true, alias: 'Anonymous member 1', revealed: false });
    expect(seen.items[0].flags.list[0]).toMatchObject({
      reason: 'harassment',
      note: 'Third time this week.',
      flagger: 'Fern Flagger',
    });
    expect(JSON.stringify(seen)).not.toContain(author.id);
    expect(JSON.stringify(seen)).not.toContain('Ada Author');

    // A facilitator of the group that owns the category sees its items, without flaggers' names.
    const facilitator = await createMember(db, now);
    const groupId = crypto.randomUUID();
    await db.insert(groups).values({ id: groupId, slug: 'cohort-a', name: 'Cohort A' });
    await db.insert(groupMembers).values({ groupId, userId: facilitator.id, role: 'facilitator' });
    const categoryGroups = new Map([['cohort-a-only', 'cohort-a']]);
    const scope = (await moderationScope(db, facilitator, categoryGroups))!;
    expect(scope).toEqual({ all: false, staff: false, categories: ['cohort-a-only'] });
    const theirs = await listQueue(db, facilitator, scope);
    expect(theirs.items).toHaveLength(1);
    expect(theirs.items[0]!.flags.list[0]).not.toHaveProperty('flagger');
    expect(await moderationScope(db, facilitator, new Map([['other', 'cohort-b']]))).toBeNull();
    // ...and cannot sanction anyone.
    await expect(
      actOnItem(db, { now }, facilitator, scope, seen.items[0].id, { action: 'warn', reason: 'Please stop.' }),
    ).rejects.toMatchObject({ status: 403 });

    // Items in other categories do not exist for them.
    const elsewhere = await createThread(db, { authorId: author.id, category: 'general' });
    await flag(flagger.id, elsewhere.postId, 'spam');
    expect((await listQueue(db, facilitator, scope)).items).toHaveLength(1);
    await expect(
      actOnItem(db, { now }, facilitator, scope, (await itemOf(elsewhere.postId)).id, {
        action: 'keep',
        reason: 'Fine.',
      }),
    ).rejects.toMatchObject({ status: 404 });

    // Reveal: moderators only, with a reason, recorded twice.
    const member = await createMember(db, now);
    const coordinatorOnly = await createMember(db, now, { roles: ['coordinator'] });
    for (const who of [member, coordinatorOnly])
      expect(
        (
          await t.postJson(
            `/api/moderation/posts/${anon.postId}/reveal`,
            { reason: 'Harassment pattern' },
            { headers: await as(who.id) },
          )
        ).status,
      ).toBe(403);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.type, 'anonymous.revealed'))).toHaveLength(0);
    const noReason = await t.postJson(`/api/moderation/posts/${anon.postId}/reveal`, {}, { headers: modHeaders });
    expect(noReason.status).toBe(400);
    const revealed = await t.postJson(
      `/api/moderation/posts/${anon.postId}/reveal`,
      { reason: 'A run of anonymous harassment' },
      { headers: modHeaders },
    );
    expect(revealed.status).toBe(200);
    expect(((await revealed.json()) as Json).author).toEqual({ id: author.id, displayName: 'Ada Author' });
    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.type, 'anonymous.revealed'));
    expect(audit).toMatchObject({
      subjectUserId: author.id,
      detail: { postId: anon.postId, reason: 'A run of anonymous harassment' },
    });
    const [logged] = await db.select().from(moderationActions).where(eq(moderationActions.action, 'reveal'));
    expect(logged).toMatchObject({
      postId: anon.postId,
      subjectId: author.id,
      reason: 'A run of anonymous harassment',
    });

    // Both items weigh the same and were flagged at the same moment: find the anonymous one by its post.
    const itemFor = (page: Json) => page.items.find((i: Json) => i.post.id === anon.postId);
    expect(itemFor(await queue()).author).toMatchObject({ revealed: true, displayName: 'Ada Author' });
    // Another moderator still sees the alias only, and so does the moderation log.
    const other = await createMember(db, now, { roles: ['moderator'] });
    expect(itemFor(await queue('', await as(other.id))).author.revealed).toBe(false);
    const log = (await (await t.request('/api/moderation/log', { headers: modHeaders })).json()) as Json;
    expect(log.entries[0]).toMatchObject({ action: 'reveal', subject: 'Anonymous member 1', actor: 'Mo Moderator' });
    expect(JSON.stringify(log)).not.toContain('Ada Author');

    const named = await createThread(db, { authorId: author.id });
    expect(
      (await t.postJson(`/api/moderation/posts/${named.postId}/reveal`, { reason: 'Curious' }, { headers: modHeaders }))
        .status,
    ).toBe(409);
  });
});

describe('acting on an item', () => {
  it('keeps a post: flags dismissed (which lowers the flaggers’ weight), post visible again, logged', async () => {
    const { db, t, now, author, flag, act, itemOf, postOf } = await setup();
    const thread = await createThread(db, { authorId: author.id });
    const flaggers = await Promise.all([1, 2, 3].map(() => createMember(db, now)));
    for (const f of flaggers) await flag(f.id, thread.postId, 'off-topic');
    expect((await postOf(thread.postId)).status).toBe('hidden');
    const item = await itemOf(thread.postId);
    t.clock.advance(60_000);
    const res = await act(item.id, { action: 'keep', reason: 'Within the guidelines: a different opinion.' });
    expect(res.status).toBe(200);
    expect(await postOf(thread.postId)).toMatchObject({ status: 'visible', statusReason: null, flagWeight: 0 });
    const rows = await db.select().from(flags).where(eq(flags.postId, thread.postId));
    expect(rows.every((r) => r.outcome === 'dismissed' && r.resolvedAt)).toBe(true);
    const log = await db
      .select()
      .from(moderationActions)
      .where(eq(moderationActions.itemId, item.id))
      .orderBy(moderationActions.createdAt);
    // The automatic hide, then the moderator's decision.
    expect(log.map((l) => [l.action, l.actorId === null])).toEqual([
      ['auto-hide', true],
      ['keep', false],
    ]);
    expect(log[1]).toMatchObject({
      action: 'keep',
      reason: 'Within the guidelines: a different opinion.',
      before: expect.objectContaining({ status: 'hidden' }),
      after: expect.objectContaining({ status: 'visible', flagsOutcome: 'dismissed' }),
    });
    // Their next flag weighs less.
    const next = await createThread(db, { authorId: author.id });
    await flag(flaggers[0]!.id, next.postId, 'spam');
    const [weighted] = await db.select().from(flags).where(eq(flags.postId, next.postId));
    expect(weighted!.weight).toBeLessThan(1);
    // Done twice: the second moderator is told.
    const again = await act(item.id, { action: 'hide', reason: 'Too late' });
    expect(again.status).toBe(409);
  });

  it('lets exactly one of two moderators acting at once win', async () => {
    const { db, now, author, flag, act, itemOf, as } = await setup();
    const thread = await createThread(db, { authorId: author.id });
    await flag((await createMember(db, now)).id, thread.postId, 'spam');
    const item = await itemOf(thread.postId);
    const second = await as((await createMember(db, now, { roles: ['moderator'] })).id);
    const results = await Promise.all([
      act(item.id, { action: 'delete', reason: 'Advertising.' }),
      act(item.id, { action: 'keep', reason: 'Looks fine.' }, second),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await db.select().from(moderationActions).where(eq(moderationActions.itemId, item.id))).toHaveLength(1);
  });

  it('hides until edited, tells the author why without naming the flagger, and re-queues the edited post', async () => {
    const { db, now, author, flag, act, itemOf, postOf } = await setup();
    const thread = await createThread(db, { authorId: author.id, title: 'My flatmate Sam Jones' });
    const flagger = await createMember(db, now, { displayName: 'Quentin Quietflag' });
    await flag(flagger.id, thread.postId, 'personal-information', 'Her full name and address.');
    const item = await itemOf(thread.postId);
    const res = await act(item.id, { action: 'hide', reason: 'It shares a full name. Please remove it.' });
    expect(res.status).toBe(200);
    expect(await postOf(thread.postId)).toMatchObject({ status: 'hidden' });
    expect((await db.select().from(threads).where(eq(threads.id, thread.id)))[0]!.status).toBe('hidden');
    const told = await db.select().from(notifications).where(eq(notifications.userId, author.id));
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('It shares a full name.');
    const text = JSON.stringify(told);
    for (const secret of ['Quentin', flagger.id, flagger.email, 'address']) expect(text).not.toContain(secret);
    const [flagRow] = await db.select().from(flags).where(eq(flags.postId, thread.postId));
    expect(flagRow!.outcome).toBe('upheld');

    // The author edits: back in the queue, held, for another look.
    expect((await onPostEdited(db, { postId: thread.postId, authorId: author.id, now })).status).toBe('held');
    expect((await itemOf(thread.postId)).kind).toBe('held');
  });

  it('deletes, and marks a post reviewed by a facilitator with a citation', async () => {
    const { db, now, author, flag, act, itemOf, postOf, moderator } = await setup();
    const [one, two] = await Promise.all([
      createThread(db, { authorId: author.id }),
      createThread(db, { authorId: author.id }),
    ]);
    const flagger = await createMember(db, now);
    await flag(flagger.id, one.postId, 'spam');
    await flag(flagger.id, two.postId, 'misinformation');
    expect((await act((await itemOf(one.postId)).id, { action: 'delete', reason: 'Advertising essays.' })).status).toBe(
      200,
    );
    expect(await postOf(one.postId)).toMatchObject({ status: 'deleted', deletedBy: moderator.id });

    const bad = await act((await itemOf(two.postId)).id, {
      action: 'mark-reviewed',
      reason: 'Checked against the rules.',
      citation: 'javascript:alert(1)',
    });
    expect(bad.status).toBe(400);
    const ok = await act((await itemOf(two.postId)).id, {
      action: 'mark-reviewed',
      reason: 'Checked against the rules.',
      citation: 'https://example.ac.uk/exams/resits',
    });
    expect(ok.status).toBe(200);
    expect(await postOf(two.postId)).toMatchObject({
      reviewedBy: moderator.id,
      reviewCitation: 'https://example.ac.uk/exams/resits',
    });
    const [f] = await db.select().from(flags).where(eq(flags.postId, two.postId));
    expect(f!.outcome).toBe('dismissed');
  });

  it('requests a source: a task for the author and a label, both gone once they edit', async () => {
    const { db, now, author, flag, act, itemOf, postOf } = await setup();
    const thread = await createThread(db, { authorId: author.id });
    await flag((await createMember(db, now)).id, thread.postId, 'needs-source');
    const res = await act((await itemOf(thread.postId)).id, {
      action: 'request-source',
      reason: 'Could you add where this comes from, such as the university page on resits?',
    });
    expect(res.status).toBe(200);
    expect((await postOf(thread.postId)).sourceRequestedAt).not.toBeNull();
    const [task] = await db.select().from(memberTasks).where(eq(memberTasks.userId, author.id));
    expect(task).toMatchObject({ kind: 'add-source', postId: thread.postId, doneAt: null });
    await onPostEdited(db, { postId: thread.postId, authorId: author.id, now });
    expect((await postOf(thread.postId)).sourceRequestedAt).toBeNull();
    expect((await db.select().from(memberTasks).where(eq(memberTasks.id, task!.id)))[0]!.doneAt).not.toBeNull();
  });

  it('suspends: the member’s sessions end, they can sign in and read, but not post until it ends', async () => {
    const { db, t, now, author, flag, act, itemOf, as } = await setup();
    const authorHeaders = await as(author.id);
    const thread = await createThread(db, { authorId: author.id });
    await flag((await createMember(db, now)).id, thread.postId, 'harassment');
    const member = await createMember(db, now);
    expect(
      (await act((await itemOf(thread.postId)).id, { action: 'suspend', reason: 'Threats.' }, await as(member.id)))
        .status,
    ).toBe(403);
    expect((await act((await itemOf(thread.postId)).id, { action: 'suspend', reason: 'Threats.' })).status).toBe(400);
    const res = await act((await itemOf(thread.postId)).id, {
      action: 'hide',
      sanction: 'suspend',
      days: 7,
      reason: 'Threatening another member is never acceptable.',
    });
    expect(res.status).toBe(200);
    expect(await db.select().from(sessions).where(eq(sessions.userId, author.id))).toHaveLength(0);
    expect((await t.request('/api/me', { headers: authorHeaders })).status).toBe(401);
    const [sanction] = await db.select().from(memberSanctions).where(eq(memberSanctions.userId, author.id));
    expect(sanction).toMatchObject({ kind: 'suspension', endsAt: new Date(now.getTime() + 7 * DAY) });
    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.type, 'member.sanctioned'));
    expect(audit).toMatchObject({
      subjectUserId: author.id,
      detail: expect.objectContaining({ kind: 'suspension', days: 7 }),
    });

    // Signed in again, they read; posting is refused, saying until when.
    expect((await t.request('/api/me', { headers: await as(author.id) })).status).toBe(200);
    const input = {
      user: author,
      category: { slug: 'general' },
      kind: 'thread' as const,
      body: 'Hello again',
      title: 'Back',
      now,
    };
    await expect(postingPolicy(db, input)).rejects.toMatchObject({
      status: 403,
      code: 'member_suspended',
      details: { until: new Date(now.getTime() + 7 * DAY).toISOString() },
    });
    await expect(postingPolicy(db, { ...input, now: new Date(now.getTime() + 8 * DAY) })).resolves.toMatchObject({
      status: 'visible',
    });
  });

  it('warns, silences and locks the thread', async () => {
    const { db, now, author, flag, act, itemOf } = await setup();
    const flagger = await createMember(db, now);
    const [one, two, three] = await Promise.all([1, 2, 3].map(() => createThread(db, { authorId: author.id })));
    for (const th of [one!, two!, three!]) await flag(flagger.id, th.postId, 'harassment');
    expect((await act((await itemOf(one!.postId)).id, { action: 'warn', reason: 'Please keep it kind.' })).status).toBe(
      200,
    );
    expect(
      (await act((await itemOf(two!.postId)).id, { action: 'silence', days: 2, reason: 'A pause to cool off.' }))
        .status,
    ).toBe(200);
    expect(
      (
        await act((await itemOf(three!.postId)).id, {
          action: 'lock-thread',
          reason: 'This thread is going in circles.',
        })
      ).status,
    ).toBe(200);
    const kinds = (await db.select().from(memberSanctions).where(eq(memberSanctions.userId, author.id)))
      .map((s) => s.kind)
      .sort();
    expect(kinds).toEqual(['silence', 'warning']);
    expect((await db.select().from(threads).where(eq(threads.id, three!.id)))[0]!.lockedAt).not.toBeNull();
    const told = await db.select().from(notifications).where(eq(notifications.userId, author.id));
    expect(told.map((n) => n.kind).sort()).toEqual(['moderation.silenced', 'moderation.warning']);
  });

  it('approves a held post with “keep”', async () => {
    const { db, now, author, act, postOf } = await setup();
    const thread = await createThread(db, { authorId: author.id, status: 'held' });
    const itemId = crypto.randomUUID();
    await db.insert(moderationItems).values({ id: itemId, postId: thread.postId, kind: 'held', createdAt: now });
    expect((await act(itemId, { action: 'keep', reason: 'Welcome!' })).status).toBe(200);
    expect((await postOf(thread.postId)).status).toBe('visible');
    const [told] = await db.select().from(notifications).where(eq(notifications.userId, author.id));
    expect(told!.kind).toBe('moderation.approved');
  });

  it('keeps the flaggers out of the author’s data export', async () => {
    const { db, t, now, as, author, flag, act, itemOf } = await setup();
    const thread = await createThread(db, { authorId: author.id });
    const flagger = await createMember(db, now, { displayName: 'Xanthe Secretflag' });
    await flag(flagger.id, thread.postId, 'harassment', 'She keeps doing this');
    await act((await itemOf(thread.postId)).id, { action: 'hide', sanction: 'warn', reason: 'Please rephrase.' });
    const res = await t.request('/api/me/export', { headers: await as(author.id) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('Please rephrase.');
    for (const secret of [flagger.id, 'Xanthe', 'She keeps doing this']) expect(text).not.toContain(secret);
  });
});

describe('thread tools', () => {
  it('pin, lock, close, move and slow mode, each logged with before and after', async () => {
    const { db, t, now, as, author, modHeaders } = await setup();
    const thread = await createThread(db, { authorId: author.id });
    const reply = await createReply(db, thread.id, { authorId: author.id, createdAt: now });
    const actions = [
      { action: 'pin', reason: 'Useful for everyone.' },
      { action: 'lock', reason: 'Cooling off.' },
      { action: 'unlock', reason: 'Calmer now.' },
      { action: 'close', reason: 'Question answered.' },
      { action: 'reopen', reason: 'New question.' },
      { action: 'move', category: 'study-skills', reason: 'Fits better there.' },
      { action: 'slow-mode', seconds: 120, reason: 'Heated.' },
    ];
    for (const body of actions) {
      const res = await t.postJson(`/api/moderation/threads/${thread.id}/actions`, body, { headers: modHeaders });
      expect(res.status, body.action).toBe(200);
    }
    const [row] = await db.select().from(threads).where(eq(threads.id, thread.id));
    expect(row).toMatchObject({ category: 'study-skills', slowModeSeconds: 120, lockedAt: null, closedAt: null });
    expect(row!.pinnedAt).not.toBeNull();
    const log = await db.select().from(moderationActions).where(eq(moderationActions.threadId, thread.id));
    expect(log.map((l) => l.action).sort()).toEqual(actions.map((a) => `thread.${a.action}`).sort());
    const move = log.find((l) => l.action === 'thread.move')!;
    expect(move.before).toMatchObject({ category: 'general' });
    expect(move.after).toMatchObject({ category: 'study-skills' });

    // Slow mode holds members to one post every two minutes in this thread.
    const member = await createMember(db, now, { joinedDaysAgo: 200 });
    await createReply(db, thread.id, { authorId: member.id, createdAt: new Date(now.getTime() - 30_000) });
    const err = await postingPolicy(db, {
      user: member,
      category: { slug: 'study-skills' },
      threadId: thread.id,
      kind: 'reply',
      body: 'One more thing',
      now,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, code: 'slow_mode', headers: { 'Retry-After': '90' } });
    expect(reply.seq).toBe(2);

    const member2 = await as(member.id);
    expect(
      (await t.postJson(`/api/moderation/threads/${thread.id}/actions`, actions[0], { headers: member2 })).status,
    ).toBe(403);
    expect(
      (
        await t.postJson(
          `/api/moderation/threads/${thread.id}/actions`,
          { action: 'move', reason: 'Somewhere' },
          { headers: modHeaders },
        )
      ).status,
    ).toBe(400);
  });
});
