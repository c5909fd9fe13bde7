import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasBrowser, launchBrowser, signInAs } from '#tests/setup/browser.ts';
import { startStack, type Stack } from '#scripts/lib/stack.ts';
import { contentCatalog, rightAnswers } from '#tests/factories/training.ts';

const SHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');
const TRACK = 'peer-supporter-orientation';

let stack: Stack;
let browser: Browser;

async function expectAccessible(page: Page) {
  expect(await axeViolations(page)).toEqual([]);
}

const signIn = (context: BrowserContext, email: string, next: string) => signInAs(context, stack.url, email, next);

/** Answers a lesson's check on the page: the right choices, or the first choice everywhere. */
async function answer(page: Page, lesson: string, right: boolean) {
  const answers = rightAnswers(contentCatalog(), TRACK, lesson);
  for (const [question, value] of Object.entries(answers)) {
    const picks = right ? (Array.isArray(value) ? value : [value]) : [];
    if (!right) {
      const first = page.locator(`input[name="q.${question}"]`).first();
      await first.check();
      continue;
    }
    for (const pick of picks) await page.check(`#answer-${question}-${pick}`);
  }
}

// Two password sign-ins against one stack, well under its sign-in budget.
describe.skipIf(!hasBrowser)('training in Chromium', () => {
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ staffTwoFactor: 'optional' }), launchBrowser()]);
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('a member completes a track without JavaScript, sees feedback, a certificate and the unlocked eligibility', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
    const page = await signIn(context, 'elena@example.org', `/training/${TRACK}/`);
    expect(await page.locator('.progress-card .badge').textContent()).toBe('Not started');
    const lessons = contentCatalog().track(TRACK)!.lessons;

    // First lesson: submit with nothing chosen, then wrongly, then rightly.
    await page.goto(`${stack.url}/training/${TRACK}/${lessons[0]!.slug}/`);
    await page.click('button:has-text("Check my answers")');
    expect(await page.locator('[role="alert"]').textContent()).toContain('answer every question');
    expect(await page.locator('.question--invalid').count()).toBe(lessons[0]!.questions.en.length);
    await answer(page, lessons[0]!.slug, false);
    await page.click('button:has-text("Check my answers")');
    expect(await page.locator('#score').textContent()).toMatch(/Not passed yet/);
    expect(await page.locator('.feedback').count()).toBe(lessons[0]!.questions.en.length);
    await page.screenshot({ path: path.join(SHOTS, 'check-not-passed-390-nojs.png'), fullPage: true });
    await page.goto(`${stack.url}/training/${TRACK}/${lessons[0]!.slug}/`);
    await answer(page, lessons[0]!.slug, true);
    await page.click('button:has-text("Check my answers")');
    expect(await page.locator('#score').textContent()).toMatch(/100%.*Passed/s);

    // Mark-as-done from the lesson page returns to the track with its progress.
    await page.goto(`${stack.url}/training/${TRACK}/${lessons[1]!.slug}/`);
    await page.click('button:has-text("Mark this lesson as done")');
    await page.waitForURL(`${stack.url}/training/${TRACK}/`);
    expect(await page.locator('.flash').textContent()).toContain('marked as done');
    expect(await page.locator('#track-progress').getAttribute('value')).toBe(String(Math.round(100 / lessons.length)));

    for (const lesson of lessons.slice(1)) {
      await page.goto(`${stack.url}/training/${TRACK}/${lesson.slug}/`);
      await answer(page, lesson.slug, true);
      await page.click('button:has-text("Check my answers")');
      expect(await page.locator('#score').textContent(), lesson.slug).toMatch(/Passed/);
    }
    expect(await page.locator('section[aria-labelledby="score"]').textContent()).toContain(
      'You have completed Peer supporter orientation',
    );
    await page.click('a:has-text("View your certificate")');
    await page.waitForURL(/\/certificate\/$/);
    expect(await page.locator('.certificate-name').textContent()).toBe('Elena Petrova');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, 'certificate-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    await page.goto(`${stack.url}/account`);
    expect(await page.locator('#training').textContent()).toMatch(/You can: offering peer support/);
    await context.close();
  });

  it('every signed-in training and coordinator template passes axe, at 320 px and in dark mode', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
    const page = await signIn(context, 'jonas@example.org', '/coordinator/training/');
    // Jonas passes the first lesson so the result template is checked with content in it.
    const lesson = contentCatalog().track(TRACK)!.lessons[0]!;
    await page.goto(`${stack.url}/es/training/${TRACK}/${lesson.slug}/`);
    await answer(page, lesson.slug, true);
    await page.click('button:has-text("Comprobar")');
    await page.waitForURL(/\/check\/$/);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expectAccessible(page);
      await page.screenshot({ path: path.join(SHOTS, `check-result-es-320-${scheme}.png`), fullPage: true });
    }
    const pages = [
      ['coordinator-training', '/coordinator/training/'],
      ['coordinator-content', '/coordinator/content/'],
      ['training-signed-in', '/training/'],
      ['track-signed-in-es', `/es/training/${TRACK}/`],
      ['account-training', '/account'],
    ] as const;
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [name, url] of pages) {
        await page.goto(`${stack.url}${url}`);
        await expectAccessible(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(SHOTS, `${name}-320-${scheme}.png`), fullPage: true });
      }
    }
    // The review list names the pages past their review date, from the content itself.
    await page.goto(`${stack.url}/coordinator/content/`);
    expect(await page.locator('#overdue-title').textContent()).toMatch(/\(\d+\)/);
    expect(await page.locator('table').first().textContent()).toContain('Student Minds');
    await context.close();
  });
});
