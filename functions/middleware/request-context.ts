import { createMiddleware } from 'hono/factory';
import { clientIp } from '../lib/client-ip.ts';
import { applySecurityHeaders } from '../lib/security-headers.ts';
import type { AppEnv, AppVariables } from '../types.ts';

/**
 * First in the chain: gives the request an id, puts the injected dependencies on `c.var`,
 * writes one structured log line when the answer leaves, and stamps security headers on every
 * answer, errors included.
 */
export function requestContext(
  deps: Pick<
    AppVariables,
    | 'db'
    | 'clock'
    | 'logger'
    | 'passwords'
    | 'mail'
    | 'staffNeedTwoFactor'
    | 'secrets'
    | 'training'
    | 'siteUrl'
    | 'surveys'
    | 'pseudonymKey'
    | 'discussions'
    | 'postingPolicy'
  >,
) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const requestId = c.req.header('cf-ray') || crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('db', deps.db);
    c.set('clock', deps.clock);
    c.set('logger', deps.logger);
    c.set('passwords', deps.passwords);
    c.set('mail', deps.mail);
    c.set('staffNeedTwoFactor', deps.staffNeedTwoFactor);
    c.set('secrets', deps.secrets);
    c.set('training', deps.training);
    c.set('siteUrl', deps.siteUrl);
    c.set('surveys', deps.surveys);
    c.set('pseudonymKey', deps.pseudonymKey);
    c.set('discussions', deps.discussions);
    c.set('postingPolicy', deps.postingPolicy);
    c.set('clientIp', clientIp(c.req.raw.headers));
    const started = performance.now();
    await next();
    c.header('X-Request-Id', requestId);
    applySecurityHeaders(c.res.headers, 'api');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
    deps.logger.log({
      level: c.res.status === 503 ? 'warn' : c.res.status >= 500 ? 'error' : 'info',
      msg: 'request',
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });
}
