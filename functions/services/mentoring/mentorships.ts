import { and, asc, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import {
  checkIns,
  menteeRequests,
  mentorshipGoals,
  mentorshipMessages,
  mentorshipReports,
  mentorships,
  mentorshipSessions,
  userRoles,
  users,
} from '#db/schema/index.ts';
import type { SessionUser } from '../../auth/session.ts';
import { can } from '../../auth/permissions.ts';
import { ApiError, notFound } from '../../errors.ts';
import { icsEvent } from '../../lib/ics.ts';
import { renderMarkdown } from '../../lib/markdown.ts';
import type { MailTransport } from '../../mail/transport.ts';
import type { SurveyCatalog } from '../../surveys/catalog.ts';
import { auditInsert } from '../audit.ts';
import { triggerSurveys } from '../surveys.ts';
import { DAY, mailMember, siteLink, STALLED_AFTER_DAYS } from './shared.ts';

type Row = typeof mentorships.$inferSelect;
export type Party = 'mentor' | 'mentee';

/**
 * The pair can open their space. Anyone else gets a 404, as if it did not exist; coordinators
 * read it only through `readAsStaff`, which needs an open report or a stated, audited reason.
 */
export async function loadForParty(db: Database, id: string, userId: string): Promise<{ row: Row; party: Party }> {
  const [row] = await db.select().from(mentorships).where(eq(mentorships.id, id));
  if (!row || (row.mentorId !== userId && row.menteeId !== userId)) throw notFound('That mentorship');
  return { row, party: row.mentorId === userId ? 'mentor' : 'mentee' };
}

async function people(db: Database, row: Row) {
  const ids = [row.mentorId, row.menteeId].filter((x): x is string => x !== null);
  const found = ids.length
    ? await db
        .select({ id: users.id, displayName: users.displayName })
        .from(users)
        .where(sql`${users.id} in ${ids}`)
    : [];
  const name = (id: string | null) => found.find((f) => f.id === id)?.displayName ?? 'Former member';
  return {
    mentor: { id: row.mentorId, displayName: name(row.mentorId) },
    mentee: { id: row.menteeId, displayName: name(row.menteeId) },
  };
}

/** The whole space: people, goals, sessions, check-ins and messages (newest 200). */
async function space(db: Database, row: Row) {
  const [who, goals, sessions, checks, messages] = await Promise.all([
    people(db, row),
    db
      .select()
      .from(mentorshipGoals)
      .where(eq(mentorshipGoals.mentorshipId, row.id))
      .orderBy(asc(mentorshipGoals.updatedAt)),
    db
      .select()
      .from(mentorshipSessions)
      .where(eq(mentorshipSessions.mentorshipId, row.id))
      .orderBy(asc(mentorshipSessions.startsAt)),
    db.select().from(checkIns).where(eq(checkIns.mentorshipId, row.id)).orderBy(desc(checkIns.createdAt)),
    db
      .select()
      .from(mentorshipMessages)
      .where(eq(mentorshipMessages.mentorshipId, row.id))
      .orderBy(desc(mentorshipMessages.createdAt))
      .limit(200),
  ]);
  const lastCheckIn = checks[0]?.createdAt ?? row.startedAt;
  return {
    id: row.id,
    status: row.status,
    mentor: who.mentor,
    mentee: who.mentee,
    startedAt: row.startedAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    endReason: row.endReason,
    checkInEveryDays: row.checkInEveryDays,
    nextCheckInDue: new Date(lastCheckIn.getTime() + row.checkInEveryDays * DAY).toISOString(),
    goals: goals.map((g) => ({
      id: g.id,
      title: g.title,
      status: g.status,
      targetDate: g.targetDate,
      progress: g.progress,
    })),
    sessions: sessions.map((s) => ({
      id: s.id,
      startsAt: s.startsAt.toISOString(),
      durationMinutes: s.durationMinutes,
      videoUrl: s.videoUrl,
      agenda: s.agenda,
    })),
    checkIns: checks.map((c) => ({
      id: c.id,
      authorId: c.authorId,
      sessionId: c.sessionId,
      progress: c.progress,
      confidence: c.confidence,
      blockers: c.blockers,
      createdAt: c.createdAt.toISOString(),
    })),
    messages: messages.reverse().map((m) => ({
      id: m.id,
      authorId: m.authorId,
      bodyHtml: m.bodyHtml,
      createdAt: m.createdAt.toISOString(),
    })),
  };
}

export async function getForParty(db: Database, id: string, userId: string) {
  const { row, party } = await loadForParty(db, id, userId);
  return { ...(await space(db, row)), you: party };
}

/** The member's mentorships, as mentor or mentee, active first. */
export async function mine(db: Database, userId: string) {
  const rows = await db
    .select()
    .from(mentorships)
    .where(or(eq(mentorships.mentorId, userId), eq(mentorships.menteeId, userId)))
    .orderBy(sql`${mentorships.status} = 'active' desc`, desc(mentorships.startedAt));
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      status: row.status,
      you: (row.mentorId === userId ? 'mentor' : 'mentee') as Party,
      ...(await people(db, row)),
      startedAt: row.startedAt.toISOString(),
      endsAt: row.endsAt.toISOString(),
    })),
  );
}

