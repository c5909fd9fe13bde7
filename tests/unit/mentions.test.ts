import { describe, expect, it } from 'vitest';
import { users } from '#db/schema/index.ts';
import { handleOf, mentionedHandles, nameSlug, resolveMentions } from '#functions/services/discussions/mentions.ts';
import { createTestDb } from '#tests/setup/db.ts';

describe('mention handles', () => {
  it('are the display name as ASCII words plus the start of the id', () => {
    expect(nameSlug('Lucía Fernández')).toBe('lucia-fernandez');
    expect(nameSlug('  ***  ')).toBe('member');
    expect(nameSlug('陳偉')).toBe('member');
    expect(nameSlug('A very long display name that goes on and on')).toHaveLength(24);
    expect(handleOf({ id: '3f2a9c00-0000-4000-8000-000000000000', displayName: 'Lucía Fernández' })).toBe(
      'lucia-fernandez-3f2a',
    );
  });

  it('are found in prose, not in code, e-mail addresses or words', () => {
    const text = [
      'Thanks @lucia-fernandez-3f2a and (@wei-chen-00ff)!',
      'Write to lucia@example.org or see `@code-span-1234`.',
      '```\n@fenced-block-abcd\n```',
      'not-a@mention-1234 and @too-short-12 and @UPPER-CASE-abcd',
    ].join('\n');
    expect(mentionedHandles(text)).toEqual(['lucia-fernandez-3f2a', 'wei-chen-00ff']);
  });

  it('name a member only when both the name and the id part match', async () => {
    const db = await createTestDb();
    const lucia = {
      id: '3f2a9c00-0000-4000-8000-000000000001',
      displayName: 'Lucía Fernández',
      email: 'l@example.test',
    };
    const namesake = {
      id: '3f2a9c00-0000-4000-8000-000000000002',
      displayName: 'Someone Else',
      email: 's@example.test',
    };
    await db.insert(users).values([lucia, namesake]);
    const found = await resolveMentions(db, ['lucia-fernandez-3f2a', 'someone-else-3f2b', 'nobody-0000']);
    expect(found.map((f) => f.id)).toEqual([lucia.id]);
  });
});
