import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBase32IgnorePadding, encodeHexLowerCase } from '@oslojs/encoding';
import { DEMO_PASSWORD } from '#db/seed.ts';
import { codeAt, stepAt } from '#functions/auth/totp.ts';
import { axeViolations, hasBrowser, launchBrowser } from '#tests/setup/browser.ts';
import { startStack, type Stack } from '#scripts/lib/stack.ts';

const SHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');
let stack: Stack;
let browser: Browser;

/** axe runs through page.evaluate, which needs JavaScript: pages opened without it are skipped. */
async function expectAccessible(page: Page) {
  if (!js) return;
  expect(await axeViolations(page)).toEqual([]);
}

let js = true;
// Browser requests reach the local Worker without CF-Connecting-IP, so they share one address and
// one sign-in budget (6 a minute) per stack: each describe block below starts its own stack and
// stays under it (5 password sign-ins). Add a stack rather than a sixth sign-in.

describe.skipIf(!hasBrowser).each([
  ['with JavaScript (and axe-core)', true],
  ['without JavaScript', false],
])('accounts in Chromium, %s', (_, withJs) => {
  beforeAll(async () => {
    js = withJs;
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('signs up, shows errors beside their fields, confirms the email and signs out', async () => {
    const context = await browser.newContext({ javaScriptEnabled: withJs, viewport: { width: 390, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.url}/sign-up`);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, `sign-up-390${withJs ? '' : '-nojs'}.png`), fullPage: true });

    // A too-short password comes back with its error beside the field and the name kept.
    await page.fill('#field-displayName', 'Robin Ahmed');
    await page.fill('#field-email', 'robin@example.org');
    await page.fill('#field-password', 'short');
    await page.check('#field-acceptTerms');
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/sign-up$/);
    expect(await page.locator('#field-password-error').textContent()).toContain('at least 10 characters');
    expect(await page.getAttribute('#field-password', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#field-displayName')).toBe('Robin Ahmed');
    expect(await page.inputValue('#field-password')).toBe('');
    expect(await page.locator('[role="alert"]').count()).toBe(1);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'sign-up-error-390.png'), fullPage: true });

    await page.fill('#field-email', 'robin@example.org');
    await page.fill('#field-password', 'lanterns over the river');
    await page.check('#field-acceptTerms');
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/verify-email$/);
    await expectAccessible(page);

    const outbox = (await (await stack.fetch('/api/dev/outbox')).json()) as { to: string; text: string }[];
    const code = /\b(\d{6})\b/.exec(outbox.find((m) => m.to === 'robin@example.org')!.text)![1]!;
    await page.fill('#field-code', code);
    await page.click('form[action="/api/auth/verify-email"] button');
    await page.waitForURL(/\/account$/);
    expect(await page.locator('h1').textContent()).toContain('Robin Ahmed');
    expect(await page.locator('[role="status"]').textContent()).toContain('confirmed');
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'account-390.png'), fullPage: true });

    await page.click('form[action="/api/auth/sign-out"] >> text=Sign out');
    await page.waitForURL(`${stack.url}/`);
    await page.goto(`${stack.url}/account`);
    await page.waitForURL(/\/sign-in\?next=\/account$/);

    // Back in, and delete the account: the password is asked again.
    await page.fill('#field-email', 'robin@example.org');
    await page.fill('#field-password', 'lanterns over the river');
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/account$/);
    // Change the name, then visit each settings page.
    await page.fill('#field-displayName', 'Robin A.');
    await page.click('button:has-text("Save profile")');
    await page.waitForURL(/\/account$/);
    expect(await page.locator('h1').textContent()).toContain('Robin A.');
    for (const settings of ['/account/email', '/account/password', '/account/two-factor']) {
      await page.goto(`${stack.url}${settings}`);
      await expectAccessible(page);
    }
    await page.goto(`${stack.url}/account/delete`);
    await expectAccessible(page);
    await page.fill('#field-password', 'not my password');
    await page.check('#field-confirm');
    await page.click('button:has-text("Delete my account")');
    await page.waitForURL(/\/account\/delete$/);
    expect(await page.locator('#field-password-error').textContent()).toContain('not right');
    await page.fill('#field-password', 'lanterns over the river');
    await page.check('#field-confirm');
    await page.click('button:has-text("Delete my account")');
    await page.waitForURL(`${stack.url}/`);
    expect(await page.locator('[role="status"]').textContent()).toContain('deleted');
    await context.close();
  });

  it('resets a forgotten password with the emailed code', async () => {
    const context = await browser.newContext({ javaScriptEnabled: withJs, viewport: { width: 390, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.url}/sign-in`);
    await page.click('text=Forgot your password?');
    await page.waitForURL(/\/forgot-password$/);
    await expectAccessible(page);
    await page.fill('#field-email', 'hannah@example.org');
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/reset-password\?email=/);
    await expectAccessible(page);
    expect(await page.inputValue('#field-email')).toBe('hannah@example.org');
    const outbox = (await (await stack.fetch('/api/dev/outbox')).json()) as { to: string; text: string }[];
    const code = /\b(\d{6})\b/.exec(outbox.find((m) => m.to === 'hannah@example.org')!.text)![1]!;
    await page.fill('#field-code', code);
    await page.fill('#field-password', 'a fresh start for hannah');
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/sign-in$/);
    await page.fill('#field-email', 'hannah@example.org');
    await page.fill('#field-password', 'a fresh start for hannah');
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/account$/);
    await context.close();
  });

  it('finishes a two-factor sign-in with a recovery code', async () => {
    // Enrol through the API, as the set-up page would.
    const json = {
      'content-type': 'application/json',
      origin: stack.url,
      'cf-connecting-ip': withJs ? '10.7.0.1' : '10.7.0.2',
    };
    const signIn = await stack.fetch('/api/auth/sign-in', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'kenji@example.org', password: DEMO_PASSWORD }),
    });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const setup = (await (
      await stack.fetch('/api/me/two-factor/setup', { method: 'POST', headers: { ...json, cookie }, body: '{}' })
    ).json()) as { manualKey: string };
    const keyHex = encodeHexLowerCase(decodeBase32IgnorePadding(setup.manualKey.replace(/\s+/g, '')));
    const enable = await stack.fetch('/api/me/two-factor/enable', {
      method: 'POST',
      headers: { ...json, cookie },
      body: JSON.stringify({ code: codeAt(keyHex, stepAt(new Date())) }),
    });
    const { recoveryCodes } = (await enable.json()) as { recoveryCodes: string[] };

    const context = await browser.newContext({ javaScriptEnabled: withJs, viewport: { width: 390, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.url}/sign-in`);
    await page.fill('#field-email', 'kenji@example.org');
    await page.fill('#field-password', DEMO_PASSWORD);
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/two-factor\?next=/);
    await expectAccessible(page);
    await page.fill('#field-code', '000000');
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/two-factor/);
    expect(await page.locator('#field-code-error').textContent()).toContain('not right');
    await page.fill('#field-code', recoveryCodes[0]!);
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/account$/);
    expect(await page.locator('[role="status"]').textContent()).toContain('recovery code');
    await context.close();
  });

  it('signs a demo coordinator in and lists their devices at 1280px', async () => {
    const context = await browser.newContext({ javaScriptEnabled: withJs, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.url}/sign-in`);
    await expectAccessible(page);
    await page.fill('#field-email', 'jonas@example.org');
    await page.fill('#field-password', 'not the password');
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/sign-in/);
    expect(await page.locator('#field-password-error').textContent()).toContain('do not match');
    expect(await page.inputValue('#field-email')).toBe('jonas@example.org');
    await page.fill('#field-password', DEMO_PASSWORD);
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/account$/);
    expect(await page.locator('.session-list li').count()).toBe(1);
    expect(await page.locator('.site-nav').textContent()).toContain('Jonas Weber');
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'account-1280.png'), fullPage: true });
    await context.close();
  });
});

