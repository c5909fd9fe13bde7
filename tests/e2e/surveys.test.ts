import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBrowser, launchBrowser, signInAs } from '#tests/setup/browser.ts';
import { look as checkPage, SHOTS } from '#tests/setup/look.ts';
import { startStack, type Stack } from '#scripts/lib/stack.ts';
import { eq } from 'drizzle-orm';
import { users } from '#db/schema/index.ts';
import { contentSurveys } from '#tests/factories/training.ts';

let stack: Stack;
let browser: Browser;

interface Definition {
  questions: { id: string; type: string; required: boolean; options: { id: string }[] | null; showIf: unknown }[];
}

/** Answers a survey through the API, as another client would (used to clear all but one). */
async function answerByApi(page: Page, slug: string, instance = 'manual') {
  const definition = (await (await page.request.get(`${stack.url}/api/surveys/${slug}`)).json()) as Definition;
  const answers: Record<string, unknown> = {};
  for (const q of definition.questions) {
    if (q.showIf) continue;
    if (q.type === 'likert5') answers[q.id] = 3;
    else if (q.type === 'nps') answers[q.id] = 7;
    else if (q.type === 'single') answers[q.id] = q.options![0]!.id;
    else if (q.type === 'multiple') answers[q.id] = [q.options![0]!.id];
    else if (q.required) answers[q.id] = 'Fine, thank you.';
  }
  const res = await page.request.post(`${stack.url}/api/surveys/${slug}/responses`, {
    data: { answers, instance },
    headers: { origin: stack.url },
  });
  expect(res.status(), await res.text()).toBe(201);
}

const pending = async (page: Page) =>
  (await (await page.request.get(`${stack.url}/api/surveys/pending`)).json()) as { slug: string; instance: string }[];

/** The shared page checks (tests/setup/look.ts), screenshots named `surveys-<name>`. */
const look = (page: Page, name: string, axe = true) => checkPage(page, name, `surveys-${name}`, { axe: axe });

const banner = (page: Page) => page.locator('.survey-banner');

