import { decodeBase64, encodeBase64 } from '@oslojs/encoding';
import { ApiError } from '../errors.ts';

/**
 * Seals small secrets (TOTP keys) before they reach the database, with AES-256-GCM through
 * WebCrypto (the same in Node and workerd). A copied database alone no longer yields working
 * second factors: the key lives in the Worker secret TOTP_ENCRYPTION_KEY.
 * Sealed values look like `v1.<iv>.<ciphertext>` (base64).
 */
export interface SecretBox {
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

const bytes = (view: Uint8Array) => new Uint8Array(view) as Uint8Array<ArrayBuffer>;

export function createSecretBox(rawKey: Uint8Array): SecretBox {
  if (rawKey.length !== 32) throw new Error('The encryption key must be 32 bytes.');
  const material = bytes(rawKey);
  let key: Promise<CryptoKey> | undefined;
  const cryptoKey = () => (key ??= crypto.subtle.importKey('raw', material, 'AES-GCM', false, ['encrypt', 'decrypt']));
  return {
    async seal(plain) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const cipher = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv },
        await cryptoKey(),
        new TextEncoder().encode(plain),
      );
      return `v1.${encodeBase64(iv)}.${encodeBase64(new Uint8Array(cipher))}`;
    },
    async open(sealed) {
      const [version, iv, cipher] = sealed.split('.');
      if (version !== 'v1' || !iv || !cipher) throw new Error('Not a sealed value.');
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: bytes(decodeBase64(iv)) },
        await cryptoKey(),
        bytes(decodeBase64(cipher)),
      );
      return new TextDecoder().decode(plain);
    },
  };
}

const notConfigured = async (): Promise<never> => {
  throw new ApiError(
    503,
    'misconfigured',
    'Two-factor authentication is not configured: TOTP_ENCRYPTION_KEY is not set.',
  );
};

/** Used when no key is configured: two-factor set-up and sign-in answer 503 naming the setting. */
export const unconfiguredSecretBox: SecretBox = { seal: notConfigured, open: notConfigured };

/** Reads a base64 key of 32 bytes, as `openssl rand -base64 32` prints it. */
export function decodeKey(base64: string): Uint8Array<ArrayBuffer> {
  const key = decodeBase64(base64.trim());
  if (key.length !== 32)
    throw new Error('TOTP_ENCRYPTION_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32).');
  return key as Uint8Array<ArrayBuffer>;
}