/**
 * Coordinators see a space's content only with an open report on it, or by stating a reason,
 * which is written to the security log. Either way the read is logged.
 */
export async function readAsStaff(db: Database, id: string, staff: SessionUser, reason: string | undefined, now: Date) {
  if (!can(staff, 'read:mentorship:any')) throw new ApiError(403, 'forbidden', 'Your role does not allow this.');
  const [row] = await db.select().from(mentorships).where(eq(mentorships.id, id));
  if (!row) throw notFound('That mentorship');
  const [report] = await db
    .select({ id: mentorshipReports.id })
    .from(mentorshipReports)
    .where(and(eq(mentorshipReports.mentorshipId, id), isNull(mentorshipReports.resolvedAt)));
  if (!report && !reason?.trim())
    throw new ApiError(
      403,
      'reason_required',
      'This space is private. State why you need to read it; the reason is logged.',
      {
        details: { fields: { reason: 'Required without an open report.' } },
      },
    );
  await auditInsert(
    db,
    {
      type: 'mentorship.read_by_staff',
      actorUserId: staff.id,
      subjectUserId: row.menteeId,
      detail: { mentorshipId: id, basis: report ? 'open report' : 'override', reason: reason?.trim() ?? null },
    },
    now,
  );
  return space(db, row);
}

async function touch(db: Database, id: string, now: Date) {
  await db.update(mentorships).set({ lastActivityAt: now }).where(eq(mentorships.id, id));
}

function requireActive(row: Row) {
  if (row.status !== 'active') throw new ApiError(409, 'mentorship_ended', 'This mentorship has ended.');
}

export async function postMessage(db: Database, id: string, userId: string, body: string, now: Date) {
  const { row } = await loadForParty(db, id, userId);
  requireActive(row);
  const message = {
    id: crypto.randomUUID(),
    mentorshipId: id,
    authorId: userId,
    body,
    bodyHtml: renderMarkdown(body),
    createdAt: now,
  };
  await db.batch([
    db.insert(mentorshipMessages).values(message),
    db.update(mentorships).set({ lastActivityAt: now }).where(eq(mentorships.id, id)),
  ]);
  return { id: message.id, authorId: userId, bodyHtml: message.bodyHtml, createdAt: now.toISOString() };
}

