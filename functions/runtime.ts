import { createDatabase, type Database } from '#db/client.ts';
import type { ExecutionContext } from 'hono';
import { createApp, type AppType } from './app.ts';
import { ConfigError, parseConfig, type Config } from './config.ts';
import { ApiError } from './errors.ts';
import { applySecurityHeaders } from './lib/security-headers.ts';
import { httpTransport, outboxTransport, type MailTransport } from './mail/transport.ts';
import { createSecretBox, decodeKey, unconfiguredSecretBox, type SecretBox } from './auth/secret-box.ts';
import { jsonLogger } from './types.ts';
import type { TrainingCatalog } from './training/catalog.ts';
import type { SurveyCatalog } from './surveys/catalog.ts';
import type { DiscussionCatalog } from './discussions/catalog.ts';

/** Published content the Worker reads through Astro's collections; tests and scripts omit it. */
export interface ContentSources {
  training?: () => Promise<TrainingCatalog>;
  surveys?: () => Promise<SurveyCatalog>;
  discussions?: () => Promise<DiscussionCatalog>;
}

/**
 * The Worker's long-lived pieces, built once per isolate from its bindings: the config, one
 * libSQL HTTP client, and the Hono app. Astro pages and the /api endpoint share them.
 */
export interface Runtime {
  config: Config;
  db: Database;
  app: AppType;
  /** Whether development-only pages and routes (/dev/mail) exist. */
  devTools: boolean;
  secrets: SecretBox;
  mail: MailTransport;
}

let cached: { key: string; runtime: Runtime } | undefined;

export function getRuntime(env: Record<string, unknown>, content: ContentSources = {}): Runtime {
  const config = parseConfig(env);
  const key = JSON.stringify(config);
  if (cached?.key !== key) {
    const db = createDatabase({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
    const devTools = config.HEARTH_ENV !== 'production' && config.EMAIL_TRANSPORT === 'outbox';
    const secrets = config.TOTP_ENCRYPTION_KEY
      ? createSecretBox(decodeKey(config.TOTP_ENCRYPTION_KEY))
      : unconfiguredSecretBox;
    const mail =
      config.EMAIL_TRANSPORT === 'http'
        ? httpTransport({
            provider: config.MAIL_PROVIDER!,
            apiKey: config.MAIL_API_KEY!,
            from: config.MAIL_FROM!,
            onError: (info) => jsonLogger.log({ level: 'error', msg: 'mail delivery failed', ...info }),
          })
        : outboxTransport;
    cached = {
      key,
      runtime: {
        config,
        db,
        devTools,
        secrets,
        mail,
        app: createApp({
          db,
          devTools,
          mail,
          secrets,
          staffNeedTwoFactor: config.STAFF_TWO_FACTOR === 'required',
          siteUrl: config.HEARTH_SITE_URL,
          ...(config.TOTP_ENCRYPTION_KEY ? { pseudonymKey: decodeKey(config.TOTP_ENCRYPTION_KEY) } : {}),
          ...content,
        }),
      },
    };
  }
  return cached.runtime;
}

/**
 * The /api entry point for the Worker. A Worker deployed without its database settings still
 * answers in the API's error shape, naming the missing setting (never its value).
 */
export async function fetchApi(
  request: Request,
  env: Record<string, unknown>,
  ctx?: ExecutionContext,
  content: ContentSources = {},
): Promise<Response> {
  let runtime: Runtime;
  try {
    runtime = getRuntime(env, content);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    jsonLogger.log({ level: 'error', msg: 'configuration error', error: err.message });
    const body = new ApiError(503, 'misconfigured', `Hearth is not configured yet: ${err.message}`, {
      headers: { 'Retry-After': '60' },
    });
    const response = Response.json(body.body(), { status: 503, headers: body.headers });
    applySecurityHeaders(response.headers, 'api');
    return response;
  }
  return runtime.app.fetch(request, env, ctx);
}
