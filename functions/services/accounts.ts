import { and, desc, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { userRoles, users } from '#db/schema/index.ts';
import { checkCode, clearCodes, issueCode, newCode } from './email-codes.ts';
import { ApiError } from '../errors.ts';
import { passwordProblem, type PasswordHasher } from '../auth/password.ts';
import {
  createSession,
  invalidateSession,
  invalidateUserSessions,
  isStaff,
  markReauthenticated,
  REAUTH_WINDOW_MS,
  type Session,
} from '../auth/session.ts';
import {
  accountLockedMail,
  alreadyRegisteredMail,
  changeEmailCodeMail,
  emailChangedMail,
  noAccountResetMail,
  passwordResetMail,
  verificationCodeMail,
} from '../mail/messages.ts';
import { hit, peek } from './rate-limits.ts';
import type { MailTransport } from '../mail/transport.ts';
import type { Locale } from '../mail/messages.ts';
import { auditInsert } from './audit.ts';

/** Versions of the documents a member accepts at sign-up. Bump when their text changes. */
export const TERMS_VERSION = '2026-11-01';
export const PRIVACY_VERSION = '2026-11-01';
/** Unverified sign-ups are removed after this long. */
export const PENDING_TTL_MS = 7 * 24 * 3_600_000;

export interface AccountDeps {
  passwords: PasswordHasher;
  mail: MailTransport;
}
export interface RequestContext {
  now: Date;
  device: string;
  ipHash: string;
  /** The language the request asked for (Accept-Language), for mail to people without an account. */
  locale: Locale;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

async function verifiedAccountFor(db: Database, email: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNotNull(users.emailVerifiedAt)))
    .limit(1);
  return row ?? null;
}

/**
 * Creates a pending account and signs it in. The answer is the same whether or not the address
 * already belongs to someone: a taken address gets a "you already have an account" mail instead of
 * a code, so the pending account can never be verified. Work (hashing, mail) is the same either way.
 */
export async function signUp(
  db: Database,
  deps: AccountDeps,
  input: { email: string; password: string; displayName: string },
  ctx: RequestContext,
) {
  const email = normalizeEmail(input.email);
  const passwordHash = await deps.passwords.hash(input.password);
  const existing = await verifiedAccountFor(db, email);
  const id = crypto.randomUUID();
  const code = newCode();
  await db.batch([
    db
      .delete(users)
      .where(and(isNull(users.emailVerifiedAt), lt(users.createdAt, new Date(ctx.now.getTime() - PENDING_TTL_MS)))),
    db.insert(users).values({
      id,
      email,
      displayName: input.displayName,
      passwordHash,
      locale: ctx.locale,
      termsVersion: TERMS_VERSION,
      termsAcceptedAt: ctx.now,
      privacyVersion: PRIVACY_VERSION,
      privacyAcceptedAt: ctx.now,
      createdAt: ctx.now,
    }),
    ...issueCode(db, id, 'verify_email', email, existing ? null : code, ctx.now),
    auditInsert(db, { type: 'sign_up', actorUserId: id, subjectUserId: id, ipHash: ctx.ipHash }, ctx.now),
  ]);
  await deps.mail.send(
    db,
    existing
      ? alreadyRegisteredMail(existing.locale, email)
      : verificationCodeMail(ctx.locale, email, input.displayName, code),
    ctx.now,
  );
  const session = await createSession(db, id, ctx.now, ctx.device);
  return { user: await getAccount(db, id), token: session.token };
}

/**
 * Checks an emailed code for the signed-in member. Five wrong tries or fifteen minutes end the
 * code; a new one can be requested. Success marks the email verified and rotates the session,
 * since the member can now post.
 */
export async function verifyEmail(
  db: Database,
  userId: string,
  currentSessionId: string,
  code: string,
  ctx: RequestContext,
) {
  const invalid = new ApiError(
    400,
    'invalid_code',
    'That code is not right or has expired. Check the latest email, or ask for a new code.',
    {
      details: { fields: { code: 'That code is not right or has expired.' } },
    },
  );
  const row = await checkCode(db, userId, 'verify_email', code, ctx.now, invalid);
  if (await verifiedAccountFor(db, row.email)) {
    throw new ApiError(
      409,
      'email_taken',
      'This address is already verified on another account. Sign in to that account instead.',
    );
  }
  await db.batch([
    db.update(users).set({ emailVerifiedAt: ctx.now }).where(eq(users.id, userId)),
    clearCodes(db, userId, 'verify_email'),
    auditInsert(
      db,
      { type: 'email.verified', actorUserId: userId, subjectUserId: userId, ipHash: ctx.ipHash },
      ctx.now,
    ),
  ]);
  await invalidateSession(db, currentSessionId);
  const session = await createSession(db, userId, ctx.now, ctx.device);
  return { user: await getAccount(db, userId), token: session.token };
}

