import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { mentorProfiles, userRoles, users, type AvailabilityWindow } from '#db/schema/index.ts';
import { ApiError, notFound } from '../../errors.ts';
import type { MentorCandidate } from '../../mentoring/matching.ts';
import { activeLoads } from './shared.ts';

export interface MentorProfileView {
  id: string;
  displayName: string;
  bio: string;
  topics: string[];
  languages: string[];
  timezone: string;
  availability: AvailabilityWindow[];
  capacity: number;
  activeMentees: number;
  accepting: boolean;
  awayUntil: string | null;
  /** Accepting, not away, and with a free place. */
  available: boolean;
}

type ProfileRow = typeof mentorProfiles.$inferSelect;

function view(row: ProfileRow, displayName: string, load: number, now: Date): MentorProfileView {
  const away = row.awayUntil !== null && row.awayUntil > now;
  return {
    id: row.userId,
    displayName,
    bio: row.bio,
    topics: row.topics,
    languages: row.languages,
    timezone: row.timezone,
    availability: row.availability,
    capacity: row.capacity,
    activeMentees: load,
    accepting: row.accepting,
    awayUntil: row.awayUntil?.toISOString() ?? null,
    available: row.accepting && !away && load < row.capacity,
  };
}

/** Mentors who currently hold the role, for the directory and for matching. */
async function mentorRows(db: Database) {
  return db
    .select({ profile: mentorProfiles, displayName: users.displayName })
    .from(mentorProfiles)
    .innerJoin(users, eq(users.id, mentorProfiles.userId))
    .innerJoin(userRoles, and(eq(userRoles.userId, mentorProfiles.userId), eq(userRoles.role, 'mentor')));
}

/** The public directory, filtered by topic and language; available mentors first. */
export async function listMentors(
  db: Database,
  filters: { topic?: string | undefined; language?: string | undefined },
  now: Date,
) {
  const rows = (await mentorRows(db)).filter(
    ({ profile }) =>
      (!filters.topic || profile.topics.includes(filters.topic)) &&
      (!filters.language || profile.languages.includes(filters.language)),
  );
  const loads = await activeLoads(
    db,
    rows.map((r) => r.profile.userId),
  );
  return rows
    .map(({ profile, displayName }) => view(profile, displayName, loads.get(profile.userId) ?? 0, now))
    .sort((a, b) => Number(b.available) - Number(a.available) || a.displayName.localeCompare(b.displayName));
}

export async function getMentor(db: Database, mentorId: string, now: Date) {
  const [row] = (await mentorRows(db)).filter((r) => r.profile.userId === mentorId);
  if (!row) throw notFound('That mentor');
  const loads = await activeLoads(db, [mentorId]);
  return view(row.profile, row.displayName, loads.get(mentorId) ?? 0, now);
}

export interface ProfileInput {
  bio: string;
  topics: string[];
  languages: string[];
  timezone: string;
  availability: AvailabilityWindow[];
  capacity: number;
  accepting: boolean;
  awayUntil: Date | null;
}

/** A mentor edits their own profile. Lowering capacity below the current load is refused. */
export async function updateProfile(db: Database, mentorId: string, input: ProfileInput, now: Date) {
  const [existing] = await db.select().from(mentorProfiles).where(eq(mentorProfiles.userId, mentorId));
  if (!existing) throw new ApiError(403, 'not_a_mentor', 'Only approved mentors have a mentor profile.');
  const load = (await activeLoads(db, [mentorId])).get(mentorId) ?? 0;
  if (input.capacity < load)
    throw new ApiError(400, 'validation_failed', `You mentor ${load} people now; capacity cannot go below that.`, {
      details: { fields: { capacity: `At least ${load}, your current number of mentees.` } },
    });
  await db
    .update(mentorProfiles)
    .set({ ...input, updatedAt: now })
    .where(eq(mentorProfiles.userId, mentorId));
  return getMentor(db, mentorId, now);
}

/**
 * Mentors the matching core may suggest, read in one query with their current load. Those who
 * cannot take anyone now (not accepting, away, full) and, when `languages` is given, those who
 * share none of them are left out in SQL: on a large programme this read is most of the cost.
 */
export async function matchingCandidates(
  db: Database,
  options: { languages?: string[]; now?: Date } = {},
): Promise<MentorCandidate[]> {
  const now = (options.now ?? new Date()).getTime();
  const languageFilter = options.languages?.length
    ? sql`and exists (select 1 from json_each(p.languages) l where l.value in ${options.languages})`
    : sql``;
  const rows = await db.all<{
    user_id: string;
    topics: string;
    languages: string;
    timezone: string;
    availability: string;
    capacity: number;
    away_until: number | null;
    load: number;
  }>(sql`
    select p.user_id, p.topics, p.languages, p.timezone, p.availability, p.capacity, p.away_until,
      (select count(*) from mentorships m where m.mentor_id = p.user_id and m.status = 'active') as load
    from mentor_profiles p
    join user_roles r on r.user_id = p.user_id and r.role = 'mentor'
    where p.accepting = 1 and (p.away_until is null or p.away_until <= ${now}) ${languageFilter}
      and (select count(*) from mentorships m where m.mentor_id = p.user_id and m.status = 'active') < p.capacity`);
  return rows.map((r) => ({
    id: r.user_id,
    topics: JSON.parse(r.topics) as string[],
    languages: JSON.parse(r.languages) as string[],
    timezone: r.timezone,
    availability: JSON.parse(r.availability) as AvailabilityWindow[],
    capacity: Number(r.capacity),
    activeMentees: Number(r.load),
    accepting: true,
    awayUntil: r.away_until === null ? null : new Date(Number(r.away_until)),
  }));
}

export const mentorCount = async (db: Database) =>
  Number((await db.select({ n: sql<number>`count(*)` }).from(mentorProfiles))[0]?.n ?? 0);
