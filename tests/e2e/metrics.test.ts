import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasBrowser, launchBrowser, signInAs } from '#tests/setup/browser.ts';
import { startStack, type Stack } from '#scripts/lib/stack.ts';

const SHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');
let stack: Stack;
let browser: Browser;
let admin: BrowserContext;

describe.skipIf(!hasBrowser)('the impact dashboard in Chromium', () => {
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ staffTwoFactor: 'optional' }), launchBrowser()]);
    await mkdir(SHOTS, { recursive: true });
    admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    (await signInAs(admin, stack.url, 'amara@example.org', '/account')).close();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows every panel as a chart with its figures, accessibly, at 390 and 1280 pixels, light and dark', async () => {
    for (const [width, scheme] of [
      [1280, 'light'],
      [390, 'light'],
      [390, 'dark'],
    ] as const) {
      const page = await admin.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${stack.url}/admin/metrics`);
      expect(await page.locator('h1').textContent()).toBe('Impact dashboard');
      // Nine panels, each with a chart (an SVG image with a title and a description) and a CSV link.
      expect(await page.locator('section.panel').count()).toBe(9);
      expect(await page.locator('section.panel svg[role="img"]').count()).toBeGreaterThanOrEqual(9);
      for (const svg of await page.locator('section.panel svg[role="img"]').all()) {
        expect(await svg.locator('title').textContent()).toBeTruthy();
        expect(await svg.locator('desc').textContent()).toMatch(/table that follows/);
      }
      expect(await page.locator('section.panel a[href^="/api/admin/metrics.csv"]').count()).toBe(9);
      // The seeded community gives the charts something to draw, and the retention table hides small cells.
      expect(await page.locator('#members .trend__line').count()).toBeGreaterThan(10);
      expect(await page.locator('#retention table.retention').textContent()).toMatch(/%/);
      expect(await page.locator('#retention table.retention').textContent()).toContain('<5');
      expect(await axeViolations(page), `${width} ${scheme}`).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${width} scrolls sideways`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(SHOTS, `metrics-${width}-${scheme}.png`), fullPage: true });
      // Opening a table (a disclosure) keeps the page valid.
      await page.locator('#members details summary').click();
      expect(await page.locator('#members details table tbody tr').count()).toBe(26);
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    }
  });

  it('takes a date range from a plain form without JavaScript, and explains a bad one beside its field', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 900 },
      storageState: await admin.storageState(),
    });
    const page = await context.newPage();
    await page.goto(`${stack.url}/admin/metrics`);
    await page.fill('#range-from', '2026-09-01');
    await page.fill('#range-to', '2026-10-31');
    await page.click('.range-form button[type="submit"]');
    await page.waitForURL(/from=2026-09-01&to=2026-10-31/);
    expect(await page.locator('.range-form .hint').textContent()).toMatch(/August 31, 2026 to November 1, 2026/);
    expect(await page.locator('#members details tbody tr').count()).toBe(9);
    const csv = await page.locator('#members a[download]').getAttribute('href');
    expect(csv).toBe('/api/admin/metrics.csv?from=2026-09-01&to=2026-10-31&panel=members');
    const res = await page.request.get(`${stack.url}${csv}`);
    expect(res.status()).toBe(200);
    expect(await res.text()).toMatch(
      /^"panel","period","measure","value"\r\n"members","2026-08-31","active_members","\d+"/,
    );

    await page.goto(`${stack.url}/admin/metrics?from=2026-11-10&to=2026-11-01`);
    const field = page.locator('.field--error');
    expect(await field.count()).toBe(1);
    expect(await field.locator('.field-error').textContent()).toMatch(/on or after the first day/);
    expect(await page.locator('#range-to').getAttribute('aria-invalid')).toBe('true');
    await context.close();
  });

  it('is for admins only', async () => {
    const coordinator = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signInAs(coordinator, stack.url, 'jonas@example.org', '/account');
    await page.goto(`${stack.url}/admin/metrics`);
    expect(new URL(page.url()).pathname).toBe('/account');
    expect((await page.request.get(`${stack.url}/api/admin/metrics`)).status()).toBe(403);
    await coordinator.close();
    const visitor = await browser.newContext();
    const anonymous = await visitor.newPage();
    await anonymous.goto(`${stack.url}/admin/metrics`);
    expect(new URL(anonymous.url()).pathname).toBe('/sign-in');
    await visitor.close();
  });
});