/** A fresh code for a member whose code expired or ran out of tries. */
export async function resendVerification(db: Database, deps: AccountDeps, userId: string, ctx: RequestContext) {
  const account = await getAccount(db, userId);
  if (!account || account.emailVerified) return;
  const existing = await verifiedAccountFor(db, account.email);
  const code = newCode();
  await db.batch([...issueCode(db, userId, 'verify_email', account.email, existing ? null : code, ctx.now)]);
  await deps.mail.send(
    db,
    existing
      ? alreadyRegisteredMail(existing.locale, account.email)
      : verificationCodeMail(await localeOf(db, userId), account.email, account.displayName, code),
    ctx.now,
  );
}

/**
 * Signs in with email and password. A verified account with that address wins over pending
 * sign-ups. Unknown addresses cost the same hashing work as known ones. Returns a new session
 * (never reuses one the client brought: no session fixation).
 */
export async function signIn(
  db: Database,
  deps: AccountDeps,
  input: { email: string; password: string },
  ctx: RequestContext,
) {
  const email = normalizeEmail(input.email);
  // Failures are counted per address whether or not it has an account, so a pause says nothing
  // about which addresses exist.
  const lock = await peek(db, FAILED_SIGN_INS, email, ctx.now);
  if (!lock.allowed) throw accountLocked(lock.retryAfterSeconds);
  const candidates = await db
    .select({
      id: users.id,
      passwordHash: users.passwordHash,
      verified: users.emailVerifiedAt,
      totp: users.totpEnabledAt,
    })
    .from(users)
    .where(eq(users.email, email))
    .orderBy(desc(users.emailVerifiedAt), desc(users.createdAt))
    .limit(1);
  const account = candidates[0];
  // Unknown addresses cost one hash too, so response time does not reveal which addresses exist.
  const ok = account?.passwordHash
    ? await deps.passwords.verify(account.passwordHash, input.password)
    : (await deps.passwords.burn(input.password), false);
  if (!account || !ok) {
    await auditInsert(
      db,
      {
        type: 'sign_in.failure',
        subjectUserId: account?.id ?? null,
        ipHash: ctx.ipHash,
        detail: { reason: 'credentials' },
      },
      ctx.now,
    );
    const failures = await hit(db, FAILED_SIGN_INS, email, ctx.now);
    if (failures.remaining === 0 && account?.verified) {
      await auditInsert(db, { type: 'account.locked', subjectUserId: account.id, ipHash: ctx.ipHash }, ctx.now);
      const [owner] = await db
        .select({ displayName: users.displayName, locale: users.locale })
        .from(users)
        .where(eq(users.id, account.id));
      await deps.mail.send(db, accountLockedMail(owner?.locale ?? 'en', email, owner?.displayName ?? ''), ctx.now);
    }
    throw new ApiError(401, 'invalid_credentials', 'That email and password do not match an account.', {
      details: { fields: { password: 'That email and password do not match an account.' } },
    });
  }
  if (deps.passwords.needsRehash(account.passwordHash!)) {
    await db
      .update(users)
      .set({ passwordHash: await deps.passwords.hash(input.password) })
      .where(eq(users.id, account.id));
  }
  if (account.totp) {
    // The password was right; the session is only good for the second step until a code is given.
    const pending = await createSession(db, account.id, ctx.now, ctx.device, false);
    return { twoFactorRequired: true as const, user: null, token: pending.token };
  }
  const session = await createSession(db, account.id, ctx.now, ctx.device);
  await auditInsert(
    db,
    { type: 'sign_in.success', actorUserId: account.id, subjectUserId: account.id, ipHash: ctx.ipHash },
    ctx.now,
  );
  return { twoFactorRequired: false as const, user: await getAccount(db, account.id), token: session.token };
}

/** After 10 failed sign-ins for one address within 15 minutes, from any address, sign-in pauses. */
export const FAILED_SIGN_INS = { name: 'sign-in-failures', limit: 10, windowSeconds: 900 };

const accountLocked = (retryAfterSeconds: number) =>
  new ApiError(
    429,
    'account_locked',
    `Signing in to this account is paused after many failed attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes, or reset your password.`,
    {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    },
  );

