import { fileURLToPath } from 'node:url';
import { eq, like } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { ApiError } from '#functions/errors.ts';
import { invite, respond, type Answers } from '#functions/services/surveys.ts';
import { addMonths } from '#functions/services/training.ts';
import { buildSurveyCatalog, type CatalogSurvey, type SurveyCatalog } from '#functions/surveys/catalog.ts';
import { buildCatalog } from '#functions/training/catalog.ts';
import { loadContent } from '#scripts/lib/content.ts';
import { seededRandom, type SeededRandom } from '#scripts/lib/random.ts';
import type { Database } from './client.ts';
import { appMeta, lessonProgress, memberActivityWeeks, mentorships, trackCompletions, users } from './schema/index.ts';

/*
 * The demo community's students and their survey answers (see seedDemoCommunity in db/seed.ts):
 * 72 quieter members who joined over the last six months and came back less and less often, as
 * people do, so the impact dashboard has shapes to show; programme feedback from about 60 of
 * them; a knowledge pre/post pair around the Peer supporter orientation for two joining cohorts;
 * and a mentorship check-in survey with fewer than 5 answers, so suppression shows.
 *
 * Answers go in through the surveys service's own respond() (participation apart from answers,
 * no user on anonymous answers, day-level dates, pseudonyms keyed as the app keys them), one
 * response at a time, dated within each survey's window. A run that stops halfway resumes:
 * respond() refuses a second answer from the same member, and the seed skips those.
 */

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const MONDAY0 = Date.UTC(1970, 0, 5);
const SURVEYS_MARKER = 'demo_surveys_seeded_at';
const TRACK = 'peer-supporter-orientation';

const FIRST_NAMES = [
  'Abena', 'Adrián', 'Aiko', 'Alejandro', 'Amina', 'Anh', 'Ayşe', 'Bilal', 'Camila', 'Chidi', 'Dara', 'Diego',
  'Elif', 'Emeka', 'Esther', 'Farah', 'Gabriel', 'Hana', 'Ibrahim', 'Inés', 'Isaac', 'Jamal', 'Jana', 'Kai',
  'Laila', 'Lars', 'Leticia', 'Malik', 'Mariam', 'Mateus', 'Mina', 'Nadia', 'Nikhil', 'Olu', 'Paula', 'Ravi',
]; // prettier-ignore
const INITIALS = 'ABCDEFGHIJKLMNOPRSTVWYZ';

