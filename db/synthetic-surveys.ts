/**
 * Synthetic survey responses, written straight into the tables: for tests, `npm run bench:surveys`
 * and looking at the results pages locally. Not part of the demo seed (db:seed), and never for
 * production data.
 */
import type { Database } from './client.ts';
import { surveyAnswers, surveyParticipation, surveyResponses } from './schema/index.ts';
import type { SurveyCatalog } from '#functions/surveys/catalog.ts';
import { seededRandom, type SeededRandom } from '#scripts/lib/random.ts';

/** One stored response, as `respond` would write it, with its answers by question id. */
export interface ResponseSeed {
  answers: Record<string, number | string | string[]>;
  role?: 'member' | 'mentor';
  /** YYYY-MM the member joined. */
  cohort?: string;
  /** Slug of the member's cohort group (none by default). */
  group?: string | null;
  day?: string;
  instance?: string;
  pseudonym?: string | null;
  respondentId?: string | null;
}

/** A survey's likert5 question ids, in order: an instrument's ratings. */
export function ratingIds(catalog: SurveyCatalog, slug: string): string[] {
  const entry = catalog.get(slug);
  if (!entry) throw new Error(`no survey ${slug}`);
  return entry.survey.questions.filter((q) => q.type === 'likert5').map((q) => q.id);
}

/** A choice question's option ids, in order. */
export function optionIds(catalog: SurveyCatalog, slug: string, question: string): string[] {
  const q = catalog.get(slug)?.survey.questions.find((x) => x.id === question);
  if (!q?.options) throw new Error(`${slug} has no choice question ${question}`);
  return q.options.map((o) => o.id);
}

/**
 * Inserts responses directly (fast: no sign-in, no validation), typed by the survey's questions:
 * numbers for scales, an option id for single choice, option ids for multiple, text for text.
 * Returns the response ids. Also records participation for `respondentId`s given.
 */
export async function insertResponses(
  db: Database,
  catalog: SurveyCatalog,
  slug: string,
  seeds: readonly ResponseSeed[],
  chunk = 400,
): Promise<string[]> {
  const entry = catalog.get(slug);
  if (!entry) throw new Error(`no survey ${slug}`);
  const type = new Map(entry.survey.questions.map((q) => [q.id, q.type]));
  const ids: string[] = [];
  for (let i = 0; i < seeds.length; i += chunk) {
    const part = seeds.slice(i, i + chunk);
    const responses = part.map((s) => {
      const id = crypto.randomUUID();
      ids.push(id);
      return {
        id,
        survey: slug,
        instance: s.instance ?? 'manual',
        day: s.day ?? '2026-11-01',
        respondentId: s.respondentId ?? null,
        pseudonym: s.pseudonym ?? null,
        segmentRole: s.role ?? 'member',
        cohort: s.cohort ?? '2026-09',
        groupSlug: s.group ?? null,
      };
    });
    type AnswerRow = {
      responseId: string;
      question: string;
      choice: string;
      valueNum: number | null;
      valueText: string | null;
    };
    const answers = part.flatMap((s, k) =>
      Object.entries(s.answers).flatMap(([question, value]): AnswerRow[] => {
        const responseId = responses[k]!.id;
        const t = type.get(question);
        if (!t) throw new Error(`${slug} has no question ${question}`);
        if (t === 'likert5' || t === 'nps')
          return [{ responseId, question, choice: '', valueNum: Number(value), valueText: null }];
        if (t === 'short' || t === 'long')
          return [{ responseId, question, choice: '', valueNum: null, valueText: String(value) }];
        const choices = Array.isArray(value) ? value : [String(value)];
        return choices.map((choice) => ({ responseId, question, choice, valueNum: null, valueText: null }));
      }),
    );
    const participation = part.flatMap((s, k) =>
      s.respondentId
        ? [
            {
              survey: slug,
              instance: responses[k]!.instance,
              userId: s.respondentId,
              invitedDay: responses[k]!.day,
              answeredDay: responses[k]!.day,
            },
          ]
        : [],
    );
    await db.batch([
      db.insert(surveyResponses).values(responses),
      ...(answers.length ? [db.insert(surveyAnswers).values(answers)] : []),
      ...(participation.length ? [db.insert(surveyParticipation).values(participation).onConflictDoNothing()] : []),
    ]);
  }
  return ids;
}

