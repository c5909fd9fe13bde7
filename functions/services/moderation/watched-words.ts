import { asc, eq } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { watchedWords } from '#db/schema/index.ts';
import { ApiError, notFound } from '../../errors.ts';

/**
 * Watched words: moderators name words or phrases that block a post, hold it for approval, or
 * flag it for review. Matching is case-insensitive, on whole words, and `*` stands for any letters
 * within one word (`scam*` matches "scams" and "scammer", not "a scam artist's"), a lone `*` for
 * any one word (`buy * now`).
 *
 * No regular expression is built from a pattern. Text and patterns are cut into words by one
 * fixed character class, and each word is compared with a glob matcher that backtracks only to
 * the last `*`, so the cost is at most (word length × pattern length) per word, whatever a
 * moderator types: there is no input that makes it blow up (see the ReDoS test).
 */

export const WATCHED_WORD_ACTIONS = ['block', 'hold', 'flag'] as const;
export type WatchedWordAction = (typeof WATCHED_WORD_ACTIONS)[number];

export const PATTERN_MAX_LENGTH = 100;
export const PATTERN_MAX_WORDS = 6;

const WORD = /[\p{L}\p{M}\p{N}_]+/gu;
const PATTERN_WORD = /[\p{L}\p{M}\p{N}_*]+/gu;

const normalize = (text: string) => text.normalize('NFKC').toLowerCase();

/** The words of a text, lower-cased, in order. */
export function wordsOf(text: string): string[] {
  return normalize(text).match(WORD) ?? [];
}

/** Whether `word` matches `glob`, where `*` is any run of characters (possibly none). */
export function globMatch(glob: string, word: string): boolean {
  let g = 0;
  let w = 0;
  let star = -1;
  let resume = 0;
  while (w < word.length) {
    if (g < glob.length && glob[g] !== '*' && glob[g] === word[w]) {
      g++;
      w++;
    } else if (g < glob.length && glob[g] === '*') {
      star = g++;
      resume = w;
    } else if (star !== -1) {
      g = star + 1;
      w = ++resume;
    } else return false;
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}

export interface CompiledPattern {
  id: string;
  pattern: string;
  action: WatchedWordAction;
  words: string[];
}

/**
 * Cleans a pattern as typed (case, spacing, stray punctuation) into its stored form, or explains
 * what is wrong with it.
 */
export function parsePattern(raw: string): { pattern: string } | { error: string } {
  const words = normalize(raw).match(PATTERN_WORD) ?? [];
  if (raw.length > PATTERN_MAX_LENGTH) return { error: `Keep it under ${PATTERN_MAX_LENGTH} characters.` };
  if (words.length === 0) return { error: 'Type a word or phrase: letters or digits, with * as a wildcard.' };
  if (words.length > PATTERN_MAX_WORDS) return { error: `A phrase can have at most ${PATTERN_MAX_WORDS} words.` };
  // A word of its own may be a lone `*`; otherwise each word needs two real characters, so that
  // `*` or `a*` cannot match nearly everything.
  const letters = words.join('').replace(/\*/g, '').length;
  if (letters < 2 || words.some((w) => w !== '*' && w.replace(/\*/g, '').length < 2))
    return { error: 'Each word needs at least two letters or digits besides *.' };
  if (words.every((w) => w === '*')) return { error: 'A phrase needs at least one real word.' };
  return { pattern: words.map((w) => w.replace(/\*+/g, '*')).join(' ') };
}

export function compile(row: { id: string; pattern: string; action: WatchedWordAction }): CompiledPattern {
  return { ...row, words: row.pattern.split(' ') };
}

/** Whether the phrase occurs in the words, word for word. */
export function phraseIn(phrase: readonly string[], words: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (!globMatch(phrase[j]!, words[i + j]!)) continue outer;
    return true;
  }
  return false;
}

export interface WatchedWordResult {
  /** Fields holding a blocked word. */
  blocked: string[];
  held: boolean;
  /** Patterns that ask for a review (shown to moderators only). */
  flagged: string[];
}

/** Checks each named field against every watched word. */
export function matchWatchedWords(
  patterns: readonly CompiledPattern[],
  fields: Record<string, string | undefined>,
): WatchedWordResult {
  const result: WatchedWordResult = { blocked: [], held: false, flagged: [] };
  for (const [field, text] of Object.entries(fields)) {
    if (!text) continue;
    const words = wordsOf(text);
    for (const p of patterns) {
      if (!phraseIn(p.words, words)) continue;
      if (p.action === 'block' && !result.blocked.includes(field)) result.blocked.push(field);
      else if (p.action === 'hold') result.held = true;
      else if (p.action === 'flag' && !result.flagged.includes(p.pattern)) result.flagged.push(p.pattern);
    }
  }
  return result;
}

export async function loadWatchedWords(db: Database): Promise<CompiledPattern[]> {
  const rows = await db
    .select({ id: watchedWords.id, pattern: watchedWords.pattern, action: watchedWords.action })
    .from(watchedWords);
  return rows.map(compile);
}

export async function listWatchedWords(db: Database) {
  const rows = await db.select().from(watchedWords).orderBy(asc(watchedWords.action), asc(watchedWords.pattern));
  return rows.map((r) => ({ id: r.id, pattern: r.pattern, action: r.action, createdAt: r.createdAt.toISOString() }));
}

export async function createWatchedWord(
  db: Database,
  actorId: string,
  input: { pattern: string; action: WatchedWordAction },
  now: Date,
) {
  const parsed = parsePattern(input.pattern);
  if ('error' in parsed)
    throw new ApiError(400, 'validation_failed', 'Please check the field: pattern.', {
      details: { fields: { pattern: parsed.error } },
    });
  const id = crypto.randomUUID();
  const [row] = await db
    .insert(watchedWords)
    .values({ id, pattern: parsed.pattern, action: input.action, createdBy: actorId, createdAt: now })
    .onConflictDoNothing()
    .returning();
  if (!row)
    throw new ApiError(409, 'already_watched', 'That word or phrase is already on the list.', {
      details: { fields: { pattern: 'Already on the list.' } },
    });
  return { id: row.id, pattern: row.pattern, action: row.action, createdAt: row.createdAt.toISOString() };
}

export async function deleteWatchedWord(db: Database, id: string) {
  const done = await db.delete(watchedWords).where(eq(watchedWords.id, id)).returning({ id: watchedWords.id });
  if (!done.length) throw notFound('That watched word');
  return { id };
}
