import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { contentReports } from '#db/schema/index.ts';
import { notFound } from '../errors.ts';

/** A reader says a published page (usually a resource) is out of date. */
export async function reportOutdated(
  db: Database,
  input: { pagePath: string; note?: string | undefined },
  reporterId: string | null,
  now: Date,
) {
  const id = crypto.randomUUID();
  await db
    .insert(contentReports)
    .values({ id, pagePath: input.pagePath, note: input.note ?? null, reporterId, createdAt: now });
  return { id, pagePath: input.pagePath };
}

export interface OpenReportGroup {
  pagePath: string;
  reports: { id: string; note: string | null; createdAt: string }[];
  firstReportedAt: string;
}

/** Open reports grouped by page, the longest-waiting page first. */
export async function listOpenReports(db: Database): Promise<OpenReportGroup[]> {
  const rows = await db
    .select({
      id: contentReports.id,
      pagePath: contentReports.pagePath,
      note: contentReports.note,
      createdAt: contentReports.createdAt,
    })
    .from(contentReports)
    .where(isNull(contentReports.resolvedAt))
    .orderBy(asc(contentReports.createdAt))
    .limit(500);
  const groups = new Map<string, OpenReportGroup>();
  for (const row of rows) {
    const group = groups.get(row.pagePath) ?? {
      pagePath: row.pagePath,
      reports: [],
      firstReportedAt: row.createdAt.toISOString(),
    };
    group.reports.push({ id: row.id, note: row.note, createdAt: row.createdAt.toISOString() });
    groups.set(row.pagePath, group);
  }
  return [...groups.values()];
}

/** Closes every open report on a page: a coordinator reviewed it. */
export async function resolveReports(db: Database, pagePath: string, userId: string, now: Date) {
  const closed = await db
    .update(contentReports)
    .set({ resolvedAt: now, resolvedBy: userId })
    .where(and(eq(contentReports.pagePath, pagePath), isNull(contentReports.resolvedAt)))
    .returning({ id: contentReports.id });
  if (closed.length === 0) throw notFound('An open report on that page');
  return { pagePath, resolved: closed.length };
}

export async function countOpenReports(db: Database) {
  const [row] = await db
    .select({ n: sql<number>`count(distinct ${contentReports.pagePath})` })
    .from(contentReports)
    .where(isNull(contentReports.resolvedAt));
  return Number(row?.n ?? 0);
}
