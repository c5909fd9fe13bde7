import type { Database } from '#db/client.ts';
import { surveyAnswers, surveyParticipation, surveyResponses } from '#db/schema/index.ts';
import type { SurveyCatalog } from '#functions/surveys/catalog.ts';

/** One stored response, as `respond` would write it, with its answers by question id. */
export interface ResponseSeed {
  answers: Record<string, number | string | string[]>;
  role?: 'member' | 'mentor';
  /** YYYY-MM the member joined. */
  cohort?: string;
  day?: string;
  instance?: string;
  pseudonym?: string | null;
  respondentId?: string | null;
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
      };
    });
    const answers = part.flatMap((s, k) =>
      Object.entries(s.answers).flatMap(([question, value]) => {
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

/** mulberry32: the same pseudo-random sequence everywhere, for reproducible synthetic answers. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}

/** Plausible answers to programme-feedback: mostly positive, a few text answers. */
export function programmeFeedbackAnswers(r: ReturnType<typeof seededRandom>, n: number): ResponseSeed['answers'] {
  const skew = (max: number) =>
    Math.min(max, Math.max(max === 10 ? 0 : 1, Math.round(max * (0.55 + 0.45 * r.next()) - r.int(0, 2))));
  const mainUse = r.pick(['discussions', 'training', 'mentoring', 'library', 'just-reading']);
  const helped = [
    'being-listened-to',
    'feeling-less-alone',
    'study-tips',
    'trusted-resources',
    'training-skills',
    'mentor-guidance',
    'meeting-people',
  ].filter(() => r.next() < 0.35);
  return {
    recommend: skew(10),
    'feel-welcome': skew(5),
    'feel-safe-sharing': skew(5),
    'easy-to-find': skew(5),
    'main-use': mainUse,
    ...(mainUse === 'mentoring' && r.next() < 0.5
      ? { 'how-mentoring-helped': `My mentor helped me plan, week ${n % 40}.` }
      : {}),
    'what-helped': helped.length ? helped : ['nothing-yet'],
    ...(r.next() < 0.2
      ? { 'in-a-few-words': r.pick(['Warm and useful', 'A friendly place', 'Busy but kind', 'Helpful']) }
      : {}),
    ...(r.next() < 0.25 ? { 'one-change': `More evening events (${n})` } : {}),
  };
}
