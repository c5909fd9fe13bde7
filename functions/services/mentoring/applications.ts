import { desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import {
  mentorApplications,
  mentorProfiles,
  userRoles,
  users,
  type ApplicationStatus,
  type AvailabilityWindow,
  type RubricScores,
} from '#db/schema/index.ts';
import { invalidateUserSessions } from '../../auth/session.ts';
import { ApiError, notFound } from '../../errors.ts';
import type { MailTransport } from '../../mail/transport.ts';
import { auditInsert } from '../audit.ts';
import { icsEvent } from '../../lib/ics.ts';
import { hasEligibility } from '../training.ts';
import { mailMember, siteLink } from './shared.ts';

/** The mentor pledge applicants agree to; bump the version when its text changes. */
export const PLEDGE_VERSION = '2026-11';
export const PLEDGE = [
  'I will listen first, and help my mentee find their own way rather than tell them what to do.',
  'I will keep what my mentee shares confidential, except where someone may be at risk.',
  'I will answer within the time we agree, and say so early if I need a break.',
  'I will stay within peer support, and point to professional help when something needs it.',
  'I will follow the code of conduct, and report concerns to the coordinators.',
] as const;

export interface ApplicationInput {
  motivation: string;
  experience: string;
  topics: string[];
  languages: string[];
  timezone: string;
  availability: AvailabilityWindow[];
  capacity: number;
  pledgeVersion: string;
}

/** Only a member whose Mentor foundations completion is current may apply, once at a time. */
export async function apply(db: Database, userId: string, input: ApplicationInput, now: Date) {
  if (!(await hasEligibility(db, userId, 'mentor-application', now)))
    throw new ApiError(
      403,
      'training_required',
      'Complete Mentor foundations (or renew it) before you apply: /training/mentor-foundations/',
    );
  if (input.pledgeVersion !== PLEDGE_VERSION)
    throw new ApiError(409, 'pledge_changed', 'The mentor pledge has changed. Please read it again and agree.', {
      details: { fields: { pledgeVersion: `The current pledge is version ${PLEDGE_VERSION}.` } },
    });
  const roles = await db.select().from(userRoles).where(eq(userRoles.userId, userId));
  if (roles.some((r) => r.role === 'mentor')) throw new ApiError(409, 'already_mentor', 'You are already a mentor.');
  const id = crypto.randomUUID();
  try {
    await db.insert(mentorApplications).values({ id, userId, ...input, createdAt: now, updatedAt: now });
  } catch (error) {
    if (String((error as Error)?.cause ?? error).includes('UNIQUE'))
      throw new ApiError(409, 'application_open', 'You already have an application in progress.');
    throw error;
  }
  return mine(db, userId);
}

/** The member's latest application as they see it: no scores, no coordinator notes. */
export async function mine(db: Database, userId: string) {
  const [row] = await db
    .select()
    .from(mentorApplications)
    .where(eq(mentorApplications.userId, userId))
    .orderBy(desc(mentorApplications.createdAt))
    .limit(1);
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    motivation: row.motivation,
    experience: row.experience,
    topics: row.topics,
    languages: row.languages,
    timezone: row.timezone,
    availability: row.availability,
    capacity: row.capacity,
    pledgeVersion: row.pledgeVersion,
    createdAt: row.createdAt.toISOString(),
    interviewAt: row.interviewAt?.toISOString() ?? null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionMessage: row.decisionMessage,
  };
}

/** The coordinators' queue: oldest first, with the applicant's name. */
export async function list(db: Database, status?: ApplicationStatus) {
  const rows = await db
    .select({ application: mentorApplications, displayName: users.displayName, email: users.email })
    .from(mentorApplications)
    .innerJoin(users, eq(users.id, mentorApplications.userId))
    .where(
      status
        ? eq(mentorApplications.status, status)
        : inArray(mentorApplications.status, ['pending', 'interview', 'waitlisted']),
    )
    .orderBy(mentorApplications.createdAt)
    .limit(200);
  return rows.map(({ application: a, displayName, email }) => ({
    id: a.id,
    userId: a.userId,
    displayName,
    email,
    status: a.status,
    motivation: a.motivation,
    experience: a.experience,
    topics: a.topics,
    languages: a.languages,
    timezone: a.timezone,
    availability: a.availability,
    capacity: a.capacity,
    scores: a.scores ?? {},
    notes: a.notes,
    createdAt: a.createdAt.toISOString(),
    interviewAt: a.interviewAt?.toISOString() ?? null,
  }));
}

async function load(db: Database, id: string) {
  const [row] = await db.select().from(mentorApplications).where(eq(mentorApplications.id, id));
  if (!row) throw notFound('That application');
  return row;
}