/**
 * Emails a reset code when the address has a verified account, and an explanatory note when it
 * has none: the caller's answer (202) and the work done are the same either way.
 */
export async function requestPasswordReset(db: Database, deps: AccountDeps, rawEmail: string, ctx: RequestContext) {
  const email = normalizeEmail(rawEmail);
  const account = await verifiedAccountFor(db, email);
  if (!account) {
    await deps.mail.send(db, noAccountResetMail(ctx.locale, email), ctx.now);
    return;
  }
  const code = newCode();
  await db.batch([
    ...issueCode(db, account.id, 'password_reset', email, code, ctx.now),
    auditInsert(db, { type: 'password.reset_requested', subjectUserId: account.id, ipHash: ctx.ipHash }, ctx.now),
  ]);
  await deps.mail.send(db, passwordResetMail(account.locale, email, account.displayName, code), ctx.now);
}

const staffFor = async (db: Database, userId: string) =>
  isStaff(
    (await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId))).map((r) => r.role),
  );

function passwordRejected(problem: string, field: string) {
  return new ApiError(400, 'validation_failed', `Please check the field: ${field}.`, {
    details: { fields: { [field]: problem } },
  });
}

/**
 * Sets a new password with an emailed code. Every session of the account ends: whoever knew the
 * old password is signed out. An unknown address and a wrong code get the same answer.
 */
export async function confirmPasswordReset(
  db: Database,
  deps: AccountDeps,
  input: { email: string; code: string; password: string },
  ctx: RequestContext,
) {
  const email = normalizeEmail(input.email);
  const invalid = new ApiError(
    400,
    'invalid_code',
    'That code is not right or has expired. Ask for a new one if needed.',
    {
      details: { fields: { code: 'That code is not right or has expired.' } },
    },
  );
  const account = await verifiedAccountFor(db, email);
  if (!account) throw invalid;
  await checkCode(db, account.id, 'password_reset', input.code, ctx.now, invalid);
  const problem = passwordProblem(input.password, { staff: await staffFor(db, account.id) });
  if (problem) throw passwordRejected(problem, 'password');
  const passwordHash = await deps.passwords.hash(input.password);
  await db.batch([
    db.update(users).set({ passwordHash }).where(eq(users.id, account.id)),
    clearCodes(db, account.id, 'password_reset'),
    auditInsert(
      db,
      { type: 'password.reset', subjectUserId: account.id, actorUserId: account.id, ipHash: ctx.ipHash },
      ctx.now,
    ),
  ]);
  await invalidateUserSessions(db, account.id);
}

/**
 * Re-authentication: the member types their password again before a sensitive change. A wrong
 * password is a 403 that names the form field, so the message sits next to it.
 */
export async function confirmPassword(
  db: Database,
  passwords: PasswordHasher,
  userId: string,
  password: string,
  field = 'password',
  message = 'That password is not right.',
): Promise<void> {
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!row?.hash || !(await passwords.verify(row.hash, password))) {
    throw new ApiError(403, 'reauthentication_failed', message, { details: { fields: { [field]: message } } });
  }
}

/**
 * Changes the password after checking the current one. The member's other sessions end and this
 * one is replaced by a fresh token.
 */
export async function changePassword(
  db: Database,
  deps: AccountDeps,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  ctx: RequestContext,
) {
  await confirmPassword(
    db,
    deps.passwords,
    userId,
    input.currentPassword,
    'currentPassword',
    'Your current password is not right.',
  );
  const problem = passwordProblem(input.newPassword, { staff: await staffFor(db, userId) });
  if (problem) throw passwordRejected(problem, 'newPassword');
  const passwordHash = await deps.passwords.hash(input.newPassword);
  await db.batch([
    db.update(users).set({ passwordHash }).where(eq(users.id, userId)),
    auditInsert(
      db,
      { type: 'password.changed', subjectUserId: userId, actorUserId: userId, ipHash: ctx.ipHash },
      ctx.now,
    ),
  ]);
  await invalidateUserSessions(db, userId);
  const session = await createSession(db, userId, ctx.now, ctx.device);
  return { token: session.token };
}

/**
 * Step one of changing the email address. Needs proof of identity from the last 10 minutes: the
 * password in this request, or a sign-in that recent. A code goes to the new address (or, if it
 * belongs to a verified account, a note instead: the answer is the same).
 */
