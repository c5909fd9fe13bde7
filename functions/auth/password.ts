import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { decodeBase64, encodeBase64 } from '@oslojs/encoding';
import commonPasswords from './common-passwords.json' with { type: 'json' };

/**
 * Password hashing with scrypt through node:crypto (native in workerd under nodejs_compat).
 * Production parameters meet OWASP ASVS 5.0 Appendix C: N=2^15, r=8, p=3. They are stored in the
 * hash string, so raising them later rehashes each password at its owner's next sign-in.
 * Never WebCrypto PBKDF2: production Workers cap it at 100,000 iterations. See ADR 006.
 */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}

export const PRODUCTION_PARAMS: ScryptParams = { ln: 15, r: 8, p: 3 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const DECOY_SALT = new Uint8Array(SALT_LENGTH);

function derive(password: string, salt: Uint8Array, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.ln;
  return new Promise((resolve, reject) =>
    scryptCallback(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { N, r: params.r, p: params.p, maxmem: 128 * N * params.r * 2 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** True when `password` matches; compares in constant time. */
  verify(stored: string, password: string): Promise<boolean>;
  /** True when `stored` was made with weaker parameters than this hasher's. */
  needsRehash(stored: string): boolean;
  /** Does the work of one verification and throws it away, so a missing account costs the same time. */
  burn(password: string): Promise<void>;
}

const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

function parse(stored: string) {
  const m = FORMAT.exec(stored);
  if (!m) return null;
  return {
    params: { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) },
    salt: decodeBase64(m[4]!),
    key: decodeBase64(m[5]!),
  };
}

export function createPasswordHasher(params: ScryptParams = PRODUCTION_PARAMS): PasswordHasher {
  return {
    async hash(password) {
      const salt = randomBytes(SALT_LENGTH);
      const key = await derive(password, salt, params);
      return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${encodeBase64(salt)}$${encodeBase64(key)}`;
    },
    async verify(stored, password) {
      const parsed = parse(stored);
      if (!parsed) return false;
      const key = await derive(password, parsed.salt, parsed.params);
      return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
    },
    async burn(password) {
      await derive(password, DECOY_SALT, params);
    },
    needsRehash(stored) {
      const parsed = parse(stored);
      if (!parsed) return true;
      const { ln, r, p } = parsed.params;
      return ln < params.ln || r < params.r || p < params.p;
    },
  };
}

const COMMON = new Set<string>(commonPasswords as string[]);

/** Limits from ASVS: length only, no composition rules; staff need longer passwords. */
export const PASSWORD_MIN = 10;
export const STAFF_PASSWORD_MIN = 15;
export const PASSWORD_MAX = 128;

/** Returns the reason a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, options: { staff?: boolean } = {}): string | null {
  const min = options.staff ? STAFF_PASSWORD_MIN : PASSWORD_MIN;
  const length = [...password].length;
  if (length < min) return `Use at least ${min} characters.`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  if (COMMON.has(password.toLowerCase())) return 'This password is one of the most common ones. Choose another.';
  return null;
}