/** Rubric scores, notes and an interview slot; setting a slot moves the application to "interview". */
export async function review(
  db: Database,
  mail: MailTransport,
  siteUrl: string,
  id: string,
  input: { scores?: RubricScores | undefined; notes?: string | undefined; interviewAt?: Date | undefined },
  now: Date,
) {
  const row = await load(db, id);
  if (!['pending', 'interview', 'waitlisted'].includes(row.status))
    throw new ApiError(409, 'already_decided', 'This application has already been decided.');
  const interviewChanged = input.interviewAt && input.interviewAt.getTime() !== row.interviewAt?.getTime();
  await db
    .update(mentorApplications)
    .set({
      ...(input.scores ? { scores: { ...row.scores, ...input.scores } } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
      ...(input.interviewAt ? { interviewAt: input.interviewAt, status: 'interview' as const } : {}),
      updatedAt: now,
    })
    .where(eq(mentorApplications.id, id));
  if (interviewChanged)
    await mailMember(
      db,
      mail,
      row.userId,
      'interviewProposed',
      {
        when: input.interviewAt!.toISOString().slice(0, 16).replace('T', ' '),
        url: siteLink(siteUrl, '/mentoring/application'),
      },
      now,
    );
  return { id, status: input.interviewAt ? 'interview' : row.status };
}

export type Decision = 'approve' | 'decline' | 'waitlist';

/**
 * Approve (grants the mentor role and creates the profile from the application), decline with a
 * message, or waitlist. Audited; the applicant is told by mail.
 */
export async function decide(
  db: Database,
  mail: MailTransport,
  siteUrl: string,
  id: string,
  coordinatorId: string,
  input: { decision: Decision; message?: string | undefined; scores?: RubricScores | undefined },
  now: Date,
) {
  const row = await load(db, id);
  if (!['pending', 'interview', 'waitlisted'].includes(row.status))
    throw new ApiError(409, 'already_decided', 'This application has already been decided.');
  if (input.decision === 'decline' && !input.message?.trim())
    throw new ApiError(400, 'validation_failed', 'Tell the applicant why, kindly.', {
      details: { fields: { message: 'A message is required when declining.' } },
    });
  const status: ApplicationStatus =
    input.decision === 'approve' ? 'approved' : input.decision === 'decline' ? 'declined' : 'waitlisted';
  const update = db
    .update(mentorApplications)
    .set({
      status,
      decidedAt: now,
      decidedBy: coordinatorId,
      decisionMessage: input.message?.trim() || null,
      ...(input.scores ? { scores: { ...row.scores, ...input.scores } } : {}),
      updatedAt: now,
    })
    .where(eq(mentorApplications.id, id));
  if (input.decision === 'approve') {
    const profile = {
      topics: row.topics,
      languages: row.languages,
      timezone: row.timezone,
      availability: row.availability,
      capacity: row.capacity,
      accepting: true,
      updatedAt: now,
    };
    await db.batch([
      update,
      db
        .insert(mentorProfiles)
        .values({ userId: row.userId, bio: '', ...profile })
        .onConflictDoUpdate({ target: mentorProfiles.userId, set: profile }),
      db.insert(userRoles).values({ userId: row.userId, role: 'mentor', grantedAt: now }).onConflictDoNothing(),
      auditInsert(
        db,
        {
          type: 'role.changed',
          actorUserId: coordinatorId,
          subjectUserId: row.userId,
          detail: { granted: ['mentor'], revoked: [], reason: 'mentor application approved' },
        },
        now,
      ),
    ]);
    // Sessions carry roles: the new mentor signs in again to get theirs, as with any role change.
    await invalidateUserSessions(db, row.userId);
  } else {
    await update;
  }
  const kind =
    input.decision === 'approve'
      ? 'applicationApproved'
      : input.decision === 'decline'
        ? 'applicationDeclined'
        : 'applicationWaitlisted';
  await mailMember(
    db,
    mail,
    row.userId,
    kind,
    {
      message: input.message ?? '',
      url: siteLink(siteUrl, input.decision === 'approve' ? '/mentoring/profile' : '/mentoring/application'),
    },
    now,
  );
  return { id, status };
}

/** The interview slot as a calendar file, for the applicant or a coordinator. */
export async function interviewIcs(
  db: Database,
  id: string,
  viewer: { id: string; isStaff: boolean },
  siteUrl: string,
  now: Date,
) {
  const [row] = await db
    .select({ application: mentorApplications, displayName: users.displayName })
    .from(mentorApplications)
    .innerJoin(users, eq(users.id, mentorApplications.userId))
    .where(eq(mentorApplications.id, id));
  if (!row || (!viewer.isStaff && row.application.userId !== viewer.id)) throw notFound('That application');
  if (!row.application.interviewAt) throw notFound('An interview for that application');
  return icsEvent({
    uid: `interview-${id}@hearth`,
    start: row.application.interviewAt,
    durationMinutes: 30,
    summary: `Hearth mentor application: a conversation with ${row.displayName}`,
    description: `A short conversation about the mentor application. Details: ${siteLink(siteUrl, '/mentoring/application')}`,
    sequence: Math.floor(row.application.updatedAt.getTime() / 1000) % 100000,
    alarm: true,
    now,
  });
}
