import type { Database } from '#db/client.ts';
import { userRoles, users, type Role } from '#db/schema/index.ts';
import { testPasswords } from '#tests/setup/app.ts';

let n = 0;

/** Inserts a user (and roles) directly: fast, and independent of any sign-up flow. Verified by default. */
export async function createUser(
  db: Database,
  overrides: { displayName?: string; email?: string; roles?: Role[]; password?: string; verified?: boolean } = {},
) {
  n += 1;
  const user = {
    id: crypto.randomUUID(),
    displayName: overrides.displayName ?? `Member ${n}`,
    email: overrides.email ?? `member-${n}-${crypto.randomUUID().slice(0, 8)}@example.test`,
    passwordHash: overrides.password ? await testPasswords.hash(overrides.password) : null,
    emailVerifiedAt: overrides.verified === false ? null : new Date('2026-01-01T00:00:00Z'),
  };
  await db.insert(users).values(user);
  if (overrides.roles?.length)
    await db.insert(userRoles).values(overrides.roles.map((role) => ({ userId: user.id, role })));
  return user;
}
