import { eq } from 'drizzle-orm';
import { createPasswordHasher } from '#functions/auth/password.ts';
import type { Database } from './client.ts';
import { appMeta, userRoles, users, type Role } from './schema/index.ts';
import { PRIVACY_VERSION, TERMS_VERSION } from '#functions/services/accounts.ts';

/** The demo community for local use. Never seeded in production (see isSeedAllowed). */
export const DEMO_PEOPLE: { displayName: string; email: string; roles: Role[]; bio: string }[] = [
  {
    displayName: 'Amara Okafor',
    email: 'amara@example.org',
    roles: ['admin', 'coordinator'],
    bio: 'Runs the peer programme at the learning centre.',
  },
  {
    displayName: 'Jonas Weber',
    email: 'jonas@example.org',
    roles: ['coordinator'],
    bio: 'Matches mentors and mentees; ask me about the pipeline.',
  },
  {
    displayName: 'Lucía Fernández',
    email: 'lucia@example.org',
    roles: ['moderator', 'mentor'],
    bio: 'Final-year psychology student, facilitator of the Monday check-in.',
  },
  {
    displayName: 'Wei Chen',
    email: 'wei@example.org',
    roles: ['moderator'],
    bio: 'Keeps the study-skills discussions friendly and sourced.',
  },
  {
    displayName: 'Priya Raman',
    email: 'priya@example.org',
    roles: ['mentor'],
    bio: 'Returned to study at 34; happy to talk juggling work and coursework.',
  },
  {
    displayName: 'Samuel Mensah',
    email: 'samuel@example.org',
    roles: ['mentor'],
    bio: 'Engineering, second year. First in my family at university.',
  },
  {
    displayName: 'Noor Haddad',
    email: 'noor@example.org',
    roles: ['mentor'],
    bio: 'Bootcamp graduate, now a junior developer. Mentoring career changers.',
  },
  {
    displayName: 'Elena Petrova',
    email: 'elena@example.org',
    roles: [],
    bio: 'Online learner, studying data analysis in the evenings.',
  },
  {
    displayName: 'Tomás Silva',
    email: 'tomas@example.org',
    roles: [],
    bio: 'First-year history student, new to the city.',
  },
  {
    displayName: 'Hannah Brooks',
    email: 'hannah@example.org',
    roles: [],
    bio: 'Nursing student looking for study partners.',
  },
  { displayName: 'Kenji Watanabe', email: 'kenji@example.org', roles: [], bio: 'Exchange student for one term.' },
  { displayName: 'Fatima Zahra', email: 'fatima@example.org', roles: [], bio: 'Part-time learner and parent of two.' },
];

const SEED_MARKER = 'demo_seeded_at';
/** Every demo account signs in with this password (local use only; listed in the README). */
export const DEMO_PASSWORD = 'hearth demo passphrase';

/** Seeding is for local databases only: a file, or a server on this machine. */
export function isSeedAllowed(databaseUrl: string, hearthEnv = process.env.HEARTH_ENV): boolean {
  if (hearthEnv === 'production') return false;
  if (databaseUrl.startsWith('file:') || databaseUrl === ':memory:') return true;
  try {
    const host = new URL(databaseUrl).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

export async function isSeeded(db: Database): Promise<boolean> {
  const rows = await db.select().from(appMeta).where(eq(appMeta.key, SEED_MARKER));
  return rows.length > 0;
}

/**
 * Seeds the demo community once. Everything goes in one batch with the marker, so an
 * interrupted seed leaves nothing behind and the next start tries again.
 */
export async function seedDemoCommunity(db: Database, now = new Date()): Promise<boolean> {
  if (await isSeeded(db)) return false;
  // One hash for all: the demo accounts share a password, and hashing is deliberately slow.
  const passwordHash = await createPasswordHasher().hash(DEMO_PASSWORD);
  const people = DEMO_PEOPLE.map((p, i) => ({
    ...p,
    id: crypto.randomUUID(),
    createdAt: new Date(now.getTime() - (DEMO_PEOPLE.length - i) * 86_400_000 * 9),
  }));
  const roleRows = people.flatMap((p) => p.roles.map((role) => ({ userId: p.id, role, grantedAt: p.createdAt })));
  await db.batch([
    db.insert(users).values(
      people.map(({ id, email, displayName, bio, createdAt }) => ({
        id,
        email,
        displayName,
        bio,
        createdAt,
        passwordHash,
        emailVerifiedAt: createdAt,
        termsVersion: TERMS_VERSION,
        termsAcceptedAt: createdAt,
        privacyVersion: PRIVACY_VERSION,
        privacyAcceptedAt: createdAt,
      })),
    ),
    db.insert(userRoles).values(roleRows),
    db.insert(appMeta).values({ key: SEED_MARKER, value: now.toISOString() }),
  ]);
  return true;
}
