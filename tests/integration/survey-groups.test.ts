import { describe, expect, it } from 'vitest';
import { groupMembers, groups, surveyResponses } from '#db/schema/index.ts';
import { createSession } from '#functions/auth/session.ts';
import { memberSurveys, surveyState } from '#functions/services/surveys.ts';
import { buildSurveyCatalog } from '#functions/surveys/catalog.ts';
import { loadContent } from '#scripts/lib/content.ts';
import { surveySchema } from '#src/lib/content/schema.ts';
import { createUser } from '#tests/factories/users.ts';
import { testApp, withSession } from '#tests/setup/app.ts';
import { createTestDb } from '#tests/setup/db.ts';

// Surveys for one discussion group, and the cohort group a response records.

const answers = {
  recommend: 9,
  'feel-welcome': 4,
  'feel-safe-sharing': 5,
  'easy-to-find': 4,
  'main-use': 'discussions',
  'what-helped': ['being-listened-to'],
};

const raw = loadContent().surveys.find((s) => s.id === 'en/programme-feedback')!;
const base = raw.data;
const fixture = buildSurveyCatalog([
  { id: 'en/everyone', data: base },
  { id: 'en/for-spring', data: { ...base, audience: 'group', group: 'spring-intake' } },
  { id: 'en/for-old', data: { ...base, audience: 'group', group: 'old-circle' } },
]);
const now = new Date('2026-11-21T10:00:00Z');

async function setup() {
  const db = await createTestDb();
  const t = testApp(db, { surveys: fixture });
  const ids = {
    spring: crypto.randomUUID(),
    autumn: crypto.randomUUID(),
    old: crypto.randomUUID(),
    sub: crypto.randomUUID(),
  };
  await db.insert(groups).values([
    { id: ids.spring, slug: 'spring-intake', name: 'Spring intake', kind: 'cohort' },
    { id: ids.autumn, slug: 'autumn-intake', name: 'Autumn intake', kind: 'cohort' },
    { id: ids.old, slug: 'old-circle', name: 'Old circle', kind: 'cohort', archivedAt: new Date('2026-06-01') },
    { id: ids.sub, slug: 'spring-readers', name: 'Spring readers', kind: 'subgroup', parentId: ids.spring },
  ]);
  const join = (groupId: string, userId: string, day: string, role: 'member' | 'facilitator' = 'member') =>
    db.insert(groupMembers).values({ groupId, userId, role, addedAt: new Date(`${day}T12:00:00Z`) });
  const headersOf = async (userId: string) => withSession((await createSession(db, userId, t.clock.now())).token);
  return { db, t, ids, join, headersOf };
}

describe('a survey for one group', () => {
  it('must name its group, and only a group survey may', () => {
    const { audience: _a, ...rest } = raw.data;
    const input = { ...rest, opens: '2026-10-01', closes: '2027-01-31' };
    const issues = (data: unknown) => {
      const r = surveySchema.safeParse(data);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ ...input, audience: 'group', group: 'spring-intake' })).toEqual([]);
    expect(issues({ ...input, audience: 'group' })).toEqual(['group: a survey for a group names it: group: <slug>']);
    expect(issues({ ...input, audience: 'members', group: 'spring-intake' })).toEqual([
      'group: group is only for audience: group',
    ]);
    expect(issues({ ...input, audience: 'group', group: 'Spring Intake!' }).join()).toMatch(/^group: /);
  });

  it('is for the members and facilitators of that group while it is not archived, and listed only for them', async () => {
    const { db, ids, join } = await setup();
    const member = await createUser(db);
    const facilitator = await createUser(db);
    const subgroupOnly = await createUser(db);
    const otherCohort = await createUser(db);
    const formerCircle = await createUser(db);
    await join(ids.spring, member.id, '2026-09-01');
    await join(ids.spring, facilitator.id, '2026-09-01', 'facilitator');
    await join(ids.sub, subgroupOnly.id, '2026-09-01');
    await join(ids.autumn, otherCohort.id, '2026-09-01');
    await join(ids.old, formerCircle.id, '2026-03-01');
    const state = async (userId: string, slug: string) =>
      (await surveyState(db, fixture, userId, slug, 'manual', now)).state;
    const pending = async (userId: string) =>
      (await memberSurveys(db, fixture, userId, now)).pending.map((p) => p.slug).sort();
    expect(await state(member.id, 'for-spring')).toBe('open');
    expect(await state(facilitator.id, 'for-spring')).toBe('open');
    expect(await pending(member.id)).toEqual(['everyone', 'for-spring']);
    for (const outsider of [subgroupOnly, otherCohort, formerCircle]) {
      expect(await state(outsider.id, 'for-spring')).toBe('not-in-audience');
      expect(await pending(outsider.id)).toEqual(['everyone']);
    }
    // An archived group asks nobody, its former members included.
    expect(await state(formerCircle.id, 'for-old')).toBe('not-in-audience');
  });

  it('takes a member’s answer and refuses anyone else’s with 403, storing nothing', async () => {
    const { db, t, ids, join, headersOf } = await setup();
    const member = await createUser(db);
    const outsider = await createUser(db);
    await join(ids.spring, member.id, '2026-09-01');
    await join(ids.autumn, outsider.id, '2026-09-01');
    const post = async (userId: string, slug: string) =>
      t.postJson(`/api/surveys/${slug}/responses`, { answers }, { headers: await headersOf(userId) });
    const refused = await post(outsider.id, 'for-spring');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('not_in_audience');
    expect(await db.select().from(surveyResponses)).toEqual([]);
    const pending = (await (
      await t.request('/api/surveys/pending', { headers: await headersOf(outsider.id) })
    ).json()) as { slug: string }[];
    expect(pending.map((p) => p.slug)).not.toContain('for-spring');
    expect((await post(member.id, 'for-spring')).status).toBe(201);
    expect(await db.select({ survey: surveyResponses.survey }).from(surveyResponses)).toEqual([
      { survey: 'for-spring' },
    ]);
  });
});

describe('the cohort group a response records', () => {
  it('is the cohort group joined last (not a subgroup), and none for a member in no cohort group', async () => {
    const { db, t, ids, join, headersOf } = await setup();
    const moved = await createUser(db);
    const subgroupOnly = await createUser(db);
    const alone = await createUser(db);
    await join(ids.spring, moved.id, '2026-03-01');
    await join(ids.autumn, moved.id, '2026-09-01');
    await join(ids.sub, moved.id, '2026-10-01');
    await join(ids.sub, subgroupOnly.id, '2026-10-01');
    for (const person of [moved, subgroupOnly, alone]) {
      const res = await t.postJson(
        '/api/surveys/everyone/responses',
        { answers },
        { headers: await headersOf(person.id) },
      );
      expect(res.status).toBe(201);
    }
    // Anonymous: nothing ties a response to its member, so compare the set.
    const stored = await db.select({ group: surveyResponses.groupSlug }).from(surveyResponses);
    expect(stored.map((r) => r.group).sort()).toEqual(['autumn-intake', null, null]);
  });
});
