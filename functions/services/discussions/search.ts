import { sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import type { Locale } from '#src/lib/content/schema.ts';
import { localized, type DiscussionCatalog } from '../../discussions/catalog.ts';
import { loadViewer, moderates, readableCategories, type Actor } from './access.ts';
import { authorView, postPath, type AuthorView } from './shared.ts';

/** Results per search; a more precise query finds the rest. */
export const SEARCH_LIMIT = 30;

/** Marks FTS5 puts around matches; post text never contains them (writePost strips control characters). */
const OPEN = '\u0001';
const CLOSE = '\u0002';

/**
 * The words of a query as an FTS5 expression: each word quoted (so nothing a member types is
 * query syntax), all required, the last one a prefix. Null when there is no word to look for.
 */
export function ftsQuery(q: string): string | null {
  const words = q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words
    .slice(0, 8)
    .map((word, i, all) => `"${word}"${i === all.length - 1 ? '*' : ''}`)
    .join(' ');
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Text from FTS5 with match marks → HTML: everything escaped, then only the marks we asked for
 * become `<mark>`, always balanced.
 */
export function markedHtml(text: string): string {
  let open = false;
  let html = '';
  for (const part of text.split(new RegExp(`([${OPEN}${CLOSE}])`))) {
    if (part === OPEN) {
      if (!open) html += '<mark>';
      open = true;
    } else if (part === CLOSE) {
      if (open) html += '</mark>';
      open = false;
    } else html += escapeHtml(part);
  }
  return open ? `${html}</mark>` : html;
}

export interface SearchResult {
  postId: string;
  threadId: string;
  seq: number;
  url: string;
  /** Escaped HTML with `<mark>` around matches. */
  titleHtml: string;
  snippetHtml: string;
  category: { slug: string; name: string };
  author: AuthorView;
  createdAt: string;
}

/**
 * Full-text search over thread titles and posts. Only posts the reader could open are found:
 * published posts in published threads of categories they can read (a group's posts never reach
 * outsiders), and in post-first threads only the opening post until they have replied. Authors
 * appear exactly as on the thread page, so anonymous posts stay anonymous.
 */
export async function searchPosts(
  db: Database,
  catalog: DiscussionCatalog,
  actor: Actor | null,
  q: string,
  options: { category?: string | undefined; locale?: Locale | undefined } = {},
): Promise<{ query: string; results: SearchResult[] }> {
  const match = ftsQuery(q);
  const viewer = await loadViewer(db, actor);
  const readable = readableCategories(viewer, catalog.categories).filter(
    (c) => !options.category || c.slug === options.category,
  );
  if (!match || readable.length === 0) return { query: q, results: [] };
  const slugs = readable.map((c) => c.slug);
  const seeAll = readable.filter((c) => moderates(viewer, c)).map((c) => c.slug);
  const me = actor?.id ?? '';
  const list = (values: string[]) =>
    values.length
      ? sql.join(
          values.map((v) => sql`${v}`),
          sql`, `,
        )
      : sql`null`;
  const rows = await db.all<{
    postId: string;
    threadId: string;
    seq: number;
    title: string;
    titleMarked: string;
    snippet: string;
    category: string;
    anonymous: number;
    authorId: string | null;
    authorName: string | null;
    alias: number | null;
    mine: number;
    team: number;
    createdAt: number;
  }>(sql`
    select p.id as postId, p.thread_id as threadId, p.seq as seq, t.title as title, t.category as category,
      highlight(discussion_search, 0, char(1), char(2)) as titleMarked,
      snippet(discussion_search, 1, char(1), char(2), '…', 24) as snippet,
      p.anonymous as anonymous,
      case when p.anonymous then null else p.author_id end as authorId,
      case when p.anonymous then null else u.display_name end as authorName,
      a.number as alias,
      coalesce(p.author_id = ${me}, 0) as mine,
      (t.prompt is not null and p.seq = 1) as team,
      p.created_at as createdAt
    from discussion_search
      join posts p on p.rowid = discussion_search.rowid
      join threads t on t.id = p.thread_id
      left join users u on u.id = p.author_id and p.anonymous = 0
      left join thread_aliases a on a.thread_id = p.thread_id and a.user_id = p.author_id and p.anonymous = 1
    where discussion_search match ${match}
      and p.status = 'visible' and t.status = 'visible'
      and t.category in (${list(slugs)})
      and (t.post_first = 0 or p.seq = 1 or t.category in (${list(seeAll)})
        or exists (select 1 from posts mine where mine.thread_id = t.id and mine.author_id = ${me}))
    order by rank
    limit ${SEARCH_LIMIT}
  `);
  return {
    query: q,
    results: rows.map((r) => {
      const category = catalog.category(r.category)!;
      return {
        postId: r.postId,
        threadId: r.threadId,
        seq: Number(r.seq),
        url: postPath(r.postId),
        titleHtml: Number(r.seq) === 1 ? markedHtml(r.titleMarked) : escapeHtml(r.title),
        snippetHtml: markedHtml(r.snippet),
        category: { slug: category.slug, name: localized(category.name, options.locale) },
        author: authorView({ ...r, anonymous: Boolean(r.anonymous) }, Boolean(r.team)),
        createdAt: new Date(Number(r.createdAt)).toISOString(),
      };
    }),
  };
}
