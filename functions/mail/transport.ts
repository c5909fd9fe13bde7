import { desc, eq, sql } from 'drizzle-orm';
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
 * `outbox` transport stops there and shows it at /dev/mail. The `http` transport then delivers it
 * through a mail provider's HTTP API and marks the row sent, or records the failure on it.
 */
export interface MailTransport {
  readonly name: 'outbox' | 'http';
  send(db: Database, mail: Mail, now: Date): Promise<void>;
}

async function record(db: Database, mail: Mail, now: Date): Promise<string> {
  const id = crypto.randomUUID();
  await db.insert(outbox).values({
    id,
    toAddress: mail.to,
    subject: mail.subject,
    textBody: mail.text,
    htmlBody: mail.html,
    createdAt: now,
  });
  return id;
}

export const outboxTransport: MailTransport = {
  name: 'outbox',
  async send(db, mail, now) {
    await record(db, mail, now);
  },
};

export type MailProvider = 'resend' | 'postmark';
export interface HttpMailConfig {
  provider: MailProvider;
  apiKey: string;
  from: string;
  fetch?: typeof fetch;
  /** Where delivery failures are reported (never with the message body). */
  onError?: (info: { outboxId: string; status?: number; error: string }) => void;
}

/** How each provider wants a message: endpoint, headers and body. */
function providerRequest(config: HttpMailConfig, mail: Mail): { url: string; init: RequestInit } {
  if (config.provider === 'postmark') {
    return {
      url: 'https://api.postmarkapp.com/email',
      init: {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-postmark-server-token': config.apiKey,
        },
        body: JSON.stringify({
          From: config.from,
          To: mail.to,
          Subject: mail.subject,
          TextBody: mail.text,
          HtmlBody: mail.html,
          MessageStream: 'outbound',
        }),
      },
    };
  }
  return {
    url: 'https://api.resend.com/emails',
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.apiKey}` },
      body: JSON.stringify({
        from: config.from,
        to: [mail.to],
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      }),
    },
  };
}

/**
 * Delivers through a provider's HTTP API with fetch. A failed delivery does not fail the member's
 * request (the account change already happened): the row keeps the error and an attempt count,
 * and the failure is reported, so mail can be re-sent from the outbox.
 */
export function httpTransport(config: HttpMailConfig): MailTransport {
  const doFetch = config.fetch ?? fetch;
  return {
    name: 'http',
    async send(db, mail, now) {
      const id = await record(db, mail, now);
      const { url, init } = providerRequest(config, mail);
      try {
        const res = await doFetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
        if (res.ok) {
          await db
            .update(outbox)
            .set({ sentAt: now, attempts: sql`${outbox.attempts} + 1` })
            .where(eq(outbox.id, id));
          return;
        }
        const error = `provider answered ${res.status}`;
        await db
          .update(outbox)
          .set({ attempts: sql`${outbox.attempts} + 1`, lastError: error })
          .where(eq(outbox.id, id));
        config.onError?.({ outboxId: id, status: res.status, error });
      } catch (err) {
        const error = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : 'unknown error';
        await db
          .update(outbox)
          .set({ attempts: sql`${outbox.attempts} + 1`, lastError: error })
          .where(eq(outbox.id, id));
        config.onError?.({ outboxId: id, error });
      }
    },
  };
}

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
