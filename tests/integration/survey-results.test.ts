import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { auditEvents, groups } from '#db/schema/index.ts';
import { createSession } from '#functions/auth/session.ts';
import type { SurveyResults } from '#functions/services/survey-results.ts';
import { pairedChange } from '#functions/surveys/stats.ts';
import { contentSurveys } from '#tests/factories/training.ts';
import { insertResponses, ratingIds, type ResponseSeed } from '#db/synthetic-surveys.ts';
import { seededRandom } from '#scripts/lib/random.ts';
import { createUser } from '#tests/factories/users.ts';
import { testApp, withSession } from '#tests/setup/app.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { attack, type Equation } from '#tests/setup/survey-attacker.ts';

const catalog = contentSurveys();

async function setup(roles: ('coordinator' | 'admin')[] = ['coordinator']) {
  const db = await createTestDb();
  const t = testApp(db);
  const staff = await createUser(db, { roles, displayName: 'Coordinator' });
  const headers = withSession((await createSession(db, staff.id, t.clock.now())).token);
  const get = (path: string) => t.request(path, { headers });
  const json = async <T = SurveyResults>(path: string) => {
    const res = await get(path);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as T;
  };
  return { db, t, staff, headers, get, json };
}

/** Parses this API's CSV (every field quoted, CRLF). */
function parseCsv(text: string): string[][] {
  return text
    .split('\r\n')
    .filter(Boolean)
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"')));
}

// ---------------------------------------------------------------------------------------------
// A small programme-feedback survey with known groups: three cohorts (26, 16 and 7 respondents)
// and two roles (37 members, 12 mentors), answers drawn from a seeded generator, and exactly 3
// people who strongly disagree that they feel welcome.

const GROUPS = [
  { cohort: '2026-01', role: 'member', n: 20 },
  { cohort: '2026-01', role: 'mentor', n: 6 },
  { cohort: '2026-03', role: 'member', n: 12 },
  { cohort: '2026-03', role: 'mentor', n: 4 },
  { cohort: '2026-05', role: 'member', n: 5 },
  { cohort: '2026-05', role: 'mentor', n: 2 },
] as const;

