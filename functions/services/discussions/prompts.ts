import { inArray } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { posts, threads } from '#db/schema/index.ts';
import type { CatalogPrompt, DiscussionCatalog } from '../../discussions/catalog.ts';
import { renderMarkdown } from '../../lib/markdown.ts';
import { fanOutStatements } from './notify.ts';
import { cleanText } from './shared.ts';

/** Prompts whose day has come (UTC), in publish order. */
export const duePrompts = (catalog: DiscussionCatalog, now: Date) =>
  catalog.prompts.filter((p) => p.data.publishOn.getTime() <= now.getTime());

/**
 * Opens every themed prompt whose publish day has come and that has no thread yet: a thread by
 * the community team (no author), in the prompt's category, post-first when the prompt or the
 * category asks. Runs daily; `threads.prompt` is unique, so a prompt opens once however often
 * (or however concurrently) this runs. Returns how many it opened.
 */
export async function openDuePrompts(db: Database, catalog: DiscussionCatalog, now: Date): Promise<number> {
  const due = duePrompts(catalog, now);
  if (due.length === 0) return 0;
  const opened = new Set(
    (
      await db
        .select({ prompt: threads.prompt })
        .from(threads)
        .where(
          inArray(
            threads.prompt,
            due.map((p) => p.id),
          ),
        )
    ).map((r) => r.prompt),
  );
  let count = 0;
  for (const prompt of due) {
    if (opened.has(prompt.id)) continue;
    try {
      await db.batch(await promptStatements(db, catalog, prompt, now));
      count += 1;
    } catch (error) {
      // Another run opened it first: the unique index refused the second thread, and the batch left nothing.
      if (!/UNIQUE constraint failed: threads\.prompt/i.test(String((error as { cause?: unknown }).cause ?? error)))
        throw error;
    }
  }
  return count;
}

/** The statements that open one prompt's thread (also used by the demo seed). */
export async function promptStatements(db: Database, catalog: DiscussionCatalog, prompt: CatalogPrompt, now: Date) {
  const category = catalog.category(prompt.data.category)!;
  const threadId = crypto.randomUUID();
  const postId = crypto.randomUUID();
  const body = cleanText(prompt.body.trim());
  const postFirst = prompt.data.postFirst || category.postFirst;
  const notifications = await fanOutStatements(db, {
    kind: 'thread',
    category,
    thread: { id: threadId, title: prompt.data.title, postFirst },
    post: { id: postId, body },
    authorId: '',
    authorName: 'Hearth community team',
    replyToAuthorId: null,
    mentionedIds: [],
    now,
  });
  return [
    db.insert(threads).values({
      id: threadId,
      category: category.slug,
      title: prompt.data.title,
      authorId: null,
      createdAt: now,
      lastPostAt: now,
      lastSeq: 1,
      prompt: prompt.id,
      postFirst,
    }),
    db
      .insert(posts)
      .values({ id: postId, threadId, seq: 1, authorId: null, body, bodyHtml: renderMarkdown(body), createdAt: now }),
    ...notifications,
  ] as const;
}
