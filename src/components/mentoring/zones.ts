/**
 * The two time zones a mentorship space shows times in: the mentor's (from their profile) and the
 * mentee's (from the request that started it). Read only after the space service has checked the
 * reader is one of the pair. UTC stands in for either when it is not known.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { menteeRequests, mentorProfiles, mentorships } from '#db/schema/index.ts';
import { isTimeZone } from './format.ts';

export async function partyTimeZones(db: Database, mentorshipId: string): Promise<{ mentor: string; mentee: string }> {
  const [row] = await db
    .select({ mentor: mentorProfiles.timezone, mentee: menteeRequests.timezone })
    .from(mentorships)
    .leftJoin(mentorProfiles, eq(mentorProfiles.userId, mentorships.mentorId))
    .leftJoin(menteeRequests, eq(menteeRequests.id, mentorships.requestId))
    .where(eq(mentorships.id, mentorshipId));
  return {
    mentor: isTimeZone(row?.mentor) ? row.mentor : 'UTC',
    mentee: isTimeZone(row?.mentee) ? row.mentee : 'UTC',
  };
}
