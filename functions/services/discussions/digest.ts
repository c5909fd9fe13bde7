import { and, desc, eq, gt, isNull, like } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { digestSettings, notifications, users } from '#db/schema/index.ts';
import { compose, type Locale } from '../../mail/messages.ts';
import type { MailTransport } from '../../mail/transport.ts';
import { DEFAULT_DIGEST } from './subscriptions.ts';

const DAY = 86_400_000;
const PERIOD = { daily: DAY, weekly: 7 * DAY } as const;
/** The daily job may run a little early or late; a digest counts as due within this much. */
const SLACK = 2 * 3_600_000;
/** Items listed in one digest; the rest wait on the notifications page. */
const MAX_ITEMS = 15;

const TEXT = {
  en: {
    subject: (n: number) => `Hearth: ${n === 1 ? 'one thing' : `${n} things`} waiting for you in discussions`,
    intro: (n: number) =>
      `Here is what happened in discussions since your last digest (${n} unread). Open Hearth to read and reply.`,
    more: (n: number) => `…and ${n} more on your notifications page.`,
    settings: (url: string) => `Change how often you get this email on your account page: ${url}`,
  },
  es: {
    subject: (n: number) => `Hearth: ${n === 1 ? 'una novedad' : `${n} novedades`} en los debates`,
    intro: (n: number) =>
      `Esto es lo que ha pasado en los debates desde tu último resumen (${n} sin leer). Abre Hearth para leer y responder.`,
    more: (n: number) => `…y ${n} más en tu página de notificaciones.`,
    settings: (url: string) => `Cambia la frecuencia de este correo en tu página de cuenta: ${url}`,
  },
} satisfies Record<Locale, unknown>;

/**
 * The email digest (daily job): each member whose digest is due (daily or weekly; weekly by
 * default; never when off) and who has unread discussion notifications since their last digest
 * gets one email through the outbox listing them. Notification text is already what the member
 * may see (anonymous authors by alias), so the digest repeats nothing more.
 */
export async function sendDigests(db: Database, mail: MailTransport, siteUrl: string, now: Date): Promise<number> {
  const rows = await db
    .select({
      userId: notifications.userId,
      email: users.email,
      displayName: users.displayName,
      locale: users.locale,
      frequency: digestSettings.frequency,
      lastSentAt: digestSettings.lastSentAt,
      title: notifications.title,
      url: notifications.url,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .leftJoin(digestSettings, eq(digestSettings.userId, notifications.userId))
    .where(
      and(
        like(notifications.kind, 'discussion.%'),
        isNull(notifications.readAt),
        gt(notifications.createdAt, new Date(now.getTime() - PERIOD.weekly)),
      ),
    )
    .orderBy(notifications.userId, desc(notifications.createdAt));

  const byUser = new Map<string, typeof rows>();
  for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
  let sent = 0;
  for (const [userId, items] of byUser) {
    const first = items[0]!;
    const frequency = first.frequency ?? DEFAULT_DIGEST;
    if (frequency === 'off') continue;
    const period = PERIOD[frequency];
    if (first.lastSentAt && first.lastSentAt.getTime() > now.getTime() - period + SLACK) continue;
    const since = Math.max(first.lastSentAt?.getTime() ?? 0, now.getTime() - period);
    const fresh = items.filter((i) => i.createdAt.getTime() > since);
    if (fresh.length === 0) continue;
    const locale: Locale = first.locale === 'es' ? 'es' : 'en';
    const text = TEXT[locale];
    const link = (path: string | null) => new URL(path ?? '/notifications', siteUrl).toString();
    await mail.send(
      db,
      compose(locale, first.email, first.displayName, {
        subject: text.subject(fresh.length),
        paragraphs: [
          text.intro(fresh.length),
          ...fresh.slice(0, MAX_ITEMS).map((i) => `• ${i.title} — ${link(i.url)}`),
          ...(fresh.length > MAX_ITEMS ? [text.more(fresh.length - MAX_ITEMS)] : []),
          text.settings(link('/account#digest')),
        ],
      }),
      now,
    );
    await db
      .insert(digestSettings)
      .values({ userId, frequency, lastSentAt: now })
      .onConflictDoUpdate({ target: digestSettings.userId, set: { lastSentAt: now } });
    sent += 1;
  }
  return sent;
}
