import { mkdir } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { posts, threads, users } from '#db/schema/index.ts';
import { renderMarkdown } from '#functions/lib/markdown.ts';
import { startStack, type Stack } from '#scripts/lib/stack.ts';
import { hasBrowser, launchBrowser, signInAs } from '#tests/setup/browser.ts';
import { look as checkPage, SHOTS } from '#tests/setup/look.ts';
import { xssPayloads } from '#tests/factories/xss.ts';

let stack: Stack;
let browser: Browser;

const signIn = (context: BrowserContext, email: string, next: string) => signInAs(context, stack.url, email, next);

/** Collects console errors and CSP violations a page raises from now on. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}

/** The shared page checks (tests/setup/look.ts), screenshots named `discussions-<name>`. */
const look = (page: Page, name: string, js: boolean) => checkPage(page, name, `discussions-${name}`, { axe: js });

// Three password sign-ins against one stack, under its sign-in budget.
describe.skipIf(!hasBrowser)('discussions in Chromium', () => {
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ staffTwoFactor: 'optional' }), launchBrowser()]);
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('two members hold a conversation, one without JavaScript and one with it', async () => {
    // Tomás has JavaScript off, on a phone.
    const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
    const tomas = await signIn(plain, 'tomas@example.org', '/discussions');
    const tomasProblems = watch(tomas);
    await look(tomas, 'index-nojs-390', false);
    await tomas.click('a:has-text("Study skills and exams")');
    await tomas.waitForURL(/\/discussions\/study-skills$/);
    await look(tomas, 'category-nojs-390', false);
    await tomas.click('a:has-text("Start a thread")');
    await tomas.waitForURL(/\/discussions\/new\?category=study-skills$/);
    await tomas.fill('#field-title', 'Flashcards or practice questions for history dates?');
    await tomas.fill(
      '#field-body',
      'My exam has a **lot** of dates. Do flashcards work for you, or is it better to practise with past questions?',
    );
    await tomas.click('button:has-text("Post thread")');
    await tomas.waitForURL(/\/discussions\/t\/[0-9a-f-]{36}$/);
    const threadUrl = tomas.url();
    expect(await tomas.locator('.flash').textContent()).toMatch(/Your thread is up/);
    expect(await tomas.locator('.post__body strong').first().textContent()).toBe('lot');
    // Tomás is a new member: 5 seconds between his posts (the posting policy's day-one rule).
    let lastPost = Date.now();
    const paced = async () => {
      await tomas.waitForTimeout(Math.max(0, 5_500 - (Date.now() - lastPost)));
      lastPost = Date.now();
    };

    // A new member posting again within 5 seconds is asked to wait, and loses nothing.
    const reply = 'Also: does anyone colour-code their timelines?';
    await tomas.fill('#field-body', reply);
    await Promise.all([tomas.waitForEvent('load'), tomas.click('button:has-text("Post reply")')]);
    expect(await tomas.locator('.flash').textContent()).toMatch(/Try again in \d+ seconds?/);
    expect(await tomas.inputValue('#field-body')).toBe(reply);

    // Hannah has JavaScript, on a laptop: Tomás's reply appears on her open page without a reload.
    const rich = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const hannah = await signIn(rich, 'hannah@example.org', new URL(threadUrl).pathname);
    const hannahProblems = watch(hannah);
    await hannah.waitForLoadState('networkidle');
    await look(hannah, 'thread-1280', true);
    await paced();
    await tomas.fill('#field-body', reply);
    await tomas.click('button:has-text("Post reply")');
    await tomas.waitForURL(/#post-2$/);
    const live = hannah.locator('.post-list--live .post__body');
    await expect.poll(() => live.count(), { timeout: 12_000, interval: 500 }).toBe(1);
    expect(await live.first().textContent()).toMatch(/colour-code/);
    expect(hannah.url()).toBe(threadUrl); // no reload

    // Hannah previews her Markdown (rendered by the server's pipeline), then replies.
    await hannah.fill('#field-body', 'Both! I use **practice questions** first, then flashcards for what I got wrong.');
    await hannah.click('button:has-text("Preview")');
    await expect.poll(() => hannah.locator('.composer-preview strong').textContent()).toBe('practice questions');
    await hannah.click('button:has-text("Post reply")');
    await hannah.waitForURL(/#post-3$/);
    expect(await hannah.locator('#post-3 .post__body strong').textContent()).toBe('practice questions');

    // Tomás (no JavaScript) reloads, thanks Hannah with a small form, and quotes her.
    await tomas.goto(threadUrl);
    const hannahsPost = tomas.locator('#post-3');
    await hannahsPost.locator('button:has-text("Thank you")').click();
    await tomas.waitForURL(/#post-3$/);
    expect(await tomas.locator('#post-3 button[aria-pressed="true"]').textContent()).toMatch(/Thank you\s*1/);
    await tomas.locator('#post-3 a:has-text("Quote")').click();
    await tomas.waitForURL(/\?quote=.*#reply$/);
    expect(await tomas.inputValue('#field-body')).toMatch(/^> \*\*Hannah Brooks\*\* wrote:/);
    await tomas.fill('#field-body', `${await tomas.inputValue('#field-body')}Great idea, trying it tonight.`);
    await paced();
    await tomas.click('button:has-text("Post reply")');
    await tomas.waitForURL(/#post-4$/);
    expect(await tomas.locator('#post-4 .post__reply-to').textContent()).toMatch(/in reply to Hannah Brooks/);
    expect(await tomas.locator('#post-4 blockquote').count()).toBe(1);

    // Tomás accepts Hannah's answer (Q&A) and edits his question; Hannah sees both.
    await tomas.locator('#post-3 button:has-text("Accept as solution")').click();
    await tomas.waitForURL(/#post-3$/);
    await tomas.locator('#post-1 a:has-text("Edit or delete")').click();
    await tomas.waitForURL(/\/edit$/);
    await look(tomas, 'edit-nojs-390', false);
    await tomas.fill('#field-body', 'My exam has a lot of dates (about 60). Flashcards, or past questions?');
    await tomas.fill('#field-reason', 'Added how many');
    await paced();
    await tomas.click('button:has-text("Save changes")');
    await tomas.waitForURL(/#post-1$/);
    await look(tomas, 'thread-nojs-390', false);
    await hannah.reload();
    expect(await hannah.locator('#post-3 .badge:has-text("Solution")').count()).toBe(1);
    expect(await hannah.locator('#post-1 .post__edited').textContent()).toBe('edited');
    expect(await hannah.locator('#post-1 a.post__edited').count()).toBe(0); // her history is not Hannah's to read

    // Hannah was notified of the reply to her post.
    await hannah.goto(`${stack.url}/notifications`);
    expect(await hannah.locator('main').textContent()).toMatch(/Tomás Silva replied to your post/);

    // Search finds the thread, from the discussions search page.
    await hannah.goto(`${stack.url}/discussions/search?q=flashcards`);
    expect(await hannah.locator('.discussion-results mark').first().textContent()).toMatch(/flashcards/i);
    await look(hannah, 'search-1280', true);

    expect(tomasProblems).toEqual([]);
    expect(hannahProblems).toEqual([]);
    await plain.close();
    await rich.close();
  });

  it('shows the XSS corpus as text: no script runs, no element is injected', async () => {
    const db = stack.database();
    const payloads = xssPayloads();
    const [tomas] = await db.select().from(users).where(eq(users.email, 'tomas@example.org'));
    const now = new Date();
    // Display names and titles too: a stranger with a hostile name opens a thread with a hostile title.
    const strangerId = crypto.randomUUID();
    await db.insert(users).values({
      id: strangerId,
      email: 'xss-stranger@example.test',
      displayName: '<img src=x onerror=alert(1)>"><script>alert(2)</script>',
      emailVerifiedAt: now,
    });
    const threadId = crypto.randomUUID();
    // 2,076 payloads in 21 posts of about a hundred each.
    const chunks = Array.from({ length: Math.ceil(payloads.length / 100) }, (_, i) =>
      payloads.slice(i * 100, i * 100 + 100).join('\n\n'),
    );
    await db.insert(threads).values({
      id: threadId,
      category: 'campus-life',
      title: '<svg onload=alert(3)> "><script>alert(4)</script> title',
      authorId: strangerId,
      createdAt: now,
      lastPostAt: now,
      lastSeq: chunks.length,
      replyCount: chunks.length - 1,
    });
    await db.insert(posts).values(
      chunks.map((body, i) => ({
        id: crypto.randomUUID(),
        threadId,
        seq: i + 1,
        authorId: i % 2 ? tomas!.id : strangerId,
        body: body.slice(0, 32_000),
        bodyHtml: renderMarkdown(body.slice(0, 32_000)),
        createdAt: now,
      })),
    );
    db.$client.close();

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watch(page);
    await page.addInitScript(() => {
      (window as unknown as { __xss: number }).__xss = 0;
      window.alert = () => {
        (window as unknown as { __xss: number }).__xss += 1;
      };
    });
    for (const url of [`/discussions/t/${threadId}`, '/discussions/campus-life', '/discussions/search?q=alert']) {
      await page.goto(`${stack.url}${url}`, { waitUntil: 'networkidle' });
      const found = await page.evaluate(() => ({
        ran: (window as unknown as { __xss: number }).__xss,
        // Only the site's own scripts (its island loader): nothing from a post, title or name.
        scripts: [...document.querySelectorAll('script')].filter(
          (s) => !s.src && !s.type?.includes('module') && s.textContent?.includes('alert'),
        ).length,
        injected: [
          ...document.querySelectorAll(
            'main img, main svg, main iframe, main object, main embed, main math, main style, main [onerror], main [onload], main [onclick], main [onmouseover]',
          ),
        ]
          // Astro's own rule for island wrappers is the one style element expected.
          .filter((e) => !(e.tagName === 'STYLE' && e.textContent?.startsWith('astro-island,')))
          .map((e) => e.outerHTML.slice(0, 200)),
        javascriptLinks: [...document.querySelectorAll('main a[href]')].filter((a) =>
          /^\s*javascript:/i.test(a.getAttribute('href') ?? ''),
        ).length,
      }));
      expect(found, url).toEqual({ ran: 0, scripts: 0, injected: [], javascriptLinks: 0 });
    }
    await page.goto(`${stack.url}/discussions/t/${threadId}`);
    expect(await page.locator('main > h1').textContent()).toBe(
      '<svg onload=alert(3)> "><script>alert(4)</script> title',
    );
    expect(await page.locator('#post-1 .post__author').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(problems.filter((p) => p.startsWith('dialog'))).toEqual([]);
    await context.close();
  });

  it('keeps a group’s category from everyone outside it, and lets coordinators manage the group', async () => {
    const staff = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const coordinator = await signIn(staff, 'jonas@example.org', '/coordinator/groups');
    await look(coordinator, 'groups-1280', true);
    await coordinator.click('a:has-text("Evening cohort 2026")');
    await coordinator.waitForURL(/\/coordinator\/groups\/evening-cohort-2026$/);
    await look(coordinator, 'group-1280', true);
    const outsider = await stack.fetch('/discussions/evening-cohort');
    expect(outsider.status).toBe(404);
    const api = await stack.fetch('/api/categories');
    expect(((await api.json()) as { slug: string }[]).map((c) => c.slug)).not.toContain('evening-cohort');
    await staff.close();
  });

  it('every discussion page has no WCAG 2.2 AA violations at 390 and 1280 px, light and dark', async () => {
    const db = stack.database();
    const all = await db.select().from(threads);
    db.$client.close();
    const anonymous = all.find((t) => t.anonymous)!;
    const prompt = all.find((t) => t.prompt)!;
    const solved = all.find((t) => t.solutionPostId)!;
    const pages: [string, string][] = [
      ['index', '/discussions'],
      ['category', '/discussions/wellbeing'],
      ['thread', `/discussions/t/${solved.id}`],
      ['anonymous', `/discussions/t/${anonymous.id}`],
      ['prompt', `/discussions/t/${prompt.id}`],
      ['new', '/discussions/new?category=wellbeing'],
      ['search', '/discussions/search?q=exam'],
      ['account', '/account'],
    ];
    const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
    const page = await signIn(context, 'kenji@example.org', '/discussions');
    const problems = watch(page);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        for (const [name, url] of pages) {
          await page.goto(`${stack.url}${url}`, { waitUntil: 'networkidle' });
          await look(page, `${name}-${width}${scheme === 'dark' ? '-dark' : ''}`, true);
        }
      }
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
