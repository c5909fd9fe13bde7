/**
 * Full-page screenshots of Hearth pages at phone and desktop widths, from the production build
 * on a seeded stack, for looking at what you build:
 *
 *   npm run screenshots -- /surveys /admin/metrics --as amara@example.org --out /tmp/shots
 *
 * --as signs in as a demo person first (staff two-factor is relaxed for this stack); --dark also
 * takes dark-mode shots; --no-js turns JavaScript off; --top keeps only the first screen (900 px
 * high), to look closely at a header or a form. Files are named after the path and width.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, signInAs } from '#tests/setup/browser.ts';
import { startStack } from '#scripts/lib/stack.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    as: { type: 'string' },
    out: { type: 'string', default: 'screenshots' },
    dark: { type: 'boolean', default: false },
    'no-js': { type: 'boolean', default: false },
    top: { type: 'boolean', default: false },
    widths: { type: 'string', default: '390,1280' },
  },
});
if (!positionals.length) {
  console.error('Name at least one page path, e.g. npm run screenshots -- /surveys --as amara@example.org');
  process.exit(2);
}

const out = path.resolve(values.out);
await mkdir(out, { recursive: true });
const stack = await startStack({ staffTwoFactor: 'optional' });
const browser = await launchBrowser();
try {
  for (const scheme of values.dark ? (['light', 'dark'] as const) : (['light'] as const)) {
    for (const width of values.widths.split(',').map(Number)) {
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        colorScheme: scheme,
        javaScriptEnabled: !values['no-js'],
      });
      if (values.as) await (await signInAs(context, stack.url, values.as, '/account')).close();
      const page = await context.newPage();
      for (const p of positionals) {
        const response = await page.goto(`${stack.url}${p}`);
        const name = `${p.replace(/^\/|\/$/g, '').replace(/[^a-z0-9]+/gi, '-') || 'home'}-${width}${scheme === 'dark' ? '-dark' : ''}.png`;
        await page.screenshot({ path: path.join(out, name), fullPage: !values.top });
        console.log(`${response?.status() ?? '???'} ${p} → ${path.join(out, name)}`);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await stack.stop();
}
