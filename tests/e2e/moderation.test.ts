import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBrowser, launchBrowser, signInAs } from '#tests/setup/browser.ts';
import { look, SHOTS } from '#tests/setup/look.ts';
import { startStack, type Stack } from '#scripts/lib/stack.ts';

/** The demo threads whose flagged replies wait in the queue, in queue order. */
const SAFETY = 'Exam anxiety: my mind goes blank';
const MISINFORMATION = 'Sleep schedule completely broken';
const SPAM = 'Best quiet places to study that aren’t the library';

let stack: Stack;
let browser: Browser;

const VIEWS = [
  { width: 390, scheme: 'light' },
  { width: 1280, scheme: 'light' },
  { width: 390, scheme: 'dark' },
] as const;

/** Every view of a page: zero axe violations, no sideways scrolling, a screenshot. */
async function lookAtViews(context: BrowserContext, url: string, name: string) {
  for (const view of VIEWS) {
    const page = await context.newPage();
    await page.setViewportSize({ width: view.width, height: 900 });
    await page.emulateMedia({ colorScheme: view.scheme });
    await page.goto(`${stack.url}${url}`);
    await look(
      page,
      `${name} ${view.width} ${view.scheme}`,
      `moderation-${name}-${view.width}${view.scheme === 'dark' ? '-dark' : ''}`,
    );
    await page.close();
  }
}

/** Picks a decision on the queue item about `title`, says why, and applies it, with JavaScript off. */
async function decide(page: Page, title: string, action: string, reason: string) {
  const item = page.locator('article.queue-item', { has: page.locator('h2', { hasText: title }) });
  await item.locator(`input[name="action"][value="${action}"]`).check();
  await item.locator('textarea[name="reason"]').first().fill(reason);
  await item.locator('form.queue-decision button[type="submit"]').click();
  await page.waitForURL(`${stack.url}/moderation`);
  return page.locator('.flash').textContent();
}

describe.skipIf(!hasBrowser)('moderation in Chromium', () => {
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ staffTwoFactor: 'optional' }), launchBrowser()]);
    await mkdir(SHOTS, { recursive: true });
    // The demo seed flags three of its posts (db/seed-moderation.ts, called by seedDemoCommunity).
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('a moderator works through the queue without JavaScript', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
    const page = await signInAs(noJs, stack.url, 'wei@example.org', '/moderation');
    const titles = await page.locator('article.queue-item h2').allTextContents();
    expect(titles.map((t) => t.trim())).toEqual([SAFETY, MISINFORMATION, SPAM]);
    expect(await page.locator('article.queue-item').first().getAttribute('class')).toContain('queue-item--urgent');
    expect(await page.locator('main').textContent()).toMatch(/3 waiting, including 1 safety concern/);

    // Axe and screenshots need JavaScript: the same session in a second context.
    const js = await browser.newContext();
    await js.addCookies(await noJs.cookies());
    await lookAtViews(js, '/moderation', 'queue');

    expect(await decide(page, SPAM, 'delete', 'Advertising essays is not allowed here.')).toMatch(/Deleted/);
    expect(
      await decide(
        page,
        MISINFORMATION,
        'request-source',
        'Could you link where the dosage advice comes from? Medication questions belong with a pharmacist.',
      ),
    ).toMatch(/Source requested/);
    expect(
      await decide(page, SAFETY, 'keep', 'I replied with support and the crisis page; Jonas is in touch.'),
    ).toMatch(/Kept/);
    expect(await page.locator('main').textContent()).toMatch(/The queue is empty/);

    await page.goto(`${stack.url}/moderation/log`);
    const log = await page.locator('main').textContent();
    for (const entry of ['Delete', 'Request a source', 'Keep', 'Advertising essays is not allowed here.'])
      expect(log).toContain(entry);
    await lookAtViews(js, '/moderation/log', 'log');

    // Watched words, without JavaScript too.
    await page.goto(`${stack.url}/moderation/watched-words`);
    await page.fill('#field-pattern', 'pyramid scheme*');
    await page.check('#field-action-flag');
    await page.click('main form button[type="submit"]');
    await page.waitForURL(`${stack.url}/moderation/watched-words`);
    expect(await page.locator('.flash').textContent()).toMatch(/Now watching “pyramid scheme\*”/);
    await lookAtViews(js, '/moderation/watched-words', 'watched-words');
    await page.getByRole('button', { name: 'Remove “pyramid scheme*”' }).click();
    await page.waitForURL(`${stack.url}/moderation/watched-words`);
    expect(await page.locator('main').textContent()).not.toContain('pyramid scheme*');

    await lookAtViews(js, '/account/trust', 'trust');
    await lookAtViews(js, '/account/blocked', 'blocked');
    await lookAtViews(js, '/flag-sent', 'flag-sent');
    await noJs.close();
    await js.close();
  });

  it('keeps members out of the moderation pages', async () => {
    const member = await browser.newContext({ javaScriptEnabled: false });
    const page = await signInAs(member, stack.url, 'tomas@example.org', '/account/trust');
    expect(await page.locator('h1').textContent()).toMatch(/Your trust level/);
    for (const url of ['/moderation', '/moderation/log', '/moderation/watched-words']) {
      await page.goto(`${stack.url}${url}`);
      expect(new URL(page.url()).pathname, url).toBe('/account');
    }
    await member.close();
  });
});
