import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { axeViolations } from './browser.ts';

/** Where browser tests leave their screenshots, to look at after a run. */
export const SHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');

/**
 * What every browser test checks on a page it visits: no WCAG 2.2 AA violations axe can find
 * (`axe` needs JavaScript on), no sideways scrolling, and a full-page screenshot `<file>.png`.
 */
export async function look(page: Page, label: string, file: string, { axe = true } = {}) {
  if (axe) expect(await axeViolations(page), label).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth).catch(() => 0);
  expect(overflow, `${label} scrolls sideways`).toBeLessThanOrEqual(0);
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${file}.png`), fullPage: true });
}
