import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '#db/schema/index.ts';
import { insertResponses, seedSurveyResults } from '#db/synthetic-surveys.ts';
import { hasBrowser, launchBrowser, signInAs } from '#tests/setup/browser.ts';
import { look as checkPage, SHOTS } from '#tests/setup/look.ts';
import { startStack, type Stack } from '#scripts/lib/stack.ts';
import { contentSurveys } from '#tests/factories/training.ts';

let stack: Stack;
let browser: Browser;

/** The shared page checks (tests/setup/look.ts), screenshots named `survey-results-<name>`. */
const look = (page: Page, name: string, js = true) => checkPage(page, name, `survey-results-${name}`, { axe: js });

const PAGES = [
  ['list', '/admin/surveys/'],
  ['feedback', '/admin/surveys/programme-feedback'],
  ['feedback-by-cohort', '/admin/surveys/programme-feedback?segment=cohort'],
  ['confidence', '/admin/surveys/confidence-post'],
  ['closing', '/admin/surveys/mentorship-closing'],
  ['print', '/admin/surveys/programme-feedback?segment=role&print'],
] as const;

// Three password sign-ins against one stack, under its sign-in budget.
describe.skipIf(!hasBrowser)('survey results in Chromium', () => {
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ staffTwoFactor: 'optional' }), launchBrowser()]);
    await mkdir(SHOTS, { recursive: true });
    const db = stack.database();
    try {
      const catalog = contentSurveys();
      await seedSurveyResults(db, catalog);
      const [priya] = await db.select().from(users).where(eq(users.email, 'priya@example.org'));
      await insertResponses(db, catalog, 'mentorship-closing', [
        {
          respondentId: priya!.id,
          role: 'mentor',
          instance: 'mentorship:00000000-0000-4000-8000-00000000000a:close',
          answers: { 'good-experience': 5, 'felt-heard': 5, 'goals-met': 'fully', 'recommend-mentoring': 10 },
        },
      ]);
    } finally {
      db.$client.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('a coordinator reads every results page at 1280 and 390 px with no accessibility violations', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signInAs(context, stack.url, 'jonas@example.org', '/account');
    expect(await page.locator('a[href="/admin/surveys/"]').count()).toBe(1);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, url] of PAGES) {
        const res = await page.goto(`${stack.url}${url}`);
        expect(res?.status(), url).toBe(200);
        await look(page, `${name}-${width}`);
      }
    }
    // The list links each survey, and counts below 5 read "<5".
    await page.goto(`${stack.url}/admin/surveys/`);
    expect(await page.locator('.survey-item').count()).toBe(contentSurveys().surveys.length);
    expect(await page.locator('.survey-item', { hasText: 'Looking back on your mentorship' }).textContent()).toContain(
      '<5',
    );
    // Charts come with their data tables; a small cohort never appears by name.
    await page.goto(`${stack.url}/admin/surveys/programme-feedback?segment=cohort`);
    expect(await page.locator('figure svg[role="img"]').count()).toBeGreaterThan(5);
    expect(await page.locator('figure table').count()).toBeGreaterThan(5);
    const main = (await page.locator('main').textContent())!;
    expect(main).toContain('Smaller cohorts, together');
    expect(main).not.toContain('Joined Dec 2025');
    // Before and after: cohorts of people who answered both.
    await page.goto(`${stack.url}/admin/surveys/confidence-post`);
    expect(await page.locator('#before-and-after tbody tr').count()).toBeGreaterThan(1);
    // The CSV behind the link is the suppressed aggregates.
    const csv = await page.request.get(`${stack.url}/api/admin/surveys/programme-feedback/results.csv?segment=cohort`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain('"answers","feel-welcome"');
    // The named survey offers its raw export; the anonymous one does not.
    await page.goto(`${stack.url}/admin/surveys/mentorship-closing`);
    expect(await page.locator('a[href$="/responses.csv"]').count()).toBe(1);
    await page.goto(`${stack.url}/admin/surveys/programme-feedback`);
    expect(await page.locator('a[href$="/responses.csv"]').count()).toBe(0);
    expect((await page.goto(`${stack.url}/admin/surveys/no-such-survey`))?.status()).toBe(404);
    await context.close();
  });

  it('breaks the results down with a plain form, without JavaScript, and keeps members out', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
    const page = await signInAs(context, stack.url, 'amara@example.org', '/admin/surveys/programme-feedback');
    await page.selectOption('#segment', 'role');
    await page.click('.segment-form button[type="submit"]');
    await page.waitForURL(/segment=role/);
    expect(await page.locator('.by-group').count()).toBeGreaterThan(0);
    expect(await page.locator('main').textContent()).toContain('Mentors');
    await look(page, 'by-role-390-nojs', false);
    await context.close();

    const member = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
    const memberPage = await signInAs(member, stack.url, 'kenji@example.org', '/account');
    await memberPage.goto(`${stack.url}/admin/surveys/programme-feedback`);
    expect(new URL(memberPage.url()).pathname).toBe('/account');
    expect((await memberPage.request.get(`${stack.url}/api/admin/surveys/programme-feedback/results`)).status()).toBe(
      403,
    );
    await member.close();
  });
});