function feedbackSeeds(seed = 7): ResponseSeed[] {
  const r = seededRandom(seed);
  const seeds: ResponseSeed[] = [];
  let i = 0;
  for (const g of GROUPS) {
    for (let k = 0; k < g.n; k++, i++) {
      const mainUse = r.pick(['discussions', 'training', 'mentoring', 'library', 'just-reading', 'discussions']);
      seeds.push({
        role: g.role,
        cohort: g.cohort,
        day: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}`,
        answers: {
          recommend: r.pick([10, 9, 9, 8, 8, 7, 6, 10, 3]),
          // Indices 0, 20 and 40 (three cohorts, both roles) strongly disagree; nobody disagrees.
          'feel-welcome': i % 20 === 0 ? 1 : r.pick([3, 4, 4, 5, 5, 5]),
          'feel-safe-sharing': r.pick([2, 3, 4, 4, 5]),
          'easy-to-find': r.pick([1, 2, 3, 3, 4, 4, 5]),
          'main-use': mainUse,
          'what-helped': ['being-listened-to', 'study-tips', 'meeting-people', 'nothing-yet'].filter(
            (_, j) => (i + j) % (j + 2) === 0,
          ),
          ...(i % 6 === 0 ? { 'one-change': `Idea number ${i}: more evening events` } : {}),
          ...(i === 11 ? { 'in-a-few-words': 'Kind' } : {}),
        },
      });
    }
  }
  // "What helped" must have an answer (it is required): give the empty ones "nothing yet".
  for (const s of seeds)
    if ((s.answers['what-helped'] as string[]).length === 0) s.answers['what-helped'] = ['nothing-yet'];
  return seeds;
}

/** The finest group a response falls in: role × cohort × discussion group, as the results record them. */
const SEGMENT_ORDER = ['role', 'cohort', 'group'] as const;
const atomGroup = (s: ResponseSeed) => `${s.role ?? 'member'}|${s.cohort ?? '2026-09'}|${s.group ?? ''}`;

/**
 * Everything the results publish, as equations over the finest counts (role × cohort × group ×
 * answer), for the attacker; and the hidden figures with their true values, for it to try.
 */
function equationsFrom(views: SurveyResults[], seeds: ResponseSeed[]) {
  const survey = catalog.get('programme-feedback')!.survey;
  const groups = [...new Set(seeds.map(atomGroup))];
  const truth = new Map<string, number>();
  const bump = (k: string) => truth.set(k, (truth.get(k) ?? 0) + 1);
  for (const s of seeds) {
    const g = atomGroup(s);
    bump(`${g}|resp`);
    for (const q of survey.questions) {
      const a = s.answers[q.id];
      if (a === undefined) continue;
      if (q.type === 'multiple') {
        bump(`${g}|${q.id}|answered`);
        for (const o of a as string[]) bump(`${g}|${q.id}|${o}`);
      } else bump(`${g}|${q.id}|${String(a)}`);
    }
  }
  const published: Equation[] = [];
  const hidden: Equation[] = [];
  const eqOf = (name: string, atoms: [string, number][]): Equation => {
    const terms = new Map<string, number>();
    let value = 0;
    for (const [k, c] of atoms) {
      terms.set(k, (terms.get(k) ?? 0) + c);
      value += c * (truth.get(k) ?? 0);
    }
    return { name, terms, value };
  };
  // What the survey's definition tells anyone: every respondent answers a required question.
  for (const g of groups)
    for (const q of survey.questions.filter(
      (x) => x.required && !x.showIf && x.type !== 'long' && x.type !== 'short',
    )) {
      const atoms: [string, number][] =
        q.type === 'multiple'
          ? [[`${g}|${q.id}|answered`, 1]]
          : (
              q.options?.map((o) => o.id) ??
              Array.from({ length: q.type === 'nps' ? 11 : 5 }, (_, v) => String(q.type === 'nps' ? v : v + 1))
            ).map((c): [string, number] => [`${g}|${q.id}|${c}`, 1]);
      published.push({ ...eqOf(`required ${g} ${q.id}`, [...atoms, [`${g}|resp`, -1]]), value: 0 });
    }
  const total = views[0]!.responses;
  const allResp = groups.map((g): [string, number] => [`${g}|resp`, 1]);
  if (typeof total === 'number') published.push(eqOf('responses', allResp));
  for (const view of views) {
    const by = view.segment?.by;
    const reported = new Set(view.segment?.groups.map((g) => g.key) ?? []);
    const members = (rowKey: string) =>
      groups.filter((g) => {
        if (rowKey === 'all' || !by) return true;
        const value = g.split('|')[SEGMENT_ORDER.indexOf(by)]!;
        return rowKey === 'other' ? !reported.has(value) : value === rowKey;
      });
    for (const q of view.questions) {
      for (const row of q.rows) {
        const gs = members(row.key);
        const label = `${by ?? 'overall'} ${row.key} ${q.id}`;
        const nAtoms = (cat: (c: string) => string) =>
          gs.flatMap((g) =>
            q.type === 'multiple'
              ? [[`${g}|${q.id}|answered`, 1] as [string, number]]
              : q.categories.map((c): [string, number] => [`${g}|${q.id}|${cat(c.id)}`, 1]),
          );
        const n = eqOf(
          `${label} n`,
          nAtoms((c) => c),
        );
        (typeof row.n === 'number' ? published : hidden).push(n);
        if (typeof row.n === 'number') expect(row.n, label).toBe(n.value);
        q.categories.forEach((c, i) => {
          const cell = eqOf(
            `${label} ${c.id}`,
            gs.map((g) => [`${g}|${q.id}|${c.id}`, 1]),
          );
          const shown = row.counts[i];
          if (typeof shown === 'number') {
            expect(shown, `${label} ${c.id}`).toBe(cell.value);
            published.push(cell);
          } else {
            expect(shown).toBe('<5');
            hidden.push(cell);
          }
        });
        // An exact mean or score is one more equation over the counts.
        if (row.scale?.exact && typeof row.n === 'number') {
          const values = q.categories.map((c) => Number(c.id));
          published.push({
            ...eqOf(
              `${label} mean`,
              gs.flatMap((g) => q.categories.map((c, i): [string, number] => [`${g}|${q.id}|${c.id}`, values[i]!])),
            ),
            value: row.scale.mean.low * row.n,
          });
        }
        if (row.nps?.exact && typeof row.n === 'number')
          published.push({
            ...eqOf(
              `${label} nps`,
              gs.flatMap((g) =>
                q.categories.map((c): [string, number] => [
                  `${g}|${q.id}|${c.id}`,
                  Number(c.id) >= 9 ? 1 : Number(c.id) <= 6 ? -1 : 0,
                ]),
              ),
            ),
            value: (row.nps.score.low * row.n) / 100,
          });
      }
    }
  }
  return { published, hidden, truth };
}

async function feedbackSurvey() {
  const ctx = await setup();
  const seeds = feedbackSeeds();
  await insertResponses(ctx.db, catalog, 'programme-feedback', seeds);
  const base = '/api/admin/surveys/programme-feedback/results';
  const views = [
    await ctx.json(base),
    await ctx.json(`${base}?segment=role`),
    await ctx.json(`${base}?segment=cohort`),
  ];
  return { ...ctx, seeds, views, base };
}

const question = (r: SurveyResults, id: string) => r.questions.find((q) => q.id === id)!;

describe('survey results', () => {
  it('answers 404 for an unknown survey, 400 for an unknown breakdown, 403 for members', async () => {
    const { get, db, t } = await setup();
    for (const path of [
      '/api/admin/surveys/no-such-survey/results',
      '/api/admin/surveys/no-such-survey/results.csv',
      '/api/admin/surveys/no-such-survey/responses.csv',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
    expect((await get('/api/admin/surveys/programme-feedback/results?segment=email')).status).toBe(400);
    expect((await get('/api/admin/surveys/programme-feedback/results?segment=role&x=1')).status).toBe(400);
    const member = await createUser(db);
    const memberHeaders = withSession((await createSession(db, member.id, t.clock.now())).token);
    expect((await t.request('/api/admin/surveys', { headers: memberHeaders })).status).toBe(403);
    expect(
      (await t.request('/api/admin/surveys/programme-feedback/results.csv', { headers: memberHeaders })).status,
    ).toBe(403);
  });

  it('lists every published survey with its response count, "<5" when small', async () => {
    const { db, json } = await setup();
    await insertResponses(db, catalog, 'programme-feedback', feedbackSeeds().slice(0, 12));
    await insertResponses(db, catalog, 'mentorship-check-in-30', [
      {
        answers: { 'going-well': 4, 'comfortable-talking': 5, 'how-often': 'about-right' },
        instance: 'mentorship-day',
      },
      { answers: { 'going-well': 2, 'comfortable-talking': 3, 'how-often': 'too-often' }, instance: 'mentorship-day' },
    ]);
    const list =
      await json<{ slug: string; responses: number | string; identity: string; status: string }[]>(
        '/api/admin/surveys',
      );
    expect(list.map((s) => s.slug).sort()).toEqual(catalog.surveys.map((s) => s.slug).sort());
    expect(list.find((s) => s.slug === 'programme-feedback')).toMatchObject({ responses: 12, identity: 'anonymous' });
    expect(list.find((s) => s.slug === 'mentorship-check-in-30')).toMatchObject({ responses: '<5' });
    expect(list.find((s) => s.slug === 'confidence-pre')).toMatchObject({ responses: '<5' });
  });

  it('shows a small cell as "<5", and leaves a cohort of 7 out of the breakdown', async () => {
    const { views, seeds, get, base } = await feedbackSurvey();
    const [overall, byRole, byCohort] = views as [SurveyResults, SurveyResults, SurveyResults];
    expect(overall.responses).toBe(seeds.length);
    // Three people strongly disagree that they feel welcome: the marker, not the number.
    const welcome = question(overall, 'feel-welcome').rows[0]!;
    expect(seeds.filter((s) => s.answers['feel-welcome'] === 1)).toHaveLength(3);
    expect(welcome.counts[0]).toBe('<5');
    expect(welcome.percents[0]).toBeNull();
    // Cohorts: 26, 16 and 7. The 7 is too few, and the 16 goes with it (else 49 − 26 − 16 = 7).
    expect(byCohort.segment!.groups.map((g) => g.key)).toEqual(['2026-01', 'other']);
    const cohortJson = JSON.stringify(byCohort);
    expect(cohortJson).not.toContain('2026-05');
    expect(cohortJson).not.toContain('2026-03');
    expect(question(byCohort, 'main-use').rows.map((r) => [r.key, r.n])).toEqual([
      ['2026-01', 26],
      ['other', 23],
      ['all', 49],
    ]);
    // Roles: 37 members and 12 mentors, both reported.
    expect(byRole.segment!.groups.map((g) => g.key)).toEqual(['member', 'mentor']);
    // The CSV carries the same figures, with the same marker, and nothing about the small cohort.
    const csvText = await (await get(`${base}.csv?segment=cohort`)).text();
    expect(csvText).not.toMatch(/2026-05|May 2026|Mar 2026/);
    const lines = parseCsv(csvText);
    expect(lines[0]).toEqual(['section', 'question', 'prompt', 'group', 'measure', 'value', 'percent', 'low', 'high']);
    for (const q of byCohort.questions)
      for (const row of q.rows)
        q.categories.forEach((c, i) => {
          const line = lines.find((l) => l[0] === 'answers' && l[1] === q.id && l[3] === row.label && l[4] === c.label);
          expect(line?.[5], `${q.id} ${row.label} ${c.label}`).toBe(String(row.counts[i]));
        });
    const overallCsv = parseCsv(await (await get(`${base}.csv`)).text());
    expect(
      overallCsv.find((l) => l[1] === 'feel-welcome' && l[3] === 'Everyone' && l[4] === 'Strongly disagree')?.[5],
    ).toBe('<5');
  });

  it('lets no hidden figure be worked out from everything the API and the CSV publish', async () => {
    const { views, seeds } = await feedbackSurvey();
    const { published, hidden } = equationsFrom(views, seeds);
    expect(hidden.length, 'the data must have hidden figures for this to test anything').toBeGreaterThan(5);
    const result = attack(published, hidden);
    expect(result.determined).toEqual([]);
    expect(result.pinned).toEqual([]);
    // Every view hides the same whole-survey figures: what one hides, no other shows.
    const overallCells = (r: SurveyResults) =>
      r.questions.map((q) => (q.rows.find((x) => x.key === 'all') ?? { counts: [] }).counts);
    const hiddenAt = (r: SurveyResults) => overallCells(r).map((cs) => cs.map((c) => c === '<5'));
    expect(hiddenAt(views[1]!)).toEqual(hiddenAt(views[0]!));
    expect(hiddenAt(views[2]!)).toEqual(hiddenAt(views[0]!));
  });

  it('the attacker has teeth: an exact mean beside hidden cells, or primary suppression alone, gives figures away', async () => {
    const { views, seeds } = await feedbackSurvey();
    const overall = views[0]!;
    // The published mean of feel-welcome is a range; a careless exact mean would give a cell away.
    const q = question(overall, 'feel-welcome');
    const row = q.rows[0]!;
    expect(row.scale!.exact).toBe(false);
    expect(row.scale!.mean.low).toBeLessThan(row.scale!.mean.high);
    const trueMean =
      seeds.reduce((a, s) => a + (s.answers['feel-welcome'] as number), 0) /
      seeds.filter((s) => s.answers['feel-welcome']).length;
    expect(trueMean).toBeGreaterThanOrEqual(row.scale!.mean.low - 1e-12);
    expect(trueMean).toBeLessThanOrEqual(row.scale!.mean.high + 1e-12);
    const careless = structuredClone(views);
    const carelessRow = question(careless[0]!, 'feel-welcome').rows[0]!;
    carelessRow.scale = { ...carelessRow.scale!, mean: { low: trueMean, high: trueMean }, exact: true };
    const leak = equationsFrom(careless, seeds);
    expect(attack(leak.published, leak.hidden).determined.length).toBeGreaterThan(0);
    // Showing the complementary cells (hiding only figures under 5) gives small ones away.
    const { published, hidden } = equationsFrom(views, seeds);
    const found = attack(
      [...published, ...hidden.filter((h) => h.value >= 5)],
      hidden.filter((h) => h.value < 5),
    );
    expect([...found.determined, ...found.pinned].length).toBeGreaterThan(0);
  });

  it('lists written answers for the whole survey only, from 5 answers, in an order that says nothing of when', async () => {
    const { views, seeds } = await feedbackSurvey();
    const written = seeds.filter((s) => s.answers['one-change']);
    expect(written.length).toBeGreaterThanOrEqual(5);
    for (const view of views) {
      const q = question(view, 'one-change');
      expect(q.n).toBe(written.length);
      expect(q.rows).toEqual([]);
      expect([...q.answers!].sort()).toEqual(written.map((s) => s.answers['one-change'] as string).sort());
    }
    const order = question(views[0]!, 'one-change').answers!;
    const byDay = [...written].sort((a, b) => a.day!.localeCompare(b.day!)).map((s) => s.answers['one-change']);
    expect(order).not.toEqual(byDay);
    expect(order).not.toEqual([...byDay].reverse());
    // One short answer: not shown, and not counted.
    expect(question(views[0]!, 'in-a-few-words')).toMatchObject({ n: '<5', answers: null });
    expect(JSON.stringify(views)).not.toContain('"Kind"');
  });

  it('reports the response rate of a manual survey against its audience, with small counts hidden', async () => {
    const { db, json } = await setup();
    const people = await Promise.all(
      Array.from({ length: 24 }, (_, i) => createUser(db, { roles: i < 3 ? ['mentor'] : [] })),
    );
    await insertResponses(
      db,
      catalog,
      'programme-feedback',
      people.slice(0, 14).map((_, i) => ({
        role: i < 3 ? 'mentor' : 'member',
        answers: feedbackSeeds()[i]!.answers,
      })),
    );
    // Participation is recorded apart from the answers.
    for (const p of people.slice(0, 14))
      await db.run(
        sql`insert into survey_participation (survey, instance, user_id, invited_day, answered_day) values ('programme-feedback', 'manual', ${p.id}, '2026-11-01', '2026-11-01')`,
      );
    const r = await json('/api/admin/surveys/programme-feedback/results');
    // 25 verified members (the coordinator too), 3 of them mentors; 14 answered, 3 mentors among them.
    expect(r.responseRate.basis).toBe('audience');
    const rows = Object.fromEntries(r.responseRate.rows.map((x) => [x.key, x]));
    expect(rows.all).toMatchObject({ eligible: 25, answered: 14 });
    expect(rows.all!.rate).toBeCloseTo(56, 6);
    expect(rows.mentor).toMatchObject({ eligible: '<5', answered: '<5', rate: null });
    // The members' figures would be the total minus the mentors': hidden too.
    expect(rows.member).toMatchObject({ eligible: '<5', answered: '<5', rate: null });
  });
});

// ---------------------------------------------------------------------------------------------
// By discussion group: two cohort groups of 12, one of 7, and 5 people in no group (36 in all).

const COHORT_GROUPS = [
  { slug: 'spring-intake', name: 'Spring intake 2026', n: 12 },
  { slug: 'autumn-intake', name: 'Autumn intake 2026', n: 12 },
  { slug: 'quiet-circle', name: 'Quiet circle', n: 7 },
] as const;

function groupSeeds(): ResponseSeed[] {
  const sizes = COHORT_GROUPS.map((g) => g.n);
  // Interleaved, so that every group mixes roles and cohorts.
  const order = feedbackSeeds(13).filter((_, i) => i % 4 !== 3);
  return order.slice(0, 36).map((seed, i) => {
    let k = i;
    const g = COHORT_GROUPS.findIndex((_, j) => (k -= sizes[j]!) < 0);
    return { ...seed, group: g < 0 ? null : COHORT_GROUPS[g]!.slug };
  });
}

async function groupSurvey() {
  const ctx = await setup();
  await ctx.db
    .insert(groups)
    .values(
      COHORT_GROUPS.map((g) => ({ id: crypto.randomUUID(), slug: g.slug, name: g.name, kind: 'cohort' as const })),
    );
  const seeds = groupSeeds();
  await insertResponses(ctx.db, catalog, 'programme-feedback', seeds);
  const base = '/api/admin/surveys/programme-feedback/results';
  const views = [
    await ctx.json(base),
    await ctx.json(`${base}?segment=role`),
    await ctx.json(`${base}?segment=cohort`),
    await ctx.json(`${base}?segment=group`),
  ];
  return { ...ctx, seeds, views, base };
}

describe('survey results by discussion group', () => {
  it('shows the two groups of 12 by name, and leaves the group of 7 out, in the API and the CSV', async () => {
    const { views, seeds, get, base } = await groupSurvey();
    const byGroup = views[3]!;
    expect(seeds.filter((s) => s.group === 'quiet-circle')).toHaveLength(7);
    expect(seeds.filter((s) => !s.group)).toHaveLength(5);
    expect(byGroup.segment).toMatchObject({ by: 'group', title: 'Group', note: null });
    expect(byGroup.segment!.groups).toEqual([
      { key: 'autumn-intake', label: 'Autumn intake 2026' },
      { key: 'spring-intake', label: 'Spring intake 2026' },
      { key: 'other', label: 'Smaller groups, together' },
    ]);
    // The 7 and the 5 without a group are shown only together (12), never apart.
    expect(question(byGroup, 'main-use').rows.map((r) => [r.key, r.n])).toEqual([
      ['autumn-intake', 12],
      ['spring-intake', 12],
      ['other', 12],
      ['all', 36],
    ]);
    const json = JSON.stringify(byGroup);
    expect(json).not.toMatch(/quiet-circle|Quiet circle|Not in a cohort group/);
    const csvText = await (await get(`${base}.csv?segment=group`)).text();
    expect(csvText).not.toMatch(/quiet-circle|Quiet circle/);
    expect(parseCsv(csvText).some((l) => l[0] === 'answers' && l[3] === 'Spring intake 2026')).toBe(true);
    // Every view hides the same whole-survey figures.
    const hiddenAt = (r: SurveyResults) =>
      r.questions.map((q) => (q.rows.find((x) => x.key === 'all') ?? { counts: [] }).counts.map((c) => c === '<5'));
    for (const view of views.slice(1)) expect(hiddenAt(view)).toEqual(hiddenAt(views[0]!));
  });

  it('lets no hidden figure, nor the small group, be worked out from every view together', async () => {
    const { views, seeds } = await groupSurvey();
    const { published, hidden, truth } = equationsFrom(views, seeds);
    expect(hidden.length, 'the data must have hidden figures for this to test anything').toBeGreaterThan(5);
    // What the small group answered, and how many it has: as hidden as any "<5".
    const quiet = [...new Set(seeds.filter((s) => s.group === 'quiet-circle').map(atomGroup))];
    const none = [...new Set(seeds.filter((s) => !s.group).map(atomGroup))];
    const sumOf = (name: string, atoms: string[]): Equation => {
      const terms = new Map(atoms.map((a) => [a, 1]));
      return { name, terms, value: atoms.reduce((a, k) => a + (truth.get(k) ?? 0), 0) };
    };
    const quietSize = sumOf(
      'quiet circle respondents',
      quiet.map((g) => `${g}|resp`),
    );
    const quietMainUse = catalog
      .get('programme-feedback')!
      .survey.questions.find((q) => q.id === 'main-use')!
      .options!.map((o) =>
        sumOf(
          `quiet circle main-use ${o.id}`,
          quiet.map((g) => `${g}|main-use|${o.id}`),
        ),
      );
    const result = attack(published, [...hidden, quietSize, ...quietMainUse]);
    expect(result.determined).toEqual([]);
    expect(result.pinned).toEqual([]);
    // The attacker has teeth: were the 5 without a group shown apart, the 7 would follow.
    const leak = attack(
      [
        ...published,
        sumOf(
          'no group respondents',
          none.map((g) => `${g}|resp`),
        ),
      ],
      [quietSize],
    );
    expect(leak.determined).toEqual(['quiet circle respondents']);
  });
});

describe('raw responses', () => {
  it('are refused for anonymous and pseudonymous surveys, and export nothing', async () => {
    const { db, get } = await setup();
    await insertResponses(db, catalog, 'programme-feedback', feedbackSeeds().slice(0, 10));
    for (const slug of ['programme-feedback', 'confidence-pre']) {
      const res = await get(`/api/admin/surveys/${slug}/responses.csv`);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/json/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('raw_export_not_allowed');
      expect(JSON.stringify(body)).not.toMatch(/evening|Idea number/);
    }
    expect(await db.select().from(auditEvents).where(eq(auditEvents.type, 'survey.responses_exported'))).toEqual([]);
  });

  it('export an identified survey with names, guarded against spreadsheet formulas, and are audited', async () => {
    const { db, get, staff } = await setup(['admin']);
    const mentee = await createUser(db, { displayName: '=HYPERLINK("http://evil.example","x")' });
    const mentor = await createUser(db, { displayName: 'Priya' });
    await insertResponses(db, catalog, 'mentorship-closing', [
      {
        respondentId: mentee.id,
        instance: 'mentorship:00000000-0000-4000-8000-000000000001:close',
        answers: {
          'good-experience': 5,
          'felt-heard': 4,
          'goals-met': 'partly',
          'recommend-mentoring': 9,
          'most-valuable': '+cmd|" /C calc"!A0',
        },
      },
      {
        respondentId: mentor.id,
        role: 'mentor',
        instance: 'mentorship:00000000-0000-4000-8000-000000000001:close',
        answers: { 'good-experience': 4, 'felt-heard': 5, 'goals-met': 'fully', 'recommend-mentoring': 10 },
      },
    ]);
    const res = await get('/api/admin/surveys/mentorship-closing/responses.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="hearth-mentorship-closing-responses-/,
    );
    const text = await res.text();
    const lines = parseCsv(text);
    expect(lines[0]!.slice(0, 5)).toEqual(['day', 'member', 'email', 'role', 'cohort']);
    const menteeLine = lines.find((l) => l.includes('Partly'))!;
    expect(menteeLine[1]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(menteeLine[2]).toBe(mentee.email);
    expect(menteeLine).toContain(`'+cmd|" /C calc"!A0`);
    expect(lines.find((l) => l.includes('Yes, fully'))![1]).toBe('Priya');
    // No field of the file starts a formula.
    for (const line of lines) for (const field of line) expect(field).not.toMatch(/^[=+\-@\t\r]/);
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.type, 'survey.responses_exported'));
    expect(event).toMatchObject({ actorUserId: staff.id, detail: { survey: 'mentorship-closing', responses: 2 } });
  });
});

