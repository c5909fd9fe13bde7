import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './users.ts';

/** A weekly window in the person's own time zone: day 0 is Monday; times are "HH:MM". */
export interface AvailabilityWindow {
  day: 0 | 1 | 2 | 3 | 4 | 5 | 6;
  start: string;
  end: string;
}

export const APPLICATION_STATUSES = ['pending', 'interview', 'approved', 'declined', 'waitlisted'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** Rubric scores a coordinator gives an application, 1 to 5 each. */
export interface RubricScores {
  communication?: number;
  empathy?: number;
  reliability?: number;
  fit?: number;
}

/** A member's application to become a mentor (only with a current Mentor foundations completion). */
export const mentorApplications = sqliteTable(
  'mentor_applications',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: APPLICATION_STATUSES }).notNull().default('pending'),
    motivation: text('motivation').notNull(),
    experience: text('experience').notNull(),
    topics: text('topics', { mode: 'json' }).$type<string[]>().notNull(),
    languages: text('languages', { mode: 'json' }).$type<string[]>().notNull(),
    timezone: text('timezone').notNull(),
    availability: text('availability', { mode: 'json' }).$type<AvailabilityWindow[]>().notNull(),
    capacity: integer('capacity').notNull(),
    /** The version of the mentor pledge the applicant agreed to. */
    pledgeVersion: text('pledge_version').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    scores: text('scores', { mode: 'json' }).$type<RubricScores>(),
    /** Coordinators' private notes; never shown to the applicant. */
    notes: text('notes'),
    interviewAt: integer('interview_at', { mode: 'timestamp_ms' }),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
    decidedBy: text('decided_by').references(() => users.id, { onDelete: 'set null' }),
    /** What the applicant is told with a decline or a waitlisting. */
    decisionMessage: text('decision_message'),
  },
  (t) => [
    index('mentor_applications_status_idx').on(t.status, t.createdAt),
    index('mentor_applications_user_idx').on(t.userId),
    // The impact dashboard's funnel: applications made in a range.
    index('mentor_applications_created_idx').on(t.createdAt, t.userId, t.status),
    // One application in progress per member.
    uniqueIndex('mentor_applications_one_open')
      .on(t.userId)
      .where(sql`status in ('pending', 'interview', 'waitlisted')`),
    check('mentor_applications_capacity', sql`${t.capacity} between 1 and 5`),
  ],
);

/** What members see of a mentor; created when an application is approved. */
export const mentorProfiles = sqliteTable(
  'mentor_profiles',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    bio: text('bio').notNull().default(''),
    topics: text('topics', { mode: 'json' }).$type<string[]>().notNull(),
    languages: text('languages', { mode: 'json' }).$type<string[]>().notNull(),
    timezone: text('timezone').notNull(),
    availability: text('availability', { mode: 'json' }).$type<AvailabilityWindow[]>().notNull(),
    capacity: integer('capacity').notNull(),
    accepting: integer('accepting', { mode: 'boolean' }).notNull().default(true),
    awayUntil: integer('away_until', { mode: 'timestamp_ms' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [check('mentor_profiles_capacity', sql`${t.capacity} between 1 and 5`)],
);

export const REQUEST_STATUSES = ['open', 'proposed', 'matched', 'withdrawn'] as const;
export const SESSION_FORMATS = ['chat', 'video', 'either'] as const;

/** A member asking for a mentor. One open (or proposed) request per member. */
export const menteeRequests = sqliteTable(
  'mentee_requests',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: REQUEST_STATUSES }).notNull().default('open'),
    goals: text('goals', { mode: 'json' }).$type<string[]>().notNull(),
    topics: text('topics', { mode: 'json' }).$type<string[]>().notNull(),
    languages: text('languages', { mode: 'json' }).$type<string[]>().notNull(),
    timezone: text('timezone').notNull(),
    availability: text('availability', { mode: 'json' }).$type<AvailabilityWindow[]>().notNull(),
    format: text('format', { enum: SESSION_FORMATS }).notNull(),
    note: text('note'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('mentee_requests_status_idx').on(t.status, t.createdAt),
    uniqueIndex('mentee_requests_one_open')
      .on(t.userId)
      .where(sql`status in ('open', 'proposed')`),
  ],
);

export const PROPOSAL_STATUSES = ['pending', 'accepted', 'declined', 'expired', 'withdrawn'] as const;

