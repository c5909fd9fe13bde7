import type { Database } from '#db/client.ts';
import type { PasswordHasher } from './auth/password.ts';
import type { SecretBox } from './auth/secret-box.ts';
import type { Session, SessionUser } from './auth/session.ts';
import type { MailTransport } from './mail/transport.ts';
import type { TrainingCatalog } from './training/catalog.ts';
import type { SurveyCatalog } from './surveys/catalog.ts';
import type { DiscussionCatalog } from './discussions/catalog.ts';
import type { PostingPolicy } from './services/discussions/write.ts';

/** Current time, injected so tests can move it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}
/** Structured logging: one JSON object per line. Never pass secrets, tokens or bodies. */
export interface Logger {
  log(entry: LogEntry): void;
}
export const jsonLogger: Logger = {
  log(entry) {
    const line = JSON.stringify({ time: new Date().toISOString(), ...entry });
    if (entry.level === 'error') console.error(line);
    else console.log(line);
  },
};

export interface AppDeps {
  db: Database;
  clock?: Clock;
  logger?: Logger;
  /** Version string reported by /api/health. */
  version?: string;
  /** Password hashing; tests pass cheaper parameters. */
  passwords?: PasswordHasher;
  mail?: MailTransport;
  /** Development-only routes such as GET /api/dev/outbox. Never on in production. */
  devTools?: boolean;
  /** Coordinators and admins hold their roles only with two-factor on. Default true. */
  staffNeedTwoFactor?: boolean;
  /** Seals TOTP secrets at rest (TOTP_ENCRYPTION_KEY); without it two-factor answers 503. */
  secrets?: SecretBox;
  /** Published training tracks with their knowledge checks, loaded once on first use. */
  training?: () => Promise<TrainingCatalog>;
  /** The site's public address, for links in mail (HEARTH_SITE_URL). */
  siteUrl?: string;
  /** Published surveys, loaded once on first use. */
  surveys?: () => Promise<SurveyCatalog>;
  /** Keys survey pseudonyms (derived from TOTP_ENCRYPTION_KEY): pre and post link, nobody is named. */
  pseudonymKey?: Uint8Array<ArrayBuffer>;
  /** Discussion categories and themed prompts, loaded once on first use. */
  discussions?: () => Promise<DiscussionCatalog>;
  /** What every new post and edit goes through; defaults to moderation's (tests of the core alone pass `basicPolicy`). */
  postingPolicy?: PostingPolicy;
}

/** What handlers find on `c.var`. */
export interface AppVariables {
  db: Database;
  clock: Clock;
  logger: Logger;
  requestId: string;
  clientIp: string;
  passwords: PasswordHasher;
  mail: MailTransport;
  session: Session | null;
  user: SessionUser | null;
  /** A session that passed the password but still owes its second factor. */
  pendingSession: Session | null;
  staffNeedTwoFactor: boolean;
  secrets: SecretBox;
  training: () => Promise<TrainingCatalog>;
  siteUrl: string;
  surveys: () => Promise<SurveyCatalog>;
  pseudonymKey: Uint8Array<ArrayBuffer>;
  discussions: () => Promise<DiscussionCatalog>;
  postingPolicy: PostingPolicy | undefined;
}

export interface AppEnv {
  Variables: AppVariables;
}
