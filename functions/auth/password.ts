import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { decodeBase64, decodeBase64IgnorePadding, encodeBase64 } from '@oslojs/encoding';
import { argon2id } from 'argon2-wasm-edge';
import commonPasswords from './common-passwords.json' with { type: 'json' };

/**
 * Password hashing at OWASP ASVS 5.0 Appendix C strength. New hashes use Argon2id (m=19 MiB,
 * t=2, p=1) from a statically imported wasm module: measured in workerd at about a third of the
 * time of the other compliant option, scrypt N=2^15 r=8 p=3 (`npm run bench`). scrypt hashes
 * (the first format Hearth stored) still verify and are replaced at their owner's next sign-in.
 * Parameters live in the hash string, so raising them rehashes the same way. Never WebCrypto
 * PBKDF2: production Workers cap it at 100,000 iterations. See ADR 006.
 *
 * In workerd the wasm modules are registered by src/lib/server/argon2-wasm.ts; Node compiles them
 * itself.
 */
export interface Argon2Params {
  algorithm: 'argon2id';
  /** Memory in KiB. */
  m: number;
  t: number;
  p: number;
}
export interface ScryptParams {
  algorithm: 'scrypt';
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}
export type HashParams = Argon2Params | ScryptParams;

export const PRODUCTION_PARAMS: Argon2Params = { algorithm: 'argon2id', m: 19456, t: 2, p: 1 };
export const SCRYPT_PARAMS: ScryptParams = { algorithm: 'scrypt', ln: 15, r: 8, p: 3 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const DECOY_SALT = new Uint8Array(SALT_LENGTH);

const normalize = (password: string) => password.normalize('NFKC');

function scrypt(password: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  const N = 2 ** params.ln;
  return new Promise((resolve, reject) =>
    scryptCallback(
      normalize(password),
      salt,
      KEY_LENGTH,
      { N, r: params.r, p: params.p, maxmem: 128 * N * params.r * 2 },
      (err, key) => (err ? reject(err) : resolve(new Uint8Array(key))),
    ),
  );
}

async function argon2(password: string, salt: Uint8Array, params: Argon2Params): Promise<Uint8Array> {
  return argon2id({
    password: normalize(password),
    salt,
    parallelism: params.p,
    iterations: params.t,
    memorySize: params.m,
    hashLength: KEY_LENGTH,
    outputType: 'binary',
  });
}

const derive = (password: string, salt: Uint8Array, params: HashParams) =>
  params.algorithm === 'argon2id' ? argon2(password, salt, params) : scrypt(password, salt, params);

const b64 = (bytes: Uint8Array) => encodeBase64(bytes).replace(/=+$/, '');

function format(params: HashParams, salt: Uint8Array, key: Uint8Array): string {
  return params.algorithm === 'argon2id'
    ? `$argon2id$v=19$m=${params.m},t=${params.t},p=${params.p}$${b64(salt)}$${b64(key)}`
    : `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${encodeBase64(salt)}$${encodeBase64(key)}`;
}

const ARGON2 = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const SCRYPT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

function parse(stored: string): { params: HashParams; salt: Uint8Array; key: Uint8Array } | null {
  let m = ARGON2.exec(stored);
  if (m) {
    return {
      params: { algorithm: 'argon2id', m: Number(m[1]), t: Number(m[2]), p: Number(m[3]) },
      salt: decodeBase64IgnorePadding(m[4]!),
      key: decodeBase64IgnorePadding(m[5]!),
    };
  }
  m = SCRYPT.exec(stored);
  if (m) {
    return {
      params: { algorithm: 'scrypt', ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) },
      salt: decodeBase64(m[4]!),
      key: decodeBase64(m[5]!),
    };
  }
  return null;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** True when `password` matches; compares in constant time. */
  verify(stored: string, password: string): Promise<boolean>;
  /** True when `stored` uses another algorithm or weaker parameters than this hasher's. */
  needsRehash(stored: string): boolean;
  /** Does the work of one verification and throws it away, so a missing account costs the same time. */
  burn(password: string): Promise<void>;
}

export function createPasswordHasher(params: HashParams = PRODUCTION_PARAMS): PasswordHasher {
  return {
    async hash(password) {
      const salt = randomBytes(SALT_LENGTH);
      return format(params, salt, await derive(password, salt, params));
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
      if (!parsed || parsed.params.algorithm !== params.algorithm) return true;
      if (parsed.params.algorithm === 'argon2id' && params.algorithm === 'argon2id') {
        return parsed.params.m < params.m || parsed.params.t < params.t || parsed.params.p < params.p;
      }
      if (parsed.params.algorithm === 'scrypt' && params.algorithm === 'scrypt') {
        return parsed.params.ln < params.ln || parsed.params.r < params.r || parsed.params.p < params.p;
      }
      return true;
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