/** Plausible answers to programme-feedback: mostly positive, some lukewarm, a few text answers. */
export function programmeFeedbackAnswers(r: SeededRandom, n: number): ResponseSeed['answers'] {
  const warm = r.next();
  const likert = () =>
    r.pick(warm < 0.15 ? [1, 2, 2, 3, 3, 4] : warm < 0.45 ? [2, 3, 3, 4, 4, 5] : [3, 4, 4, 4, 5, 5, 5]);
  const mainUse = r.pick([
    'discussions',
    'discussions',
    'training',
    'mentoring',
    'mentoring',
    'library',
    'just-reading',
  ]);
  const helped = [
    'being-listened-to',
    'feeling-less-alone',
    'study-tips',
    'trusted-resources',
    'training-skills',
    'mentor-guidance',
    'meeting-people',
  ].filter(() => r.next() < 0.3);
  return {
    recommend: r.pick(warm < 0.15 ? [2, 4, 5, 6, 7] : warm < 0.45 ? [6, 7, 7, 8, 8, 9] : [8, 9, 9, 10, 10]),
    'feel-welcome': likert(),
    'feel-safe-sharing': likert(),
    'easy-to-find': r.pick([2, 3, 3, 4, 4, 4, 5]),
    'main-use': mainUse,
    ...(mainUse === 'mentoring' && r.next() < 0.6
      ? {
          'how-mentoring-helped': r.pick([
            'My mentor helped me make a weekly plan I actually stick to.',
            'Having someone a year ahead tell me it gets easier.',
            'We practised my presentation twice before the real one.',
            'Mentoring others reminded me how far I have come.',
            'Knowing I could message someone before an exam.',
          ]),
        }
      : {}),
    'what-helped': helped.length ? helped : ['nothing-yet'],
    ...(r.next() < 0.3
      ? { 'in-a-few-words': r.pick(['Warm and useful', 'A friendly place', 'Busy but kind', 'Calm', 'Helpful people']) }
      : {}),
    ...(r.next() < 0.3
      ? {
          'one-change': r.pick([
            'More events in the evening, after work.',
            'A reading group for first-years.',
            'Make the library easier to search by subject.',
            'Shorter training lessons I can do on the bus.',
            'Nothing, it works well for me.',
            'Let me pick a mentor who studies the same course.',
            `Reminders before deadlines (${n % 7 === 0 ? 'please' : 'maybe'}).`,
          ]),
        }
      : {}),
  };
}

/**
 * A lively set of results for looking at the pages: programme feedback from 180 people over six
 * cohorts (one small), before-and-after confidence scores for 60, and a few named closing
 * reflections from the members already in the database.
 */
export async function seedSurveyResults(db: Database, catalog: SurveyCatalog, seed = 2026) {
  const r = seededRandom(seed);
  // The last, small cohort (7) joined before any demo member, so demo answers never join it.
  const cohorts = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2025-12'];
  const sizes = [46, 38, 35, 30, 24, 7];
  const feedback: ResponseSeed[] = [];
  cohorts.forEach((cohort, c) => {
    for (let i = 0; i < sizes[c]!; i++)
      feedback.push({
        cohort,
        role: r.next() < 0.2 ? 'mentor' : 'member',
        day: `2026-10-${String(r.int(1, 28)).padStart(2, '0')}`,
        answers: programmeFeedbackAnswers(r, feedback.length),
      });
  });
  await insertResponses(db, catalog, 'programme-feedback', feedback);
  const items = ratingIds(catalog, 'confidence-pre');
  const pre: ResponseSeed[] = [];
  const post: ResponseSeed[] = [];
  for (let i = 0; i < 60; i++) {
    const cohort = cohorts[Math.min(i % 4, 3)]!;
    const base = r.int(1, 4);
    const pseudonym = `demo-${seed}-${i}`;
    const before = Object.fromEntries(items.map((id) => [id, Math.min(5, Math.max(1, base + r.int(-1, 1)))]));
    pre.push({ cohort, pseudonym, day: '2026-09-15', answers: before });
    if (i < 52)
      post.push({
        cohort,
        pseudonym,
        day: '2027-01-20',
        instance: 'mentorship-close',
        answers: Object.fromEntries(
          items.map((id) => [id, Math.min(5, Math.max(1, (before[id] as number) + r.int(-1, 2)))]),
        ),
      });
  }
  await insertResponses(db, catalog, 'confidence-pre', pre);
  await insertResponses(db, catalog, 'confidence-post', post);
}