export async function addGoal(
  db: Database,
  id: string,
  userId: string,
  input: { title: string; targetDate?: string | undefined },
  now: Date,
) {
  const { row } = await loadForParty(db, id, userId);
  requireActive(row);
  const goal = {
    id: crypto.randomUUID(),
    mentorshipId: id,
    title: input.title,
    targetDate: input.targetDate ?? null,
    createdBy: userId,
    updatedAt: now,
  };
  await db.insert(mentorshipGoals).values(goal);
  await touch(db, id, now);
  return { id: goal.id, title: goal.title, status: 'not-started' as const, targetDate: goal.targetDate, progress: 0 };
}

export async function updateGoal(
  db: Database,
  id: string,
  goalId: string,
  userId: string,
  input: { status?: 'not-started' | 'in-progress' | 'done' | undefined; progress?: number | undefined },
  now: Date,
) {
  const { row } = await loadForParty(db, id, userId);
  requireActive(row);
  const progress = input.status === 'done' ? 100 : input.progress;
  const [updated] = await db
    .update(mentorshipGoals)
    .set({
      ...(input.status ? { status: input.status } : {}),
      ...(progress !== undefined ? { progress } : {}),
      updatedAt: now,
    })
    .where(and(eq(mentorshipGoals.id, goalId), eq(mentorshipGoals.mentorshipId, id)))
    .returning();
  if (!updated) throw notFound('That goal');
  await touch(db, id, now);
  return {
    id: updated.id,
    title: updated.title,
    status: updated.status,
    targetDate: updated.targetDate,
    progress: updated.progress,
  };
}

export async function addSession(
  db: Database,
  id: string,
  userId: string,
  input: { startsAt: Date; durationMinutes: number; videoUrl?: string | undefined; agenda?: string | undefined },
  now: Date,
) {
  const { row } = await loadForParty(db, id, userId);
  requireActive(row);
  const session = {
    id: crypto.randomUUID(),
    mentorshipId: id,
    startsAt: input.startsAt,
    durationMinutes: input.durationMinutes,
    videoUrl: input.videoUrl ?? null,
    agenda: input.agenda ?? null,
    createdBy: userId,
    createdAt: now,
  };
  await db.insert(mentorshipSessions).values(session);
  await touch(db, id, now);
  return {
    id: session.id,
    startsAt: session.startsAt.toISOString(),
    durationMinutes: session.durationMinutes,
    videoUrl: session.videoUrl,
    agenda: session.agenda,
  };
}

/** The session as a calendar file, for either party. */
export async function sessionIcs(
  db: Database,
  id: string,
  sessionId: string,
  userId: string,
  siteUrl: string,
  now: Date,
) {
  const { row } = await loadForParty(db, id, userId);
  const [session] = await db
    .select()
    .from(mentorshipSessions)
    .where(and(eq(mentorshipSessions.id, sessionId), eq(mentorshipSessions.mentorshipId, id)));
  if (!session) throw notFound('That session');
  const who = await people(db, row);
  return icsEvent({
    uid: `${session.id}@hearth`,
    start: session.startsAt,
    durationMinutes: session.durationMinutes,
    summary: `Hearth mentoring: ${who.mentor.displayName} and ${who.mentee.displayName}`,
    description: [session.agenda ?? '', `Mentorship space: ${siteLink(siteUrl, `/mentorships/${id}`)}`]
      .filter(Boolean)
      .join('\n\n'),
    ...(session.videoUrl ? { location: session.videoUrl, url: session.videoUrl } : {}),
    now,
  });
}

export async function addCheckIn(
  db: Database,
  id: string,
  userId: string,
  input: { progress: string; confidence: number; blockers?: string | undefined; sessionId?: string | undefined },
  now: Date,
) {
  const { row } = await loadForParty(db, id, userId);
  requireActive(row);
  if (input.sessionId) {
    const [session] = await db
      .select({ id: mentorshipSessions.id })
      .from(mentorshipSessions)
      .where(and(eq(mentorshipSessions.id, input.sessionId), eq(mentorshipSessions.mentorshipId, id)));
    if (!session) throw notFound('That session');
  }
  const check = {
    id: crypto.randomUUID(),
    mentorshipId: id,
    authorId: userId,
    sessionId: input.sessionId ?? null,
    progress: input.progress,
    confidence: input.confidence,
    blockers: input.blockers ?? null,
    createdAt: now,
  };
  await db.insert(checkIns).values(check);
  await touch(db, id, now);
  return { ...check, createdAt: now.toISOString() };
}