describe.skipIf(!hasBrowser)('surveys in Chromium', () => {
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('a member answers a survey with JavaScript off: an error beside the question, fixed, then thanks', async () => {
    const context: BrowserContext = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 900 },
    });
    const page = await signInAs(context, stack.url, 'hannah@example.org', '/account');
    // Every open survey of her audience waits; the banner says so and leads to the list.
    const waiting = await pending(page);
    expect(waiting.map((p) => p.slug)).toContain('programme-feedback');
    expect(await banner(page).count()).toBe(1);
    expect(await banner(page).textContent()).toMatch(
      waiting.length === 1 ? /A short survey is waiting/ : new RegExp(`${waiting.length} short surveys`),
    );
    for (const p of waiting.filter((p) => p.slug !== 'programme-feedback')) await answerByApi(page, p.slug, p.instance);

    await page.goto(`${stack.url}/account`);
    expect(await banner(page).textContent()).toMatch(/A short survey is waiting/);
    await banner(page).locator('a').click();
    await page.waitForURL(`${stack.url}/surveys`);
    // No banner on the surveys pages themselves: the list is the reminder.
    expect(await banner(page).count()).toBe(0);
    await page.click('a:has-text("How is Hearth working for you?")');
    await page.waitForURL(`${stack.url}/surveys/programme-feedback`);
    const main = page.locator('main');
    expect(await main.textContent()).toMatch(/Who sees your answers/);
    expect(await main.textContent()).toMatch(/Anonymous\./);
    expect(await main.textContent()).toMatch(
      /Answer this only if you chose “Mentoring, as a mentee or a mentor” in question 5/,
    );

    // Question 2 ("I feel welcome") left out.
    await page.check('input[name="q.recommend"][value="9"]');
    await page.check('input[name="q.feel-safe-sharing"][value="4"]');
    await page.check('input[name="q.easy-to-find"][value="5"]');
    await page.check('input[name="q.main-use"][value="mentoring"]');
    await page.fill('textarea[name="q.how-mentoring-helped"]', 'Someone to plan my week with.');
    await page.check('input[name="q.what-helped"][value="being-listened-to"]');
    await page.check('input[name="q.what-helped"][value="mentor-guidance"]');
    await page.fill('input[name="q.in-a-few-words"]', 'Calm and kind');
    await page.click('button:has-text("Send my answers")');
    await page.waitForURL(`${stack.url}/surveys/programme-feedback`);

    // The summary at the top links to the question; the error sits beside it.
    const summary = page.locator('.flash[role="alert"]');
    expect(await summary.textContent()).toMatch(/Some answers need another look/);
    const link = summary.locator('a[href="#field-answers.feel-welcome"]');
    expect(await link.textContent()).toBe('Please answer question 2.');
    const question = page.locator('[id="field-answers.feel-welcome"]');
    expect(await question.locator('.field-error').textContent()).toMatch(/Please answer question 2/);
    expect(await question.getAttribute('aria-describedby')).toContain('error-feel-welcome');
    // Everything else comes back as it was.
    expect(await page.isChecked('input[name="q.recommend"][value="9"]')).toBe(true);
    expect(await page.isChecked('input[name="q.easy-to-find"][value="5"]')).toBe(true);
    expect(await page.isChecked('input[name="q.main-use"][value="mentoring"]')).toBe(true);
    expect(await page.isChecked('input[name="q.what-helped"][value="being-listened-to"]')).toBe(true);
    expect(await page.isChecked('input[name="q.what-helped"][value="mentor-guidance"]')).toBe(true);
    expect(await page.isChecked('input[name="q.what-helped"][value="study-tips"]')).toBe(false);
    expect(await page.inputValue('textarea[name="q.how-mentoring-helped"]')).toBe('Someone to plan my week with.');
    expect(await page.inputValue('input[name="q.in-a-few-words"]')).toBe('Calm and kind');
    await look(page, 'error-390-nojs', false);

    await page.check('input[name="q.feel-welcome"][value="4"]');
    await page.click('button:has-text("Send my answers")');
    await page.waitForURL(`${stack.url}/surveys`);
    expect(await page.locator('.flash').textContent()).toMatch(/Thank you/);
    expect(await main.textContent()).toMatch(/Nothing is waiting for you right now/);
    expect(await page.locator('.answered-list').textContent()).toMatch(/How is Hearth working for you\?/);
    await page.goto(`${stack.url}/account`);
    expect(await banner(page).count()).toBe(0);
    // Answered: the survey page says so kindly instead of showing the form again.
    await page.goto(`${stack.url}/surveys/programme-feedback`);
    expect(await main.textContent()).toMatch(/You have already answered this survey/);
    expect(await page.locator('form.survey-form').count()).toBe(0);
    await context.close();
  });

  it('the list, the form and its error state are accessible at 390 and 1280 px', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signInAs(context, stack.url, 'kenji@example.org', '/surveys');
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${stack.url}/surveys`);
      await look(page, `list-${width}`);
      await page.goto(`${stack.url}/surveys/programme-feedback`);
      await look(page, `form-${width}`);
      await page.check('input[name="q.recommend"][value="10"]');
      await page.check('input[name="q.what-helped"][value="feeling-less-alone"]');
      await page.click('button:has-text("Send my answers")');
      await page.waitForURL(`${stack.url}/surveys/programme-feedback`);
      expect(await page.locator('.flash[role="alert"] li').count()).toBeGreaterThanOrEqual(4);
      await look(page, `error-${width}`);
    }
    // A member who reads Spanish gets the Spanish wording and the form's own words in Spanish.
    const db = stack.database();
    await db.update(users).set({ locale: 'es' }).where(eq(users.email, 'fatima@example.org'));
    db.$client.close();
    const spanish = await browser.newContext({ viewport: { width: 390, height: 900 } });
    const es = await signInAs(spanish, stack.url, 'fatima@example.org', '/surveys/programme-feedback');
    expect(await es.getAttribute('main', 'lang')).toBe('es');
    expect(await es.locator('h1').textContent()).toBe(contentSurveys().get('programme-feedback')!.wording.es!.title);
    expect(await es.locator('main').textContent()).toMatch(/Quién ve tus respuestas/);
    expect(await es.locator('main').textContent()).toMatch(/Totalmente de acuerdo/);
    await es.click('button:has-text("Enviar mis respuestas")');
    await es.waitForURL(`${stack.url}/surveys/programme-feedback`);
    expect(await es.locator('.flash').textContent()).toMatch(/Responde a la pregunta 1/);
    await look(es, 'error-es-390');
    await spanish.close();

    // Without sign-in, the pages ask for it and come back.
    const anonymous = await browser.newContext();
    const visitor = await anonymous.newPage();
    await visitor.goto(`${stack.url}/surveys/programme-feedback`);
    expect(new URL(visitor.url()).pathname).toBe('/sign-in');
    expect(new URL(visitor.url()).searchParams.get('next')).toBe('/surveys/programme-feedback');
    // An unknown survey is a 404, not an error page.
    const missing = await page.goto(`${stack.url}/surveys/no-such-survey`);
    expect(missing?.status()).toBe(404);
    await anonymous.close();
    await context.close();
  });
});
