import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import {
  menteeRequests,
  mentorProfiles,
  mentorProposals,
  mentorships,
  users,
  type AvailabilityWindow,
} from '#db/schema/index.ts';
import { ApiError, notFound } from '../../errors.ts';
import type { MailTransport } from '../../mail/transport.ts';
import { bulkAssign, rankMentors, scoreMatch, type MenteeNeed } from '../../mentoring/matching.ts';
import { matchingCandidates } from './mentors.ts';
import {
  ANSWER_WITHIN_DAYS,
  DAY,
  DEFAULT_LENGTH_WEEKS,
  getMatchingSettings,
  mailMember,
  NUDGE_DAYS,
  siteLink,
} from './shared.ts';

export interface RequestInput {
  goals: string[];
  topics: string[];
  languages: string[];
  timezone: string;
  availability: AvailabilityWindow[];
  format: 'chat' | 'video' | 'either';
  note?: string | undefined;
}

type RequestRow = typeof menteeRequests.$inferSelect;

const requestView = (r: RequestRow) => ({
  id: r.id,
  status: r.status,
  goals: r.goals,
  topics: r.topics,
  languages: r.languages,
  timezone: r.timezone,
  availability: r.availability,
  format: r.format,
  note: r.note,
  createdAt: r.createdAt.toISOString(),
});

/** A member asks for a mentor. One open request at a time. */
export async function createRequest(db: Database, userId: string, input: RequestInput, now: Date) {
  const active = await db
    .select({ id: mentorships.id })
    .from(mentorships)
    .where(and(eq(mentorships.menteeId, userId), eq(mentorships.status, 'active')));
  if (active.length)
    throw new ApiError(
      409,
      'already_mentored',
      'You already have an active mentorship. End it (or ask for a rematch) first.',
    );
  const id = crypto.randomUUID();
  try {
    await db
      .insert(menteeRequests)
      .values({ id, userId, ...input, note: input.note ?? null, createdAt: now, updatedAt: now });
  } catch (error) {
    if (String((error as Error)?.cause ?? error).includes('UNIQUE'))
      throw new ApiError(409, 'request_open', 'You already have an open request for a mentor.');
    throw error;
  }
  return getRequest(db, id, userId);
}

/** The request, for its owner (or a coordinator, with `asStaff`). */
export async function getRequest(db: Database, id: string, userId: string, asStaff = false) {
  const [row] = await db.select().from(menteeRequests).where(eq(menteeRequests.id, id));
  if (!row || (!asStaff && row.userId !== userId)) throw notFound('That request');
  const [proposal] = await db
    .select({
      id: mentorProposals.id,
      status: mentorProposals.status,
      mentorId: mentorProposals.mentorId,
      dueAt: mentorProposals.dueAt,
    })
    .from(mentorProposals)
    .where(eq(mentorProposals.requestId, id))
    .orderBy(desc(mentorProposals.createdAt))
    .limit(1);
  return {
    ...requestView(row),
    proposal: proposal ? { ...proposal, dueAt: proposal.dueAt.toISOString() } : null,
  };
}

export async function myOpenRequest(db: Database, userId: string) {
  const [row] = await db
    .select()
    .from(menteeRequests)
    .where(and(eq(menteeRequests.userId, userId), inArray(menteeRequests.status, ['open', 'proposed'])));
  return row ? getRequest(db, row.id, userId) : null;
}

export async function withdrawRequest(db: Database, id: string, userId: string, now: Date) {
  const done = await db.batch([
    db
      .update(menteeRequests)
      .set({ status: 'withdrawn', updatedAt: now })
      .where(
        and(
          eq(menteeRequests.id, id),
          eq(menteeRequests.userId, userId),
          inArray(menteeRequests.status, ['open', 'proposed']),
        ),
      )
      .returning({ id: menteeRequests.id }),
    db
      .update(mentorProposals)
      .set({ status: 'withdrawn', respondedAt: now })
      .where(and(eq(mentorProposals.requestId, id), eq(mentorProposals.status, 'pending'))),
  ]);
  if (done[0].length === 0) throw notFound('An open request');
}

async function needOf(db: Database, row: RequestRow): Promise<MenteeNeed> {
  const past = await db
    .select({ mentorId: mentorships.mentorId })
    .from(mentorships)
    .where(eq(mentorships.menteeId, row.userId));
  return {
    id: row.id,
    userId: row.userId,
    topics: row.topics,
    languages: row.languages,
    timezone: row.timezone,
    availability: row.availability,
    pastMentorIds: past.map((p) => p.mentorId).filter((m): m is string => m !== null),
  };
}

