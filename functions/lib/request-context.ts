import type { Context } from 'hono';
import { describeDevice } from '../auth/session.ts';
import type { RequestContext } from '../services/accounts.ts';
import type { AppEnv } from '../types.ts';
import { shortHash } from './hash.ts';
import { localeFrom } from '../mail/messages.ts';

/** What account services need to know about the request: time, device label, hashed address. */
export function accountContext(c: Context<AppEnv>): RequestContext {
  return {
    now: c.var.clock.now(),
    device: describeDevice(c.req.header('user-agent')),
    ipHash: shortHash(c.var.clientIp),
    locale: localeFrom(c.req.header('accept-language')),
  };
}
