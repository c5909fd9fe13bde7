import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { emailCodes, type CODE_PURPOSES } from '#db/schema/index.ts';
import { ApiError } from '../errors.ts';

/**
 * One-time codes sent by email (verification, password reset, email change): six digits, valid
 * for 15 minutes and 5 tries, stored only as a hash, one live code per member and purpose.
 */
export type CodePurpose = (typeof CODE_PURPOSES)[number];
export const CODE_TTL_MS = 15 * 60_000;
export const CODE_ATTEMPTS = 5;

const hashCode = (code: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(code)));

export function newCode(): string {
  const n = crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000;
  return n.toString().padStart(6, '0');
}

/** Removes a member's codes of one purpose (after use, or before issuing a new one). */
export const clearCodes = (db: Database, userId: string, purpose: CodePurpose) =>
  db.delete(emailCodes).where(and(eq(emailCodes.userId, userId), eq(emailCodes.purpose, purpose)));

/**
 * Statements, for a batch, that replace any earlier code with a new one. With `code` null the
 * hash of a throwaway value is stored: used when the mail goes to an address that must not get
 * a working code (it already belongs to someone else), so every path does the same work.
 */
export function issueCode(
  db: Database,
  userId: string,
  purpose: CodePurpose,
  email: string,
  code: string | null,
  now: Date,
) {
  return [
    clearCodes(db, userId, purpose),
    db.insert(emailCodes).values({
      id: crypto.randomUUID(),
      userId,
      purpose,
      email,
      codeHash: hashCode(code ?? crypto.randomUUID()),
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
      createdAt: now,
    }),
  ] as const;
}

export const invalidCodeError = (message = 'That code is not right or has expired.') =>
  new ApiError(400, 'invalid_code', message, {
    details: { fields: { code: 'That code is not right or has expired.' } },
  });

/**
 * Checks a code against the member's latest one of that purpose. A wrong code uses up a try;
 * an expired or used-up code never matches. Returns the code's row (with the address it was
 * sent to) when right, and throws `invalid` otherwise.
 */
export async function checkCode(
  db: Database,
  userId: string,
  purpose: CodePurpose,
  code: string,
  now: Date,
  invalid = invalidCodeError(),
) {
  const [row] = await db
    .select()
    .from(emailCodes)
    .where(and(eq(emailCodes.userId, userId), eq(emailCodes.purpose, purpose)))
    .orderBy(desc(emailCodes.createdAt))
    .limit(1);
  if (!row || row.expiresAt <= now || row.attempts >= CODE_ATTEMPTS) throw invalid;
  if (hashCode(code) !== row.codeHash) {
    await db
      .update(emailCodes)
      .set({ attempts: row.attempts + 1 })
      .where(eq(emailCodes.id, row.id));
    throw invalid;
  }
  return row;
}
