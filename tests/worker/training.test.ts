import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#db/seed.ts';
import { trackCompletions, users } from '#db/schema/index.ts';
import { startStack, type Stack } from '#scripts/lib/stack.ts';
import { contentCatalog, rightAnswers } from '#tests/factories/training.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const TRACK = 'mentor-foundations';
const json = { 'content-type': 'application/json' };

async function signIn(email: string) {
  const res = await stack.fetch('/api/auth/sign-in', {
    method: 'POST',
    headers: { ...json, origin: stack.url },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith('hearth_session='))!
    .split(';')[0]!;
}

describe('training in workerd', () => {
  it('grades with the catalog built from the content collections, and unlocks mentor applications', async () => {
    const cookie = await signIn('tomas@example.org');
    const catalog = contentCatalog();
    let last: { trackCompleted?: boolean; score?: number } = {};
    for (const lesson of catalog.track(TRACK)!.lessons) {
      const res = await stack.fetch(`/api/training/${TRACK}/lessons/${lesson.slug}/check`, {
        method: 'POST',
        headers: { ...json, origin: stack.url, cookie },
        body: JSON.stringify({ answers: rightAnswers(catalog, TRACK, lesson.slug), locale: 'es' }),
      });
      expect(res.status, lesson.slug).toBe(200);
      last = (await res.json()) as typeof last;
      expect(last.score).toBe(100);
    }
    expect(last.trackCompleted).toBe(true);
    const progress = (await (await stack.fetch('/api/training/progress', { headers: { cookie } })).json()) as {
      eligibilities: string[];
    };
    expect(progress.eligibilities).toContain('mentor-application');
  });

  it('grades the lesson page’s own form on the server, and refuses it from another site', async () => {
    const cookie = await signIn('hannah@example.org');
    const lesson = contentCatalog().track(TRACK)!.lessons[0]!;
    const answers = rightAnswers(contentCatalog(), TRACK, lesson.slug);
    const form = new URLSearchParams();
    for (const [q, v] of Object.entries(answers)) for (const pick of [v].flat()) form.append(`q.${q}`, pick);
    const post = (origin: string) =>
      stack.fetch(`/training/${TRACK}/${lesson.slug}/check/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie },
        body: form.toString(),
      });
    const ok = await post(stack.url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('You answered 100% correctly.');
    expect((await post('https://evil.example')).status).toBe(403);
    // Unanswered: 400 with each question named, nothing graded.
    const empty = await stack.fetch(`/training/${TRACK}/${lesson.slug}/check/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.url, cookie },
      body: '',
    });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Please answer every question');
  });

  it('the cron sends a renewal reminder once, a month before a completion expires', async () => {
    const db = stack.database();
    try {
      const [member] = await db.select().from(users).where(eq(users.email, 'kenji@example.org'));
      const now = Date.now();
      await db.insert(trackCompletions).values({
        id: crypto.randomUUID(),
        userId: member!.id,
        track: 'peer-supporter-orientation',
        unlocks: 'peer-support',
        completedAt: new Date(now - 350 * 86_400_000),
        expiresAt: new Date(now + 10 * 86_400_000),
      });
      const trigger = () => stack.fetch(`/cdn-cgi/local/scheduled?cron=${encodeURIComponent('0 7 * * *')}&format=json`);
      expect(await (await trigger()).json()).toMatchObject({ outcome: 'ok' });
      await trigger();
      const outbox = (await (await stack.fetch('/api/dev/outbox')).json()) as { to: string; subject: string }[];
      const reminders = outbox.filter((m) => m.to === 'kenji@example.org');
      expect(reminders).toHaveLength(1);
      expect(reminders[0]!.subject).toContain('Peer supporter orientation');
      const [row] = await db.select().from(trackCompletions).where(eq(trackCompletions.userId, member!.id));
      expect(row!.remindedAt).toBeInstanceOf(Date);
    } finally {
      db.$client.close();
    }
  });
});
