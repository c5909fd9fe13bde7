import { eq, like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { flags, memberTasks, outbox, posts, users, watchedWords } from '#db/schema/index.ts';
import { seedDemoCommunity } from '#db/seed.ts';
import { listQueue } from '#functions/services/moderation/queue.ts';
import { createTestDb } from '#tests/setup/db.ts';

const now = new Date();
let db: Database;

async function idOf(email: string) {
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return u!.id;
}
const queueOf = async () =>
  (await listQueue(db, { id: await idOf('wei@example.org') }, { all: true, staff: true })).items;
/** The demo post whose body says this (the discussions seed wrote it). */
async function postSaying(text: string) {
  const [post] = await db
    .select({ id: posts.id })
    .from(posts)
    .where(like(posts.body, `%${text}%`));
  return post!.id;
}

beforeAll(async () => {
  db = await createTestDb();
  // The demo community flags its own posts: seedDemoCommunity calls seedModeration.
  expect(await seedDemoCommunity(db, now)).toBe(true);
});

describe('the demo moderation', () => {
  it('leaves a safety concern, a misinformation flag and spam waiting, in queue order', async () => {
    const items = await queueOf();
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.map((i) => i.post.id)).toEqual([
      await postSaying('better off if I just disappeared'),
      await postSaying('melatonin'),
      await postSaying('EARN 500€/WEEK'),
    ]);
    expect(items.filter((i) => i.urgent)).toHaveLength(1);
    expect(items[0]).toMatchObject({ urgent: true, flags: { byReason: { safety: 1 } } });
    expect(items[1]!.flags.byReason).toEqual({ misinformation: 1, 'needs-source': 1 });
    expect(items[2]!.flags.byReason).toEqual({ spam: 2 });
    for (const item of items) expect(item.flags.list.every((f) => f.flagger !== item.author.displayName)).toBe(true);
  });

  it('seeds once: a second run flags nothing more', async () => {
    const before = await queueOf();
    const flagsBefore = await db.select().from(flags);
    expect(await seedDemoCommunity(db, now)).toBe(false);
    expect((await queueOf()).map((i) => i.id)).toEqual(before.map((i) => i.id));
    expect(await db.select().from(flags)).toHaveLength(flagsBefore.length);
  });

  it('emails the coordinators about the safety concern, shows a requested source, and watches a few words', async () => {
    const mail = await db.select().from(outbox);
    expect(
      mail
        .filter((m) => /safety/i.test(m.subject))
        .map((m) => m.toAddress)
        .sort(),
    ).toEqual(['amara@example.org', 'jonas@example.org']);
    const [post] = await db
      .select()
      .from(posts)
      .where(eq(posts.id, await postSaying('automatic four-week extension')));
    expect(post!.sourceRequestedAt).not.toBeNull();
    const tasks = await db
      .select()
      .from(memberTasks)
      .where(eq(memberTasks.postId, await postSaying('automatic four-week extension')));
    expect(tasks).toHaveLength(1);
    expect((await db.select().from(watchedWords)).length).toBeGreaterThanOrEqual(3);
  });
});
