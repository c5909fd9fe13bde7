import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { memberTasks, outbox, posts, users, watchedWords } from '#db/schema/index.ts';
import { seedDemoCommunity } from '#db/seed.ts';
import { seedModeration } from '#db/seed-moderation.ts';
import { listQueue } from '#functions/services/moderation/queue.ts';
import { createThread } from '#tests/factories/moderation.ts';
import { createTestDb } from '#tests/setup/db.ts';

const now = new Date();
let db: Database;
let seeded: { safety: string; misinformation: string; spam: string; sourceRequested: string };

async function idOf(email: string) {
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return u!.id;
}

beforeAll(async () => {
  db = await createTestDb();
  expect(await seedDemoCommunity(db, now)).toBe(true);
  // Stand-ins for the discussions seed's posts.
  const [elena, samuel, kenji] = await Promise.all(['elena', 'samuel', 'kenji'].map((n) => idOf(`${n}@example.org`)));
  const thread = (authorId: string, title: string, body: string) =>
    createThread(db, { authorId, title, body, createdAt: new Date(now.getTime() - 3 * 86_400_000) }).then(
      (t) => t.postId,
    );
  seeded = {
    safety: await thread(kenji!, 'Everything feels too much', 'I do not see the point of any of this any more.'),
    misinformation: await thread(samuel!, 'Library fines', 'Late library books cost 5 pounds a day.'),
    spam: await thread(elena!, 'Essay help', 'Cheap essays, message me.'),
    sourceRequested: await thread(samuel!, 'Resits', 'You can always resit for free.'),
  };
  await seedModeration(db, seeded, now);
});

describe('the demo moderation', () => {
  it('leaves a safety concern, a misinformation flag and spam waiting, in queue order', async () => {
    const moderator = { id: await idOf('wei@example.org') };
    const { items } = await listQueue(db, moderator, { all: true, staff: true });
    expect(items.map((i) => i.post.id)).toEqual([seeded.safety, seeded.misinformation, seeded.spam]);
    expect(items[0]).toMatchObject({ urgent: true, flags: { byReason: { safety: 1 } } });
    expect(items[1]!.flags.byReason).toEqual({ misinformation: 1, 'needs-source': 1 });
    expect(items[2]!.flags.byReason).toEqual({ spam: 2 });
    for (const item of items) expect(item.flags.list.every((f) => f.flagger !== item.author.displayName)).toBe(true);
  });

  it('emails the coordinators about the safety concern, shows a requested source, and watches a few words', async () => {
    const mail = await db.select().from(outbox);
    expect(
      mail
        .filter((m) => /safety/i.test(m.subject))
        .map((m) => m.toAddress)
        .sort(),
    ).toEqual(['amara@example.org', 'jonas@example.org']);
    const [post] = await db.select().from(posts).where(eq(posts.id, seeded.sourceRequested));
    expect(post!.sourceRequestedAt).not.toBeNull();
    const tasks = await db.select().from(memberTasks).where(eq(memberTasks.postId, seeded.sourceRequested));
    expect(tasks).toHaveLength(1);
    expect((await db.select().from(watchedWords)).length).toBeGreaterThanOrEqual(3);
  });
});