// ---------------------------------------------------------------------------------------------

interface Person {
  cohort: string;
  pre: number[] | null;
  /** Later answers count; the latest is paired. */
  posts: { day: string; items: number[] }[];
}

const ITEMS = ratingIds(catalog, 'confidence-pre');

async function storePeople(db: Awaited<ReturnType<typeof createTestDb>>, people: Person[]) {
  await db.run(sql`delete from survey_responses where survey in ('confidence-pre', 'confidence-post')`);
  const answers = (items: number[]) => Object.fromEntries(ITEMS.map((id, i) => [id, items[i]!]));
  const pre: ResponseSeed[] = [];
  const post: ResponseSeed[] = [];
  people.forEach((p, i) => {
    const pseudonym = `person-${String(i).padStart(4, '0')}`;
    if (p.pre) pre.push({ cohort: p.cohort, pseudonym, day: '2026-09-10', answers: answers(p.pre) });
    for (const x of p.posts)
      post.push({ cohort: p.cohort, pseudonym, day: x.day, instance: 'mentorship-close', answers: answers(x.items) });
  });
  await insertResponses(db, catalog, 'confidence-pre', pre);
  await insertResponses(db, catalog, 'confidence-post', post);
}

/** By hand: each person's score is the mean of their six ratings; the latest "after" pairs with the "before". */
function expectedChange(people: Person[]) {
  const pairs = people
    .filter((p) => p.pre && p.posts.length)
    .map((p) => {
      const latest = [...p.posts].sort((a, b) => b.day.localeCompare(a.day))[0]!;
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      return { cohort: p.cohort, pre: mean(p.pre!), post: mean(latest.items) };
    });
  return pairs;
}

