import { and, desc, eq, gte, inArray, like, lte, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '#db/client.ts';
import {
  groupMembers,
  groups,
  mentorships,
  mentorshipSessions,
  surveyParticipation,
  userRoles,
  users,
} from '#db/schema/index.ts';
import type { Locale } from '#src/lib/content/schema.ts';
import { ApiError, notFound } from '../errors.ts';
import type { CatalogSurvey, SurveyCatalog } from '../surveys/catalog.ts';
import { SURVEY_TEXT } from '../surveys/messages.ts';
import { notificationAfterChange } from './notifications.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);
const DAY = 86_400_000;

export type AnswerValue = string | number | string[];
export type Answers = Record<string, AnswerValue>;

function isOpen(entry: CatalogSurvey, now: Date) {
  return openState(entry, now) === 'open';
}

function openState(entry: CatalogSurvey, now: Date): 'open' | 'not-yet' | 'closed' {
  const today = day(now);
  if (today < day(entry.survey.opens)) return 'not-yet';
  return entry.survey.closes && today > day(entry.survey.closes) ? 'closed' : 'open';
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** The mentorship a triggered instance is about (`mentorship:<id>:…`), if any. */
const mentorshipOf = (instance: string) => new RegExp(`^mentorship:(${UUID}):`).exec(instance)?.[1];

/** What a member's surveys depend on, read in one round trip. */
async function loadMember(db: Database, userId: string) {
  const [participation, member, mentorRole, pairs, memberships] = await db.batch([
    db.select().from(surveyParticipation).where(eq(surveyParticipation.userId, userId)),
    db.select({ locale: users.locale, createdAt: users.createdAt }).from(users).where(eq(users.id, userId)),
    db
      .select({ role: userRoles.role })
      .from(userRoles)
      .where(and(eq(userRoles.userId, userId), eq(userRoles.role, 'mentor'))),
    db
      .select({ id: mentorships.id, mentorId: mentorships.mentorId, menteeId: mentorships.menteeId })
      .from(mentorships)
      .where(or(eq(mentorships.mentorId, userId), eq(mentorships.menteeId, userId))),
    db
      .select({ slug: groups.slug, kind: groups.kind, archivedAt: groups.archivedAt })
      .from(groupMembers)
      .innerJoin(groups, eq(groups.id, groupMembers.groupId))
      .where(eq(groupMembers.userId, userId))
      .orderBy(desc(groupMembers.addedAt), groups.slug),
  ]);
  return {
    participation,
    locale: (member[0]?.locale ?? 'en') as Locale,
    createdAt: member[0]?.createdAt ?? null,
    mentor: mentorRole.length > 0,
    /** The member's side in each of their mentorships. */
    sides: new Map(pairs.map((p) => [p.id, p.mentorId === userId ? ('mentor' as const) : ('mentee' as const)])),
    /** Slugs of the discussion groups they are in, archived ones left out. */
    groups: new Set(memberships.filter((g) => g.archivedAt === null).map((g) => g.slug)),
    /** Their cohort group for reporting: the cohort they joined last (null when none). */
    cohortGroup: memberships.find((g) => g.kind === 'cohort')?.slug ?? null,
  };
}
type Member = Awaited<ReturnType<typeof loadMember>>;

/**
 * Whether the member belongs to the survey's audience for this instance. An instance about one
 * mentorship (`mentorship:<id>:…`) narrows it to that mentorship: its mentee for `mentees`, its
 * mentor for `mentors`, either for `mentorship-pair`. A `group` survey is for the members of that
 * discussion group (facilitators too) while it is not archived.
 */
function inAudience(entry: CatalogSurvey, member: Member, instance: string) {
  const mentorship = mentorshipOf(instance);
  const side = mentorship ? member.sides.get(mentorship) : undefined;
  switch (entry.survey.audience) {
    case 'members':
      return true;
    case 'mentors':
      return mentorship ? side === 'mentor' : member.mentor;
    case 'mentees':
      return mentorship ? side === 'mentee' : [...member.sides.values()].includes('mentee');
    case 'mentorship-pair':
      return side !== undefined;
    case 'group':
      return entry.survey.group !== undefined && member.groups.has(entry.survey.group);
  }
}

export type SurveyState = 'open' | 'not-yet' | 'closed' | 'not-in-audience' | 'not-invited' | 'answered';

/** Where the member stands with one instance of a survey; the checks `respond` makes, in its order. */
function stateOf(entry: CatalogSurvey, member: Member, instance: string, now: Date): SurveyState {
  const window = openState(entry, now);
  if (window !== 'open') return window;
  if (!inAudience(entry, member, instance)) return 'not-in-audience';
  const row = member.participation.find((r) => r.survey === entry.slug && r.instance === instance);
  if (entry.survey.trigger.type !== 'manual' && !row) return 'not-invited';
  return row?.answeredDay ? 'answered' : 'open';
}

/** A triggered survey only answers for its instances; a manual one only as `manual`. */
function checkInstance(entry: CatalogSurvey, instance: string) {
  if ((entry.survey.trigger.type === 'manual') !== (instance === 'manual')) throw notFound('That survey instance');
}

/**
 * Where the member stands with a survey instance, for the survey page: whether they can answer,
 * and in which language they read it (theirs when the survey has it).
 */
export async function surveyState(
  db: Database,
  catalog: SurveyCatalog,
  userId: string,
  slug: string,
  instance: string,
  now: Date,
) {
  const entry = catalog.get(slug);
  if (!entry) throw notFound('That survey');
  checkInstance(entry, instance);
  const member = await loadMember(db, userId);
  const answered = member.participation.find((r) => r.survey === slug && r.instance === instance)?.answeredDay;
  return { state: stateOf(entry, member, instance, now), locale: member.locale, answeredDay: answered ?? null };
}

/** The language a member reads a survey in: theirs when the survey has it, else English. */
export const wordingLocale = (entry: CatalogSurvey, locale: Locale): Locale => (entry.wording[locale] ? locale : 'en');

/**
 * Invites a member to a triggered survey instance when they belong to its audience, and tells
 * them in the notification centre. Idempotent: the participation key makes a second invitation
 * (or two at once) a no-op, and the notification is written only with a new invitation, in the
 * same batch. The notification names the survey and who sees the answers; nothing about anyone
 * else. Returns whether a new invitation was made.
 */
export async function invite(
  db: Database,
  catalog: SurveyCatalog,
  slug: string,
  instance: string,
  userId: string,
  now: Date,
) {
  const entry = catalog.get(slug);
  if (!entry || !isOpen(entry, now)) return false;
  const member = await loadMember(db, userId);
  if (member.createdAt === null || !inAudience(entry, member, instance)) return false;
  if (member.participation.some((r) => r.survey === slug && r.instance === instance)) return false;
  const text = SURVEY_TEXT[member.locale];
  const words = entry.wording[member.locale] ?? entry.survey;
  const [inserted] = await db.batch([
    db.run(sql`insert into ${surveyParticipation} (survey, instance, user_id, invited_day)
      values (${slug}, ${instance}, ${userId}, ${day(now)}) on conflict do nothing`),
    notificationAfterChange(
      db,
      userId,
      {
        kind: 'survey.invited',
        title: text.invitationTitle(words.title),
        body: text.invitationBody[entry.survey.identity],
        url: `/surveys/${slug}?${new URLSearchParams({ instance })}`,
      },
      now,
    ),
  ]);
  return inserted.rowsAffected > 0;
}

type Trigger = { type: 'mentorship-close' | 'after-session' } | { type: 'track-completed'; track: string };

/**
 * Invites the people concerned to every open survey with this trigger (and track, for track
 * completions), each person only where they belong to the survey's audience. Returns how many
 * invitations are new.
 */
export async function triggerSurveys(
  db: Database,
  catalog: SurveyCatalog,
  trigger: Trigger,
  instance: string,
  userIds: (string | null)[],
  now: Date,
) {
  let invited = 0;
  for (const entry of catalog.surveys) {
    const t = entry.survey.trigger;
    if (t.type !== trigger.type || (t.type === 'track-completed' && t.track !== (trigger as { track?: string }).track))
      continue;
    for (const userId of userIds)
      if (userId && (await invite(db, catalog, entry.slug, instance, userId, now))) invited++;
  }
  return invited;
}

/** Sessions that ended within this many days are asked about (a missed daily run is caught up). */
export const SESSION_SURVEY_WINDOW_DAYS = 3;

/**
 * The daily job for time-based triggers, for active mentorships only:
 * - `mentorship-day`: at day `first` of a mentorship and every `every` days after, one instance
 *   `mentorship:<id>:day:<n>` for the latest day reached (a survey published late does not ask
 *   about every day already past);
 * - `after-session`: once a session's time is over (`mentorship:<id>:session:<sessionId>`), for
 *   sessions that ended in the last SESSION_SURVEY_WINDOW_DAYS days.
 * Idempotent: running it twice invites nobody twice. Returns how many invitations are new.
 */
export async function inviteScheduledSurveys(db: Database, catalog: SurveyCatalog, now: Date) {
  const open = (type: string) => catalog.surveys.filter((e) => e.survey.trigger.type === type && isOpen(e, now));
  const daySurveys = open('mentorship-day');
  const sessionSurveys = open('after-session');
  if (daySurveys.length === 0 && sessionSurveys.length === 0) return 0;
  const active = await db
    .select({
      id: mentorships.id,
      mentorId: mentorships.mentorId,
      menteeId: mentorships.menteeId,
      startedAt: mentorships.startedAt,
    })
    .from(mentorships)
    .where(eq(mentorships.status, 'active'));
  const byId = new Map(active.map((m) => [m.id, m]));
  const wanted: { slug: string; instance: string; userIds: (string | null)[] }[] = [];
  for (const entry of daySurveys) {
    const t = entry.survey.trigger as { first: number; every: number };
    for (const m of active) {
      const days = Math.floor((now.getTime() - m.startedAt.getTime()) / DAY);
      if (days < t.first) continue;
      const reached = t.first + Math.floor((days - t.first) / t.every) * t.every;
      wanted.push({
        slug: entry.slug,
        instance: `mentorship:${m.id}:day:${reached}`,
        userIds: [m.mentorId, m.menteeId],
      });
    }
  }
  if (sessionSurveys.length && active.length) {
    // Sessions last at most a few hours: those that started in the window plus a day cover every
    // session that ended in it.
    const sessions = await db
      .select()
      .from(mentorshipSessions)
      .where(
        and(
          gte(mentorshipSessions.startsAt, new Date(now.getTime() - (SESSION_SURVEY_WINDOW_DAYS + 1) * DAY)),
          lte(mentorshipSessions.startsAt, now),
        ),
      );
    for (const s of sessions) {
      const m = byId.get(s.mentorshipId);
      const ended = s.startsAt.getTime() + s.durationMinutes * 60_000;
      if (!m || ended > now.getTime() || ended < now.getTime() - SESSION_SURVEY_WINDOW_DAYS * DAY) continue;
      for (const entry of sessionSurveys)
        wanted.push({
          slug: entry.slug,
          instance: `mentorship:${m.id}:session:${s.id}`,
          userIds: [m.mentorId, m.menteeId],
        });
    }
  }
  if (wanted.length === 0) return 0;
  // Most of these were invited on an earlier day: skip them without a query each.
  const known = new Set(
    (
      await db
        .select({
          survey: surveyParticipation.survey,
          instance: surveyParticipation.instance,
          userId: surveyParticipation.userId,
        })
        .from(surveyParticipation)
        .where(
          and(
            inArray(surveyParticipation.survey, [...new Set(wanted.map((w) => w.slug))]),
            like(surveyParticipation.instance, 'mentorship:%'),
          ),
        )
    ).map((r) => `${r.survey}|${r.instance}|${r.userId}`),
  );
  let invited = 0;
  for (const w of wanted)
    for (const userId of w.userIds)
      if (
        userId &&
        !known.has(`${w.slug}|${w.instance}|${userId}`) &&
        (await invite(db, catalog, w.slug, w.instance, userId, now))
      )
        invited++;
  return invited;
}

export interface PendingSurvey {
  slug: string;
  instance: string;
  title: string;
  closesAt: string | null;
}

/**
 * The member's surveys, from one round trip: what waits for them (open manual surveys of their
 * audience, and their open invitations, the newest only of a repeated one), and what they have answered (title and day, never the
 * answers). Titles are in `locale`, by default the member's own language.
 */
export async function memberSurveys(db: Database, catalog: SurveyCatalog, userId: string, now: Date, locale?: Locale) {
  const member = await loadMember(db, userId);
  const lang = locale ?? member.locale;
  const title = (entry: CatalogSurvey) => (entry.wording[lang] ?? entry.survey).title;
  const pending: PendingSurvey[] = [];
  const view = (entry: CatalogSurvey, instance: string) => ({
    slug: entry.slug,
    instance,
    title: title(entry),
    closesAt: entry.survey.closes ? day(entry.survey.closes) : null,
  });
  for (const entry of catalog.surveys)
    if (entry.survey.trigger.type === 'manual' && stateOf(entry, member, 'manual', now) === 'open')
      pending.push(view(entry, 'manual'));
  // A survey asked again and again about one mentorship (after each session, every 60 days) is
  // listed once: its newest invitation. An older one left unanswered has gone stale.
  const newest = new Map<string, (typeof member.participation)[number]>();
  for (const row of member.participation) {
    const entry = catalog.get(row.survey);
    if (!entry || row.instance === 'manual' || stateOf(entry, member, row.instance, now) !== 'open') continue;
    const repeats = entry.survey.trigger.type === 'after-session' || entry.survey.trigger.type === 'mentorship-day';
    const key = repeats ? `${row.survey}|${mentorshipOf(row.instance)}` : `${row.survey}|${row.instance}`;
    const kept = newest.get(key);
    if (!kept || row.invitedDay > kept.invitedDay) newest.set(key, row);
  }
  for (const row of newest.values()) pending.push(view(catalog.get(row.survey)!, row.instance));
  const answered = member.participation
    .filter((r) => r.answeredDay)
    .flatMap((r) => {
      const entry = catalog.get(r.survey);
      return entry ? [{ slug: r.survey, title: title(entry), day: r.answeredDay! }] : [];
    })
    .sort((a, b) => b.day.localeCompare(a.day));
  return { locale: member.locale, pending, answered };
}

/** Surveys waiting for the member: open manual surveys of their audience, and their invitations. */
export async function pendingSurveys(
  db: Database,
  catalog: SurveyCatalog,
  userId: string,
  now: Date,
  locale?: Locale,
): Promise<PendingSurvey[]> {
  return (await memberSurveys(db, catalog, userId, now, locale)).pending;
}

export type InstanceContext =
  | { kind: 'mentorship'; partner: string | null; you: 'mentor' | 'mentee' }
  | { kind: 'session'; partner: string | null; you: 'mentor' | 'mentee'; startsAt: string }
  | { kind: 'track'; track: string };

/**
 * What each triggered instance is about, for the member's own list: their mentorship and the
 * other person's name (whom they know), a session's time, a track. Only instances the member is
 * part of are described; anything else gets no context.
 */
export async function instanceContexts(db: Database, userId: string, instances: string[]) {
  const contexts = new Map<string, InstanceContext>();
  const ids = [...new Set(instances.map(mentorshipOf).filter((x): x is string => x !== undefined))];
  const sessionIds = instances.flatMap((i) => new RegExp(`^mentorship:${UUID}:session:(${UUID})$`).exec(i)?.[1] ?? []);
  const [pairs, sessions] = ids.length
    ? await db.batch([
        db
          .select({ id: mentorships.id, mentorId: mentorships.mentorId, menteeId: mentorships.menteeId })
          .from(mentorships)
          .where(
            and(inArray(mentorships.id, ids), or(eq(mentorships.mentorId, userId), eq(mentorships.menteeId, userId))),
          ),
        db
          .select({
            id: mentorshipSessions.id,
            mentorshipId: mentorshipSessions.mentorshipId,
            startsAt: mentorshipSessions.startsAt,
          })
          .from(mentorshipSessions)
          .where(inArray(mentorshipSessions.id, sessionIds.length ? sessionIds : [''])),
      ])
    : [[], []];
  const others = pairs.flatMap((p) => [p.mentorId, p.menteeId]).filter((x): x is string => x !== null && x !== userId);
  const names = new Map(
    others.length
      ? (
          await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, others))
        ).map((u) => [u.id, u.displayName])
      : [],
  );
  for (const instance of instances) {
    const track = /^track:([a-z0-9-]+):/.exec(instance)?.[1];
    if (track) {
      contexts.set(instance, { kind: 'track', track });
      continue;
    }
    const pair = pairs.find((p) => p.id === mentorshipOf(instance));
    if (!pair) continue;
    const you = pair.mentorId === userId ? ('mentor' as const) : ('mentee' as const);
    const other = you === 'mentor' ? pair.menteeId : pair.mentorId;
    const partner = (other && names.get(other)) ?? null;
    const sessionId = new RegExp(`:session:(${UUID})$`).exec(instance)?.[1];
    const session = sessions.find((s) => s.id === sessionId && s.mentorshipId === pair.id);
    contexts.set(
      instance,
      session
        ? { kind: 'session', partner, you, startsAt: session.startsAt.toISOString() }
        : { kind: 'mentorship', partner, you },
    );
  }
  return contexts;
}

