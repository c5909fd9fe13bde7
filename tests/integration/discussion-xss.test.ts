import { h as createElement } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { users } from '#db/schema/index.ts';
import { basicPolicy, writePost } from '#functions/services/discussions/write.ts';
import { getThread, listThreads } from '#functions/services/discussions/read.ts';
import { searchPosts } from '#functions/services/discussions/search.ts';
import Post from '#src/components/discussions/Post.tsx';
import { discussionHarness, fixtureDiscussions } from '#tests/factories/discussions.ts';
import { decodeEntities, MARKDOWN_MARKUP, markupProblems, xssPayloads } from '#tests/factories/xss.ts';
import { createTestDb } from '#tests/setup/db.ts';

/** The markup the Post component itself writes around a post's (already sanitized) body. */
const POST_MARKUP: Record<string, readonly string[]> = {
  ...MARKDOWN_MARKUP,
  a: ['href', 'rel', 'class'],
  article: ['class', 'id', 'aria-labelledby'],
  header: ['class'],
  footer: ['class'],
  h2: ['class', 'id'],
  span: ['class'],
  time: ['datetime'],
  p: ['class'],
  div: ['class'],
  ul: ['class', 'aria-label'],
  li: ['class'],
  form: ['method', 'action', 'class'],
  input: ['type', 'name', 'value'],
  button: ['class', 'type', 'aria-pressed'],
};
const NOT_IN_COMPONENTS = /<\/?(?:script|iframe|object|embed|svg|math|style|img|base|meta|link|textarea)\b/i;

/** The search page's titles and snippets: escaped text with `<mark>` only. */
const MARKED: Record<string, readonly string[]> = { mark: [] };

const payloads = xssPayloads();

describe('the XSS corpus through discussions', () => {
  it('has at least 500 payloads', () => {
    expect(payloads.length).toBeGreaterThanOrEqual(500);
  });

  it('stays inert as posts, titles and display names: in the API, the post component and search', async () => {
    const db = await createTestDb();
    const h = discussionHarness(db);
    const catalog = fixtureDiscussions();
    const now = h.clock.now();
    // Display names: every payload is someone's name (display names are up to 80 characters).
    const people = payloads.slice(0, 600).map((payload, i) => ({
      id: crypto.randomUUID(),
      email: `xss-${i}@example.test`,
      displayName: payload.slice(0, 80) || 'x',
      emailVerifiedAt: now,
    }));
    for (let i = 0; i < people.length; i += 100) await db.insert(users).values(people.slice(i, i + 100));
    const actor = (i: number) => ({ id: people[i % people.length]!.id, roles: [], emailVerified: true });

    // Titles: every payload titles a thread (padded to the 5-character minimum, cut at 150).
    const threadIds: string[] = [];
    for (const [i, payload] of payloads.entries()) {
      const title = `${payload} xss`.replace(/\s+/g, ' ').trim().padEnd(5, '.').slice(0, 150);
      const { thread } = await writePost(db, { catalog, now, policy: basicPolicy }, actor(i), {
        kind: 'thread',
        categorySlug: i % 2 ? 'open' : 'anon',
        title,
        // Posts: every payload is an opening post, with a mention and a quote around it.
        body: `${payload}\n\n> ${payload}\n\n@${'a'.repeat(3)}-${people[0]!.id.slice(0, 4)} ${payload}`,
        anonymous: i % 4 === 0,
      });
      threadIds.push(thread.id);
    }

    const viewer = { id: people[1]!.id, roles: [] as never[], emailVerified: true };
    const failures: string[] = [];
    for (const [i, id] of threadIds.entries()) {
      const page = await getThread(db, catalog, viewer, id);
      for (const post of page.posts) {
        const inBody = markupProblems(post.bodyHtml);
        if (inBody.length) failures.push(`#${i} body: ${inBody.join('; ')}`);
        const html = renderToString(
          createElement(Post, {
            post,
            actions: {
              threadId: id,
              here: `/discussions/t/${id}`,
              canTakePart: true,
              canAcceptSolution: true,
              qa: true,
              moderates: true,
            },
          }),
        );
        const inComponent = markupProblems(html, { allowed: POST_MARKUP, forbidden: NOT_IN_COMPONENTS, own: true });
        if (inComponent.length) failures.push(`#${i} component: ${inComponent.join('; ')}`);
        // The author's name is shown as text: whatever it contains comes back out as that text.
        const heading = /<h2 class="post__author"[^>]*>([\s\S]*?)<\/h2>/.exec(html)?.[1] ?? '';
        const shown = decodeEntities(heading.replace(/<[^>]*>/g, ''));
        if (post.author.kind === 'member' && !shown.includes(post.author.displayName))
          failures.push(`#${i} name not shown as text: ${JSON.stringify(heading.slice(0, 80))}`);
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);

    // The API answers JSON: the same title and name come back as data, never as markup.
    const res = await h.request(`/api/threads/${threadIds[1]}`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const listed = await listThreads(db, catalog, viewer, 'open', { limit: 50 });
    expect(listed.threads.length).toBe(50);

    // Search: titles and snippets are escaped text with <mark> around matches, and nothing else.
    for (const word of ['alert', 'script', 'onerror', 'javascript', 'img', 'svg', 'iframe', 'xss', 'href', 'style']) {
      const found = await searchPosts(db, catalog, viewer, word);
      for (const r of found.results) {
        const problems = [
          ...markupProblems(r.titleHtml, { allowed: MARKED }),
          ...markupProblems(r.snippetHtml, { allowed: MARKED }),
        ];
        if (problems.length) failures.push(`search "${word}": ${problems.join('; ')}`);
        if (/<mark>/.test(r.snippetHtml) === false && /<mark>/.test(r.titleHtml) === false)
          failures.push(`search "${word}": no match marked`);
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
  }, 240_000);
});