/** Seventy-two students, one joining every two and a half days over the last six months. */
export const DEMO_STUDENTS = Array.from({ length: 72 }, (_, i) => ({
  displayName: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${INITIALS[(i * 7) % INITIALS.length]}.`,
  email: `student${String(i + 1).padStart(2, '0')}@example.org`,
  joinedDaysAgo: 5 + Math.round(i * 2.5),
}));

/** The same demo every time. */
const random = seededRandom;

const contentRoot = fileURLToPath(new URL('../content', import.meta.url));
let content: ReturnType<typeof loadContent> | undefined;
const published = () => (content ??= loadContent(contentRoot));

/**
 * Students in the knowledge pre/post pair: those who joined 55 to 135 days before the seed. They
 * answer the "before" survey (once it is open), finish the orientation two to five weeks later
 * and answer "after".
 */
const inKnowledgeCohort = (joinedDaysAgo: number) => joinedDaysAgo >= 55 && joinedDaysAgo <= 135;
let surveys: SurveyCatalog | undefined;
const surveyCatalog = () => (surveys ??= buildSurveyCatalog(published().surveys));

interface TrainingPlan {
  email: string;
  /** Days before the seed: the "before" survey, and the track's completion (the "after" survey follows). */
  preDaysAgo: number | null;
  completedDaysAgo: number;
}

/** Who does the orientation, and when: the knowledge cohort and a few earlier joiners. */
function trainingPlans(now: Date): TrainingPlan[] {
  const r = random(7);
  const opens = surveyCatalog().get('knowledge-pre')?.survey.opens;
  const opensDaysAgo = opens ? Math.floor((now.getTime() - opens.getTime()) / DAY) : Infinity;
  const plans: TrainingPlan[] = [];
  for (const s of DEMO_STUDENTS) {
    if (inKnowledgeCohort(s.joinedDaysAgo)) {
      const preDaysAgo = Math.min(s.joinedDaysAgo - r.int(2, 12), opensDaysAgo - r.int(0, 10));
      const finishes = r.next() >= 0.08; // a few never finish the track, and so have no "after"
      const completedDaysAgo = preDaysAgo - r.int(14, 35);
      if (preDaysAgo < 16) plans.push({ email: s.email, preDaysAgo: null, completedDaysAgo });
      else plans.push({ email: s.email, preDaysAgo, completedDaysAgo: finishes ? Math.max(2, completedDaysAgo) : -1 });
    } else if (s.joinedDaysAgo > 135 && r.next() < 0.4) {
      plans.push({ email: s.email, preDaysAgo: null, completedDaysAgo: s.joinedDaysAgo - r.int(10, 40) });
    }
  }
  return plans.filter((p) => p.completedDaysAgo > 0);
}

/**
 * The students as statements for the seed's one batch (after DEMO_PEOPLE): their accounts, the
 * weeks they were active (from the rollup the dashboard reads, as if their sessions had ended
 * since), and the orientation lessons and completions of those who took it.
 */
export function demoStudentStatements(
  db: Database,
  passwordHash: string,
  now: Date,
): { statements: BatchItem<'sqlite'>[]; ids: Map<string, string> } {
  const r = random(2026);
  const ids = new Map(DEMO_STUDENTS.map((s) => [s.email, crypto.randomUUID()]));
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const currentWeek = Math.floor((now.getTime() - MONDAY0) / WEEK);
  const accounts = DEMO_STUDENTS.map((s) => {
    const joined = ago(s.joinedDaysAgo);
    return {
      id: ids.get(s.email)!,
      email: s.email,
      displayName: s.displayName,
      passwordHash,
      createdAt: joined,
      emailVerifiedAt: joined,
      termsVersion: null,
      privacyVersion: null,
    };
  });
  // Back most weeks at first, then less often; a few drift away altogether.
  const activity: { userId: string; week: number }[] = [];
  for (const s of DEMO_STUDENTS) {
    const joinWeek = Math.floor((ago(s.joinedDaysAgo).getTime() - MONDAY0) / WEEK);
    const keen = 0.55 + r.next() * 0.4;
    const driftsAfter = r.next() < 0.25 ? r.int(2, 8) : Infinity;
    for (let w = joinWeek + 1; w <= currentWeek; w++) {
      const since = w - joinWeek;
      const chance = since > driftsAfter ? 0.04 : keen * Math.max(0.45, 1 - since * 0.06);
      if (r.next() < chance) activity.push({ userId: ids.get(s.email)!, week: w });
    }
  }
  const catalog = buildCatalog(published().tracks, published().lessons);
  const track = catalog.track(TRACK);
  const lessons: (typeof lessonProgress.$inferInsert)[] = [];
  const completions: (typeof trackCompletions.$inferInsert)[] = [];
  if (track) {
    for (const plan of trainingPlans(now)) {
      const userId = ids.get(plan.email)!;
      const completedAt = ago(plan.completedDaysAgo);
      track.lessons.forEach((lesson, k) => {
        // A lesson every couple of days, the last one on the day of completion.
        const done = new Date(completedAt.getTime() - (track.lessons.length - 1 - k) * 2 * DAY);
        lessons.push({
          userId,
          track: TRACK,
          lesson: lesson.slug,
          completedAt: done,
          checkPassedAt: done,
          bestScore: r.pick([80, 90, 100]),
          attempts: r.pick([1, 1, 1, 2]),
        });
      });
      completions.push({
        id: crypto.randomUUID(),
        userId,
        track: TRACK,
        unlocks: track.unlocks ?? null,
        completedAt,
        expiresAt: addMonths(completedAt, track.refreshMonths),
      });
    }
  }
  return {
    ids,
    statements: [
      db.insert(users).values(accounts),
      // Joining is activity too: the users trigger has already noted those weeks.
      ...(activity.length ? [db.insert(memberActivityWeeks).values(activity).onConflictDoNothing()] : []),
      ...(lessons.length ? [db.insert(lessonProgress).values(lessons)] : []),
      ...(completions.length ? [db.insert(trackCompletions).values(completions)] : []),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Survey answers.

/** What students wrote, in their own words; no names. */
const IN_A_FEW_WORDS = [
  'A calm place to ask the questions I was too shy to ask in class.',
  'Friendly, patient and actually useful.',
  'Like a study group that is always awake.',
  'Kind people who get it.',
  'Less lonely than I expected university to be.',
  'Warm and honest, if a bit quiet at weekends.',
  'My safety net this term.',
  'Practical help without judgement.',
  'A good first stop when I am stuck.',
  'Supportive, and not in a cheesy way.',
  'Helpful once you find your way around.',
  'The place I go before I panic.',
  'Small but genuinely caring.',
  'Encouraging and down to earth.',
  'People who reply, even at 11pm.',
  'Useful, but I wish more people posted.',
  'Study tips and kindness in one place.',
  'Welcoming to mature students like me.',
  'Honest advice from people a step ahead.',
  'Easy to read, harder to post in at first.',
  'Gentle and well looked after.',
  'A reminder that everyone struggles sometimes.',
  'Better than searching forums at 2am.',
  'Reliable and friendly.',
];

const ONE_CHANGE = [
  'A search that also looks inside discussions, not just the library. I often remember a good answer but cannot find it again.',
  'More live sessions in the evening for people who work during the day. Most things happen while I am at my job.',
  'Some way to find people on the same course as me. I would love a study buddy but do not know who to ask.',
  'A short guide to writing a first post. I read for weeks before I dared to write anything, and a few examples would have helped.',
  'Reminders for check-ins that are not only by email. I miss them because my inbox is a mess.',
  'Please make the training lessons a little shorter on a phone. They are good, just long to scroll on the bus.',
  'More resources in Spanish, especially about money and housing.',
  'It would help to see which answers other students found useful, so I know where to start.',
  'I would like to save posts and come back to them before exams.',
  'Make the crisis page easier to find. I only came across it by accident, and I am glad I did.',
  'A weekly email with the best threads would keep me coming back.',
  'More mentors who know about part-time study and caring for family.',
  'Nothing big. Maybe a way to pick the topics I care about so they show first.',
  'Make it easier to change my availability for mentoring when my timetable changes mid-term.',
  'Some threads go quiet without an answer. A gentle nudge to mentors or moderators would be nice.',
  'Clearer dates for when you can apply to become a mentor.',
  'More examples in the training from online and distance learners, not only campus life.',
  'A space for postgraduates would be great; our worries are a bit different.',
  'Shorter surveys, please!',
];

const MENTORING_HELPED = [
  'My mentor helped me break a huge essay into small weekly steps. For the first time I handed something in early.',
  'Having someone check in every two weeks kept me going when I wanted to drop a module.',
  'They told me how they got through their own resits, which made mine feel survivable.',
  'Mostly they listened. I did not need advice so much as someone who understood juggling work and study.',
  'We practised how to email a lecturer to ask for an extension. A small thing that made a big difference.',
  'As a mentor, it reminded me how far I have come since my first year. It has given me confidence too.',
  'My mentor pointed me to the student money advice service. I would not have known it existed.',
  'We set one goal a fortnight. Ticking them off made the term feel less chaotic.',
  'Being a mentor taught me to ask better questions instead of rushing to fix things.',
  'They helped me find a study routine that fits around my children’s bedtime.',
  'Honestly, just knowing someone would ask how my week went helped me show up.',
  'My mentor introduced me to a study group on my course. I have friends here now.',
];

const CHECK_IN_NOTES = [
  'Meeting a bit earlier in the evening would help, I am tired by nine.',
  'It is going well. Maybe a shared list of what we agreed each time.',
];

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(v)));
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Whether `day` falls within the survey's window (day-level, as respond() checks it). */
function inWindow(entry: CatalogSurvey, day: Date) {
  const d = isoDay(day);
  return isoDay(entry.survey.opens) <= d && (!entry.survey.closes || d <= isoDay(entry.survey.closes));
}

/** A programme-feedback response; `mood` 0..1 leans the answers (later months a little warmer). */
function feedbackAnswers(
  r: SeededRandom,
  mood: number,
  texts: { few: number; change: number; helped: number },
): Answers {
  const nps = clamp(4.5 + mood * 2.5 + r.next() * 4 - (r.next() < 0.12 ? 4 : 0), 0, 10);
  const lean = nps / 2.5;
  const mainUse = r.pick(['discussions', 'discussions', 'discussions', 'training', 'training', 'mentoring', 'mentoring', 'library', 'just-reading', 'just-reading'] as const); // prettier-ignore
  const helped = new Set<string>();
  if (r.next() < 0.05) helped.add('nothing-yet');
  else {
    const options = ['being-listened-to', 'feeling-less-alone', 'study-tips', 'trusted-resources', 'training-skills', 'mentor-guidance', 'meeting-people'] as const; // prettier-ignore
    const count = r.int(1, 3);
    while (helped.size < count) helped.add(r.pick(options));
    if (mainUse === 'mentoring') helped.add('mentor-guidance');
  }
  const answers: Answers = {
    recommend: nps,
    'feel-welcome': clamp(lean + 0.6 + (r.next() - 0.5) * 1.6, 1, 5),
    'feel-safe-sharing': clamp(lean + 0.2 + (r.next() - 0.5) * 1.8, 1, 5),
    'easy-to-find': clamp(2.6 + mood + (r.next() - 0.5) * 2.4, 1, 5),
    'main-use': mainUse,
    'what-helped': [...helped],
  };
  if (mainUse === 'mentoring' && r.next() < 0.8)
    answers['how-mentoring-helped'] = MENTORING_HELPED[texts.helped++ % MENTORING_HELPED.length]!;
  if (r.next() < 0.45) answers['in-a-few-words'] = IN_A_FEW_WORDS[texts.few++ % IN_A_FEW_WORDS.length]!;
  if (r.next() < 0.4) answers['one-change'] = ONE_CHANGE[texts.change++ % ONE_CHANGE.length]!;
  return answers;
}

/** Likert answers to every question of an instrument, around `level` (1–5). */
function instrumentAnswers(entry: CatalogSurvey, r: SeededRandom, level: number): Answers {
  return Object.fromEntries(
    entry.survey.questions
      .filter((q) => q.type === 'likert5')
      .map((q) => [q.id, clamp(level + (r.next() - 0.5) * 1.6, 1, 5)]),
  );
}

/** One answer through respond(); a second one from the same member (a resumed run) is skipped. */
async function answer(
  db: Database,
  catalog: SurveyCatalog,
  key: Uint8Array<ArrayBuffer>,
  userId: string,
  slug: string,
  instance: string,
  answers: Answers,
  day: Date,
) {
  try {
    await respond(db, catalog, userId, slug, instance, answers, day, key);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) return false;
    throw error;
  }
}

/**
 * Answers the demo surveys once (marker `demo_surveys_seeded_at`). Pseudonyms are keyed with
 * `pseudonymKey` (a fresh one by default): the seeded pairs link with each other, as a member's own
 * pre and post do in the app under one TOTP_ENCRYPTION_KEY.
 */
export async function seedDemoSurveys(
  db: Database,
  now: Date,
  pseudonymKey: Uint8Array<ArrayBuffer> = crypto.getRandomValues(new Uint8Array(32)),
): Promise<number> {
  if ((await db.select().from(appMeta).where(eq(appMeta.key, SURVEYS_MARKER))).length) return 0;
  const students = await db
    .select({ id: users.id, email: users.email, createdAt: users.createdAt })
    .from(users)
    .where(like(users.email, 'student%@example.org'));
  if (students.length === 0) return 0; // a demo seeded before the students existed
  students.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const catalog = surveyCatalog();
  const byEmail = new Map(students.map((s) => [s.email, s]));
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  let written = 0;

  // Programme feedback: about 60 answers spread over the weeks the survey has been open, each
  // from someone who had joined by then.
  const feedback = catalog.get('programme-feedback');
  if (feedback) {
    const r = random(60);
    const start = Math.max(feedback.survey.opens.getTime(), now.getTime() - 16 * WEEK);
    const end = Math.min(feedback.survey.closes?.getTime() ?? Infinity, now.getTime());
    const answered = new Set<string>();
    const texts = { few: 0, change: 0, helped: 0 };
    for (let k = 0; k < 60 && end > start; k++) {
      const day = new Date(start + ((k + r.next()) / 60) * (end - start));
      const who = students.find((s) => !answered.has(s.id) && s.createdAt.getTime() < day.getTime() - DAY);
      if (!who || !inWindow(feedback, day)) continue;
      answered.add(who.id);
      const mood = (day.getTime() - start) / Math.max(1, end - start);
      if (
        await answer(db, catalog, pseudonymKey, who.id, feedback.slug, 'manual', feedbackAnswers(r, mood, texts), day)
      )
        written++;
    }
  }

  // Knowledge before and after the Peer supporter orientation: pseudonymous, linked by pairKey.
  const pre = catalog.get('knowledge-pre');
  const post = catalog.get('knowledge-post');
  if (pre && post) {
    const r = random(10);
    const completions = await db.select().from(trackCompletions).where(eq(trackCompletions.track, TRACK));
    for (const plan of trainingPlans(now)) {
      const student = byEmail.get(plan.email);
      if (!student || plan.preDaysAgo === null) continue;
      const before = 2.4 + r.next() * 0.9;
      const preDay = ago(plan.preDaysAgo);
      if (inWindow(pre, preDay) && preDay > student.createdAt)
        if (
          await answer(
            db,
            catalog,
            pseudonymKey,
            student.id,
            pre.slug,
            'manual',
            instrumentAnswers(pre, r, before),
            preDay,
          )
        )
          written++;
      const completion = completions.find((c) => c.userId === student.id);
      const postDay = completion ? new Date(completion.completedAt.getTime() + r.int(0, 2) * DAY) : null;
      if (!completion || !postDay || postDay > now || !inWindow(post, postDay)) continue;
      // The invitation the track-completed trigger sends, then the answer.
      const instance = `track:${TRACK}:${completion.id}`;
      await invite(db, catalog, post.slug, instance, student.id, completion.completedAt);
      const after = before + 0.3 + r.next() * 1.1 - (r.next() < 0.15 ? 0.8 : 0);
      if (
        await answer(
          db,
          catalog,
          pseudonymKey,
          student.id,
          post.slug,
          instance,
          instrumentAnswers(post, r, after),
          postDay,
        )
      )
        written++;
    }
  }

  // The mentorship check-in at day 30: answered by fewer than 5 mentees, so its results stay hidden.
  const checkIn = catalog.get('mentorship-check-in-30');
  if (checkIn) {
    const r = random(30);
    const pairs = await db.select().from(mentorships).where(eq(mentorships.status, 'active'));
    let count = 0;
    for (const m of pairs.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())) {
      const day = new Date(m.startedAt.getTime() + 31 * DAY);
      if (count >= 3 || !m.menteeId || day > now || !inWindow(checkIn, day)) continue;
      const instance = `mentorship:${m.id}:day:30`;
      await invite(db, catalog, checkIn.slug, instance, m.menteeId, new Date(m.startedAt.getTime() + 30 * DAY));
      const answers: Answers = {
        'going-well': r.int(3, 5),
        'comfortable-talking': r.int(3, 5),
        'how-often': r.pick(['about-right', 'about-right', 'not-often-enough']),
        ...(count < CHECK_IN_NOTES.length ? { 'make-it-better': CHECK_IN_NOTES[count]! } : {}),
      };
      if (await answer(db, catalog, pseudonymKey, m.menteeId, checkIn.slug, instance, answers, day)) written++;
      count++;
    }
  }

  await db.insert(appMeta).values({ key: SURVEYS_MARKER, value: now.toISOString() }).onConflictDoNothing();
  return written;
}
