import { describe, expect, it } from 'vitest';
import { auditEvents } from '#db/schema/index.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { sessionTokenFrom, testApp, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';

const PASSWORD = 'lanterns over the river';

async function setup() {
  const db = await createTestDb();
  const t = testApp(db);
  const signIn = async (email: string) =>
    sessionTokenFrom(await t.postJson('/api/auth/sign-in', { email, password: PASSWORD }, { ip: email }))!;
  const admin = await createUser(db, { email: 'ada@example.org', password: PASSWORD, roles: ['admin'] });
  const coordinator = await createUser(db, { email: 'cai@example.org', password: PASSWORD, roles: ['coordinator'] });
  const member = await createUser(db, { email: 'mo@example.org', password: PASSWORD });
  return { db, ...t, signIn, admin, coordinator, member };
}

describe('member administration', () => {
  it('lets admins grant roles, audits the change and ends the member’s sessions', async () => {
    const { db, request, signIn, member, admin } = await setup();
    const adminToken = await signIn('ada@example.org');
    const memberToken = await signIn('mo@example.org');
    const res = await request(`/api/admin/members/${member.id}/roles`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...withSession(adminToken) },
      body: JSON.stringify({ roles: ['mentor', 'moderator'] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ roles: ['mentor', 'moderator'] });
    expect((await request('/api/me', { headers: withSession(memberToken) })).status).toBe(401);
    const [event] = await db
      .select()
      .from(auditEvents)
      .where((await import('drizzle-orm')).eq(auditEvents.type, 'role.changed'));
    expect(event).toMatchObject({
      actorUserId: admin.id,
      subjectUserId: member.id,
      detail: { granted: ['mentor', 'moderator'], revoked: [] },
    });
    const again = await signIn('mo@example.org');
    expect(
      ((await (await request('/api/me', { headers: withSession(again) })).json()) as { user: { roles: string[] } }).user
        .roles,
    ).toEqual(['mentor', 'moderator']);
  });

  it('takes the HTML form with repeated role checkboxes', async () => {
    const { request, signIn, member } = await setup();
    const adminToken = await signIn('ada@example.org');
    const res = await request(`/api/admin/members/${member.id}/roles`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...withSession(adminToken) },
      body: 'roles=mentor&roles=coordinator&next=%2Fadmin%2Fmembers',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/members');
    const list = (await (await request('/api/admin/members', { headers: withSession(adminToken) })).json()) as {
      members: { id: string; roles: string[] }[];
    };
    expect(list.members.find((m) => m.id === member.id)!.roles).toEqual(['mentor', 'coordinator']);
  });

  it('refuses to remove the last admin', async () => {
    const { request, signIn, admin } = await setup();
    const adminToken = await signIn('ada@example.org');
    const res = await request(`/api/admin/members/${admin.id}/roles`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...withSession(adminToken) },
      body: JSON.stringify({ roles: [] }),
    });
    expect(res.status).toBe(409);
  });

  it('refuses unknown roles and unknown members', async () => {
    const { request, signIn, member } = await setup();
    const adminToken = await signIn('ada@example.org');
    const bad = await request(`/api/admin/members/${member.id}/roles`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...withSession(adminToken) },
      body: JSON.stringify({ roles: ['superuser'] }),
    });
    expect(bad.status).toBe(400);
    const missing = await request(`/api/admin/members/${crypto.randomUUID()}/roles`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...withSession(adminToken) },
      body: JSON.stringify({ roles: ['mentor'] }),
    });
    expect(missing.status).toBe(404);
  });

  it('pages through members with a keyset cursor', async () => {
    const { db, request, signIn } = await setup();
    for (let i = 0; i < 55; i++) await createUser(db, { displayName: `Person ${i}` });
    const token = await signIn('cai@example.org');
    const first = (await (await request('/api/admin/members', { headers: withSession(token) })).json()) as {
      members: { id: string }[];
      nextCursor: string;
    };
    expect(first.members).toHaveLength(50);
    const second = (await (
      await request(`/api/admin/members?cursor=${encodeURIComponent(first.nextCursor)}`, {
        headers: withSession(token),
      })
    ).json()) as {
      members: { id: string }[];
      nextCursor: string | null;
    };
    expect(second.members).toHaveLength(8);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.members, ...second.members].map((m) => m.id)).size).toBe(58);
  });
});
