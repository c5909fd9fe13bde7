import { describe, expect, it } from 'vitest';
import { outbox } from '#db/schema/index.ts';
import { createApp } from '#functions/app.ts';
import { parseConfig } from '#functions/config.ts';
import { httpTransport } from '#functions/mail/transport.ts';
import { verificationCodeMail } from '#functions/mail/messages.ts';
import { createTestDb } from '#tests/setup/db.ts';

function fakeFetch(status = 200) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response('{}', { status });
  }) as typeof fetch;
  return { fn, calls };
}

describe('the http mail transport', () => {
  it('sends through Resend with text and HTML, and marks the outbox row sent', async () => {
    const db = await createTestDb();
    const { fn, calls } = fakeFetch();
    const transport = httpTransport({
      provider: 'resend',
      apiKey: 're_test_key',
      from: 'Hearth <hearth@example.org>',
      fetch: fn,
    });
    await transport.send(db, verificationCodeMail('en', 'sam@example.org', 'Sam <b>', '123456'), new Date());
    expect(calls[0]!.url).toBe('https://api.resend.com/emails');
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer re_test_key');
    const body = JSON.parse(String(calls[0]!.init.body)) as { to: string[]; text: string; html: string; from: string };
    expect(body).toMatchObject({ to: ['sam@example.org'], from: 'Hearth <hearth@example.org>' });
    expect(body.text).toContain('123456');
    expect(body.html).toContain('Sam &lt;b&gt;');
    const [row] = await db.select().from(outbox);
    expect(row!.sentAt).toBeInstanceOf(Date);
  });

  it('speaks Postmark’s format when chosen', async () => {
    const db = await createTestDb();
    const { fn, calls } = fakeFetch();
    await httpTransport({ provider: 'postmark', apiKey: 'pm-token', from: 'hearth@example.org', fetch: fn }).send(
      db,
      verificationCodeMail('en', 'a@example.org', 'A', '654321'),
      new Date(),
    );
    expect(calls[0]!.url).toBe('https://api.postmarkapp.com/email');
    expect((calls[0]!.init.headers as Record<string, string>)['x-postmark-server-token']).toBe('pm-token');
    expect(JSON.parse(String(calls[0]!.init.body))).toMatchObject({ To: 'a@example.org', From: 'hearth@example.org' });
  });

  it('keeps a failed delivery in the outbox with its error, without failing the caller', async () => {
    const db = await createTestDb();
    const { fn } = fakeFetch(500);
    const reported: unknown[] = [];
    await httpTransport({
      provider: 'resend',
      apiKey: 'k',
      from: 'f@example.org',
      fetch: fn,
      onError: (e) => reported.push(e),
    }).send(db, verificationCodeMail('en', 'b@example.org', 'B', '111111'), new Date());
    const [row] = await db.select().from(outbox);
    expect(row).toMatchObject({ sentAt: null, attempts: 1, lastError: 'provider answered 500' });
    expect(reported).toEqual([expect.objectContaining({ outboxId: row!.id, status: 500 })]);
    expect(JSON.stringify(reported)).not.toContain('111111');
  });

  it('has no development outbox routes under the http transport', async () => {
    const db = await createTestDb();
    const app = createApp({
      db,
      devTools: true,
      mail: httpTransport({ provider: 'resend', apiKey: 'k', from: 'f@example.org', fetch: fakeFetch().fn }),
      logger: { log: () => {} },
    });
    expect((await app.request('http://hearth.test/api/dev/outbox')).status).toBe(404);
  });

  it('names each missing setting', () => {
    expect(() => parseConfig({ DATABASE_URL: 'http://127.0.0.1:1', EMAIL_TRANSPORT: 'http' })).toThrow(
      /MAIL_PROVIDER is not set.*MAIL_API_KEY is not set.*MAIL_FROM is not set/,
    );
    expect(
      parseConfig({
        DATABASE_URL: 'http://127.0.0.1:1',
        EMAIL_TRANSPORT: 'http',
        MAIL_PROVIDER: 'resend',
        MAIL_API_KEY: 'k',
        MAIL_FROM: 'h@example.org',
      }).EMAIL_TRANSPORT,
    ).toBe('http');
  });
});

describe('mail in the member’s language', () => {
  it('writes every message in English and Spanish, with a text and an HTML part', async () => {
    const { CATALOG, localeFrom } = await import('#functions/mail/messages.ts');
    expect(Object.keys(CATALOG.es).sort()).toEqual(Object.keys(CATALOG.en).sort());
    expect(localeFrom('es-ES,es;q=0.9,en;q=0.8')).toBe('es');
    expect(localeFrom('fr-FR, de')).toBe('en');
    const es = verificationCodeMail('es', 'ana@example.org', 'Ana', '246810');
    expect(es.subject).toBe('Tu código de Hearth: 246810');
    expect(es.text).toMatch(/^Hola, Ana:/);
    expect(es.html).toContain('lang="es"');
  });

  it('sends the sign-up code in the language the browser asked for', async () => {
    const db = await createTestDb();
    const { testApp } = await import('#tests/setup/app.ts');
    const { postJson } = testApp(db);
    await postJson(
      '/api/auth/sign-up',
      { email: 'lu@example.org', password: 'lanterns over the river', displayName: 'Lu', acceptTerms: true },
      { headers: { 'accept-language': 'es-MX,es;q=0.9' } },
    );
    const [mail] = await db.select().from(outbox);
    expect(mail!.subject).toMatch(/^Tu código de Hearth/);
  });
});
