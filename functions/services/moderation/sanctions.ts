import { and, desc, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { memberSanctions } from '#db/schema/index.ts';
import { ApiError } from '../../errors.ts';

export type SanctionKind = 'warning' | 'silence' | 'suspension';

/** The silence or suspension in force now, the suspension first; null when the member may post. */
export async function activeSanction(db: Database, userId: string, now: Date) {
  const rows = await db
    .select({
      id: memberSanctions.id,
      kind: memberSanctions.kind,
      endsAt: memberSanctions.endsAt,
      reason: memberSanctions.reason,
    })
    .from(memberSanctions)
    .where(
      and(
        eq(memberSanctions.userId, userId),
        inArray(memberSanctions.kind, ['silence', 'suspension']),
        isNull(memberSanctions.liftedAt),
        lte(memberSanctions.startsAt, now),
        gt(memberSanctions.endsAt, now),
      ),
    )
    .orderBy(desc(memberSanctions.kind), desc(memberSanctions.endsAt));
  return rows[0] ?? null;
}

const until = (d: Date) =>
  new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(d) + ' UTC';

/** 403 when the member is silenced or suspended, saying until when. */
export async function requireNotSanctioned(db: Database, userId: string, now: Date, doing = 'post') {
  const sanction = await activeSanction(db, userId, now);
  if (!sanction?.endsAt) return;
  const what = sanction.kind === 'suspension' ? 'suspended' : 'paused';
  throw new ApiError(
    403,
    sanction.kind === 'suspension' ? 'member_suspended' : 'member_silenced',
    `Your account is ${what} until ${until(sanction.endsAt)}: you can read, but not ${doing} until then. The message from the moderators is in your notifications.`,
    { details: { until: sanction.endsAt.toISOString(), kind: sanction.kind } },
  );
}