describe.skipIf(!hasBrowser)('member administration in Chromium', () => {
  beforeAll(async () => {
    js = true;
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('has an admin enrol two-factor, then grant a role and read the security log', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.url}/sign-in?next=/admin/members`);
    await page.fill('#field-email', 'amara@example.org');
    await page.fill('#field-password', DEMO_PASSWORD);
    await page.click('main button[type="submit"]');
    // Admin tools stay locked until two-factor is on.
    await page.waitForURL(/\/account$/);
    expect(await page.locator('.notice--urgent').first().textContent()).toContain('two-factor');
    await page.click('text=Set up two-factor');
    await page.waitForURL(/\/account\/two-factor$/);
    await page.click('button:has-text("Set up two-factor")');
    await page.waitForURL(/\/account\/two-factor$/);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'two-factor-setup-1280.png'), fullPage: true });
    const keyHex = encodeHexLowerCase(
      decodeBase32IgnorePadding((await page.locator('#manual-key').textContent())!.replace(/\s+/g, '')),
    );
    await page.fill('#field-code', codeAt(keyHex, stepAt(new Date())));
    await page.click('button:has-text("Turn on two-factor")');
    await page.waitForURL(/\/account\/two-factor$/);
    expect(await page.locator('.codes li').count()).toBe(10);
    await page.goto(`${stack.url}/admin/members`);
    await expectAccessible(page);
    // The demo has more members than one page holds: find her as an admin would.
    await page.fill('#member-search', 'elena');
    await page.press('#member-search', 'Enter');
    await page.waitForURL(/\/admin\/members\?q=elena/);
    const row = page.locator('tr', { hasText: 'elena@example.org' });
    await row.locator('input[value="mentor"]').check();
    await row.locator('button', { hasText: 'Save' }).click();
    await page.waitForURL(/\/admin\/members/);
    expect(await page.locator('[role="status"]').textContent()).toContain('Roles saved');
    expect(
      await page.locator('tr', { hasText: 'elena@example.org' }).locator('input[value="mentor"]').isChecked(),
    ).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'admin-members-1280.png'), fullPage: true });

    await page.goto(`${stack.url}/admin/audit`);
    await expectAccessible(page);
    expect(await page.locator('tbody tr').first().textContent()).toContain('Roles changed');
    await page.setViewportSize({ width: 390, height: 900 });
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'admin-audit-390.png'), fullPage: true });
    await context.close();
  });

  it('sends members without the permission away from the admin pages', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.url}/sign-in?next=/admin/members`);
    await page.fill('#field-email', 'tomas@example.org');
    await page.fill('#field-password', DEMO_PASSWORD);
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/account$/);
    await context.close();
  });
});
