import { asc, countDistinct, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { userRoles, users, type Role } from '#db/schema/index.ts';

const TEAM_ROLES: Role[] = ['coordinator', 'moderator'];

/** Public facts about the community for the home page: how many people, and who looks after it. */
export async function getOverview(db: Database) {
  const [counts, mentors, teamRows] = await db.batch([
    db.select({ members: sql<number>`count(*)` }).from(users),
    db
      .select({ mentors: countDistinct(userRoles.userId) })
      .from(userRoles)
      .where(eq(userRoles.role, 'mentor')),
    db
      .select({ id: users.id, displayName: users.displayName, role: userRoles.role })
      .from(userRoles)
      .innerJoin(users, eq(users.id, userRoles.userId))
      .where(inArray(userRoles.role, TEAM_ROLES))
      .orderBy(asc(users.displayName)),
  ]);
  const team = new Map<string, { displayName: string; roles: Role[] }>();
  for (const row of teamRows) {
    const person = team.get(row.id) ?? { displayName: row.displayName, roles: [] };
    person.roles.push(row.role);
    team.set(row.id, person);
  }
  return {
    members: Number(counts[0]?.members ?? 0),
    mentors: Number(mentors[0]?.mentors ?? 0),
    team: [...team.values()],
  };
}
export type CommunityOverview = Awaited<ReturnType<typeof getOverview>>;
