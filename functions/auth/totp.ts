import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import {
  decodeHex,
  encodeBase32UpperCaseNoPadding,
  encodeBase32LowerCaseNoPadding,
  encodeHexLowerCase,
} from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { renderSVG } from 'uqr';

/**
 * TOTP (RFC 6238: 30-second steps, 6 digits, SHA-1 as every authenticator app expects), built on
 * @oslojs/otp's HOTP so the clock can be injected. A code is accepted for the current step or
 * one either side (clock drift), and only for a step later than the last one used: each code
 * works once.
 */
export const TOTP_PERIOD = 30;
const DIGITS = 6;

export function newTotpKey(): string {
  const key = new Uint8Array(20);
  crypto.getRandomValues(key);
  return encodeHexLowerCase(key);
}

/** The key as people type it into an authenticator app. */
export function manualKey(keyHex: string): string {
  return encodeBase32UpperCaseNoPadding(decodeHex(keyHex))
    .replace(/(.{4})/g, '$1 ')
    .trim();
}

export function totpUri(keyHex: string, accountName: string): string {
  return createTOTPKeyURI('Hearth', accountName, decodeHex(keyHex), TOTP_PERIOD, DIGITS);
}

/** The QR code for the key URI, as an SVG string drawn on the server. */
export function totpQrSvg(uri: string): string {
  return renderSVG(uri, { border: 2, pixelSize: 6, whiteColor: '#ffffff', blackColor: '#2a2420' });
}

export const stepAt = (now: Date) => Math.floor(now.getTime() / 1000 / TOTP_PERIOD);

export function codeAt(keyHex: string, step: number): string {
  return generateHOTP(decodeHex(keyHex), BigInt(step), DIGITS);
}

/** The step the code belongs to, if it is valid now and newer than `lastStep`; otherwise null. */
export function matchTotp(keyHex: string, code: string, now: Date, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = stepAt(now);
  const given = new TextEncoder().encode(code);
  for (const step of [current - 1, current, current + 1]) {
    if (lastStep !== null && step <= lastStep) continue;
    if (constantTimeEqual(new TextEncoder().encode(codeAt(keyHex, step)), given)) return step;
  }
  return null;
}

/** Ten single-use recovery codes, shown once; only their hashes are stored. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => {
    const bytes = new Uint8Array(10);
    crypto.getRandomValues(bytes);
    const s = encodeBase32LowerCaseNoPadding(bytes);
    return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}`;
  });
}

export const hashRecoveryCode = (code: string) =>
  encodeHexLowerCase(sha256(new TextEncoder().encode(code.trim().toLowerCase().replace(/\s+/g, ''))));