/**
 * Ending asks for a reason; either party may end. The mentee may ask for a rematch. Both people
 * are invited to the surveys asked when a mentorship ends (instance `mentorship:<id>:close`).
 */
export async function end(
  db: Database,
  mail: MailTransport,
  surveys: SurveyCatalog,
  siteUrl: string,
  id: string,
  userId: string,
  input: { reason: string; outcome: 'completed' | 'ended_early'; rematch?: boolean | undefined },
  now: Date,
) {
  const { row, party } = await loadForParty(db, id, userId);
  requireActive(row);
  const [done] = await db
    .update(mentorships)
    .set({
      status: input.outcome,
      endedAt: now,
      endReason: input.reason,
      rematchRequested: party === 'mentee' && Boolean(input.rematch),
      lastActivityAt: now,
    })
    .where(and(eq(mentorships.id, id), eq(mentorships.status, 'active')))
    .returning({ id: mentorships.id });
  if (!done) throw new ApiError(409, 'mentorship_ended', 'This mentorship has ended.');
  // A rematch reopens the mentee's original request; matching then prefers someone new.
  let rematchRequestId: string | null = null;
  if (party === 'mentee' && input.rematch && row.requestId) {
    const [original] = await db.select().from(menteeRequests).where(eq(menteeRequests.id, row.requestId));
    if (original) {
      rematchRequestId = crypto.randomUUID();
      await db
        .insert(menteeRequests)
        .values({ ...original, id: rematchRequestId, status: 'open', createdAt: now, updatedAt: now })
        .onConflictDoNothing();
    }
  }
  for (const person of [row.mentorId, row.menteeId])
    await mailMember(db, mail, person, 'mentorshipEnded', { url: siteLink(siteUrl, '/mentoring') }, now);
  await triggerSurveys(
    db,
    surveys,
    { type: 'mentorship-close' },
    `mentorship:${id}:close`,
    [row.mentorId, row.menteeId],
    now,
  );
  return { id, status: input.outcome, rematchRequestId };
}

export async function extend(db: Database, id: string, userId: string, weeks: number, now: Date) {
  const { row } = await loadForParty(db, id, userId);
  requireActive(row);
  const endsAt = new Date(row.endsAt.getTime() + weeks * 7 * DAY);
  await db.update(mentorships).set({ endsAt, lastActivityAt: now }).where(eq(mentorships.id, id));
  return { id, endsAt: endsAt.toISOString() };
}

/** A concern about the space: straight to every coordinator by mail, like a safety flag. */
export async function report(
  db: Database,
  mail: MailTransport,
  siteUrl: string,
  id: string,
  userId: string,
  reason: string,
  now: Date,
) {
  await loadForParty(db, id, userId);
  const reportId = crypto.randomUUID();
  await db
    .insert(mentorshipReports)
    .values({ id: reportId, mentorshipId: id, reporterId: userId, reason, createdAt: now });
  const coordinators = await db
    .select({ userId: userRoles.userId })
    .from(userRoles)
    .where(eq(userRoles.role, 'coordinator'));
  for (const c of coordinators)
    await mailMember(
      db,
      mail,
      c.userId,
      'concernReported',
      { url: siteLink(siteUrl, `/coordinator/mentoring/?report=${reportId}`) },
      now,
    );
  return { id: reportId };
}

export const isStalled = (row: { status: string; lastActivityAt: Date }, now: Date) =>
  row.status === 'active' && now.getTime() - row.lastActivityAt.getTime() > STALLED_AFTER_DAYS * DAY;
