import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

/**
 * A short SHA-256 of an identifier such as a client address: stable enough to count or to see a
 * pattern in the audit log, and never stored in the clear.
 */
export function shortHash(value: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(value))).slice(0, 32);
}
