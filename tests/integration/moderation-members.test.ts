import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { memberBlocks, watchedWords } from '#db/schema/index.ts';
import { canMention, hiddenAuthorsFor } from '#functions/services/moderation/blocks.ts';
import { createMember, moderationTestApp } from '#tests/factories/moderation.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const setup = moderationTestApp;

describe('blocking and muting', () => {
  it('collapses the other’s posts for the member, and a block stops mentions', async () => {
    const { db, t, now, as } = await setup();
    const me = await createMember(db, now);
    const pest = await createMember(db, now, { displayName: 'Pat Pest' });
    const bore = await createMember(db, now);
    const headers = await as(me.id);

    expect(await canMention(db, pest.id, me.id)).toBe(true);
    const blocked = await t.postJson(`/api/members/${pest.id}/block`, { kind: 'block' }, { headers });
    expect(blocked.status).toBe(200);
    expect(((await blocked.json()) as Json).member.displayName).toBe('Pat Pest');
    expect((await t.postJson(`/api/members/${bore.id}/block`, { kind: 'mute' }, { headers })).status).toBe(200);

    expect(await canMention(db, pest.id, me.id)).toBe(false);
    // A mute folds posts away but does not stop mentions; blocks are one-way.
    expect(await canMention(db, bore.id, me.id)).toBe(true);
    expect(await canMention(db, me.id, pest.id)).toBe(true);
    expect(await hiddenAuthorsFor(db, me.id)).toEqual(
      new Map([
        [pest.id, 'block'],
        [bore.id, 'mute'],
      ]),
    );
    expect(await hiddenAuthorsFor(db, pest.id)).toEqual(new Map());

    // Blocking again changes the kind; unblocking by DELETE or by form.
    expect((await t.postJson(`/api/members/${bore.id}/block`, { kind: 'block' }, { headers })).status).toBe(200);
    expect(await canMention(db, bore.id, me.id)).toBe(false);
    expect((await t.request(`/api/members/${bore.id}/block`, { method: 'DELETE', headers })).status).toBe(200);
    const form = await t.postForm(`/api/members/${pest.id}/unblock`, { next: '/account/blocked' }, { headers });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/account/blocked');
    expect(await db.select().from(memberBlocks).where(eq(memberBlocks.userId, me.id))).toEqual([]);
    expect((await t.request(`/api/members/${pest.id}/block`, { method: 'DELETE', headers })).status).toBe(404);
  });

  it('refuses yourself, strangers, unknown members and staff', async () => {
    const { db, t, now, as } = await setup();
    const me = await createMember(db, now);
    const moderator = await createMember(db, now, { roles: ['moderator'] });
    const headers = await as(me.id);
    expect((await t.postJson(`/api/members/${me.id}/block`, { kind: 'block' }, { headers })).status).toBe(400);
    expect((await t.postJson(`/api/members/${crypto.randomUUID()}/block`, { kind: 'mute' }, { headers })).status).toBe(
      404,
    );
    expect((await t.postJson(`/api/members/${moderator.id}/block`, { kind: 'mute' }, { headers })).status).toBe(409);
    expect((await t.postJson(`/api/members/${moderator.id}/block`, { kind: 'mute' })).status).toBe(401);
    expect((await t.postJson(`/api/members/${moderator.id}/block`, { kind: 'ban' }, { headers })).status).toBe(400);
  });
});

describe('managing watched words', () => {
  it('lets moderators add, list and remove them, and nobody else', async () => {
    const { db, t, now, as } = await setup();
    const moderator = await createMember(db, now, { roles: ['moderator'] });
    const member = await createMember(db, now);
    const headers = await as(moderator.id);
    const add = await t.postJson(
      '/api/moderation/watched-words',
      { pattern: ' Essay MILL* ', action: 'block' },
      { headers },
    );
    expect(add.status).toBe(201);
    const saved = ((await add.json()) as Json).watchedWord;
    expect(saved).toMatchObject({ pattern: 'essay mill*', action: 'block' });
    expect(
      (await t.postJson('/api/moderation/watched-words', { pattern: 'essay   mill*', action: 'hold' }, { headers }))
        .status,
    ).toBe(409);
    const bad = await t.postJson('/api/moderation/watched-words', { pattern: '*', action: 'flag' }, { headers });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).error.details.fields.pattern).toBeTruthy();

    const list = (await (await t.request('/api/moderation/watched-words', { headers })).json()) as Json;
    expect(list.watchedWords).toHaveLength(1);

    const memberHeaders = await as(member.id);
    expect((await t.request('/api/moderation/watched-words', { headers: memberHeaders })).status).toBe(403);
    expect(
      (
        await t.postJson(
          '/api/moderation/watched-words',
          { pattern: 'hello', action: 'block' },
          { headers: memberHeaders },
        )
      ).status,
    ).toBe(403);
    expect(
      (await t.request(`/api/moderation/watched-words/${saved.id}`, { method: 'DELETE', headers: memberHeaders }))
        .status,
    ).toBe(403);

    const form = await t.postForm(
      `/api/moderation/watched-words/${saved.id}/delete`,
      { next: '/moderation/watched-words' },
      { headers },
    );
    expect(form.status).toBe(303);
    expect(await db.select().from(watchedWords)).toEqual([]);
    expect((await t.request(`/api/moderation/watched-words/${saved.id}`, { method: 'DELETE', headers })).status).toBe(
      404,
    );
  });
});
