import axe from 'axe-core';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBrowser, launchBrowser } from '#tests/setup/browser.ts';
import { startStack, type Stack } from '#scripts/lib/stack.ts';

const SHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');
const TEMPLATES = [
  ['home', '/'],
  ['guidelines', '/guidelines/'],
  ['guideline', '/guidelines/code-of-conduct/'],
  ['crisis', '/guidelines/crisis-and-wellbeing/'],
  ['api-reference', '/developers/api/'],
  ['not-found', '/no-such-page/'],
] as const;
const WIDTHS = [390, 1280] as const;

let stack: Stack;
let browser: Browser;

describe.skipIf(!hasBrowser)('every page template in Chromium', () => {
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** Opens a page and collects every CSP violation and console error it raises. */
  async function open(page: Page, url: string) {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${stack.url}${url}`, { waitUntil: 'networkidle' });
    return problems;
  }

  for (const [name, url] of TEMPLATES) {
    for (const width of WIDTHS) {
      it(`${name} at ${width}px: no WCAG 2.2 AA violations, no CSP or console errors`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 900 } });
        const page = await context.newPage();
        const problems = await open(page, url);
        // page.evaluate runs through DevTools, so the page's CSP does not block axe itself.
        await page.evaluate(axe.source);
        const result = await page.evaluate(() =>
          (window as unknown as { axe: typeof axe }).axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
          }),
        );
        const violations = result.violations.map(
          (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
        );
        expect(violations).toEqual([]);
        expect(problems).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, 'page scrolls sideways').toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
        await context.close();
      });
    }
  }

  it('the feedback form works without JavaScript and shows its thanks', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.url}/guidelines/what-peer-support-is/`);
    await expect.poll(() => page.locator('#feedback-thanks').isVisible()).toBe(false);
    await page.fill('#feedback-comment', 'A list of local services would help.');
    await page.click('button[name="helpful"][value="yes"]');
    await page.waitForURL(/#feedback-thanks$/);
    expect(await page.locator('#feedback-thanks').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'feedback-thanks-nojs-390.png'), fullPage: false });
    const summary = await (await stack.fetch('/api/page-feedback?path=/guidelines/what-peer-support-is')).json();
    expect(summary).toMatchObject({ helpful: 1, total: 1 });
    await context.close();
  });

  it('starts with a skip link to the main content', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.url}/guidelines/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to content');
    await page.keyboard.press('Enter');
    // Following the link updates the URL asynchronously; wait for it rather than race it.
    await page.waitForURL(/#main$/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await context.close();
  });
});
