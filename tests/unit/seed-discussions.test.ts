import { and, count, eq, isNotNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { groupMembers, groups, posts, threadAliases, threads, users } from '#db/schema/index.ts';
import { seedDemoCommunity } from '#db/seed.ts';
import { DEMO_GROUP, DEMO_THREADS } from '#db/seed-discussions.ts';
import { renderMarkdown } from '#functions/lib/markdown.ts';
import { getThread, listCategories } from '#functions/services/discussions/read.ts';
import { searchPosts } from '#functions/services/discussions/search.ts';
import { contentDiscussions } from '#tests/factories/discussions.ts';
import { createTestDb } from '#tests/setup/db.ts';

const now = new Date();
let db: Database;

beforeAll(async () => {
  db = await createTestDb();
  expect(await seedDemoCommunity(db, now)).toBe(true);
});

const memberNamed = async (email: string) => {
  const [u] = await db.select().from(users).where(eq(users.email, email));
  return { id: u!.id, roles: [] as never[], emailVerified: true };
};

describe('the demo discussions', () => {
  it('fills every category, with about forty threads, and opens the prompts whose day has come', async () => {
    const catalog = contentDiscussions();
    const all = await db.select().from(threads);
    expect(all.length).toBeGreaterThanOrEqual(40);
    for (const category of catalog.categories)
      expect(
        all.some((t) => t.category === category.slug),
        category.slug,
      ).toBe(true);
    const due = catalog.prompts.filter((p) => p.data.publishOn <= now).map((p) => p.id);
    expect(
      all
        .filter((t) => t.prompt)
        .map((t) => t.prompt)
        .sort(),
    ).toEqual(due.sort());
    expect(all.filter((t) => t.prompt).every((t) => t.postFirst && t.authorId === null)).toBe(true);
  });

  it('keeps counts, numbering and rendering consistent with what writePost would store', async () => {
    for (const t of await db.select().from(threads)) {
      const rows = await db.select().from(posts).where(eq(posts.threadId, t.id));
      expect(rows.map((p) => p.seq).sort((a, b) => a - b)).toEqual(rows.map((_, i) => i + 1));
      expect(t.lastSeq).toBe(rows.length);
      expect(t.replyCount).toBe(rows.length - 1);
      expect(t.lastPostAt.getTime()).toBe(Math.max(...rows.map((p) => p.createdAt.getTime())));
      expect(t.lastPostAt.getTime()).toBeLessThanOrEqual(now.getTime());
      for (const p of rows) expect(p.bodyHtml).toBe(renderMarkdown(p.body));
    }
  });

  it('has solved and unsolved questions, an anonymous thread, and a group with its private category', async () => {
    const qa = await db.select().from(threads).where(eq(threads.category, 'study-skills'));
    expect(qa.filter((t) => t.solutionPostId).length).toBeGreaterThanOrEqual(3);
    expect(qa.filter((t) => !t.solutionPostId).length).toBeGreaterThanOrEqual(3);
    const [anonymous] = await db.select({ n: count() }).from(threads).where(eq(threads.anonymous, true));
    expect(anonymous!.n).toBeGreaterThanOrEqual(1);
    // Each anonymous author has one alias per thread, and anonymous posts have one.
    const anonymousPosts = await db
      .select({ threadId: posts.threadId, authorId: posts.authorId })
      .from(posts)
      .where(and(eq(posts.anonymous, true), isNotNull(posts.authorId)));
    const aliases = await db.select().from(threadAliases);
    for (const p of anonymousPosts)
      expect(aliases.some((a) => a.threadId === p.threadId && a.userId === p.authorId)).toBe(true);
    const [group] = await db.select().from(groups).where(eq(groups.slug, DEMO_GROUP.slug));
    const members = await db.select().from(groupMembers).where(eq(groupMembers.groupId, group!.id));
    expect(members).toHaveLength(DEMO_GROUP.members.length + DEMO_GROUP.facilitators.length);
  });

  it('shows the group’s category to its members only, and keeps the anonymous author anonymous', async () => {
    const catalog = contentDiscussions();
    const inGroup = await memberNamed(DEMO_GROUP.members[0]!);
    const outside = await memberNamed('kenji@example.org');
    const slugs = async (actor: typeof inGroup) => (await listCategories(db, catalog, actor)).map((c) => c.slug);
    expect(await slugs(inGroup)).toContain('evening-cohort');
    expect(await slugs(outside)).not.toContain('evening-cohort');
    const [lonely] = await db
      .select()
      .from(threads)
      .where(eq(threads.title, DEMO_THREADS.find((t) => t.anonymous)!.title));
    const page = await getThread(db, catalog, inGroup, lonely!.id);
    expect(JSON.stringify(page)).not.toMatch(/Kenji|Watanabe/);
    expect(page.thread.author).toMatchObject({ kind: 'anonymous', alias: 1 });
    const found = await searchPosts(db, catalog, inGroup, 'alone');
    expect(found.results.length).toBeGreaterThan(0);
    expect(JSON.stringify(found)).not.toMatch(/Kenji|Watanabe/);
  });
});