export async function requestEmailChange(
  db: Database,
  deps: AccountDeps,
  session: Session,
  input: { email: string; password?: string | undefined },
  ctx: RequestContext,
) {
  const email = normalizeEmail(input.email);
  const [user] = await db
    .select({ email: users.email, displayName: users.displayName, locale: users.locale })
    .from(users)
    .where(eq(users.id, session.userId));
  if (!user) throw new ApiError(401, 'unauthenticated', 'Please sign in first.');
  if (input.password) {
    await confirmPassword(db, deps.passwords, session.userId, input.password);
    await markReauthenticated(db, session.id, ctx.now);
  } else if (ctx.now.getTime() - session.authenticatedAt.getTime() > REAUTH_WINDOW_MS) {
    throw new ApiError(403, 'reauthentication_required', 'Enter your password again to change your email address.', {
      details: { fields: { password: 'Enter your password to confirm it is you.' } },
    });
  }
  if (email === user.email) {
    throw new ApiError(400, 'validation_failed', 'Please check the field: email.', {
      details: { fields: { email: 'That is already your address.' } },
    });
  }
  const taken = await verifiedAccountFor(db, email);
  const code = newCode();
  await db.batch([
    ...issueCode(db, session.userId, 'change_email', email, taken ? null : code, ctx.now),
    auditInsert(
      db,
      {
        type: 'email.change_requested',
        actorUserId: session.userId,
        subjectUserId: session.userId,
        ipHash: ctx.ipHash,
      },
      ctx.now,
    ),
  ]);
  await deps.mail.send(
    db,
    taken
      ? alreadyRegisteredMail(taken.locale, email)
      : changeEmailCodeMail(user.locale, email, user.displayName, code),
    ctx.now,
  );
  return { email };
}

/** Step two: the code from the new address. The old address is told; the session is renewed. */
export async function confirmEmailChange(
  db: Database,
  deps: AccountDeps,
  session: Session,
  code: string,
  ctx: RequestContext,
) {
  const invalid = new ApiError(400, 'invalid_code', 'That code is not right or has expired.', {
    details: { fields: { code: 'That code is not right or has expired.' } },
  });
  const row = await checkCode(db, session.userId, 'change_email', code, ctx.now, invalid);
  if (await verifiedAccountFor(db, row.email))
    throw new ApiError(409, 'email_taken', 'That address now belongs to another account.');
  const [user] = await db
    .select({ email: users.email, displayName: users.displayName, locale: users.locale })
    .from(users)
    .where(eq(users.id, session.userId));
  await db.batch([
    db.update(users).set({ email: row.email, emailVerifiedAt: ctx.now }).where(eq(users.id, session.userId)),
    clearCodes(db, session.userId, 'change_email'),
    auditInsert(
      db,
      { type: 'email.changed', actorUserId: session.userId, subjectUserId: session.userId, ipHash: ctx.ipHash },
      ctx.now,
    ),
  ]);
  if (user) await deps.mail.send(db, emailChangedMail(user.locale, user.email, user.displayName, row.email), ctx.now);
  await invalidateSession(db, session.id);
  const renewed = await createSession(db, session.userId, ctx.now, ctx.device);
  return { user: await getAccount(db, session.userId), token: renewed.token };
}

/** The member's own public profile: the name others see and a short introduction. */
export async function updateProfile(
  db: Database,
  userId: string,
  input: { displayName: string; bio?: string | undefined },
  ctx: RequestContext,
) {
  await db.batch([
    db
      .update(users)
      .set({ displayName: input.displayName, bio: input.bio ?? null })
      .where(eq(users.id, userId)),
    auditInsert(db, { type: 'profile.updated', actorUserId: userId, subjectUserId: userId }, ctx.now),
  ]);
  return getAccount(db, userId);
}

/** The member as the API shows them to themselves. */
export async function getAccount(db: Database, userId: string) {
  const user = await db.query.users.findFirst({ where: eq(users.id, userId), with: undefined });
  if (!user) return null;
  const roles = (await db.query.userRoles.findMany({ where: (r, { eq: is }) => is(r.userId, userId) })).map(
    (r) => r.role,
  );
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    emailVerified: user.emailVerifiedAt !== null,
    roles,
    twoFactorEnabled: user.totpEnabledAt !== null,
  };
}
export type Account = NonNullable<Awaited<ReturnType<typeof getAccount>>>;

/** The editable profile fields, for the account page. */
export async function getProfile(db: Database, userId: string) {
  const [row] = await db
    .select({ displayName: users.displayName, bio: users.bio })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

async function localeOf(db: Database, userId: string): Promise<Locale> {
  const [row] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
  return row?.locale ?? 'en';
}
