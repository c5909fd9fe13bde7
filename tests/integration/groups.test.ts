import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents, notifications } from '#db/schema/index.ts';
import { discussionHarness } from '#tests/factories/discussions.ts';
import { createTestDb } from '#tests/setup/db.ts';

describe('groups', () => {
  it('coordinators create a cohort and a subgroup, add members by email and name facilitators', async () => {
    const h = discussionHarness(await createTestDb());
    const coordinator = await h.member({ roles: ['coordinator'] });
    const student = await h.member({ displayName: 'Elena Petrova', email: 'elena@example.test' });
    const facilitator = await h.member({ displayName: 'Priya Raman', email: 'priya@example.test' });

    const cohort = await h.json(coordinator, 'POST', '/api/groups', { slug: 'cohort-a', name: 'Cohort A' });
    expect(cohort.status).toBe(201);
    expect((await h.json(coordinator, 'POST', '/api/groups', { slug: 'cohort-a', name: 'Again' })).status).toBe(400);
    const sub = await h.json(coordinator, 'POST', '/api/groups', {
      slug: 'cohort-a-maths',
      name: 'Maths circle',
      kind: 'subgroup',
      parent: 'cohort-a',
    });
    expect(sub.status).toBe(201);
    expect(
      (await h.json(coordinator, 'POST', '/api/groups', { slug: 'lost', name: 'Lost subgroup', kind: 'subgroup' })).body
        .error.details.fields,
    ).toHaveProperty('parent');

    const added = await h.json(coordinator, 'POST', '/api/groups/cohort-a/members', { email: 'ELENA@example.test ' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ userId: student.id, role: 'member' });
    await h.json(coordinator, 'POST', '/api/groups/cohort-a/members', { userId: facilitator.id, role: 'facilitator' });
    expect(
      (await h.json(coordinator, 'POST', '/api/groups/cohort-a/members', { email: 'nobody@example.test' })).status,
    ).toBe(400);

    const group = await h.get(coordinator, '/api/groups/cohort-a');
    expect(group.body.members.map((m: { displayName: string; role: string }) => [m.displayName, m.role])).toEqual([
      ['Priya Raman', 'facilitator'],
      ['Elena Petrova', 'member'],
    ]);
    const list = await h.get(coordinator, '/api/groups');
    expect(list.body.find((g: { slug: string }) => g.slug === 'cohort-a-maths')).toMatchObject({
      parent: 'cohort-a',
      members: 0,
    });

    // Role changes and removal, each audited; the member hears they were added.
    expect(
      (await h.json(coordinator, 'POST', `/api/groups/cohort-a/members/${student.id}`, { role: 'facilitator' })).status,
    ).toBe(200);
    expect((await h.json(coordinator, 'DELETE', `/api/groups/cohort-a/members/${student.id}`)).status).toBe(200);
    expect((await h.json(coordinator, 'DELETE', `/api/groups/cohort-a/members/${student.id}`)).status).toBe(404);
    const audit = await h.db().select().from(auditEvents).where(eq(auditEvents.actorUserId, coordinator.id));
    expect(audit.map((a) => a.type).sort()).toEqual(
      [
        'group.created',
        'group.created',
        'group.member_added',
        'group.member_added',
        'group.member_removed',
        'group.role_changed',
      ].sort(),
    );
    const note = await h.db().select().from(notifications).where(eq(notifications.userId, student.id));
    expect(note[0]?.title).toBe('You have been added to Cohort A');
  });

  it('are managed by coordinators only', async () => {
    const h = discussionHarness(await createTestDb());
    const moderator = await h.member({ roles: ['moderator'] });
    const admin = await h.member({ roles: ['admin'] });
    for (const who of [moderator, admin]) {
      expect((await h.get(who, '/api/groups')).status).toBe(403);
      expect((await h.json(who, 'POST', '/api/groups', { slug: 'x-group', name: 'X group' })).status).toBe(403);
    }
    expect((await h.get(null, '/api/groups')).status).toBe(401);
  });

  it('work from the coordinators’ page without JavaScript', async () => {
    const h = discussionHarness(await createTestDb());
    const coordinator = await h.member({ roles: ['coordinator'] });
    const res = await h.postForm(
      '/api/groups',
      { slug: 'evening', name: 'Evening cohort', kind: 'cohort', next: '/coordinator/groups' },
      { headers: h.as(coordinator) },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/coordinator/groups');
    const bad = await h.postForm(
      '/api/groups',
      { slug: 'Not A Slug', name: 'x' },
      {
        headers: { ...h.as(coordinator), referer: 'http://hearth.test/coordinator/groups' },
      },
    );
    expect(bad.status).toBe(303);
    expect(bad.headers.get('location')).toBe('/coordinator/groups');
    expect(bad.headers.get('set-cookie')).toMatch(/hearth_flash/);
  });
});