/** Ranked mentors for a request, each with its explained score. */
export async function suggestions(db: Database, id: string, userId: string, asStaff: boolean, now: Date, limit = 10) {
  const [row] = await db.select().from(menteeRequests).where(eq(menteeRequests.id, id));
  if (!row || (!asStaff && row.userId !== userId)) throw notFound('That request');
  const [settings, candidates, need] = await Promise.all([
    getMatchingSettings(db),
    matchingCandidates(db, { languages: row.languages, now }),
    needOf(db, row),
  ]);
  const ranked = rankMentors(
    need,
    candidates.filter((c) => c.id !== row.userId),
    settings.weights,
    now,
    limit,
  );
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const names = new Map(
    (ranked.length
      ? await db
          .select({ id: users.id, displayName: users.displayName, bio: mentorProfiles.bio })
          .from(users)
          .innerJoin(mentorProfiles, eq(mentorProfiles.userId, users.id))
          .where(
            inArray(
              users.id,
              ranked.map((r) => r.mentorId),
            ),
          )
      : []
    ).map((n) => [n.id, n]),
  );
  return ranked.map((r) => {
    const mentor = byId.get(r.mentorId)!;
    return {
      mentor: {
        id: r.mentorId,
        displayName: names.get(r.mentorId)?.displayName ?? '',
        bio: names.get(r.mentorId)?.bio ?? '',
        topics: mentor.topics,
        languages: mentor.languages,
        timezone: mentor.timezone,
        capacity: mentor.capacity,
        activeMentees: mentor.activeMentees,
      },
      score: r.score,
      factors: r.factors,
    };
  });
}

/** Creates a pending proposal (the request becomes "proposed") and tells the mentor. */
async function propose(
  db: Database,
  mail: MailTransport,
  siteUrl: string,
  row: RequestRow,
  mentorId: string,
  proposedBy: string,
  now: Date,
) {
  const [settings, candidates, need] = await Promise.all([
    getMatchingSettings(db),
    matchingCandidates(db),
    needOf(db, row),
  ]);
  const mentor = candidates.find((c) => c.id === mentorId);
  const match = mentor && mentor.id !== row.userId ? scoreMatch(need, mentor, settings.weights, now) : null;
  if (!match)
    throw new ApiError(
      409,
      'not_a_match',
      'That mentor cannot take this request now (no shared language, away, or full).',
    );
  const id = crypto.randomUUID();
  const [, updated] = await db
    .batch([
      db.insert(mentorProposals).values({
        id,
        requestId: row.id,
        mentorId,
        score: match.score,
        factors: match.factors as unknown as Record<string, unknown>,
        proposedBy,
        createdAt: now,
        dueAt: new Date(now.getTime() + ANSWER_WITHIN_DAYS * DAY),
      }),
      db
        .update(menteeRequests)
        .set({ status: 'proposed', updatedAt: now })
        .where(and(eq(menteeRequests.id, row.id), eq(menteeRequests.status, 'open')))
        .returning({ id: menteeRequests.id }),
    ])
    .catch((error: unknown) => {
      if (String((error as Error)?.cause ?? error).includes('UNIQUE'))
        throw new ApiError(409, 'already_proposed', 'This request is already waiting for a mentor’s answer.');
      throw error;
    });
  if (updated.length === 0) throw new ApiError(409, 'not_open', 'This request is not open.');
  await mailMember(db, mail, mentorId, 'proposalForMentor', { url: siteLink(siteUrl, '/mentoring/proposals') }, now);
  return { id, requestId: row.id, mentorId, score: match.score };
}

/** In "mentee picks" mode, the mentee chooses one of their top three suggestions. */
export async function choose(
  db: Database,
  mail: MailTransport,
  siteUrl: string,
  requestId: string,
  userId: string,
  mentorId: string,
  now: Date,
) {
  const [row] = await db.select().from(menteeRequests).where(eq(menteeRequests.id, requestId));
  if (!row || row.userId !== userId) throw notFound('That request');
  if (row.status !== 'open')
    throw new ApiError(409, 'not_open', 'This request is already waiting for a mentor’s answer.');
  const settings = await getMatchingSettings(db);
  if (settings.mode !== 'mentee-picks')
    throw new ApiError(
      409,
      'coordinators_propose',
      'Coordinators propose matches in this programme; you will hear from them soon.',
    );
  const top = await suggestions(db, requestId, userId, false, now, 3);
  if (!top.some((s) => s.mentor.id === mentorId))
    throw new ApiError(400, 'validation_failed', 'Choose one of your top three suggestions.', {
      details: { fields: { mentorId: 'Not one of your top three suggestions.' } },
    });
  return propose(db, mail, siteUrl, row, mentorId, userId, now);
}

