import { and, eq, isNull, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '#db/client.ts';
import { mentorships, surveyParticipation, userRoles, users } from '#db/schema/index.ts';
import type { Locale } from '#src/lib/content/schema.ts';
import { ApiError, notFound } from '../errors.ts';
import type { CatalogSurvey, SurveyCatalog } from '../surveys/catalog.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

export type AnswerValue = string | number | string[];
export type Answers = Record<string, AnswerValue>;

function isOpen(entry: CatalogSurvey, now: Date) {
  const today = day(now);
  return day(entry.survey.opens) <= today && (!entry.survey.closes || today <= day(entry.survey.closes));
}

/** Whether the member belongs to the survey's audience for this instance. */
async function inAudience(db: Database, entry: CatalogSurvey, userId: string, instance: string) {
  switch (entry.survey.audience) {
    case 'members':
      return true;
    case 'mentors':
      return (
        (
          await db
            .select()
            .from(userRoles)
            .where(and(eq(userRoles.userId, userId), eq(userRoles.role, 'mentor')))
        ).length > 0
      );
    case 'mentees':
      return (
        (await db.select({ id: mentorships.id }).from(mentorships).where(eq(mentorships.menteeId, userId))).length > 0
      );
    case 'mentorship-pair': {
      const id = /^mentorship:([0-9a-f-]{36}):/.exec(instance)?.[1];
      if (!id) return false;
      const [row] = await db.select().from(mentorships).where(eq(mentorships.id, id));
      return row !== undefined && (row.mentorId === userId || row.menteeId === userId);
    }
  }
}

/** Invites a member to a triggered survey instance (idempotent). Called where the trigger happens. */
export async function invite(
  db: Database,
  catalog: SurveyCatalog,
  slug: string,
  instance: string,
  userId: string,
  now: Date,
) {
  if (!catalog.get(slug)) return;
  await db
    .insert(surveyParticipation)
    .values({ survey: slug, instance, userId, invitedDay: day(now) })
    .onConflictDoNothing();
}

/** Invites to every published survey with this trigger type (and track, for track completions). */
export async function triggerSurveys(
  db: Database,
  catalog: SurveyCatalog,
  trigger: { type: 'mentorship-close' | 'after-session' | 'track-completed'; track?: string },
  instance: string,
  userIds: (string | null)[],
  now: Date,
) {
  for (const entry of catalog.surveys) {
    const t = entry.survey.trigger;
    if (t.type !== trigger.type || (t.type === 'track-completed' && t.track !== trigger.track) || !isOpen(entry, now))
      continue;
    for (const userId of userIds) if (userId) await invite(db, catalog, entry.slug, instance, userId, now);
  }
}

/** Surveys waiting for the member: open manual surveys of their audience, and their invitations. */
export async function pendingSurveys(
  db: Database,
  catalog: SurveyCatalog,
  userId: string,
  now: Date,
  locale: Locale = 'en',
) {
  const rows = await db.select().from(surveyParticipation).where(eq(surveyParticipation.userId, userId));
  const answered = new Set(rows.filter((r) => r.answeredDay).map((r) => `${r.survey}|${r.instance}`));
  const pending: { slug: string; instance: string; title: string; closesAt: string | null }[] = [];
  const view = (entry: CatalogSurvey, instance: string) => ({
    slug: entry.slug,
    instance,
    title: (entry.wording[locale] ?? entry.survey).title,
    closesAt: entry.survey.closes ? day(entry.survey.closes) : null,
  });
  for (const entry of catalog.surveys) {
    if (!isOpen(entry, now)) continue;
    if (entry.survey.trigger.type === 'manual') {
      if (!answered.has(`${entry.slug}|manual`) && (await inAudience(db, entry, userId, 'manual')))
        pending.push(view(entry, 'manual'));
    }
  }
  for (const row of rows.filter((r) => !r.answeredDay)) {
    const entry = catalog.get(row.survey);
    if (entry && isOpen(entry, now)) pending.push(view(entry, row.instance));
  }
  return pending;
}

/** The definition as members see it, in their language; nothing about other respondents. */
export function surveyDefinition(catalog: SurveyCatalog, slug: string, locale: Locale) {
  const entry = catalog.get(slug);
  if (!entry) throw notFound('That survey');
  const words = entry.wording[locale] ?? entry.survey;
  return {
    slug,
    title: words.title,
    intro: words.intro,
    identity: entry.survey.identity,
    opens: day(entry.survey.opens),
    closes: entry.survey.closes ? day(entry.survey.closes) : null,
    questions: entry.survey.questions.map((q) => {
      const w = words.questions.find((x) => x.id === q.id) ?? q;
      return {
        id: q.id,
        type: q.type,
        prompt: w.prompt,
        hint: w.hint ?? null,
        required: q.required,
        options:
          q.options?.map((o) => ({ id: o.id, label: w.options?.find((x) => x.id === o.id)?.label ?? o.label })) ?? null,
        showIf: q.showIf ?? null,
      };
    }),
  };
}

/** Checks answers against the questions; hidden conditional questions are dropped. */
export function validateAnswers(entry: CatalogSurvey, answers: Answers) {
  const fields: Record<string, string> = {};
  const clean: { question: string; choice: string; valueNum: number | null; valueText: string | null }[] = [];
  const given = (id: string) => {
    const v = answers[id];
    return v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ? undefined : v;
  };
  for (const key of Object.keys(answers))
    if (!entry.survey.questions.some((q) => q.id === key))
      fields[`answers.${key}`] = 'This survey has no such question.';
  for (const q of entry.survey.questions) {
    if (q.showIf) {
      const earlier = given(q.showIf.question);
      const values = earlier === undefined ? [] : Array.isArray(earlier) ? earlier : [String(earlier)];
      if (!values.some((v) => q.showIf!.in.includes(v))) continue;
    }
    const value = given(q.id);
    if (value === undefined) {
      if (q.required) fields[`answers.${q.id}`] = 'Please answer this question.';
      continue;
    }
    const bad = (message: string) => (fields[`answers.${q.id}`] = message);
    switch (q.type) {
      case 'likert5':
      case 'nps': {
        const n = Number(value);
        const [min, max] = q.type === 'nps' ? [0, 10] : [1, 5];
        if (Array.isArray(value) || !Number.isInteger(n) || n < min || n > max)
          bad(`Choose a number from ${min} to ${max}.`);
        else clean.push({ question: q.id, choice: '', valueNum: n, valueText: null });
        break;
      }
      case 'single': {
        if (Array.isArray(value) || !q.options!.some((o) => o.id === String(value))) bad('Choose one of the options.');
        else clean.push({ question: q.id, choice: String(value), valueNum: null, valueText: null });
        break;
      }
      case 'multiple': {
        const picks = [...new Set(Array.isArray(value) ? value.map(String) : [String(value)])];
        if (picks.some((p) => !q.options!.some((o) => o.id === p))) bad('Choose from the options.');
        else for (const p of picks) clean.push({ question: q.id, choice: p, valueNum: null, valueText: null });
        break;
      }
      case 'short':
      case 'long': {
        const text = Array.isArray(value) ? '' : String(value).trim();
        const max = q.type === 'short' ? 200 : 4000;
        if (text.length > max) bad(`At most ${max} characters.`);
        else if (text) clean.push({ question: q.id, choice: '', valueNum: null, valueText: text });
        else if (q.required) bad('Please answer this question.');
        break;
      }
    }
  }
  if (Object.keys(fields).length)
    throw new ApiError(400, 'validation_failed', 'Some answers need another look.', { details: { fields } });
  return clean;
}

async function hmacHex(key: Uint8Array<ArrayBuffer>, message: string) {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(message)));
  return [...sig].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Records one response. Participation (who answered) and the response (what) are written in one
 * batch, but the response carries no user unless the survey is identified, a random id and a day.
 * The participation update runs first; the response is inserted only if it changed a row, so a
 * second answer (or two at once) is refused with 409 and stores nothing.
 */
