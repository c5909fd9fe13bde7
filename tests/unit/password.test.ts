import { describe, expect, it } from 'vitest';
import { createPasswordHasher, passwordProblem, PRODUCTION_PARAMS, SCRYPT_PARAMS } from '#functions/auth/password.ts';

const fast = createPasswordHasher({ algorithm: 'argon2id', m: 64, t: 1, p: 1 });
const oldScrypt = createPasswordHasher({ algorithm: 'scrypt', ln: 10, r: 8, p: 1 });

describe('password hashing', () => {
  it('stores the parameters in the hash and verifies only the right password', async () => {
    const stored = await fast.hash('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(await fast.verify(stored, 'correct horse battery staple')).toBe(true);
    expect(await fast.verify(stored, 'correct horse battery stapler')).toBe(false);
    expect(await fast.verify('garbage', 'x')).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await fast.hash('same password here')).not.toBe(await fast.hash('same password here'));
  });

  it('verifies scrypt hashes from before Argon2id and asks for them to be replaced', async () => {
    const old = await oldScrypt.hash('a long enough passphrase');
    expect(old).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    const production = createPasswordHasher();
    expect(await production.verify(old, 'a long enough passphrase')).toBe(true);
    expect(await production.verify(old, 'another passphrase')).toBe(false);
    expect(production.needsRehash(old)).toBe(true);
  });

  it('asks for a rehash when the parameters are raised', async () => {
    const weak = await fast.hash('a long enough passphrase');
    expect(createPasswordHasher().needsRehash(weak)).toBe(true);
    expect(fast.needsRehash(weak)).toBe(false);
  });

  it('uses ASVS-strength production parameters', async () => {
    expect(PRODUCTION_PARAMS).toEqual({ algorithm: 'argon2id', m: 19456, t: 2, p: 1 });
    expect(SCRYPT_PARAMS).toEqual({ algorithm: 'scrypt', ln: 15, r: 8, p: 3 });
    const production = createPasswordHasher();
    const stored = await production.hash('a real production hash');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await production.verify(stored, 'a real production hash')).toBe(true);
    expect(production.needsRehash(stored)).toBe(false);
  });

  it('matches the reference Argon2id encoding of the library', async () => {
    const { argon2Verify } = await import('argon2-wasm-edge');
    const stored = await createPasswordHasher().hash('interoperable passphrase');
    expect(await argon2Verify({ password: 'interoperable passphrase', hash: stored })).toBe(true);
  });
});

describe('password rules', () => {
  it.each([
    ['short', 'Use at least 10 characters.'],
    ['x'.repeat(129), 'Use at most 128 characters.'],
    ['password123', expect.stringContaining('most common')],
    ['qwertyuiop', expect.stringContaining('most common')],
  ])('refuses %s', (password, message) => {
    expect(passwordProblem(password)).toEqual(message);
  });

  it('accepts a long unusual password without composition rules', () => {
    expect(passwordProblem('lanterns over the river')).toBeNull();
  });

  it('asks staff for 15 characters', () => {
    expect(passwordProblem('fourteen chars', { staff: true })).toBe('Use at least 15 characters.');
    expect(passwordProblem('fifteen chars!!', { staff: true })).toBeNull();
  });

  it('counts characters, not bytes', () => {
    expect(passwordProblem('ñandú ñandú')).toBeNull();
  });
});
