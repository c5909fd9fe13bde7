import { mkdir } from 'node:fs/promises';
import { startStack } from '#scripts/lib/stack.ts';
import { launchBrowser, signInAs, axeViolations } from '#tests/setup/browser.ts';
import { threads } from '#db/schema/index.ts';
import { eq } from 'drizzle-orm';

const out = '/tmp/shots';
await mkdir(out, { recursive: true });
const stack = await startStack({ staffTwoFactor: 'optional' });
const browser = await launchBrowser();
try {
  const db = stack.database();
  const all = await db.select().from(threads);
  const essay = all.find((t) => t.title.startsWith('How do you start an essay'))!;
  const lonely = all.find((t) => t.anonymous)!;
  const prompt = all.find((t) => t.prompt === 'en/small-wins')!;
  db.$client.close();
  for (const width of [390, 1280]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await signInAs(ctx, stack.url, 'tomas@example.org', '/discussions');
    const shots: [string, string][] = [
      ['index', '/discussions'],
      ['category', '/discussions/study-skills'],
      ['thread', `/discussions/t/${essay.id}`],
      ['anon', `/discussions/t/${lonely.id}`],
      ['prompt', `/discussions/t/${prompt.id}`],
      ['new', '/discussions/new?category=wellbeing'],
      ['search', '/discussions/search?q=essay'],
    ];
    for (const [name, path] of shots) {
      const res = await page.goto(`${stack.url}${path}`);
      console.log(width, name, res?.status(), (await axeViolations(page)).join('\n'));
      await page.screenshot({ path: `${out}/${name}-${width}.png`, fullPage: true });
    }
    await ctx.close();
  }
} finally {
  await browser.close();
  await stack.stop();
}