/** Pending proposals for a mentor, with what the mentee asked for. */
export async function proposalsFor(db: Database, mentorId: string) {
  const rows = await db
    .select({ proposal: mentorProposals, request: menteeRequests, displayName: users.displayName })
    .from(mentorProposals)
    .innerJoin(menteeRequests, eq(menteeRequests.id, mentorProposals.requestId))
    .innerJoin(users, eq(users.id, menteeRequests.userId))
    .where(and(eq(mentorProposals.mentorId, mentorId), eq(mentorProposals.status, 'pending')))
    .orderBy(mentorProposals.dueAt);
  return rows.map(({ proposal, request, displayName }) => ({
    id: proposal.id,
    menteeName: displayName,
    score: proposal.score,
    factors: proposal.factors,
    dueAt: proposal.dueAt.toISOString(),
    request: requestView(request),
  }));
}

/**
 * The mentor accepts. One transaction inserts the mentorship only while the mentor is below
 * capacity and the proposal is still pending, so two acceptances at once cannot overfill them.
 */
export async function accept(
  db: Database,
  mail: MailTransport,
  siteUrl: string,
  proposalId: string,
  mentorId: string,
  now: Date,
) {
  const [proposal] = await db.select().from(mentorProposals).where(eq(mentorProposals.id, proposalId));
  if (!proposal || proposal.mentorId !== mentorId) throw notFound('That proposal');
  const [request] = await db.select().from(menteeRequests).where(eq(menteeRequests.id, proposal.requestId));
  if (!request) throw notFound('That request');
  const id = crypto.randomUUID();
  const endsAt = now.getTime() + DEFAULT_LENGTH_WEEKS * 7 * DAY;
  const [inserted] = await db.batch([
    db.run(sql`
      insert into ${mentorships} (id, request_id, mentor_id, mentee_id, status, started_at, ends_at, last_activity_at)
      select ${id}, ${request.id}, ${mentorId}, ${request.userId}, 'active', ${now.getTime()}, ${endsAt}, ${now.getTime()}
      where exists (select 1 from ${mentorProposals} where id = ${proposalId} and status = 'pending')
        and (select count(*) from ${mentorships} where mentor_id = ${mentorId} and status = 'active')
            < (select capacity from ${mentorProfiles} where user_id = ${mentorId})`),
    db.run(sql`
      update ${mentorProposals} set status = 'accepted', responded_at = ${now.getTime()}
      where id = ${proposalId} and exists (select 1 from ${mentorships} where id = ${id})`),
    db.run(sql`
      update ${menteeRequests} set status = 'matched', updated_at = ${now.getTime()}
      where id = ${request.id} and exists (select 1 from ${mentorships} where id = ${id})`),
  ]);
  if (inserted.rowsAffected === 0) {
    if (proposal.status !== 'pending')
      throw new ApiError(409, 'not_pending', 'This proposal has already been answered.');
    throw new ApiError(
      409,
      'at_capacity',
      'You are mentoring as many people as your capacity allows. Raise it, or decline.',
    );
  }
  const [mentor] = await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, mentorId));
  await mailMember(
    db,
    mail,
    request.userId,
    'matchAccepted',
    { mentor: mentor?.displayName ?? '', url: siteLink(siteUrl, `/mentorships/${id}`) },
    now,
  );
  return { mentorshipId: id };
}

/** The mentor declines with a reason; the request returns to the queue and the mentee is told. */
export async function decline(
  db: Database,
  mail: MailTransport,
  siteUrl: string,
  proposalId: string,
  mentorId: string,
  reason: string,
  now: Date,
) {
  const [proposal] = await db.select().from(mentorProposals).where(eq(mentorProposals.id, proposalId));
  if (!proposal || proposal.mentorId !== mentorId) throw notFound('That proposal');
  const [updated] = await db.batch([
    db
      .update(mentorProposals)
      .set({ status: 'declined', respondedAt: now, declineReason: reason })
      .where(and(eq(mentorProposals.id, proposalId), eq(mentorProposals.status, 'pending')))
      .returning({ requestId: mentorProposals.requestId }),
    db
      .update(menteeRequests)
      .set({ status: 'open', updatedAt: now })
      .where(and(eq(menteeRequests.id, proposal.requestId), eq(menteeRequests.status, 'proposed'))),
  ]);
  if (updated.length === 0) throw new ApiError(409, 'not_pending', 'This proposal has already been answered.');
  const [request] = await db
    .select({ userId: menteeRequests.userId })
    .from(menteeRequests)
    .where(eq(menteeRequests.id, proposal.requestId));
  await mailMember(
    db,
    mail,
    request?.userId ?? null,
    'requestBackInQueue',
    { url: siteLink(siteUrl, '/mentoring') },
    now,
  );
  return { id: proposalId, status: 'declined' as const };
}

/**
 * Daily: nudge mentors on days 3 and 6 of a pending proposal; after 7 days it expires, the request
 * returns to the queue and the mentee is told.
 */