describe('before and after', () => {
  it('pairs each person’s first "before" with their latest "after", per cohort, and hides small cohorts', async () => {
    const { db, json } = await setup();
    const r = seededRandom(11);
    const rating = () => r.int(1, 5);
    const items = () => ITEMS.map(rating);
    const people: Person[] = [
      ...Array.from({ length: 12 }, (): Person => ({
        cohort: '2026-01',
        pre: items(),
        posts: [{ day: '2026-12-01', items: items() }],
      })),
      ...Array.from({ length: 11 }, (): Person => ({
        cohort: '2026-02',
        pre: items(),
        posts: [{ day: '2026-12-02', items: items() }],
      })),
      ...Array.from({ length: 2 }, (): Person => ({
        cohort: '2026-03',
        pre: items(),
        posts: [{ day: '2026-12-03', items: items() }],
      })),
      // Two answers afterwards: the later one counts.
      {
        cohort: '2026-01',
        pre: [1, 1, 1, 1, 1, 1],
        posts: [
          { day: '2027-03-01', items: [5, 5, 5, 5, 5, 5] },
          { day: '2026-12-05', items: [2, 2, 2, 2, 2, 2] },
        ],
      },
      // Unpaired: only before, or only after.
      { cohort: '2026-01', pre: items(), posts: [] },
      { cohort: '2026-02', pre: null, posts: [{ day: '2026-12-09', items: items() }] },
    ];
    await storePeople(db, people);
    // Answers from someone with no code (never paired) must not count either.
    await insertResponses(db, catalog, 'confidence-post', [
      { cohort: '2026-01', answers: Object.fromEntries(ITEMS.map((id) => [id, 5])) },
    ]);
    const result = await json('/api/admin/surveys/confidence-post/results');
    const pp = result.prePost!;
    expect(pp).toMatchObject({
      instrument: 'confidence',
      pre: { slug: 'confidence-pre' },
      post: { slug: 'confidence-post' },
      items: ITEMS,
    });
    // Cohorts of 13, 11 and 2 pairs: the 2 is hidden, and the 11 with it; they appear together.
    expect(pp.rows.map((x) => [x.key, x.pairs])).toEqual([
      ['2026-01', 13],
      ['other', 13],
      ['all', 26],
    ]);
    const pairs = expectedChange(people);
    for (const [key, filter] of [
      ['2026-01', (c: string) => c === '2026-01'],
      ['other', (c: string) => c !== '2026-01'],
      ['all', () => true],
    ] as const) {
      const mine = pairs.filter((p) => filter(p.cohort));
      const want = pairedChange(mine);
      const row = pp.rows.find((x) => x.key === key)!;
      expect(row.pairs).toBe(want.n);
      expect(row.meanChange!).toBeCloseTo(want.meanChange!, 10);
      expect(row.effectSize!).toBeCloseTo(want.effectSize!, 10);
      expect(row.ci95!.low).toBeCloseTo(want.ci95![0], 10);
      expect(row.preMean).toBeCloseTo(mine.reduce((a, p) => a + p.pre, 0) / mine.length, 10);
    }
    // The same table is shown from the "before" survey.
    expect((await json('/api/admin/surveys/confidence-pre/results')).prePost!.rows).toEqual(pp.rows);
  });

  it('matches the paired change computed by hand, on random people', async () => {
    const { db, json } = await setup();
    const person = fc.record({
      cohort: fc.constantFrom('2026-01', '2026-02'),
      pre: fc.option(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 6, maxLength: 6 }), { freq: 6 }),
      posts: fc.array(
        fc.record({
          day: fc.constantFrom('2026-12-01', '2027-01-15', '2027-02-20'),
          items: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 6, maxLength: 6 }),
        }),
        { maxLength: 2 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(person, { minLength: 0, maxLength: 40 }), async (people) => {
        // Two answers on the same day would leave "the latest" to the tie-break: keep days distinct.
        for (const p of people) p.posts = p.posts.filter((x, i) => p.posts.findIndex((y) => y.day === x.day) === i);
        await storePeople(db, people);
        const pp = (await json('/api/admin/surveys/confidence-post/results')).prePost!;
        const pairs = expectedChange(people);
        if (pairs.length < 10) {
          expect(pp.rows).toEqual([]);
          return;
        }
        const all = pp.rows.find((x) => x.key === 'all')!;
        const want = pairedChange(pairs);
        expect(all.pairs).toBe(want.n);
        expect(all.meanChange!).toBeCloseTo(want.meanChange!, 10);
        if (want.effectSize === null) expect(all.effectSize).toBeNull();
        else expect(all.effectSize!).toBeCloseTo(want.effectSize, 8);
        for (const row of pp.rows) expect(row.pairs).toBeGreaterThanOrEqual(10);
      }),
      { numRuns: 12 },
    );
  });
});
