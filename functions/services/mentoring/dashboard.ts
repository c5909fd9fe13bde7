import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import {
  checkIns,
  menteeRequests,
  mentorApplications,
  mentorshipReports,
  mentorships,
  users,
} from '#db/schema/index.ts';
import { toCsv } from '../../lib/csv.ts';
import type { MailTransport } from '../../mail/transport.ts';
import { DAY, mailMember, siteLink, STALLED_AFTER_DAYS } from './shared.ts';

/**
 * The coordinators' pipeline: counts with the list behind each, aggregates only: no message
 * content, goals or check-in answers.
 */
export async function dashboard(db: Database, now: Date) {
  const stalledBefore = new Date(now.getTime() - STALLED_AFTER_DAYS * DAY);
  const [applications, requests, active, reports] = await Promise.all([
    db
      .select({
        id: mentorApplications.id,
        displayName: users.displayName,
        status: mentorApplications.status,
        createdAt: mentorApplications.createdAt,
      })
      .from(mentorApplications)
      .innerJoin(users, eq(users.id, mentorApplications.userId))
      .where(inArray(mentorApplications.status, ['pending', 'interview']))
      .orderBy(mentorApplications.createdAt),
    db
      .select({
        id: menteeRequests.id,
        displayName: users.displayName,
        status: menteeRequests.status,
        createdAt: menteeRequests.createdAt,
        topics: menteeRequests.topics,
        languages: menteeRequests.languages,
      })
      .from(menteeRequests)
      .innerJoin(users, eq(users.id, menteeRequests.userId))
      .where(inArray(menteeRequests.status, ['open', 'proposed']))
      .orderBy(menteeRequests.createdAt),
    db
      .select({
        id: mentorships.id,
        mentorId: mentorships.mentorId,
        menteeId: mentorships.menteeId,
        startedAt: mentorships.startedAt,
        endsAt: mentorships.endsAt,
        lastActivityAt: mentorships.lastActivityAt,
        checkInEveryDays: mentorships.checkInEveryDays,
        // Table names spelled out: inside a select list drizzle writes bare column names.
        lastCheckIn: sql<
          number | null
        >`(select max(ci.created_at) from check_ins ci where ci.mentorship_id = "mentorships"."id")`,
        openReports: sql<number>`(select count(*) from mentorship_reports mr where mr.mentorship_id = "mentorships"."id" and mr.resolved_at is null)`,
      })
      .from(mentorships)
      .where(eq(mentorships.status, 'active'))
      .orderBy(mentorships.lastActivityAt),
    db
      .select({
        id: mentorshipReports.id,
        mentorshipId: mentorshipReports.mentorshipId,
        createdAt: mentorshipReports.createdAt,
      })
      .from(mentorshipReports)
      .where(isNull(mentorshipReports.resolvedAt))
      .orderBy(mentorshipReports.createdAt),
  ]);
  const ids = [...new Set(active.flatMap((m) => [m.mentorId, m.menteeId]).filter((x): x is string => x !== null))];
  const names = new Map(
    (ids.length
      ? await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, ids))
      : []
    ).map((u) => [u.id, u.displayName]),
  );
  const ageDays = (d: Date) => Math.floor((now.getTime() - d.getTime()) / DAY);
  const mentorshipView = active.map((m) => {
    const lastCheckIn = m.lastCheckIn ? new Date(Number(m.lastCheckIn)) : m.startedAt;
    const checkInDue = new Date(lastCheckIn.getTime() + m.checkInEveryDays * DAY);
    return {
      id: m.id,
      mentor: names.get(m.mentorId ?? '') ?? 'Former member',
      mentee: names.get(m.menteeId ?? '') ?? 'Former member',
      startedAt: m.startedAt.toISOString(),
      endsAt: m.endsAt.toISOString(),
      lastActivityAt: m.lastActivityAt.toISOString(),
      daysSinceActivity: ageDays(m.lastActivityAt),
      stalled: m.lastActivityAt < stalledBefore,
      checkInOverdue: checkInDue < now,
      checkInDue: checkInDue.toISOString(),
      openReports: Number(m.openReports),
    };
  });
  return {
    counts: {
      applicationsPending: applications.length,
      requestsUnmatched: requests.length,
      activeMentorships: active.length,
      stalledMentorships: mentorshipView.filter((m) => m.stalled).length,
      overdueCheckIns: mentorshipView.filter((m) => m.checkInOverdue).length,
      openReports: reports.length,
    },
    applications: applications.map((a) => ({
      ...a,
      createdAt: a.createdAt.toISOString(),
      ageDays: ageDays(a.createdAt),
    })),
    requests: requests.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), ageDays: ageDays(r.createdAt) })),
    mentorships: mentorshipView,
    reports: reports.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
  };
}

/** One CSV of the pipeline lists, for spreadsheets. */
export function dashboardCsv(data: Awaited<ReturnType<typeof dashboard>>) {
  const rows: unknown[][] = [['list', 'id', 'people', 'status', 'since', 'age_days', 'notes']];
  for (const a of data.applications)
    rows.push(['application', a.id, a.displayName, a.status, a.createdAt, a.ageDays, '']);
  for (const r of data.requests)
    rows.push(['request', r.id, r.displayName, r.status, r.createdAt, r.ageDays, r.topics.join(' ')]);
  for (const m of data.mentorships)
    rows.push([
      'mentorship',
      m.id,
      `${m.mentor} / ${m.mentee}`,
      [m.stalled && 'stalled', m.checkInOverdue && 'check-in overdue', m.openReports && 'open report']
        .filter(Boolean)
        .join('; ') || 'active',
      m.startedAt,
      m.daysSinceActivity,
      `ends ${m.endsAt.slice(0, 10)}`,
    ]);
  return toCsv(rows);
}

/** Daily: mail both parties of a mentorship whose check-in is due (once per cadence period). */
export async function sendCheckInReminders(db: Database, mail: MailTransport, siteUrl: string, now: Date) {
  const due = await db
    .select({
      id: mentorships.id,
      mentorId: mentorships.mentorId,
      menteeId: mentorships.menteeId,
      startedAt: mentorships.startedAt,
      every: mentorships.checkInEveryDays,
    })
    .from(mentorships)
    .where(
      and(
        eq(mentorships.status, 'active'),
        lt(
          sql`coalesce((select max(${checkIns.createdAt}) from ${checkIns} where ${checkIns.mentorshipId} = ${mentorships.id}), ${mentorships.startedAt}) + ${mentorships.checkInEveryDays} * ${DAY}`,
          now.getTime(),
        ),
      ),
    );
  let sent = 0;
  for (const m of due) {
    // Remind on the day the check-in falls due, then once a week, not every day.
    const lastDue = Math.floor((now.getTime() - m.startedAt.getTime()) / DAY) % 7 === 0;
    if (!lastDue) continue;
    for (const person of [m.mentorId, m.menteeId])
      await mailMember(db, mail, person, 'checkInDue', { url: siteLink(siteUrl, `/mentorships/${m.id}`) }, now);
    sent++;
  }
  return sent;
}