export async function respond(
  db: Database,
  catalog: SurveyCatalog,
  userId: string,
  slug: string,
  instance: string,
  answers: Answers,
  now: Date,
  pseudonymKey: Uint8Array<ArrayBuffer>,
) {
  const entry = catalog.get(slug);
  if (!entry) throw notFound('That survey');
  if (!isOpen(entry, now)) throw new ApiError(403, 'survey_closed', 'This survey is not open.');
  const manual = entry.survey.trigger.type === 'manual';
  if (manual && instance !== 'manual') throw notFound('That survey instance');
  if (!(await inAudience(db, entry, userId, instance)))
    throw new ApiError(403, 'not_in_audience', 'This survey is for another group of members.');
  const [participation] = await db
    .select()
    .from(surveyParticipation)
    .where(
      and(
        eq(surveyParticipation.survey, slug),
        eq(surveyParticipation.instance, instance),
        eq(surveyParticipation.userId, userId),
      ),
    );
  if (!manual && !participation) throw new ApiError(403, 'not_invited', 'You have not been asked this survey.');
  if (participation?.answeredDay)
    throw new ApiError(409, 'already_answered', 'You have already answered this survey. Thank you.');
  const clean = validateAnswers(entry, answers);
  const [member] = await db.select({ createdAt: users.createdAt }).from(users).where(eq(users.id, userId));
  const roles = (await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId))).map(
    (r) => r.role,
  );
  const id = crypto.randomUUID();
  const today = day(now);
  const identity = entry.survey.identity;
  const pseudonym =
    identity === 'pseudonymous' ? await hmacHex(pseudonymKey, `${entry.survey.pairKey ?? slug}:${userId}`) : null;
  const statements: BatchItem<'sqlite'>[] = [
    db.run(
      sql`insert or ignore into survey_participation (survey, instance, user_id, invited_day) values (${slug}, ${instance}, ${userId}, ${today})`,
    ),
    db.run(sql`update survey_participation set answered_day = ${today}
      where survey = ${slug} and instance = ${instance} and user_id = ${userId} and answered_day is null`),
    db.run(sql`insert into survey_responses (id, survey, instance, day, respondent_id, pseudonym, segment_role, cohort)
      select ${id}, ${slug}, ${instance}, ${today}, ${identity === 'identified' ? userId : null}, ${pseudonym},
        ${roles.includes('mentor') ? 'mentor' : 'member'}, ${(member?.createdAt ?? now).toISOString().slice(0, 7)}
      where changes() = 1`),
    ...clean.map((a) =>
      db.run(sql`insert into survey_answers (response_id, question, choice, value_num, value_text)
        select ${id}, ${a.question}, ${a.choice}, ${a.valueNum}, ${a.valueText}
        where exists (select 1 from survey_responses where id = ${id})`),
    ),
  ];
  const results = await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  if ((results[2] as { rowsAffected: number }).rowsAffected === 0)
    throw new ApiError(409, 'already_answered', 'You have already answered this survey. Thank you.');
  return { ok: true as const };
}

export const unansweredInvitations = (db: Database, userId: string) =>
  db
    .select()
    .from(surveyParticipation)
    .where(and(eq(surveyParticipation.userId, userId), isNull(surveyParticipation.answeredDay)));
