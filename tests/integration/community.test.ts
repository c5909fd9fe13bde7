import { describe, expect, it } from 'vitest';
import { DEMO_MEMBER_COUNT, DEMO_PEOPLE, seedDemoCommunity } from '#db/seed.ts';
import { createUser } from '#tests/factories/users.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { testApp } from '#tests/setup/app.ts';

describe('GET /api/community', () => {
  it('counts members and mentors and lists the people who look after the space', async () => {
    const db = await createTestDb();
    await createUser(db, { displayName: 'Ada', roles: ['coordinator', 'mentor'] });
    await createUser(db, { displayName: 'Bo', roles: ['mentor'] });
    await createUser(db, { displayName: 'Cy', roles: ['admin'] });
    await createUser(db, { displayName: 'Di' });
    const { request } = testApp(db);
    const res = await request('/api/community');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      members: 4,
      mentors: 2,
      team: [{ displayName: 'Ada', roles: ['coordinator'] }],
    });
  });

  it('reflects the seeded demo community, which seeds only once', async () => {
    const db = await createTestDb();
    expect(await seedDemoCommunity(db)).toBe(true);
    expect(await seedDemoCommunity(db)).toBe(false);
    const { request } = testApp(db);
    const body = (await (await request('/api/community')).json()) as {
      members: number;
      mentors: number;
      team: unknown[];
    };
    expect(body.members).toBe(DEMO_MEMBER_COUNT);
    expect(body.mentors).toBe(DEMO_PEOPLE.filter((p) => p.roles.includes('mentor')).length);
    expect(body.team.length).toBeGreaterThanOrEqual(3);
  });
});

describe('demo accounts', () => {
  it('sign in with the README password and are verified', async () => {
    const { DEMO_PASSWORD } = await import('#db/seed.ts');
    const db = await createTestDb();
    await seedDemoCommunity(db);
    const { postJson } = testApp(db);
    const res = await postJson('/api/auth/sign-in', { email: 'amara@example.org', password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: unknown }).user).toMatchObject({
      emailVerified: true,
      roles: expect.arrayContaining(['admin', 'coordinator']),
    });
  });
});
