import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { recoveryCodes, users } from '#db/schema/index.ts';
import { ApiError } from '../errors.ts';
import {
  hashRecoveryCode,
  manualKey,
  matchTotp,
  newRecoveryCodes,
  newTotpKey,
  stepAt,
  totpQrSvg,
  totpUri,
} from '../auth/totp.ts';
import { createSession, invalidateSession, invalidateUserSessions, type Session } from '../auth/session.ts';
import type { PasswordHasher } from '../auth/password.ts';
import type { SecretBox } from '../auth/secret-box.ts';
import { auditInsert } from './audit.ts';
import { hit, peek } from './rate-limits.ts';
import { confirmPassword, type RequestContext } from './accounts.ts';

/** After 5 wrong codes for one account within 15 minutes, further codes are refused for a while. */
export const TOTP_FAILURES = { name: 'totp-failures', limit: 5, windowSeconds: 900 };

const invalidCode = () =>
  new ApiError(400, 'invalid_code', 'That code is not right. Codes change every 30 seconds; each works once.', {
    details: { fields: { code: 'That code is not right.' } },
  });

async function guardFailures(db: Database, userId: string, now: Date) {
  const state = await peek(db, TOTP_FAILURES, userId, now);
  if (!state.allowed) {
    throw new ApiError(
      429,
      'too_many_codes',
      `Too many wrong codes. Try again in ${Math.ceil(state.retryAfterSeconds / 60)} minutes.`,
      {
        headers: { 'Retry-After': String(state.retryAfterSeconds) },
      },
    );
  }
}

/** Starts enrolment: a new secret, sealed, waits in `totp_pending_key` until a code from it is entered. */
export async function startEnrolment(db: Database, box: SecretBox, userId: string) {
  const [user] = await db.select({ enabled: users.totpEnabledAt }).from(users).where(eq(users.id, userId));
  if (user?.enabled)
    throw new ApiError(409, 'two_factor_on', 'Two-factor is already on. Turn it off first to enrol a new device.');
  await db
    .update(users)
    .set({ totpPendingKey: await box.seal(newTotpKey()) })
    .where(eq(users.id, userId));
}

/** What the enrolment page shows for a pending secret: the QR code (SVG) and the typed key. */
export async function pendingEnrolment(db: Database, box: SecretBox, userId: string) {
  const [user] = await db
    .select({ key: users.totpPendingKey, email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.key) return null;
  const key = await box.open(user.key);
  const uri = totpUri(key, user.email);
  return { manualKey: manualKey(key), uri, qrSvg: totpQrSvg(uri) };
}

/**
 * Turns two-factor on with a first code from the pending secret. Returns ten recovery codes,
 * shown once. Other sessions end and this one is renewed: privileges changed.
 */
export async function enable(db: Database, box: SecretBox, userId: string, code: string, ctx: RequestContext) {
  const [user] = await db
    .select({ pending: users.totpPendingKey, enabled: users.totpEnabledAt })
    .from(users)
    .where(eq(users.id, userId));
  if (user?.enabled) throw new ApiError(409, 'two_factor_on', 'Two-factor is already on.');
  if (!user?.pending)
    throw new ApiError(409, 'no_enrolment', 'Start the set-up first, then enter a code from your app.');
  await guardFailures(db, userId, ctx.now);
  const step = matchTotp(await box.open(user.pending), code, ctx.now, null);
  if (step === null) {
    await hit(db, TOTP_FAILURES, userId, ctx.now);
    throw invalidCode();
  }
  const codes = newRecoveryCodes();
  await db.batch([
    db
      .update(users)
      .set({ totpKey: user.pending, totpPendingKey: null, totpEnabledAt: ctx.now, totpLastStep: step })
      .where(eq(users.id, userId)),
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    db
      .insert(recoveryCodes)
      .values(codes.map((c) => ({ id: crypto.randomUUID(), userId, codeHash: hashRecoveryCode(c) }))),
    auditInsert(
      db,
      { type: 'two_factor.enabled', actorUserId: userId, subjectUserId: userId, ipHash: ctx.ipHash },
      ctx.now,
    ),
  ]);
  await invalidateUserSessions(db, userId);
  const session = await createSession(db, userId, ctx.now, ctx.device);
  return { recoveryCodes: codes, token: session.token };
}

/** Turns two-factor off after the password is entered again. */
export async function disable(
  db: Database,
  passwords: PasswordHasher,
  userId: string,
  password: string,
  ctx: RequestContext,
) {
  await confirmPassword(db, passwords, userId, password);
  await db.batch([
    db
      .update(users)
      .set({ totpKey: null, totpPendingKey: null, totpEnabledAt: null, totpLastStep: null })
      .where(eq(users.id, userId)),
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    auditInsert(
      db,
      { type: 'two_factor.disabled', actorUserId: userId, subjectUserId: userId, ipHash: ctx.ipHash },
      ctx.now,
    ),
  ]);
}

/**
 * The second step of signing in: a current authenticator code (never one already used) or an
 * unused recovery code. The half-signed-in session is replaced by a full one.
 */
export async function completeSignIn(
  db: Database,
  box: SecretBox,
  pending: Session,
  code: string,
  ctx: RequestContext,
) {
  await guardFailures(db, pending.userId, ctx.now);
  const [user] = await db
    .select({ key: users.totpKey, lastStep: users.totpLastStep })
    .from(users)
    .where(eq(users.id, pending.userId));
  if (!user?.key) throw new ApiError(409, 'two_factor_off', 'Two-factor is not on for this account. Sign in again.');
  const cleaned = code.trim();
  let method: 'totp' | 'recovery' | null = null;
  const step = matchTotp(await box.open(user.key), cleaned, ctx.now, user.lastStep);
  if (step !== null) {
    // Recording the step in the same statement that checks it makes a replay race lose.
    const updated = await db
      .update(users)
      .set({ totpLastStep: step })
      .where(
        and(
          eq(users.id, pending.userId),
          user.lastStep === null ? isNull(users.totpLastStep) : eq(users.totpLastStep, user.lastStep),
        ),
      )
      .returning({ id: users.id });
    if (updated.length) method = 'totp';
  } else if (/^[a-z2-7-]{19}$/i.test(cleaned.replace(/\s+/g, ''))) {
    const used = await db
      .update(recoveryCodes)
      .set({ usedAt: ctx.now })
      .where(
        and(
          eq(recoveryCodes.userId, pending.userId),
          eq(recoveryCodes.codeHash, hashRecoveryCode(cleaned)),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .returning({ id: recoveryCodes.id });
    if (used.length) method = 'recovery';
  }
  if (!method) {
    await hit(db, TOTP_FAILURES, pending.userId, ctx.now);
    await auditInsert(
      db,
      {
        type: 'sign_in.failure',
        subjectUserId: pending.userId,
        ipHash: ctx.ipHash,
        detail: { reason: 'second_factor' },
      },
      ctx.now,
    );
    throw invalidCode();
  }
  await invalidateSession(db, pending.id);
  const session = await createSession(db, pending.userId, ctx.now, ctx.device);
  await auditInsert(
    db,
    {
      type: 'sign_in.success',
      actorUserId: pending.userId,
      subjectUserId: pending.userId,
      ipHash: ctx.ipHash,
      detail: { method },
    },
    ctx.now,
  );
  return { token: session.token, method };
}

export { stepAt };
