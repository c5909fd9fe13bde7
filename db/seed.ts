import { eq } from 'drizzle-orm';
import { createPasswordHasher } from '#functions/auth/password.ts';
import type { Database } from './client.ts';
import { appMeta, userRoles, users, type Role } from './schema/index.ts';
import { PRIVACY_VERSION, TERMS_VERSION } from '#functions/services/accounts.ts';
import { demoMentoringStatements, MENTORING_SINCE_DAYS, mentorApprovedAt } from './seed-mentoring.ts';
import { DEMO_STUDENTS, demoStudentStatements, seedDemoSurveys } from './seed-surveys.ts';
import { demoDiscussionStatements, type DemoDiscussions } from './seed-discussions.ts';
import { seedModeration, type ModerationSeedPosts } from './seed-moderation.ts';
import { buildDiscussionCatalog } from '#functions/discussions/catalog.ts';
import { loadContent } from '#scripts/lib/content.ts';

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
  // The rest of the mentoring programme (db/seed-mentoring.ts): mentors first, then mentees and applicants.
  {
    displayName: 'Mateo Rojas',
    email: 'mateo@example.org',
    roles: ['mentor'],
    bio: 'Systems engineering student in Bogotá. Mentors in Spanish and English.',
  },
  {
    displayName: 'Grace Adeyemi',
    email: 'grace@example.org',
    roles: ['mentor'],
    bio: 'Law student in Lagos and former debate coach.',
  },
  {
    displayName: 'Camille Laurent',
    email: 'camille@example.org',
    roles: ['mentor'],
    bio: 'Social policy student in London; part of the disabled students’ network.',
  },
  {
    displayName: 'Rafael Souza',
    email: 'rafael@example.org',
    roles: ['mentor'],
    bio: 'PhD student in education, originally from São Paulo.',
  },
  {
    displayName: 'Mei Lin Tan',
    email: 'meilin@example.org',
    roles: ['mentor'],
    bio: 'Accountant studying part-time for the CPA exams.',
  },
  { displayName: 'Chloe Nguyen', email: 'chloe@example.org', roles: ['mentor'], bio: 'Occupational therapy student.' },
  {
    displayName: 'Valentina Cruz',
    email: 'valentina@example.org',
    roles: ['mentor'],
    bio: 'Psychology student and first-generation learner.',
  },
  {
    displayName: 'Karim Benali',
    email: 'karim@example.org',
    roles: ['mentor'],
    bio: 'Urban planning graduate who helps newcomers settle in.',
  },
  {
    displayName: 'Sofía Gómez',
    email: 'sofia@example.org',
    roles: [],
    bio: 'First-year architecture student; works weekends in a café.',
  },
  {
    displayName: 'Marcus Johnson',
    email: 'marcus@example.org',
    roles: [],
    bio: 'Warehouse supervisor teaching himself to code.',
  },
  {
    displayName: 'Arjun Nair',
    email: 'arjun@example.org',
    roles: [],
    bio: 'Second-year commerce student getting ready for placements.',
  },
  {
    displayName: 'Leila Mansour',
    email: 'leila@example.org',
    roles: [],
    bio: 'Public health master’s student, just arrived in Lyon.',
  },
  {
    displayName: 'Daniela Ferreira',
    email: 'daniela@example.org',
    roles: [],
    bio: 'Distance-learning pedagogy student and mum of a toddler.',
  },
  {
    displayName: 'Jia Hui Lim',
    email: 'jiahui@example.org',
    roles: [],
    bio: 'Polytechnic student retaking two modules this term.',
  },
  {
    displayName: 'Aisha Bello',
    email: 'aisha@example.org',
    roles: [],
    bio: 'Master’s student in Lyon; was mentored in her first term and hopes to mentor next.',
  },
  {
    displayName: 'Joseph Kamau',
    email: 'joseph@example.org',
    roles: [],
    bio: 'Final-year agriculture student and chemistry peer tutor.',
  },
  // Two newcomers whose posts the moderators remove (db/seed-discussions.ts: bad advice, spam).
  { displayName: 'Sleepy Sam', email: 'sleepysam@example.org', roles: [], bio: '' },
  { displayName: 'Quick Cash Kev', email: 'quickcash@example.org', roles: [], bio: '' },
];

/** Everyone the demo seeds: the people above and the students of db/seed-surveys.ts. */
export const DEMO_MEMBER_COUNT = DEMO_PEOPLE.length + DEMO_STUDENTS.length;

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
 * Seeds the demo community once, with its mentoring programme (db/seed-mentoring.ts) and its
 * students (db/seed-surveys.ts). Everything goes in one batch with the marker, so an interrupted
 * seed leaves nothing behind and the next start tries again. Then the students answer the demo
 * surveys through the surveys service, one response at a time; that step has its own marker and
 * picks up where it stopped if it was cut short.
 */
export async function seedDemoCommunity(db: Database, now = new Date()): Promise<boolean> {
  if (await isSeeded(db)) {
    await seedDemoSurveys(db, now);
    return false;
  }
  // One hash for all: the demo accounts share a password, and hashing is deliberately slow.
  const passwordHash = await createPasswordHasher().hash(DEMO_PASSWORD);
  const people = DEMO_PEOPLE.map((p, i) => ({
    ...p,
    id: crypto.randomUUID(),
    // Nine days apart, and always before the person's first step in the mentoring programme.
    createdAt: new Date(
      now.getTime() -
        Math.max(DEMO_PEOPLE.length - i, (MENTORING_SINCE_DAYS.get(p.email) ?? 0) / 9 + 1) * 86_400_000 * 9,
    ),
  }));
  const idOf = new Map(people.map((p) => [p.email, p.id]));
  const nameOf = new Map(people.map((p) => [p.email, p.displayName]));
  const content = loadContent();
  const discussions = demoDiscussionStatements(
    db,
    { idOf: (email) => idOf.get(email) ?? missing(email), nameOf: (email) => nameOf.get(email) ?? missing(email) },
    buildDiscussionCatalog(content.categories, content.prompts),
    now,
  );
  const roleRows = people.flatMap((p) =>
    p.roles.map((role) => ({
      userId: p.id,
      role,
      // Mentors got the role when their application was approved.
      grantedAt: (role === 'mentor' && mentorApprovedAt(p.email, now)) || p.createdAt,
    })),
  );
  const students = demoStudentStatements(db, passwordHash, now);
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
    ...demoMentoringStatements(db, (email) => idOf.get(email) ?? missing(email), now),
    ...students.statements,
    ...discussions.statements,
    db.insert(appMeta).values({ key: SEED_MARKER, value: now.toISOString() }),
  ]);
  // Flags waiting in the review queue, through the moderation services (after the posts exist).
  await seedModeration(db, moderationPosts(discussions.flaggable), now);
  await seedDemoSurveys(db, now);
  return true;
}

/** The demo posts the moderation seed flags, by the reason the discussions seed gives them. */
function moderationPosts(flaggable: DemoDiscussions['flaggable']): ModerationSeedPosts {
  const post = (reason: DemoDiscussions['flaggable'][number]['reason']) => {
    const found = flaggable.find((f) => f.reason === reason);
    if (!found) throw new Error(`The demo discussions have no post to flag for ${reason}.`);
    return found.postId;
  };
  return {
    safety: post('safety'),
    misinformation: post('misinformation'),
    spam: post('spam'),
    sourceRequested: post('needs-source'),
  };
}

function missing(email: string): never {
  throw new Error(`The demo community names ${email}, who is not in DEMO_PEOPLE.`);
}
