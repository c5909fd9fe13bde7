import { basicPolicy, type PostingPolicy } from '#functions/services/discussions/write.ts';
import { loadContent } from '#scripts/lib/content.ts';
import { buildDiscussionCatalog, type DiscussionCatalog } from '#functions/discussions/catalog.ts';
import type { Category } from '#src/lib/content/schema.ts';
import type { Database } from '#db/client.ts';
import { groupMembers, groups } from '#db/schema/index.ts';
import { createSession } from '#functions/auth/session.ts';
import { testApp, withSession } from '#tests/setup/app.ts';
import { createUser } from './users.ts';

let real: DiscussionCatalog | undefined;

/** The categories and prompts in the real `content/` folder. */
export function contentDiscussions(): DiscussionCatalog {
  if (!real) {
    const content = loadContent();
    real = buildDiscussionCatalog(content.categories, content.prompts);
  }
  return real;
}

const category = (slug: string, order: number, extra: Partial<Category> = {}): Category => ({
  slug,
  name: { en: `The ${slug} category`, es: `La categoría ${slug}` },
  description: { en: `Threads about ${slug}, for the tests.` },
  visibility: 'members',
  whoMayPost: 'members',
  anonymous: false,
  qa: false,
  postFirst: false,
  holdFirstPosts: false,
  order,
  ...extra,
});

/**
 * A small catalog with one category of each kind: `open` (public), `members`, `anon` (anonymous
 * allowed), `qa`, `reflect` (post-first), `mentors` (mentors post), `staff` (staff post) and
 * `cohort` (only group `cohort-a`).
 */
export function fixtureDiscussions(): DiscussionCatalog {
  return buildDiscussionCatalog(
    [
      category('open', 0, { visibility: 'public' }),
      category('members', 1),
      category('anon', 2, { anonymous: true }),
      category('qa', 3, { qa: true }),
      category('reflect', 4, { postFirst: true }),
      category('mentors', 5, { whoMayPost: 'mentors' }),
      category('staff', 6, { visibility: 'public', whoMayPost: 'staff' }),
      category('cohort', 7, { visibility: 'group', group: 'cohort-a', anonymous: true, qa: true }),
    ],
    [],
  );
}

/**
 * A test app with the fixture categories and helpers that act as members through the API: each
 * helper call sends the member's session cookie and answers the parsed JSON with the status.
 */
export function discussionHarness(
  db: Database,
  options: { catalog?: DiscussionCatalog; postingPolicy?: PostingPolicy | 'production' } = {},
) {
  // The core alone by default: moderation's limits (posting rates, day-one caps) are tested apart.
  // 'production' leaves the app's own default, moderation's posting policy.
  const policy = options.postingPolicy ?? basicPolicy;
  const t = testApp(db, {
    discussions: options.catalog ?? fixtureDiscussions(),
    ...(policy === 'production' ? {} : { postingPolicy: policy }),
  });
  const headersOf = new Map<string, Record<string, string>>();
  type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const answer = async (res: Response) => ({
    status: res.status,
    body: (await res.json().catch(() => null)) as Json,
    res,
  });

  async function member(overrides: Parameters<typeof createUser>[1] = {}) {
    const user = await createUser(db, overrides);
    const { token } = await createSession(db, user.id, t.clock.now());
    headersOf.set(user.id, withSession(token));
    return user;
  }
  const as = (user: { id: string } | null) => (user ? (headersOf.get(user.id) ?? {}) : {});
  const json = async (user: { id: string } | null, method: string, path: string, body?: unknown) =>
    answer(
      await t.request(path, {
        method,
        headers: { ...as(user), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  return {
    ...t,
    db: () => db,
    member,
    as,
    json,
    get: (user: { id: string } | null, path: string) => json(user, 'GET', path),
    startThread: (user: { id: string }, input: Json) => json(user, 'POST', '/api/threads', input),
    reply: (user: { id: string }, threadId: string, input: Json) =>
      json(user, 'POST', `/api/threads/${threadId}/posts`, input),
    thread: (user: { id: string } | null, threadId: string, query = '') =>
      json(user, 'GET', `/api/threads/${threadId}${query}`),
  };
}

/** A group with members (`member`) and facilitators, inserted directly. */
export async function createGroup(
  db: Database,
  slug: string,
  people: { member?: { id: string }[]; facilitator?: { id: string }[] } = {},
) {
  const id = crypto.randomUUID();
  await db.insert(groups).values({ id, slug, name: `Group ${slug}` });
  const rows = [
    ...(people.member ?? []).map((u) => ({ groupId: id, userId: u.id, role: 'member' as const })),
    ...(people.facilitator ?? []).map((u) => ({ groupId: id, userId: u.id, role: 'facilitator' as const })),
  ];
  if (rows.length) await db.insert(groupMembers).values(rows);
  return id;
}
