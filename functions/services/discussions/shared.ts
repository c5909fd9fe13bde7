import { and, eq, sql } from 'drizzle-orm';
import { alias, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { posts, threadAliases, users } from '#db/schema/index.ts';
import type { Category } from '#src/lib/content/schema.ts';
import type { DiscussionCatalog } from '../../discussions/catalog.ts';
import { ApiError, notFound } from '../../errors.ts';
import { validationError } from '../../lib/validation.ts';
import { MARKDOWN_MAX_LENGTH } from '../../lib/markdown.ts';
import { canRead, type Viewer } from './access.ts';
import { handleOf } from './mentions.ts';

export const TITLE_MIN = 5;
export const TITLE_MAX = 150;
export const BODY_MAX = MARKDOWN_MAX_LENGTH;
/** Posts per thread page, and the most a client may ask for. */
export const POSTS_PAGE = 100;
/** Threads per category page by default, and at most. */
export const THREADS_PAGE = 20;
export const THREADS_PAGE_MAX = 50;

/** How a post's or thread's author is shown. Anonymous authors carry nothing but their alias. */
export type AuthorView =
  | { kind: 'member'; id: string; displayName: string; handle: string; you: boolean }
  | { kind: 'anonymous'; displayName: string; alias: number | null; you: boolean }
  | { kind: 'former'; displayName: string; you: false }
  | { kind: 'team'; displayName: string; you: false };

export const anonymousName = (alias: number | null) => (alias ? `Anonymous member ${alias}` : 'Anonymous member');

/** The columns of a row that has an author: posts, threads, or an aliased copy of either. */
interface Authored {
  anonymous: AnySQLiteColumn;
  authorId: AnySQLiteColumn;
}
interface AuthorTable {
  id: AnySQLiteColumn;
  displayName: AnySQLiteColumn;
}
interface AliasTable {
  threadId: AnySQLiteColumn;
  userId: AnySQLiteColumn;
  number: AnySQLiteColumn;
}

/**
 * The author columns a query selects. For anonymous rows the author's id and name are never
 * selected at all (they stay in the database); `mine` says whether the viewer wrote the row.
 */
export function authorColumns(table: Authored, author: AuthorTable, aliases: AliasTable, viewerId: string | null) {
  return {
    anonymous: sql<number>`${table.anonymous}`.mapWith(Boolean),
    authorId: sql<string | null>`case when ${table.anonymous} then null else ${table.authorId} end`,
    authorName: sql<string | null>`case when ${table.anonymous} then null else ${author.displayName} end`,
    alias: sql<number | null>`${aliases.number}`,
    mine: viewerId ? sql<number>`coalesce(${table.authorId} = ${viewerId}, 0)` : sql<number>`0`,
  };
}

/** Joins for `authorColumns`: the author (named rows only) and their alias in the thread (anonymous rows). */
export function authorJoins(table: Authored, threadId: AnySQLiteColumn, author: AuthorTable, aliases: AliasTable) {
  return {
    author: and(eq(author.id, table.authorId), eq(table.anonymous, false)),
    alias: and(eq(aliases.threadId, threadId), eq(aliases.userId, table.authorId), eq(table.anonymous, true)),
  };
}

export interface AuthorRow {
  anonymous: boolean | number;
  authorId: string | null;
  authorName: string | null;
  alias: number | null;
  mine: number | boolean;
}

export function authorView(row: AuthorRow, team = false): AuthorView {
  const you = Boolean(row.mine);
  if (row.anonymous) return { kind: 'anonymous', displayName: anonymousName(row.alias), alias: row.alias, you };
  if (row.authorId && row.authorName !== null) {
    const member = { id: row.authorId, displayName: row.authorName };
    return { kind: 'member', ...member, handle: handleOf(member), you };
  }
  if (team) return { kind: 'team', displayName: 'Hearth community team', you: false };
  return { kind: 'former', displayName: 'Former member', you: false };
}

/** Second copies of the joined tables, for the post a reply answers. */
export const replyPost = alias(posts, 'reply_post');
export const replyAuthor = alias(users, 'reply_author');
export const replyAlias = alias(threadAliases, 'reply_alias');

/** The category of a thread, if it still exists and the viewer may read it; otherwise 404. */
export function readableCategory(catalog: DiscussionCatalog, viewer: Viewer, slug: string): Category {
  const category = catalog.category(slug);
  if (!category || !canRead(viewer, category)) throw notFound('That category');
  return category;
}

/** Thread list cursor: `<lastPostAt ms>_<thread id>`. */
export const THREAD_CURSOR = /^(\d{1,15})_([0-9a-f-]{36})$/;

export function encodeThreadCursor(row: { lastPostAt: Date; id: string }) {
  return `${row.lastPostAt.getTime()}_${row.id}`;
}

export function decodeThreadCursor(cursor: string | undefined): { at: Date; id: string } | null {
  if (!cursor) return null;
  const match = THREAD_CURSOR.exec(cursor);
  if (!match) throw validationError({ cursor: 'Not a cursor this list gave out.' });
  return { at: new Date(Number(match[1])), id: match[2]! };
}

/** Title and body limits, checked here for every caller (routes validate the same with zod). */
export function checkText(input: { title?: string | undefined; body: string }) {
  const fields: Record<string, string> = {};
  if (input.title !== undefined) {
    const length = input.title.trim().length;
    if (length < TITLE_MIN || length > TITLE_MAX)
      fields.title = `A title needs ${TITLE_MIN} to ${TITLE_MAX} characters.`;
  }
  if (input.body.trim().length === 0) fields.body = 'Write something first.';
  else if (input.body.length > BODY_MAX) fields.body = `At most ${BODY_MAX.toLocaleString('en')} characters.`;
  if (Object.keys(fields).length) throw validationError(fields);
}

/** Control characters (other than tab and line breaks) have no place in a post; search uses two as markers. */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/\r\n?/g, '\n');
}

export const threadLocked = () =>
  new ApiError(409, 'thread_locked', 'This thread is locked, so it takes no new replies or edits.');
export const threadClosed = () => new ApiError(409, 'thread_closed', 'This thread is closed to new replies.');

/** Where a post lives: its permalink, which finds the right page of its thread. */
export const postPath = (postId: string) => `/discussions/p/${postId}`;
export const threadPath = (threadId: string) => `/discussions/t/${threadId}`;
