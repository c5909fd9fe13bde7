import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBrowser, launchBrowser, signInAs } from '#tests/setup/browser.ts';
import { look as checkPage, SHOTS } from '#tests/setup/look.ts';
import { startStack, type Stack } from '#scripts/lib/stack.ts';
import { contentCatalog, rightAnswers } from '#tests/factories/training.ts';

let stack: Stack;
let browser: Browser;

const signIn = (context: BrowserContext, email: string, next: string) => signInAs(context, stack.url, email, next);

/** The shared page checks (tests/setup/look.ts), screenshots named `mentoring-<name>`. */
const look = (page: Page, name: string, js: boolean) => checkPage(page, name, `mentoring-${name}`, { axe: js });

// Five password sign-ins against one stack, under its sign-in budget of six a minute.
describe.skipIf(!hasBrowser)('the mentoring programme in Chromium', () => {
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ staffTwoFactor: 'optional' }), launchBrowser()]);
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('a member trains, applies as a mentor without JavaScript, and a coordinator approves them', async () => {
    const member = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
    const page = await signIn(member, 'kenji@example.org', '/mentoring');
    expect(await page.locator('main').textContent()).toMatch(/Mentor foundations/);
    // Passing the track, lesson by lesson, through the same API the lesson pages' checks use.
    const catalog = contentCatalog();
    for (const lesson of catalog.track('mentor-foundations')!.lessons) {
      const res = await page.request.post(`${stack.url}/api/training/mentor-foundations/lessons/${lesson.slug}/check`, {
        data: { answers: rightAnswers(catalog, 'mentor-foundations', lesson.slug) },
        headers: { origin: stack.url },
      });
      expect(res.status()).toBe(200);
    }
    await page.goto(`${stack.url}/mentoring/apply`);
    await page.fill(
      'textarea[name="motivation"]',
      'I was lost in my first term; I want to help someone find their feet faster.',
    );
    await page.fill('textarea[name="experience"]', 'Study group organiser for two terms.');
    await page.check('input[name="topics"][value="study-skills"]');
    await page.check('input[name="languages"][value="en"]');
    await page.selectOption('select[name="timezone"]', 'Asia/Tokyo');
    await page.fill('input[name="availability"]', 'Tue 19:00-21:00, Sat 10:00-12:00');
    await page.selectOption('select[name="capacity"]', '2');
    await page.check('input[name="pledge"]');
    await page.click('button:has-text("Send my application")');
    await page.waitForURL(/\/mentoring\/application$/);
    expect(await page.locator('main').textContent()).toMatch(/pending|with the coordinators/i);

    const staff = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const coordinator = await signIn(staff, 'jonas@example.org', '/coordinator/mentoring');
    await look(coordinator, 'dashboard-1280', true);
    await coordinator.goto(`${stack.url}/coordinator/mentoring/applications`);
    await look(coordinator, 'applications-1280', true);
    const form = coordinator.locator('form.decision-form', { hasText: 'Kenji' });
    await form.locator('input[name="decision"][value="approve"]').check();
    await form.locator('button[type="submit"]').click();
    await coordinator.waitForURL(/\/coordinator\/mentoring\/applications/);
    expect(await coordinator.locator('.flash').textContent()).toMatch(/approved/);

    // Approval ends the member's sessions (roles changed); signed in again, they are a mentor.
    const again = await signIn(member, 'kenji@example.org', '/mentoring/profile');
    expect(await again.locator('main').textContent()).toMatch(/profile/i);
    await member.close();
    await staff.close();
  });

  it('a mentee picks a suggested mentor, the mentor accepts, and they meet, check in and close', async () => {
    const menteeContext = await browser.newContext({ viewport: { width: 390, height: 900 } });
    const mentee = await signIn(menteeContext, 'elena@example.org', '/mentoring');
    const requestLink = mentee.locator('a[href^="/mentoring/requests/"]').first();
    await requestLink.click();
    await mentee.waitForURL(/\/mentoring\/requests\//);
    await look(mentee, 'suggestions-390', true);
    const first = mentee.locator('form[action$="/choose"]').first();
    const mentorId = await first.locator('input[name="mentorId"]').getAttribute('value');
    await first.locator('button').click();
    await mentee.waitForURL(/\/mentoring/);
    expect(await mentee.locator('.flash').textContent()).toMatch(/7 days/);

    const db = stack.database();
    const { users } = await import('#db/schema/index.ts');
    const { eq } = await import('drizzle-orm');
    const [mentorUser] = await db.select({ email: users.email }).from(users).where(eq(users.id, mentorId!));
    db.$client.close();
    const mentorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const mentor = await signIn(mentorContext, mentorUser!.email, '/mentoring/proposals');
    await look(mentor, 'proposals-1280', true);
    await mentor.locator('form[action$="/accept"]').first().locator('button').click();
    await mentor.waitForURL(/\/mentorships\//);
    const spaceUrl = mentor.url();

    // The mentor schedules a session in their own time; the mentee sees it and its calendar file.
    await mentor.fill('input[name="startsAt"]', '2027-01-12T18:30');
    await mentor.click('button:has-text("Schedule session")');
    await mentor.waitForURL(/#sessions$/);
    await mentee.goto(spaceUrl);
    const ics = await mentee.locator('a[href$=".ics"]').first().getAttribute('href');
    const calendar = await mentee.request.get(`${stack.url}${ics}`);
    expect(await calendar.text()).toMatch(/BEGIN:VEVENT[\s\S]*DTSTART:20270112T/);
    await mentee.fill('textarea[name="body"]', 'Thank you! I would like to start with **exam planning**.');
    await mentee.click('button:has-text("Send message")');
    await mentee.waitForURL(/#messages$/);
    expect(await mentee.locator('#messages .message__body strong').last().textContent()).toBe('exam planning');
    await mentee.fill('#check-ins textarea[name="progress"]', 'I made a plan for the first two weeks.');
    await mentee.check('input[name="confidence"][value="4"]');
    await mentee.click('button:has-text("Save check-in")');
    await mentee.waitForURL(/#check-ins$/);
    await look(mentee, 'space-390', true);
    await mentee.fill(
      'section:has(button:has-text("End the mentorship")) textarea[name="reason"]',
      'We reached my goals.',
    );
    await mentee.click('button:has-text("End the mentorship")');
    await mentee.waitForURL(/\/mentorships\//);
    expect(await mentee.locator('.flash').textContent()).toMatch(/ended/);
    await menteeContext.close();
    await mentorContext.close();
  });
});
