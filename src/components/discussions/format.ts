import type { AuthorView } from '#functions/services/discussions/shared.ts';

/** Dates and times on discussion pages: the same on the server and in the islands (UTC, spelled out). */
const WHEN = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

export const when = (iso: string) => `${WHEN.format(new Date(iso))} UTC`;
export const day = (iso: string) => DAY.format(new Date(iso));

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Priya Raman", "Anonymous member 2 (you)", "Former member". */
export const authorLabel = (author: AuthorView) => `${author.displayName}${author.you ? ' (you)' : ''}`;

export const REACTIONS = [
  { kind: 'helpful', label: 'Helpful' },
  { kind: 'thanks', label: 'Thank you' },
  { kind: 'me-too', label: 'Me too' },
] as const;

export const discussionPath = {
  index: '/discussions',
  category: (slug: string) => `/discussions/${slug}`,
  thread: (id: string) => `/discussions/t/${id}`,
  newThread: (slug?: string) => (slug ? `/discussions/new?category=${encodeURIComponent(slug)}` : '/discussions/new'),
  search: (q?: string) => (q ? `/discussions/search?q=${encodeURIComponent(q)}` : '/discussions/search'),
  history: (postId: string) => `/discussions/posts/${postId}/history`,
};

/** The reader's blocks and mutes, by member id (from `hiddenAuthorsFor`). */
export type MutedAuthors = Readonly<Record<string, 'block' | 'mute'>>;

/**
 * Whether a post is folded away for the reader: only named posts of members they blocked or
 * muted. Never an anonymous post: folding it would tell the reader who wrote it.
 */
export const mutedKind = (author: AuthorView, muted: MutedAuthors | undefined) =>
  author.kind === 'member' && !author.you ? (muted?.[author.id] ?? null) : null;