export async function processProposalDeadlines(db: Database, mail: MailTransport, siteUrl: string, now: Date) {
  const pending = await db
    .select()
    .from(mentorProposals)
    .where(
      and(
        eq(mentorProposals.status, 'pending'),
        lte(mentorProposals.createdAt, new Date(now.getTime() - NUDGE_DAYS[0] * DAY)),
      ),
    );
  let nudged = 0;
  let expired = 0;
  for (const p of pending) {
    const age = (now.getTime() - p.createdAt.getTime()) / DAY;
    if (now >= p.dueAt) {
      const [done] = await db.batch([
        db
          .update(mentorProposals)
          .set({ status: 'expired', respondedAt: now })
          .where(and(eq(mentorProposals.id, p.id), eq(mentorProposals.status, 'pending')))
          .returning({ id: mentorProposals.id }),
        db
          .update(menteeRequests)
          .set({ status: 'open', updatedAt: now })
          .where(and(eq(menteeRequests.id, p.requestId), eq(menteeRequests.status, 'proposed'))),
      ]);
      if (done.length) {
        expired++;
        const [request] = await db
          .select({ userId: menteeRequests.userId })
          .from(menteeRequests)
          .where(eq(menteeRequests.id, p.requestId));
        await mailMember(
          db,
          mail,
          request?.userId ?? null,
          'requestBackInQueue',
          {
            why: 'The mentor you chose did not answer within 7 days.',
            url: siteLink(siteUrl, '/mentoring'),
          },
          now,
        );
      }
      continue;
    }
    const due = NUDGE_DAYS.filter((d) => age >= d).length;
    if (due > p.nudges) {
      const [claimed] = await db
        .update(mentorProposals)
        .set({ nudges: due })
        .where(and(eq(mentorProposals.id, p.id), eq(mentorProposals.nudges, p.nudges)))
        .returning({ id: mentorProposals.id });
      if (claimed) {
        nudged++;
        await mailMember(
          db,
          mail,
          p.mentorId,
          'proposalNudge',
          {
            days: String(Math.floor(age)),
            due: p.dueAt.toISOString().slice(0, 10),
            url: siteLink(siteUrl, '/mentoring/proposals'),
          },
          now,
        );
      }
    }
  }
  return { nudged, expired };
}

/** A global assignment of open requests to mentors for coordinators to review (nothing is saved). */
export async function previewBulk(db: Database, now: Date) {
  const open = await db
    .select()
    .from(menteeRequests)
    .where(eq(menteeRequests.status, 'open'))
    .orderBy(menteeRequests.createdAt);
  const [settings, candidates] = await Promise.all([getMatchingSettings(db), matchingCandidates(db, { now })]);
  const needs = await Promise.all(open.map((r) => needOf(db, r)));
  const result = bulkAssign(needs, candidates, settings.weights, now);
  const ids = [...new Set([...open.map((r) => r.userId), ...result.assignments.map((a) => a.mentorId)])];
  const names = new Map(
    (ids.length
      ? await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, ids))
      : []
    ).map((n) => [n.id, n.displayName]),
  );
  const requestOwner = new Map(open.map((r) => [r.id, r.userId]));
  return {
    assignments: result.assignments.map((a) => ({
      requestId: a.menteeId,
      menteeName: names.get(requestOwner.get(a.menteeId) ?? '') ?? '',
      mentorId: a.mentorId,
      mentorName: names.get(a.mentorId) ?? '',
      score: a.score,
      factors: a.factors,
    })),
    unassigned: result.unassigned.map((u) => ({
      requestId: u.menteeId,
      menteeName: names.get(requestOwner.get(u.menteeId) ?? '') ?? '',
      reason: u.reason,
    })),
    totalScore: result.totalScore,
  };
}

/** Sends the proposals a coordinator reviewed. Each is re-checked; the ones that no longer fit are reported. */
export async function sendBulk(
  db: Database,
  mail: MailTransport,
  siteUrl: string,
  coordinatorId: string,
  assignments: { requestId: string; mentorId: string }[],
  now: Date,
) {
  const sent: string[] = [];
  const skipped: { requestId: string; reason: string }[] = [];
  for (const a of assignments) {
    const [row] = await db.select().from(menteeRequests).where(eq(menteeRequests.id, a.requestId));
    if (!row || row.status !== 'open') {
      skipped.push({ requestId: a.requestId, reason: 'The request is no longer open.' });
      continue;
    }
    try {
      await propose(db, mail, siteUrl, row, a.mentorId, coordinatorId, now);
      sent.push(a.requestId);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      skipped.push({ requestId: a.requestId, reason: error.message });
    }
  }
  return { sent: sent.length, skipped };
}
