import type { Database } from '#db/client.ts';
import { mentorProfiles, trackCompletions, type AvailabilityWindow } from '#db/schema/index.ts';
import { createUser } from './users.ts';

export const EVENINGS: AvailabilityWindow[] = [
  { day: 0, start: '18:00', end: '21:00' },
  { day: 2, start: '18:00', end: '21:00' },
];

/** A member whose Mentor foundations completion is current. */
export async function createTrainedMember(db: Database, now: Date, overrides: Parameters<typeof createUser>[1] = {}) {
  const user = await createUser(db, overrides);
  await db.insert(trackCompletions).values({
    id: crypto.randomUUID(),
    userId: user.id,
    track: 'mentor-foundations',
    unlocks: 'mentor-application',
    completedAt: now,
    expiresAt: new Date(now.getTime() + 365 * 86_400_000),
  });
  return user;
}

/** An approved mentor with a profile. */
export async function createMentor(
  db: Database,
  now: Date,
  profile: Partial<typeof mentorProfiles.$inferInsert> & { displayName?: string } = {},
) {
  const { displayName, ...rest } = profile;
  const user = await createUser(db, { displayName: displayName ?? 'A mentor', roles: ['mentor'] });
  await db.insert(mentorProfiles).values({
    userId: user.id,
    bio: 'Second-year student, happy to help.',
    topics: ['study-skills', 'wellbeing'],
    languages: ['en'],
    timezone: 'Europe/London',
    availability: EVENINGS,
    capacity: 2,
    accepting: true,
    updatedAt: now,
    ...rest,
  });
  return user;
}

export const requestBody = (overrides: Record<string, unknown> = {}) => ({
  goals: ['Plan my revision for the exams', 'Feel less alone in my first year'],
  topics: ['study-skills'],
  languages: ['en'],
  timezone: 'Europe/Madrid',
  availability: [{ day: 0, start: '19:00', end: '22:00' }],
  format: 'video',
  note: 'I am shy at first.',
  ...overrides,
});
