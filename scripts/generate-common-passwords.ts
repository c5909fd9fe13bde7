/**
 * Writes functions/auth/common-passwords.json: the 3,000 most common passwords, lower-cased and
 * de-duplicated, from the ranked list in @zxcvbn-ts/language-common (MIT). Run after upgrading it:
 *   node scripts/generate-common-passwords.ts
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dictionary } from '@zxcvbn-ts/language-common';

const COUNT = 3000;
const seen = new Set<string>();
for (const word of dictionary['passwords-common'] as string[]) {
  seen.add(word.toLowerCase());
  if (seen.size === COUNT) break;
}
const target = path.resolve(import.meta.dirname, '../functions/auth/common-passwords.json');
await writeFile(target, JSON.stringify([...seen]) + '\n');
console.log(`Wrote ${seen.size} passwords to ${path.relative(process.cwd(), target)}`);
