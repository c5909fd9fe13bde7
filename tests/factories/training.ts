import { loadContent } from '#scripts/lib/content.ts';
import { buildCatalog, type TrainingCatalog } from '#functions/training/catalog.ts';
import { buildSurveyCatalog, type SurveyCatalog } from '#functions/surveys/catalog.ts';
import type { Lesson, Question, Track } from '#src/lib/content/schema.ts';

const question = (id: string, correct: string[], options = ['a', 'b', 'c']): Question => ({
  id,
  prompt: `Question ${id}?`,
  options: options.map((o) => ({ id: o, text: `Option ${o}` })),
  correct,
  explanation: `Because ${correct.join(' and ')} is right for ${id}.`,
});

const page = { description: 'A track used by the tests.', lastReviewed: new Date('2026-11-01'), draft: false };

/**
 * A small catalog with known answers: track `basics` (pass mark 80, refresh 12 months, unlocks
 * `mentor-application`) with lessons `one` and `two`; a Spanish version of `one`; a draft lesson.
 */
export function fixtureCatalog(): TrainingCatalog {
  const track: Track = {
    ...page,
    title: 'Basics',
    order: 1,
    audience: ['members'],
    unlocks: 'mentor-application',
    passMark: 80,
    refreshMonths: 12,
  };
  const lesson = (title: string, order: number, check: Question[], draft = false): Lesson => ({
    ...page,
    title,
    order,
    objectives: ['Know the basics.'],
    minutes: 5,
    check,
    draft,
  });
  const oneQuestions = [
    question('q1', ['a']),
    question('q2', ['b', 'c']),
    question('q3', ['c']),
    question('q4', ['a']),
  ];
  const spanish = oneQuestions.map((q) => ({ ...q, explanation: `Porque ${q.correct.join(' y ')} es correcto.` }));
  return buildCatalog(
    [
      { id: 'en/basics', data: track },
      { id: 'es/basics', data: { ...track, title: 'Fundamentos' } },
    ],
    [
      {
        id: 'en/basics/two',
        data: lesson('Two', 2, [question('x', ['b']), question('y', ['a']), question('z', ['c'])]),
      },
      { id: 'en/basics/one', data: lesson('One', 1, oneQuestions) },
      { id: 'es/basics/one', data: lesson('Uno', 1, spanish) },
      { id: 'en/basics/hidden', data: lesson('Hidden', 3, oneQuestions, true) },
    ],
  );
}

/** Correct answers for a fixture lesson, as the API expects them. */
export function rightAnswers(catalog: TrainingCatalog, track: string, lesson: string) {
  const questions = catalog.track(track)!.lessons.find((l) => l.slug === lesson)!.questions.en;
  return Object.fromEntries(questions.map((q) => [q.id, q.correct.length > 1 ? q.correct : q.correct[0]!]));
}

let real: TrainingCatalog | undefined;
/** The catalog built from the real `content/` folder, as the Worker builds it from the collections. */
export function contentCatalog(): TrainingCatalog {
  if (!real) {
    const content = loadContent();
    real = buildCatalog(content.tracks, content.lessons);
  }
  return real;
}

let realSurveys: SurveyCatalog | undefined;
/** The survey catalog built from the real `content/surveys/`. */
export function contentSurveys(): SurveyCatalog {
  realSurveys ??= buildSurveyCatalog(loadContent().surveys);
  return realSurveys;
}
