import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { digestSettings, notifications, outbox, posts, threads } from '#db/schema/index.ts';
import { buildDiscussionCatalog } from '#functions/discussions/catalog.ts';
import { outboxTransport } from '#functions/mail/transport.ts';
import { sendDigests } from '#functions/services/discussions/digest.ts';
import { openDuePrompts } from '#functions/services/discussions/prompts.ts';
import { notify } from '#functions/services/notifications.ts';
import { discussionHarness, fixtureDiscussions } from '#tests/factories/discussions.ts';
import { createTestDb } from '#tests/setup/db.ts';

const DAY = 86_400_000;

function promptCatalog() {
  const base = fixtureDiscussions();
  const prompt = (id: string, publishOn: string, extra = {}) => ({
    id,
    data: {
      title: `Prompt ${id}`,
      category: 'members',
      publishOn: new Date(publishOn),
      postFirst: true,
      draft: false,
      ...extra,
    },
    body: `**What helped you** this week? (${id})`,
  });
  return buildDiscussionCatalog(base.categories, [
    prompt('en/first', '2026-11-16'),
    prompt('en/second', '2026-11-23'),
    prompt('es/first', '2026-11-16'),
    prompt('en/draft', '2026-11-01', { draft: true }),
  ]);
}

describe('themed prompts', () => {
  it('open on their day as community-team threads in post-first mode, once however often the job runs', async () => {
    const db = await createTestDb();
    const h = discussionHarness(db, { catalog: promptCatalog() });
    const watcher = await h.member();
    await h.json(watcher, 'POST', '/api/subscriptions', { targetType: 'category', target: 'members', level: 'watch' });
    const catalog = promptCatalog();
    const day = new Date('2026-11-21T07:00:00Z');
    const counts = await Promise.all([openDuePrompts(db, catalog, day), openDuePrompts(db, catalog, day)]);
    expect(counts[0]! + counts[1]!).toBe(2);
    expect(await openDuePrompts(db, catalog, day)).toBe(0);
    const opened = await db.select().from(threads);
    expect(opened.map((t) => t.prompt).sort()).toEqual(['en/first', 'es/first']);
    expect(opened.every((t) => t.authorId === null && t.postFirst && t.category === 'members')).toBe(true);
    const [first] = await db.select().from(posts).where(eq(posts.threadId, opened[0]!.id));
    expect(first!.bodyHtml).toContain('<strong>What helped you</strong>');
    const page = await h.thread(watcher, opened[0]!.id);
    expect(page.body.posts[0].author).toEqual({ kind: 'team', displayName: 'Hearth community team', you: false });
    expect(
      (await db.select().from(notifications).where(eq(notifications.userId, watcher.id))).map((n) => n.kind),
    ).toEqual(['discussion.thread', 'discussion.thread']);
    // A week later the next one opens; the draft never does.
    expect(await openDuePrompts(db, catalog, new Date('2026-11-23T07:00:00Z'))).toBe(1);
    expect((await db.select().from(threads)).map((t) => t.prompt)).not.toContain('en/draft');
  });
});

describe('email digests', () => {
  it('gather unread discussion notifications daily or weekly, once per period, and never when off', async () => {
    const db = await createTestDb();
    const h = discussionHarness(db);
    const [daily, weekly, off, quiet] = [await h.member(), await h.member(), await h.member(), await h.member()];
    await h.json(daily, 'PUT', '/api/me/digest', { frequency: 'daily' });
    await h.json(off, 'POST', '/api/me/digest', { frequency: 'off' });
    expect((await h.json(quiet, 'PUT', '/api/me/digest', { frequency: 'hourly' })).status).toBe(400);
    const start = h.clock.now();
    for (const who of [daily, weekly, off])
      await notify(
        db,
        who.id,
        { kind: 'discussion.reply', title: `Someone replied to <b>you</b>`, url: '/discussions/p/x' },
        start,
      );
    await notify(db, quiet.id, { kind: 'mentoring.proposal', title: 'Not a discussion' }, start);

    const at = (days: number) => new Date(start.getTime() + days * DAY + 60_000);
    expect(await sendDigests(db, outboxTransport, 'https://hearth.test', at(0))).toBe(2); // daily + weekly (first digest)
    expect(await sendDigests(db, outboxTransport, 'https://hearth.test', at(0))).toBe(0);
    const mails = await db.select().from(outbox);
    expect(mails.map((m) => m.toAddress).sort()).toEqual([daily.email, weekly.email].sort());
    expect(mails[0]!.htmlBody).toContain('Someone replied to &lt;b&gt;you&lt;/b&gt;');
    expect(mails[0]!.textBody).toContain('https://hearth.test/discussions/p/x');

    // Something new the next day: the daily member hears the next morning, the weekly one waits a week.
    await notify(db, daily.id, { kind: 'discussion.mention', title: 'A mention' }, at(0.5));
    await notify(db, weekly.id, { kind: 'discussion.mention', title: 'A mention' }, at(0.5));
    expect(await sendDigests(db, outboxTransport, 'https://hearth.test', at(1))).toBe(1);
    expect(await sendDigests(db, outboxTransport, 'https://hearth.test', at(7))).toBe(1);
    // Read notifications are not sent again.
    await db.update(notifications).set({ readAt: at(7) });
    expect(await sendDigests(db, outboxTransport, 'https://hearth.test', at(14))).toBe(0);
    const [setting] = await db.select().from(digestSettings).where(eq(digestSettings.userId, weekly.id));
    expect(setting?.lastSentAt?.getTime()).toBe(at(7).getTime());
  });
});