/** The definition as members see it, in their language; nothing about other respondents. */
export function surveyDefinition(catalog: SurveyCatalog, slug: string, locale: Locale) {
  const entry = catalog.get(slug);
  if (!entry) throw notFound('That survey');
  const lang = wordingLocale(entry, locale);
  const words = entry.wording[lang] ?? entry.survey;
  return {
    slug,
    /** The language of the wording: the one asked for when the survey has it, else English. */
    lang,
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

/** Longest answer to a short and a long text question. */
export const TEXT_LIMITS = { short: 200, long: 4000 } as const;

/**
 * Checks answers against the questions, with messages in `locale`; hidden conditional questions
 * are dropped.
 */
export function validateAnswers(entry: CatalogSurvey, answers: Answers, locale: Locale = 'en') {
  const text = SURVEY_TEXT[locale];
  const fields: Record<string, string> = {};
  const clean: { question: string; choice: string; valueNum: number | null; valueText: string | null }[] = [];
  const given = (id: string) => {
    const v = answers[id];
    return v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ? undefined : v;
  };
  for (const key of Object.keys(answers))
    if (!entry.survey.questions.some((q) => q.id === key)) fields[`answers.${key}`] = text.noSuchQuestion;
  for (const [index, q] of entry.survey.questions.entries()) {
    const n = index + 1;
    if (q.showIf) {
      const earlier = given(q.showIf.question);
      const values = earlier === undefined ? [] : Array.isArray(earlier) ? earlier : [String(earlier)];
      if (!values.some((v) => q.showIf!.in.includes(v))) continue;
    }
    const value = given(q.id);
    if (value === undefined) {
      if (q.required) fields[`answers.${q.id}`] = text.answerThis(n);
      continue;
    }
    const bad = (message: string) => (fields[`answers.${q.id}`] = message);
    switch (q.type) {
      case 'likert5':
      case 'nps': {
        const picked = Number(value);
        const [min, max] = q.type === 'nps' ? [0, 10] : [1, 5];
        if (Array.isArray(value) || !Number.isInteger(picked) || picked < min || picked > max)
          bad(text.numberRange(n, min, max));
        else clean.push({ question: q.id, choice: '', valueNum: picked, valueText: null });
        break;
      }
      case 'single': {
        if (Array.isArray(value) || !q.options!.some((o) => o.id === String(value))) bad(text.chooseOne(n));
        else clean.push({ question: q.id, choice: String(value), valueNum: null, valueText: null });
        break;
      }
      case 'multiple': {
        const picks = [...new Set(Array.isArray(value) ? value.map(String) : [String(value)])];
        if (picks.some((p) => !q.options!.some((o) => o.id === p))) bad(text.chooseFromOptions(n));
        else for (const p of picks) clean.push({ question: q.id, choice: p, valueNum: null, valueText: null });
        break;
      }
      case 'short':
      case 'long': {
        const typed = Array.isArray(value) ? '' : String(value).trim();
        const max = TEXT_LIMITS[q.type];
        if (typed.length > max) bad(text.tooLong(n, max));
        else if (typed) clean.push({ question: q.id, choice: '', valueNum: null, valueText: typed });
        else if (q.required) bad(text.answerThis(n));
        break;
      }
    }
  }
  if (Object.keys(fields).length)
    throw new ApiError(400, 'validation_failed', text.needsAnotherLook, { details: { fields } });
  return clean;
}

async function hmacHex(key: Uint8Array<ArrayBuffer>, message: string) {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(message)));
  return [...sig].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The instance as a response records it. A triggered instance names a mentorship, a session or
 * a track completion, and each of those leads to a person; unless the survey is identified, the
 * response keeps only the kind (`mentorship:<id>:day:30` → `mentorship:day:30`,
 * `track:<slug>:<completion>` → `track:<slug>`).
 */
export function responseInstance(identity: CatalogSurvey['survey']['identity'], instance: string) {
  if (identity === 'identified') return instance;
  return instance
    .split(':')
    .filter((part) => !new RegExp(`^${UUID}$`).test(part))
    .join(':');
}

/**
 * Records one response. Participation (who answered) and the response (what) are written in one
 * batch, but the response carries no user unless the survey is identified, a random id, a day and
 * an instance that names nobody (see responseInstance).
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
  checkInstance(entry, instance);
  const member = await loadMember(db, userId);
  switch (stateOf(entry, member, instance, now)) {
    case 'not-yet':
    case 'closed':
      throw new ApiError(403, 'survey_closed', 'This survey is not open.');
    case 'not-in-audience':
      throw new ApiError(403, 'not_in_audience', 'This survey is for another group of members.');
    case 'not-invited':
      throw new ApiError(403, 'not_invited', 'You have not been asked this survey.');
    case 'answered':
      throw new ApiError(409, 'already_answered', 'You have already answered this survey. Thank you.');
    case 'open':
  }
  const clean = validateAnswers(entry, answers, wordingLocale(entry, member.locale));
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
    db.run(sql`insert into survey_responses (id, survey, instance, day, respondent_id, pseudonym, segment_role, cohort, group_slug)
      select ${id}, ${slug}, ${responseInstance(identity, instance)}, ${today}, ${identity === 'identified' ? userId : null},
        ${pseudonym}, ${member.mentor ? 'mentor' : 'member'}, ${(member.createdAt ?? now).toISOString().slice(0, 7)},
        ${member.cohortGroup}
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
