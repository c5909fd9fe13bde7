/**
 * `npm run content:check`: checks everything in `content/` (see scripts/lib/content-check.ts).
 * Prints errors, then warnings, as `file: message` lines, then a one-line summary; exits 1 when
 * there are errors. `--root <dir>` and `--public <dir>` point it at another tree (tests).
 */
import { parseArgs } from 'node:util';
import { checkContent, type Problem } from './lib/content-check.ts';

let values: { root: string; public?: string | undefined };
try {
  ({ values } = parseArgs({
    options: { root: { type: 'string', default: 'content' }, public: { type: 'string' } },
    strict: true,
  }));
} catch (err) {
  console.error(`✖ ${(err as Error).message}. Usage: npm run content:check [-- --root <dir>] [--public <dir>]`);
  process.exit(1);
}

const { errors, warnings, pages } = checkContent(values.root, { publicDir: values.public });
const print = (heading: string, problems: Problem[]) => {
  if (problems.length === 0) return;
  console.log(`${heading} (${problems.length}):`);
  for (const { file, message } of problems) console.log(`${file}: ${message}`);
  console.log('');
};
print('Errors', errors);
print('Warnings', warnings);

const count = (n: number, word: string) => `${n === 0 ? 'no' : n} ${word}${n === 1 ? '' : 's'}`;
console.log(
  `${errors.length ? '✖' : '✔'} content:check: ${count(errors.length, 'error')}, ${count(warnings.length, 'warning')} in ${count(pages, 'page')}.` +
    (errors.length ? ' Fix the errors above; the site cannot be published with them.' : ''),
);
process.exit(errors.length ? 1 : 0);
