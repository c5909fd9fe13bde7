import { existsSync } from 'node:fs';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '#db/seed.ts';

/**
 * Debian's Chromium (apt-get install -y chromium), or CHROME_PATH. Playwright's own browser
 * downloads do not work on these machines, so none is attempted.
 */
export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const hasBrowser = existsSync(CHROME_PATH);

if (!hasBrowser) {
  const message = `No Chromium at ${CHROME_PATH}: the browser tests cannot run. Install it with "sudo apt-get install -y chromium" or set CHROME_PATH.`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING BROWSER TESTS. ${message}\n${'!'.repeat(100)}\n`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROME_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/**
 * WCAG 2.2 AA violations axe-core finds on the page, one line each. It runs through
 * page.evaluate (DevTools), so the page's CSP does not block it, but it needs JavaScript on.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const result = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    }),
  );
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Signs a demo member in through the sign-in form and waits for the page it returns to. */
export async function signInAs(context: BrowserContext, baseUrl: string, email: string, next: string) {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
  await page.fill('#field-email', email);
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.click('main button[type="submit"]');
  await page.waitForURL(`${baseUrl}${next}`);
  return page;
}
