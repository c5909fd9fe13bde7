import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase, decodeHex } from '@oslojs/encoding';
import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { sessions, userRoles, users, type Role } from '#db/schema/index.ts';

/**
 * Sessions after Lucia's single-file design (lucia-auth.com), without its deprecated package.
 * The token is `<id>.<secret>`, each part 160 random bits in lower-case base32. The database
 * keeps only SHA-256(secret), compared in constant time. See ADR 006.
 */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const MEMBER_SESSION: SessionPolicy = { idleMs: 10 * DAY, absoluteMs: 30 * DAY };
/** Coordinators and admins hold more power, so their sessions end sooner. */
export const STAFF_SESSION: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * HOUR };
/** last_seen_at is written at most this often, to keep reads cheap. */
export const REFRESH_INTERVAL_MS = HOUR;

const STAFF_ROLES: Role[] = ['coordinator', 'admin'];
export const isStaff = (roles: readonly Role[]) => roles.some((r) => STAFF_ROLES.includes(r));
export const policyFor = (roles: readonly Role[]) => (isStaff(roles) ? STAFF_SESSION : MEMBER_SESSION);

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  /** Roles in effect. Staff roles are withheld while two-factor is required but not set up. */
  roles: Role[];
  /** Every role the member holds, in effect or not. */
  heldRoles: Role[];
}
export interface Session {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  /** False between the password and the second factor. */
  twoFactorVerified: boolean;
  /** When the member last proved who they are in this session. */
  authenticatedAt: Date;
}
export interface SessionOptions {
  /** Coordinators and admins hold their roles only once two-factor is on (the default). */
  staffNeedTwoFactor?: boolean;
}

function randomPart(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}
const hashSecret = (secret: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));

function expiry(createdAt: Date, lastSeenAt: Date, policy: SessionPolicy): Date {
  return new Date(Math.min(lastSeenAt.getTime() + policy.idleMs, createdAt.getTime() + policy.absoluteMs));
}

/** Creates a session and returns its token, which only the cookie will ever hold. */
export async function createSession(
  db: Database,
  userId: string,
  now: Date,
  device = 'Unknown device',
  twoFactorVerified = true,
) {
  const id = randomPart();
  const secret = randomPart();
  await db.insert(sessions).values({
    id,
    secretHash: hashSecret(secret),
    userId,
    createdAt: now,
    lastSeenAt: now,
    device: device.slice(0, 120),
    twoFactorVerified,
    authenticatedAt: now,
  });
  return { token: `${id}.${secret}`, id };
}

/**
 * Looks a token up and checks it: the secret (constant time), the idle and the absolute timeouts
 * for the user's roles. Expired sessions are deleted. Returns null for anything that is not a
 * live session.
 */
export async function validateSessionToken(
  db: Database,
  token: string,
  now: Date,
  options: SessionOptions = {},
): Promise<{ session: Session; user: SessionUser } | null> {
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[a-z2-7]{32}$/.test(parts[0]!) || !/^[a-z2-7]{32}$/.test(parts[1]!)) return null;
  const [id, secret] = parts as [string, string];
  const rows = await db
    .select({
      session: sessions,
      user: {
        id: users.id,
        email: users.email,
        displayName: users.displayName,
        emailVerifiedAt: users.emailVerifiedAt,
        totpEnabledAt: users.totpEnabledAt,
      },
      role: userRoles.role,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(userRoles, eq(userRoles.userId, users.id))
    .where(eq(sessions.id, id));
  const first = rows[0];
  if (!first) return null;
  if (!constantTimeEqual(decodeHex(hashSecret(secret)), decodeHex(first.session.secretHash))) return null;
  const roles = rows.map((r) => r.role).filter((r): r is Role => r !== null);
  const twoFactorEnabled = first.user.totpEnabledAt !== null;
  const withheld = (options.staffNeedTwoFactor ?? true) && isStaff(roles) && !twoFactorEnabled;
  const { createdAt, lastSeenAt } = first.session;
  const expiresAt = expiry(createdAt, lastSeenAt, policyFor(roles));
  if (now >= expiresAt) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let seen = lastSeenAt;
  if (now.getTime() - lastSeenAt.getTime() >= REFRESH_INTERVAL_MS) {
    seen = now;
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  }
  return {
    session: {
      id,
      userId: first.session.userId,
      createdAt,
      lastSeenAt: seen,
      expiresAt: expiry(createdAt, seen, policyFor(roles)),
      twoFactorVerified: first.session.twoFactorVerified,
      authenticatedAt: first.session.authenticatedAt ?? createdAt,
    },
    user: {
      id: first.user.id,
      email: first.user.email,
      displayName: first.user.displayName,
      emailVerified: first.user.emailVerifiedAt !== null,
      twoFactorEnabled,
      roles: withheld ? roles.filter((r) => !STAFF_ROLES.includes(r)) : roles,
      heldRoles: roles,
    },
  };
}

export async function invalidateSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user, or every one but `except` (the current device). */
export async function invalidateUserSessions(db: Database, userId: string, except?: string): Promise<void> {
  await db
    .delete(sessions)
    .where(except ? and(eq(sessions.userId, userId), ne(sessions.id, except)) : eq(sessions.userId, userId));
}

/** The member's own sessions, for the "where you are signed in" list. */
export async function listUserSessions(db: Database, userId: string) {
  return db
    .select({
      id: sessions.id,
      device: sessions.device,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(sessions.lastSeenAt);
}

/** `__Host-` cookies need Secure, which plain http://localhost cannot set; there the prefix is dropped. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-hearth_session' : 'hearth_session';
}

/** "Firefox on Linux", from a User-Agent header, for people to recognise their devices. */
export function describeDevice(userAgent: string | undefined | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\/|Chromium\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'A browser';
  const system = /iPhone|iPad/.test(userAgent)
    ? 'iOS'
    : /Android/.test(userAgent)
      ? 'Android'
      : /Mac OS X/.test(userAgent)
        ? 'macOS'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : 'an unknown system';
  return `${browser} on ${system}`;
}

/** Changing the email address needs proof of identity from the last 10 minutes. */
export const REAUTH_WINDOW_MS = 10 * 60_000;

export async function markReauthenticated(db: Database, sessionId: string, now: Date): Promise<void> {
  await db.update(sessions).set({ authenticatedAt: now }).where(eq(sessions.id, sessionId));
}
