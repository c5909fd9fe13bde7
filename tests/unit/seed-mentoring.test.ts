import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import {
  checkIns,
  menteeRequests,
  mentorApplications,
  mentorProfiles,
  mentorProposals,
  mentorshipGoals,
  mentorshipMessages,
  mentorships,
  mentorshipSessions,
  trackCompletions,
  userRoles,
  users,
} from '#db/schema/index.ts';
import { DEMO_PEOPLE, seedDemoCommunity } from '#db/seed.ts';
import { renderMarkdown } from '#functions/lib/markdown.ts';
import { validateWindows } from '#functions/mentoring/availability.ts';
import { dashboard } from '#functions/services/mentoring/dashboard.ts';
import { STALLED_AFTER_DAYS } from '#functions/services/mentoring/shared.ts';
import { TOPICS } from '#src/lib/content/schema.ts';
import { createTestDb } from '#tests/setup/db.ts';

const DAY = 86_400_000;
const now = new Date();
let db: Database;

beforeAll(async () => {
  db = await createTestDb();
  expect(await seedDemoCommunity(db, now)).toBe(true);
});

async function mentorIds() {
  const rows = await db.select({ userId: userRoles.userId }).from(userRoles).where(eq(userRoles.role, 'mentor'));
  return rows.map((r) => r.userId);
}

