import type { Database } from '#db/client.ts';
import { userRoles, users, type Role } from '#db/schema/index.ts';

let n = 0;

/** Inserts a user (and roles) directly: fast, and independent of any sign-up flow. */
export async function createUser(
  db: Database,
  overrides: { displayName?: string; email?: string; roles?: Role[] } = {},
) {
  n += 1;
  const user = {
    id: crypto.randomUUID(),
    displayName: overrides.displayName ?? `Member ${n}`,
    email: overrides.email ?? `member-${n}-${crypto.randomUUID().slice(0, 8)}@example.test`,
  };
  await db.insert(users).values(user);
  if (overrides.roles?.length)
    await db.insert(userRoles).values(overrides.roles.map((role) => ({ userId: user.id, role })));
  return user;
}
