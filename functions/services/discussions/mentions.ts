import { and, gte, lt, or } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { users } from '#db/schema/index.ts';

/**
 * @mentions name a member by a handle derived from their display name and the start of their id:
 * `@lucia-fernandez-3f2a`. Display names are not unique, and a handle column would be one more
 * thing to choose and police; this handle is deterministic, needs no storage, works without
 * JavaScript (it is shown beside the name on every signed post), and cannot be spoofed by taking
 * someone's name, because the id part must match. See docs/decisions/012-discussions.md.
 */

/** Hex characters of the member id a handle carries. */
const ID_PART = 4;

/** `Lucía Fernández` → `lucia-fernandez`; at most 24 characters; `member` when nothing is left. */
export function nameSlug(displayName: string): string {
  return (
    displayName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 24)
      .replace(/-+$/, '') || 'member'
  );
}

export function handleOf(user: { id: string; displayName: string }): string {
  return `${nameSlug(user.displayName)}-${user.id.slice(0, ID_PART).toLowerCase()}`;
}

/**
 * Handles written as `@handle` in Markdown source, outside code. A mention must start the text or
 * follow a character that cannot be part of a word or address (so `name@example.org` is not one).
 */
const MENTION = /(?<![\w@./-])@([a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{4})(?![\w-])/g;

export function mentionedHandles(markdown: string): string[] {
  // Code spans and fenced blocks are examples, not mentions.
  const prose = markdown.replace(/```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]*`/g, ' ');
  const found = new Set<string>();
  for (const match of prose.matchAll(MENTION)) {
    found.add(match[1]!);
    if (found.size >= 20) break; // a post that names more people than this is not a conversation
  }
  return [...found];
}

/** Members the handles name (unknown handles are ignored), found by the id prefix in one query. */
export async function resolveMentions(
  db: Database,
  handles: string[],
): Promise<{ id: string; displayName: string; handle: string }[]> {
  if (handles.length === 0) return [];
  const prefixes = [...new Set(handles.map((h) => h.slice(-ID_PART)))];
  const rows = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    // Ids are lower-case hex: every id starting with p sorts between p and p + 'g'.
    .where(or(...prefixes.map((p) => and(gte(users.id, p), lt(users.id, `${p}g`)))))
    .limit(200);
  const wanted = new Set(handles);
  return rows.map((r) => ({ ...r, handle: handleOf(r) })).filter((r) => wanted.has(r.handle));
}
