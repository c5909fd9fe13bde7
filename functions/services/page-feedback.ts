import { eq, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { pageFeedback } from '#db/schema/index.ts';

export interface NewPageFeedback {
  pagePath: string;
  helpful: boolean;
  comment?: string | undefined;
}

/** Records one anonymous answer. The date is kept to the day, and nothing identifies the reader. */
export async function create(db: Database, input: NewPageFeedback, now: Date) {
  const row = {
    id: crypto.randomUUID(),
    pagePath: input.pagePath,
    helpful: input.helpful,
    comment: input.comment ?? null,
    createdDay: now.toISOString().slice(0, 10),
  };
  await db.insert(pageFeedback).values(row);
  return { id: row.id, pagePath: row.pagePath, helpful: row.helpful };
}

export async function getSummary(db: Database, pagePath: string) {
  const [row] = await db
    .select({
      helpful: sql<number>`coalesce(sum(${pageFeedback.helpful}), 0)`,
      total: sql<number>`count(*)`,
    })
    .from(pageFeedback)
    .where(eq(pageFeedback.pagePath, pagePath));
  const helpful = Number(row?.helpful ?? 0);
  const total = Number(row?.total ?? 0);
  return { pagePath, helpful, notHelpful: total - helpful, total };
}
