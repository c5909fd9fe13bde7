import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.ts';

/**
 * Who was asked and who has answered, per survey instance (`manual`, `mentorship:<id>:close`…).
 * Kept apart from the answers: nothing here says what anyone answered. Dates are days.
 */
export const surveyParticipation = sqliteTable(
  'survey_participation',
  {
    survey: text('survey').notNull(),
    instance: text('instance').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** YYYY-MM-DD the member was invited (triggered surveys). */
    invitedDay: text('invited_day').notNull(),
    /** YYYY-MM-DD they answered; null while pending. */
    answeredDay: text('answered_day'),
  },
  (t) => [
    primaryKey({ columns: [t.survey, t.instance, t.userId] }),
    index('survey_participation_user_idx').on(t.userId),
  ],
);

/**
 * One response. For anonymous surveys it carries no user, session or address; its id is random,
 * its date a day, and the table is stored WITHOUT ROWID (see the migration), so not even the
 * insertion order can tie it to a participation row.
 */
export const surveyResponses = sqliteTable(
  'survey_responses',
  {
    id: text('id').primaryKey(),
    survey: text('survey').notNull(),
    instance: text('instance').notNull(),
    /** YYYY-MM-DD. */
    day: text('day').notNull(),
    /** Identified surveys only. */
    respondentId: text('respondent_id').references(() => users.id, { onDelete: 'cascade' }),
    /** Pseudonymous surveys: the same for one member's pre and post, and nothing else. */
    pseudonym: text('pseudonym'),
    /** Coarse segment for reporting (role), never finer than suppression allows. */
    segmentRole: text('segment_role').notNull(),
    /** Join month of the member (YYYY-MM), for cohort segments. */
    cohort: text('cohort').notNull(),
    /**
     * Slug of the member's cohort group (discussion groups of kind `cohort`; the one joined last
     * when several) when they answered, for group segments; null when in none. A slug, not a key:
     * the response stays apart from the groups tables, and an archived group keeps its answers.
     */
    groupSlug: text('group_slug'),
  },
  (t) => [index('survey_responses_survey_idx').on(t.survey, t.instance)],
);

/** One answer to one question (one row per chosen option for multiple choice). */
export const surveyAnswers = sqliteTable(
  'survey_answers',
  {
    responseId: text('response_id')
      .notNull()
      .references(() => surveyResponses.id, { onDelete: 'cascade' }),
    question: text('question').notNull(),
    /** The option id for choice questions; '' otherwise. */
    choice: text('choice').notNull().default(''),
    /** Scales (likert 1–5, NPS 0–10). */
    valueNum: real('value_num'),
    /** Free text. */
    valueText: text('value_text'),
  },
  (t) => [
    primaryKey({ columns: [t.responseId, t.question, t.choice] }),
    index('survey_answers_question_idx').on(t.question, t.valueNum),
    check('survey_answers_text_len', sql`length(${t.valueText}) <= 4000`),
  ],
);

/**
 * How many answered what, per survey and per breakdown group: the results read these few rows
 * instead of every answer (functions/services/survey-results.ts). Kept by triggers in the database
 * (migration 0013) as responses and answers are written or deleted, so every writer keeps it exact.
 * Counts only: no response id, no day, no member.
 *
 * `segment` is `all` (key '') or a breakdown of SEGMENTS (`role`, `cohort`, `group`) with the
 * response's value of it (key '' for no cohort group). `question` '' counts responses; otherwise
 * `answer` is the option id (choice questions) or the value ('0'–'10', scales), and '' counts
 * the responses that answered the question at all.
 */
export const surveyCounts = sqliteTable(
  'survey_counts',
  {
    survey: text('survey').notNull(),
    segment: text('segment', { enum: ['all', 'role', 'cohort', 'group'] }).notNull(),
    key: text('key').notNull(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.survey, t.segment, t.key, t.question, t.answer] })],
);

/**
 * Each linked response's ratings added up, for the before-and-after change of instruments: the
 * total and number of its numeric answers (an instrument asks ratings only, the same before and
 * after: src/lib/content/schema.ts), under the response's survey, its pseudonym (or member, when
 * identified), day and cohort. Anonymous responses have no row. Kept by triggers (migration 0014)
 * and deleted with the response, so the results pair people by reading these instead of every
 * answer.
 */
export const surveyScores = sqliteTable(
  'survey_scores',
  {
    survey: text('survey').notNull(),
    /** survey_responses.pseudonym, or respondent_id for identified surveys. */
    who: text('who').notNull(),
    day: text('day').notNull(),
    id: text('id').notNull(),
    cohort: text('cohort').notNull(),
    total: real('total').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.survey, t.who, t.day, t.id] })],
);

/** Survey tables that must never hold a person's identity in anonymous surveys. */
export const ANONYMOUS_ANSWER_TABLES = ['survey_responses', 'survey_answers'] as const;
