import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasBrowser, launchBrowser } from '#tests/setup/browser.ts';
import { startStack, type Stack } from '#scripts/lib/stack.ts';
import { contentCatalog } from '#tests/factories/training.ts';
import { loadContent } from '#scripts/lib/content.ts';

/** A Spanish URL whose page has no Spanish version yet (served in English), if the content has one. */
function untranslatedSpanishUrl(): string | undefined {
  const content = loadContent();
  for (const [entries, section] of [
    [content.lessons, 'training'],
    [content.resources, 'resources'],
    [content.guidelines, 'guidelines'],
  ] as const) {
    const spanish = new Set(entries.filter((e) => e.locale === 'es').map((e) => e.slug));
    const missing = entries.find((e) => e.locale === 'en' && !e.data.draft && !spanish.has(e.slug));
    if (missing) return `/es/${section}/${missing.slug}/`;
  }
  return undefined;
}
const FALLBACK_URL = untranslatedSpanishUrl();

const SHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');
const TEMPLATES = [
  ['home', '/'],
  ['guidelines', '/guidelines/'],
  ['guideline', '/guidelines/code-of-conduct/'],
  ['crisis', '/guidelines/crisis-and-wellbeing/'],
  ['api-reference', '/developers/api/'],
  ['not-found', '/no-such-page/'],
  ['home-es', '/es/'],
  ['guideline-es', '/es/guidelines/confidentiality/'],
  ['moderation-policy', '/guidelines/moderation-policy/'],
  ['training', '/training/'],
  ['track', '/training/peer-supporter-orientation/'],
  ['lesson', '/training/peer-supporter-orientation/active-listening/'],
  ['lesson-es', '/es/training/peer-supporter-orientation/empathy/'],
  ['lesson-es-mentor', '/es/training/mentor-foundations/setting-goals/'],
  ['library', '/resources/'],
  ['library-filtered', '/resources/?topic=listening&format=video'],
  ['library-es', '/es/resources/'],
  ['resource', '/resources/weekly-check-in-worksheet/'],
  ['resource-external', '/resources/find-a-helpline/'],
  ['search', '/search/?q=listening'],
  ['search-es', '/es/search/?q=escucha'],
  ['track-missing', '/training/no-such-track/'],
] as const;
// 320 px is the narrowest screen Hearth supports; 1280 a common laptop. Dark mode is checked at 390.
const VIEWS = [
  { width: 320, scheme: 'light' },
  { width: 1280, scheme: 'light' },
  { width: 390, scheme: 'dark' },
] as const;

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
    for (const { width, scheme } of VIEWS) {
      it(`${name} at ${width}px, ${scheme}: no WCAG 2.2 AA violations, no CSP or console errors`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
        const page = await context.newPage();
        const problems = await open(page, url);
        const violations = await axeViolations(page);
        expect(violations).toEqual([]);
        expect(problems).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, 'page scrolls sideways').toBeLessThanOrEqual(0);
        await page.screenshot({
          path: path.join(SHOTS, `${name}-${width}${scheme === 'dark' ? '-dark' : ''}.png`),
          fullPage: true,
        });
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

  it('content pages ship no JavaScript; only the search page loads its island', async () => {
    for (const url of [
      '/guidelines/code-of-conduct/',
      '/training/peer-supporter-orientation/active-listening/',
      '/resources/weekly-check-in-worksheet/',
      '/es/guidelines/code-of-conduct/',
      '/resources/',
      '/training/',
      '/',
    ]) {
      const html = await (await stack.fetch(url)).text();
      expect(html, url).not.toMatch(/<script|modulepreload/i);
    }
    expect(await (await stack.fetch('/search/')).text()).toMatch(/<astro-island/);
  });

  it('never sends a knowledge check’s answers or explanations before the member submits', async () => {
    for (const track of contentCatalog().tracks)
      for (const lesson of track.lessons) {
        const html = await (await stack.fetch(`/training/${track.slug}/${lesson.slug}/`)).text();
        for (const q of lesson.questions.en) {
          expect(html).toContain(`name="q.${q.id}"`);
          expect(html, `${lesson.slug}: explanation of ${q.id}`).not.toContain(q.explanation.slice(0, 60));
        }
        expect(html).not.toMatch(/"correct"|data-correct/);
      }
  });

  it('filters the library through the query string, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.url}/resources/`);
    const all = await page.locator('.resource-card').count();
    expect(all).toBeGreaterThanOrEqual(20);
    await page.selectOption('#filter-type', 'video');
    await page.click('main button:has-text("Apply filters")');
    await page.waitForURL(/type=video/);
    const kinds = await page.locator('.resource-card .badge').allTextContents();
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.length).toBeLessThan(all);
    expect(new Set(kinds)).toEqual(new Set(['Video']));
    expect(await page.locator('.result-count').textContent()).toContain(String(kinds.length));
    // The chosen filter stays chosen, and each option says how many resources it would leave.
    expect(await page.locator('#filter-type').inputValue()).toBe('video');
    expect(await page.locator('#filter-topic option[value="listening"]').textContent()).toMatch(/\(\d+\)/);
    await page.goto(`${stack.url}/resources/?type=nonsense&topic=listening`);
    expect(await page.locator('#filter-type').inputValue()).toBe('');
    await context.close();
  });

  it('takes an "out of date" report without JavaScript and puts it on the review list', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.url}/resources/samaritans/`);
    expect(await page.locator('#report-thanks').isVisible()).toBe(false);
    await page.fill('#report-note', 'The opening hours changed.');
    await page.click('button:has-text("Report as outdated")');
    await page.waitForURL(/#report-thanks$/);
    expect(await page.locator('#report-thanks').isVisible()).toBe(true);
    await context.close();
  });

  it('switches language on every page and marks English stand-ins for missing translations', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.url}/guidelines/code-of-conduct/`);
    expect(await page.getAttribute('link[hreflang="es"]', 'href')).toMatch(/\/es\/guidelines\/code-of-conduct\/$/);
    await page.click('.lang-switch a[hreflang="es"]');
    await page.waitForURL(/\/es\/guidelines\/code-of-conduct\/$/);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.locator('.site-nav').textContent()).toContain('Formación');
    await context.close();
  });

  // Runs whenever the content has a page without its Spanish version (the mechanism itself is
  // unit-tested in tests/unit/localize.test.ts).
  it.skipIf(!FALLBACK_URL)('serves an untranslated page in English at its Spanish URL, with a notice', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.url}${FALLBACK_URL}`);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.getAttribute('main', 'lang')).toBe('en');
    expect(await page.locator('.notice[lang="es"]').first().textContent()).toMatch(/no está traducida/);
    expect(await page.locator('link[hreflang="es"]').count()).toBe(0);
    expect(await page.getAttribute('link[rel="canonical"]', 'href')).toMatch(
      new RegExp(`[^s]${FALLBACK_URL!.slice(3)}$`),
    );
    await context.close();
  });

  it('searches published content in the reader’s language, loading the index only on the search page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${stack.url}/guidelines/`);
    await page.fill('#site-search-q', 'boundaries');
    await page.press('#site-search-q', 'Enter');
    await page.waitForURL(/\/search\/\?q=boundaries/);
    await page.locator('.search-results li').first().waitFor();
    const links = await page.locator('.search-results a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => l && !l.startsWith('/es/'))).toBe(true);
    expect(requests.filter((r) => r.startsWith('/pagefind/')).length).toBeGreaterThan(0);
    await page.fill('#search-q', 'zzzzqqqq');
    await expect.poll(() => page.locator('.result-count').textContent()).toContain('Nothing matched');
    await page.goto(`${stack.url}/es/search/?q=escucha`);
    await page.locator('.search-results li').first().waitFor();
    const es = await page.locator('.search-results a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(es.every((l) => l?.startsWith('/es/'))).toBe(true);
    // Track pages are rendered on demand, yet still found.
    await page.goto(`${stack.url}/search/?q=orientation`);
    await page.locator('.search-results li').first().waitFor();
    expect(await page.locator('.search-results a[href="/training/peer-supporter-orientation/"]').count()).toBe(1);
    await context.close();
  });

  it('publishes feeds, a sitemap with language alternates, and robots.txt', async () => {
    const feed = await (await stack.fetch('/feed.xml')).text();
    expect(feed).toMatch(/<rss[\s\S]*<item>[\s\S]*\/resources\//);
    expect(await (await stack.fetch('/es/feed.xml')).text()).toContain('<language>es</language>');
    const index = await (await stack.fetch('/sitemap-index.xml')).text();
    const sitemap = await (await stack.fetch(new URL(/<loc>([^<]+)<\/loc>/.exec(index)![1]!).pathname)).text();
    expect(sitemap).toContain('/training/peer-supporter-orientation/</loc>');
    expect(sitemap).toMatch(/hreflang="es"/);
    expect(sitemap).not.toMatch(/\/(account|admin|coordinator|dev)\//);
    expect(await (await stack.fetch('/robots.txt')).text()).toMatch(/Sitemap: .*sitemap-index\.xml/);
  });
});
