import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { appMeta, mentorships, users } from '#db/schema/index.ts';
import type { MailTransport } from '../../mail/transport.ts';
import { notify } from '../notifications.ts';
import { mentoringMail, type MentoringMessage } from '../../mail/mentoring-messages.ts';
import { DEFAULT_WEIGHTS, type Weights } from '../../mentoring/matching.ts';

export const DAY = 86_400_000;
/** A mentor has this long to answer a proposal; reminders go out on days 3 and 6. */
export const ANSWER_WITHIN_DAYS = 7;
export const NUDGE_DAYS = [3, 6] as const;
/** A mentorship runs this long unless extended. */
export const DEFAULT_LENGTH_WEEKS = 16;
/** No message, session, goal or check-in for this long marks a mentorship as stalled. */
export const STALLED_AFTER_DAYS = 21;

export type MatchingMode = 'mentee-picks' | 'coordinator-proposes';
export interface MatchingSettings {
  weights: Weights;
  mode: MatchingMode;
}

const SETTINGS_KEY = 'mentoring.settings';

export async function getMatchingSettings(db: Database): Promise<MatchingSettings> {
  const [row] = await db.select().from(appMeta).where(eq(appMeta.key, SETTINGS_KEY));
  const stored = row ? (JSON.parse(row.value) as Partial<MatchingSettings>) : {};
  return { weights: { ...DEFAULT_WEIGHTS, ...stored.weights }, mode: stored.mode ?? 'mentee-picks' };
}

export async function setMatchingSettings(db: Database, settings: MatchingSettings) {
  await db
    .insert(appMeta)
    .values({ key: SETTINGS_KEY, value: JSON.stringify(settings) })
    .onConflictDoUpdate({ target: appMeta.key, set: { value: JSON.stringify(settings) } });
  return settings;
}

/** How many active mentorships each mentor has now. */
export async function activeLoads(db: Database, mentorIds: string[]) {
  if (mentorIds.length === 0) return new Map<string, number>();
  const rows = await db
    .select({ mentorId: mentorships.mentorId, n: sql<number>`count(*)` })
    .from(mentorships)
    .where(and(inArray(mentorships.mentorId, mentorIds), eq(mentorships.status, 'active')))
    .groupBy(mentorships.mentorId);
  return new Map(rows.map((r) => [r.mentorId!, Number(r.n)]));
}

/** Tells a member about a mentoring step, in their language: a notification and a mail. Missing members are skipped. */
export async function mailMember(
  db: Database,
  mail: MailTransport,
  userId: string | null,
  kind: MentoringMessage,
  vars: Record<string, string>,
  now: Date,
) {
  if (!userId) return;
  const [member] = await db
    .select({ email: users.email, displayName: users.displayName, locale: users.locale })
    .from(users)
    .where(eq(users.id, userId));
  if (!member) return;
  const message = mentoringMail(kind, member, vars);
  // Every mentoring step reaches the member twice: in the notification centre and by mail.
  await notify(
    db,
    userId,
    { kind: `mentoring.${kind}`, title: message.subject, body: message.text.split('\n\n')[1] ?? '', url: vars.url },
    now,
  );
  await mail.send(db, message, now);
}

export const siteLink = (siteUrl: string, path: string) => new URL(path, siteUrl).toString();