describe('the demo mentoring programme', () => {
  it('has twelve mentors, each with a profile, an approved application and a current Mentor foundations', async () => {
    const ids = await mentorIds();
    expect(ids).toHaveLength(12);
    expect(DEMO_PEOPLE.filter((p) => p.roles.includes('mentor'))).toHaveLength(12);
    const profiles = await db.select().from(mentorProfiles);
    expect(profiles.map((p) => p.userId).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const completions = await db
        .select()
        .from(trackCompletions)
        .where(and(eq(trackCompletions.userId, id), eq(trackCompletions.track, 'mentor-foundations')));
      expect(
        completions.some((c) => c.unlocks === 'mentor-application' && c.completedAt < now && c.expiresAt > now),
        id,
      ).toBe(true);
      const applications = await db.select().from(mentorApplications).where(eq(mentorApplications.userId, id));
      expect(applications.map((a) => a.status)).toEqual(['approved']);
    }
  });

  it('gives mentors varied, valid profiles: topics, languages, time zones, 2–4 windows, one away and one closed', async () => {
    const profiles = await db.select().from(mentorProfiles);
    for (const p of profiles) {
      expect(p.bio.length).toBeGreaterThan(40);
      expect(
        p.topics.every((t) => (TOPICS as readonly string[]).includes(t)),
        p.userId,
      ).toBe(true);
      expect(p.languages.every((l) => /^[a-z]{2}$/.test(l))).toBe(true);
      expect(() => new Intl.DateTimeFormat('en', { timeZone: p.timezone })).not.toThrow();
      expect(p.availability.length).toBeGreaterThanOrEqual(2);
      expect(p.availability.length).toBeLessThanOrEqual(4);
      expect(validateWindows(p.availability)).toEqual([]);
      expect(p.capacity).toBeGreaterThanOrEqual(1);
      expect(p.capacity).toBeLessThanOrEqual(5);
    }
    expect(new Set(profiles.map((p) => p.timezone)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(profiles.flatMap((p) => p.topics)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(profiles.flatMap((p) => p.languages))).toEqual(new Set(['en', 'es', 'fr', 'pt', 'ar', 'hi', 'zh']));
    const away = profiles.filter((p) => p.awayUntil && p.awayUntil > now);
    expect(away).toHaveLength(1);
    expect(Math.round((away[0]!.awayUntil!.getTime() - now.getTime()) / DAY)).toBe(14);
    expect(profiles.filter((p) => !p.accepting)).toHaveLength(1);
  });

  it('keeps every mentor within capacity', async () => {
    const profiles = await db.select().from(mentorProfiles);
    const active = await db.select().from(mentorships).where(eq(mentorships.status, 'active'));
    for (const p of profiles) {
      expect(active.filter((m) => m.mentorId === p.userId).length, p.userId).toBeLessThanOrEqual(p.capacity);
    }
  });

  it('has applications waiting from trained members who are not mentors', async () => {
    const mentors = new Set(await mentorIds());
    const open = await db.select().from(mentorApplications).where(eq(mentorApplications.status, 'pending'));
    const waitlisted = await db.select().from(mentorApplications).where(eq(mentorApplications.status, 'waitlisted'));
    expect(open).toHaveLength(2);
    expect(waitlisted).toHaveLength(1);
    expect(waitlisted[0]!.decisionMessage).toBeTruthy();
    for (const a of [...open, ...waitlisted]) {
      expect(mentors.has(a.userId)).toBe(false);
      const completions = await db.select().from(trackCompletions).where(eq(trackCompletions.userId, a.userId));
      expect(completions.some((c) => c.track === 'mentor-foundations' && c.expiresAt > now)).toBe(true);
      expect(a.createdAt < now).toBe(true);
    }
  });

  it('has open requests and one proposed request waiting for its mentor', async () => {
    const open = await db.select().from(menteeRequests).where(eq(menteeRequests.status, 'open'));
    expect(open.length).toBeGreaterThanOrEqual(4);
    for (const r of open) {
      expect(r.goals.length).toBeGreaterThanOrEqual(1);
      expect(r.goals.length).toBeLessThanOrEqual(3);
      expect(validateWindows(r.availability)).toEqual([]);
      expect(r.createdAt < now).toBe(true);
    }
    const proposed = await db.select().from(menteeRequests).where(eq(menteeRequests.status, 'proposed'));
    expect(proposed).toHaveLength(1);
    const [proposal] = await db
      .select()
      .from(mentorProposals)
      .where(and(eq(mentorProposals.requestId, proposed[0]!.id), eq(mentorProposals.status, 'pending')));
    expect(proposal).toBeDefined();
    expect(Math.round((now.getTime() - proposal!.createdAt.getTime()) / DAY)).toBe(2);
    expect(proposal!.dueAt.getTime() - proposal!.createdAt.getTime()).toBe(7 * DAY);
    expect(proposal!.score).toBeGreaterThan(0);
    expect(proposal!.score).toBeLessThanOrEqual(100);
    expect(proposal!.factors).toMatchObject({
      topics: { value: expect.any(Number), detail: expect.any(String), points: expect.any(Number) },
      language: { shared: expect.any(Array), detail: expect.any(String) },
      availability: { hoursPerWeek: expect.any(Number), value: expect.any(Number), points: expect.any(Number) },
      load: { value: expect.any(Number), detail: expect.any(String), points: expect.any(Number) },
      newPair: { value: 1, detail: expect.any(String), points: expect.any(Number) },
    });
  });

  it('has active mentorships with goals, sessions, check-ins and messages, and one stalled', async () => {
    const active = await db.select().from(mentorships).where(eq(mentorships.status, 'active'));
    expect(active.length).toBeGreaterThanOrEqual(4);
    const stalledBefore = now.getTime() - STALLED_AFTER_DAYS * DAY;
    const stalled = active.filter((m) => m.lastActivityAt.getTime() < stalledBefore);
    expect(stalled).toHaveLength(1);
    expect(Math.round((now.getTime() - stalled[0]!.lastActivityAt.getTime()) / DAY)).toBe(30);

    for (const m of active) {
      const [goals, sessions, checks, messages] = await Promise.all([
        db.select().from(mentorshipGoals).where(eq(mentorshipGoals.mentorshipId, m.id)),
        db.select().from(mentorshipSessions).where(eq(mentorshipSessions.mentorshipId, m.id)),
        db.select().from(checkIns).where(eq(checkIns.mentorshipId, m.id)),
        db.select().from(mentorshipMessages).where(eq(mentorshipMessages.mentorshipId, m.id)),
      ]);
      expect(goals.length).toBeGreaterThanOrEqual(1);
      expect(goals.length).toBeLessThanOrEqual(3);
      expect(sessions.length).toBeGreaterThanOrEqual(1);
      expect(sessions.length).toBeLessThanOrEqual(3);
      expect(checks.length).toBeGreaterThanOrEqual(1);
      expect(checks.length).toBeLessThanOrEqual(3);
      expect(messages.length).toBeGreaterThanOrEqual(3);
      expect(messages.length).toBeLessThanOrEqual(8);
      expect(checks.every((c) => c.confidence >= 1 && c.confidence <= 5)).toBe(true);
      // Written by the pair, all in the past; only sessions may lie ahead.
      for (const row of [...messages, ...checks]) {
        expect([m.mentorId, m.menteeId]).toContain(row.authorId);
        expect(row.createdAt.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(row.createdAt >= m.startedAt).toBe(true);
      }
      const lastCheckIn = Math.max(...checks.map((c) => c.createdAt.getTime()));
      const overdue = lastCheckIn + m.checkInEveryDays * DAY < now.getTime();
      const upcoming = sessions.filter((s) => s.startsAt > now);
      if (stalled.includes(m)) {
        expect(overdue).toBe(true);
        expect(upcoming).toHaveLength(0);
      } else {
        expect(overdue).toBe(false);
        expect(upcoming).toHaveLength(1);
      }
      // The last activity is the newest thing in the space, as the services record it.
      const newest = Math.max(
        ...messages.map((x) => x.createdAt.getTime()),
        ...checks.map((x) => x.createdAt.getTime()),
        ...goals.map((x) => x.updatedAt.getTime()),
        ...sessions.map((x) => x.createdAt.getTime()),
      );
      expect(m.lastActivityAt.getTime()).toBe(newest);
    }
  });

  it('has a completed mentorship with its reason', async () => {
    const done = await db.select().from(mentorships).where(eq(mentorships.status, 'completed'));
    expect(done).toHaveLength(1);
    expect(done[0]!.endReason).toBeTruthy();
    expect(done[0]!.endedAt!.getTime()).toBeLessThan(now.getTime());
  });

  it('stores message HTML rendered by the one Markdown pipeline, with no script', async () => {
    const messages = await db.select().from(mentorshipMessages);
    expect(messages.length).toBeGreaterThan(20);
    for (const m of messages) {
      expect(m.bodyHtml).not.toMatch(/<script/i);
      expect(m.bodyHtml).toBe(renderMarkdown(m.body));
    }
  });

  it('creates every account before its owner’s first step in the programme', async () => {
    const people = await db.select().from(users);
    expect(people).toHaveLength(DEMO_PEOPLE.length);
    const created = new Map(people.map((p) => [p.id, p.createdAt.getTime()]));
    const steps = [
      ...(await db.select().from(trackCompletions)).map((c) => [c.userId, c.completedAt] as const),
      ...(await db.select().from(menteeRequests)).map((r) => [r.userId, r.createdAt] as const),
      ...(await db.select().from(mentorApplications)).map((a) => [a.decidedBy, a.decidedAt] as const),
    ];
    for (const [userId, at] of steps) if (userId && at) expect(created.get(userId)!).toBeLessThan(at.getTime());
  });

  it('fills the coordinators’ dashboard', async () => {
    const { counts } = await dashboard(db, now);
    expect(counts).toMatchObject({
      applicationsPending: 2,
      requestsUnmatched: 5,
      stalledMentorships: 1,
      openReports: 0,
    });
    expect(counts.activeMentorships).toBeGreaterThanOrEqual(4);
  });
});
