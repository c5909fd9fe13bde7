import { loadContent } from '#scripts/lib/content.ts';
import { buildDiscussionCatalog, type DiscussionCatalog } from '#functions/discussions/catalog.ts';
import type { Category } from '#src/lib/content/schema.ts';

let real: DiscussionCatalog | undefined;

/** The categories and prompts in the real `content/` folder. */
export function contentDiscussions(): DiscussionCatalog {
  if (!real) {
    const content = loadContent();
    real = buildDiscussionCatalog(content.categories, content.prompts);
  }
  return real;
}

const category = (slug: string, order: number, extra: Partial<Category> = {}): Category => ({
  slug,
  name: { en: `The ${slug} category`, es: `La categoría ${slug}` },
  description: { en: `Threads about ${slug}, for the tests.` },
  visibility: 'members',
  whoMayPost: 'members',
  anonymous: false,
  qa: false,
  postFirst: false,
  holdFirstPosts: false,
  order,
  ...extra,
});

/**
 * A small catalog with one category of each kind: `open` (public), `members`, `anon` (anonymous
 * allowed), `qa`, `reflect` (post-first), `mentors` (mentors post), `staff` (staff post) and
 * `cohort` (only group `cohort-a`).
 */
export function fixtureDiscussions(): DiscussionCatalog {
  return buildDiscussionCatalog(
    [
      category('open', 0, { visibility: 'public' }),
      category('members', 1),
      category('anon', 2, { anonymous: true }),
      category('qa', 3, { qa: true }),
      category('reflect', 4, { postFirst: true }),
      category('mentors', 5, { whoMayPost: 'mentors' }),
      category('staff', 6, { visibility: 'public', whoMayPost: 'staff' }),
      category('cohort', 7, { visibility: 'group', group: 'cohort-a', anonymous: true, qa: true }),
    ],
    [],
  );
}
