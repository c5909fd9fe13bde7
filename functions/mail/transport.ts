import { desc } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { outbox } from '#db/schema/index.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Where mail goes. Every transport first records the message in the outbox table; the local
 * `outbox` transport stops there and shows it at /dev/mail. A delivering transport (an HTTP mail
 * API, chosen by EMAIL_TRANSPORT) will mark rows as sent.
 */
export interface MailTransport {
  readonly name: 'outbox';
  send(db: Database, mail: Mail, now: Date): Promise<void>;
}

export const outboxTransport: MailTransport = {
  name: 'outbox',
  async send(db, mail, now) {
    await db.insert(outbox).values({
      id: crypto.randomUUID(),
      toAddress: mail.to,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html,
      createdAt: now,
    });
  },
};

/** The outbox, newest first, for /dev/mail and GET /api/dev/outbox (outbox transport only). */
export async function listOutbox(db: Database, limit = 50) {
  return db
    .select({
      id: outbox.id,
      to: outbox.toAddress,
      subject: outbox.subject,
      text: outbox.textBody,
      html: outbox.htmlBody,
      createdAt: outbox.createdAt,
    })
    .from(outbox)
    .orderBy(desc(outbox.createdAt))
    .limit(limit);
}