/** A mentor asked to take a request: chosen by the mentee, or proposed by a coordinator. */
export const mentorProposals = sqliteTable(
  'mentor_proposals',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => menteeRequests.id, { onDelete: 'cascade' }),
    mentorId: text('mentor_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: PROPOSAL_STATUSES }).notNull().default('pending'),
    score: real('score').notNull(),
    /** The explained score at the time of the proposal. */
    factors: text('factors', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    proposedBy: text('proposed_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** The mentor must answer by then (7 days). */
    dueAt: integer('due_at', { mode: 'timestamp_ms' }).notNull(),
    /** Reminders sent so far (day 3 and day 6). */
    nudges: integer('nudges').notNull().default(0),
    respondedAt: integer('responded_at', { mode: 'timestamp_ms' }),
    declineReason: text('decline_reason'),
  },
  (t) => [
    index('mentor_proposals_mentor_idx').on(t.mentorId, t.status),
    index('mentor_proposals_due_idx').on(t.status, t.dueAt),
    uniqueIndex('mentor_proposals_one_pending')
      .on(t.requestId)
      .where(sql`status = 'pending'`),
  ],
);

export const MENTORSHIP_STATUSES = ['active', 'completed', 'ended_early'] as const;

/**
 * A mentor and a mentee working together. Either party deleting their account leaves the other's
 * record with a null in their place.
 */
export const mentorships = sqliteTable(
  'mentorships',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id').references(() => menteeRequests.id, { onDelete: 'set null' }),
    mentorId: text('mentor_id').references(() => users.id, { onDelete: 'set null' }),
    menteeId: text('mentee_id').references(() => users.id, { onDelete: 'set null' }),
    status: text('status', { enum: MENTORSHIP_STATUSES }).notNull().default('active'),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    /** Planned end: 16 weeks by default, extendable. */
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }).notNull(),
    endedAt: integer('ended_at', { mode: 'timestamp_ms' }),
    endReason: text('end_reason'),
    checkInEveryDays: integer('check_in_every_days').notNull().default(14),
    lastActivityAt: integer('last_activity_at', { mode: 'timestamp_ms' }).notNull(),
    /** The mentee asked for a different mentor when ending. */
    rematchRequested: integer('rematch_requested', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    index('mentorships_mentor_idx').on(t.mentorId, t.status),
    index('mentorships_mentee_idx').on(t.menteeId, t.status),
    index('mentorships_status_idx').on(t.status, t.lastActivityAt),
    index('mentorships_started_idx').on(t.startedAt, t.endedAt),
  ],
);

/** Messages in a mentorship space: Markdown, rendered through the one sanitizer. */
export const mentorshipMessages = sqliteTable(
  'mentorship_messages',
  {
    id: text('id').primaryKey(),
    mentorshipId: text('mentorship_id')
      .notNull()
      .references(() => mentorships.id, { onDelete: 'cascade' }),
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    bodyHtml: text('body_html').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('mentorship_messages_idx').on(t.mentorshipId, t.createdAt),
    check('mentorship_messages_len', sql`length(${t.body}) <= 8000`),
  ],
);

export const GOAL_STATUSES = ['not-started', 'in-progress', 'done'] as const;

export const mentorshipGoals = sqliteTable(
  'mentorship_goals',
  {
    id: text('id').primaryKey(),
    mentorshipId: text('mentorship_id')
      .notNull()
      .references(() => mentorships.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    status: text('status', { enum: GOAL_STATUSES }).notNull().default('not-started'),
    targetDate: text('target_date'),
    progress: integer('progress').notNull().default(0),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('mentorship_goals_idx').on(t.mentorshipId),
    check('mentorship_goals_progress', sql`${t.progress} between 0 and 100`),
  ],
);

export const mentorshipSessions = sqliteTable(
  'mentorship_sessions',
  {
    id: text('id').primaryKey(),
    mentorshipId: text('mentorship_id')
      .notNull()
      .references(() => mentorships.id, { onDelete: 'cascade' }),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    videoUrl: text('video_url'),
    agenda: text('agenda'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('mentorship_sessions_idx').on(t.mentorshipId, t.startsAt)],
);

/** A check-in: after a session, or on the mentorship's cadence. */
export const checkIns = sqliteTable(
  'check_ins',
  {
    id: text('id').primaryKey(),
    mentorshipId: text('mentorship_id')
      .notNull()
      .references(() => mentorships.id, { onDelete: 'cascade' }),
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    sessionId: text('session_id').references(() => mentorshipSessions.id, { onDelete: 'set null' }),
    progress: text('progress').notNull(),
    confidence: integer('confidence').notNull(),
    blockers: text('blockers'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('check_ins_idx').on(t.mentorshipId, t.createdAt),
    index('check_ins_created_idx').on(t.createdAt),
    check('check_ins_confidence', sql`${t.confidence} between 1 and 5`),
  ],
);

/** A concern about a mentorship, routed to coordinators like a safety flag. */
export const mentorshipReports = sqliteTable(
  'mentorship_reports',
  {
    id: text('id').primaryKey(),
    mentorshipId: text('mentorship_id')
      .notNull()
      .references(() => mentorships.id, { onDelete: 'cascade' }),
    reporterId: text('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
    resolvedBy: text('resolved_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('mentorship_reports_open_idx').on(t.mentorshipId, t.resolvedAt)],
);
