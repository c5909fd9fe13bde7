import { eq, inArray } from 'drizzle-orm';
import { outboxTransport } from '#functions/mail/transport.ts';
import { actOnItem } from '#functions/services/moderation/actions.ts';
import { createFlag } from '#functions/services/moderation/flags.ts';
import { createWatchedWord } from '#functions/services/moderation/watched-words.ts';
import type { Database } from './client.ts';
import { moderationItems, posts, userRoles, users, type Role } from './schema/index.ts';

/**
 * The demo community's moderation (see seedDemoCommunity in db/seed.ts): flags waiting in the
 * review queue and a few watched words. Call it after the discussions seed with posts it wrote:
 *
 * - `safety`: a post someone is worried about (a safety concern, urgent; the coordinators' alert
 *   lands in the outbox, so /dev/mail shows it);
 * - `misinformation`: a confident claim, flagged as misinformation and as needing a source;
 * - `spam`: an advert, flagged as spam by two members;
 * - `sourceRequested` (optional): a post a moderator already asked a source for, so the label, the
 *   author's task and the moderation log have something to show.
 *
 * Everything goes through the same services as the API, so weights, queue items and log rows are
 * exactly what real use produces. Flaggers are demo members who did not write the post.
 */
export interface ModerationSeedPosts {
  safety: string;
  misinformation: string;
  spam: string;
  sourceRequested?: string;
}

const HOUR = 3_600_000;
const FLAGGERS = ['elena', 'tomas', 'hannah', 'kenji', 'fatima', 'priya'].map((n) => `${n}@example.org`);
const MODERATOR = 'wei@example.org';

const WATCHED = [
  { pattern: 'essay mill*', action: 'block' },
  { pattern: 'write your essay for', action: 'block' },
  { pattern: 'diet pill*', action: 'hold' },
  { pattern: 'casino*', action: 'flag' },
] as const;

async function people(db: Database) {
  const rows = await db
    .select({ id: users.id, email: users.email, role: userRoles.role })
    .from(users)
    .leftJoin(userRoles, eq(userRoles.userId, users.id))
    .where(inArray(users.email, [...FLAGGERS, MODERATOR]));
  const byEmail = new Map<string, { id: string; roles: Role[] }>();
  for (const r of rows) {
    const person = byEmail.get(r.email) ?? { id: r.id, roles: [] };
    if (r.role) person.roles.push(r.role);
    byEmail.set(r.email, person);
  }
  return byEmail;
}

export async function seedModeration(db: Database, seeded: ModerationSeedPosts, now = new Date()) {
  const who = await people(db);
  const moderator = who.get(MODERATOR);
  if (!moderator) throw new Error(`The moderation seed needs the demo moderator ${MODERATOR}.`);
  const authors = new Map(
    (
      await db
        .select({ id: posts.id, authorId: posts.authorId })
        .from(posts)
        .where(inArray(posts.id, Object.values(seeded).filter(Boolean) as string[]))
    ).map((p) => [p.id, p.authorId]),
  );
  /** Demo members who did not write the post, in a fixed order. */
  const flaggersOf = (postId: string) =>
    FLAGGERS.map((e) => who.get(e)).filter(
      (p): p is { id: string; roles: Role[] } => !!p && p.id !== authors.get(postId),
    );
  const ctx = (at: Date) => ({
    mail: outboxTransport,
    siteUrl: process.env.HEARTH_SITE_URL ?? 'http://localhost:4321',
    now: at,
    categoryGroups: new Map<string, string>(),
  });
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);

  for (const w of WATCHED) await createWatchedWord(db, moderator.id, w, ago(24 * 20)).catch(() => undefined);

  if (seeded.sourceRequested) {
    const [flagger] = flaggersOf(seeded.sourceRequested);
    if (flagger) {
      await createFlag(db, ctx(ago(50)), flagger, seeded.sourceRequested, {
        reason: 'needs-source',
        note: 'Is this from the university website? The rules changed last year.',
      });
      const [item] = await db
        .select({ id: moderationItems.id })
        .from(moderationItems)
        .where(eq(moderationItems.postId, seeded.sourceRequested));
      if (item)
        await actOnItem(db, { now: ago(47) }, moderator, { all: true, staff: true }, item.id, {
          action: 'request-source',
          reason:
            'Thanks for sharing this. Could you add where it comes from, such as the university’s page on resits? Rules change, and others will want to check their own case.',
        });
    }
  }

  const [m1, m2] = flaggersOf(seeded.misinformation);
  if (m1)
    await createFlag(db, ctx(ago(30)), m1, seeded.misinformation, {
      reason: 'misinformation',
      note: 'The library page says late fees were dropped in 2025.',
    });
  if (m2) await createFlag(db, ctx(ago(26)), m2, seeded.misinformation, { reason: 'needs-source' });

  const [s1, s2] = flaggersOf(seeded.spam);
  if (s1) await createFlag(db, ctx(ago(9)), s1, seeded.spam, { reason: 'spam', note: 'Selling essays again.' });
  if (s2) await createFlag(db, ctx(ago(8)), s2, seeded.spam, { reason: 'spam' });

  const [worried] = flaggersOf(seeded.safety);
  if (worried)
    await createFlag(db, ctx(ago(2)), worried, seeded.safety, {
      reason: 'safety',
      note: 'This sounds like they might hurt themselves. I replied with the crisis page.',
    });
}
