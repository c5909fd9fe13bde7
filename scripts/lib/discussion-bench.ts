/**
 * Discussion benchmarks (run by `npm run bench`, or alone by `npm run bench:discussions`):
 *
 * 1. Round trips: a thread page with 100 replies, as the page loads it (posts, authors, aliases,
 *    reactions, reading state, then saving the reader's place), counted on the libSQL client.
 *    Budget: 2.
 * 2. Listing at scale: a category's first page and a deep keyset page, at 1,000 and at 1,000,000
 *    posts (50 and 50,000 threads); budget: the large one takes at most twice as long. EXPLAIN
 *    QUERY PLAN must show index searches and no temporary b-tree.
 * 3. Load (with the production stack, see scripts/bench.ts): the thread API's p50 against a
 *    constant route in the same app, same run; budget 3×.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client, InStatement } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { createDatabase, prepareFileDatabase, type Database } from '#db/client.ts';
import { applyMigrations } from '#db/migrate.ts';
import * as schema from '#db/schema/index.ts';
import { postReactions, posts, threadAliases, threads, users } from '#db/schema/index.ts';
import { buildDiscussionCatalog, type DiscussionCatalog } from '#functions/discussions/catalog.ts';
import { renderMarkdown } from '#functions/lib/markdown.ts';
import { getThread, listThreads } from '#functions/services/discussions/read.ts';
import type { Category } from '#src/lib/content/schema.ts';

export const ROUND_TRIP_BUDGET = 2;
export const SCALE_BUDGET = 2;
export const LOAD_BUDGET = 3;

const category = (slug: string, order: number): Category => ({
  slug,
  name: { en: slug },
  description: { en: `The ${slug} category.` },
  visibility: slug === 'general' ? 'public' : 'members',
  whoMayPost: 'members',
  anonymous: true,
  qa: true,
  postFirst: false,
  holdFirstPosts: false,
  order,
});
export const BENCH_CATALOG: DiscussionCatalog = buildDiscussionCatalog(
  ['general', 'study', 'wellbeing', 'campus'].map(category),
  [],
);

/**
 * The same database seen through a client that counts its round trips: every `execute`,
 * `batch`, `migrate`, `executeMultiple` and `transaction` is one request to the server.
 */
export function countingDatabase(db: Database) {
  const counter = { trips: 0, reset: () => (counter.trips = 0) };
  const trips = new Set(['execute', 'batch', 'migrate', 'executeMultiple', 'transaction']);
  const client = new Proxy(db.$client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (trips.has(String(prop))) counter.trips += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { db: drizzle(client, { schema }) as unknown as Database, counter };
}

/** A temporary, migrated file database, removed by `close`. */
export async function scratchDatabase(name: string) {
  const dir = await mkdtemp(path.join(tmpdir(), `hearth-${name}-`));
  const db = createDatabase({ url: `file:${path.join(dir, 'bench.db')}` });
  await prepareFileDatabase(db);
  await applyMigrations(db);
  return {
    db,
    async close() {
      db.$client.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A thread with `replies` replies by twelve people (some anonymous), reactions on most posts. */
export async function threadWithReplies(
  db: Database,
  replies: number,
  options: { category?: string; now?: Date } = {},
) {
  const now = options.now ?? new Date();
  const people = Array.from({ length: 12 }, (_, i) => ({
    id: crypto.randomUUID(),
    email: `bench-${i}-${crypto.randomUUID().slice(0, 6)}@example.test`,
    displayName: `Bench member ${i}`,
    emailVerifiedAt: now,
  }));
  await db.insert(users).values(people);
  const threadId = crypto.randomUUID();
  const body = (i: number) =>
    `Reply ${i}: I tried **spacing my revision** over two weeks, with [a planner](https://example.org/p/${i}) and\n\n- one topic a day\n- a past paper each weekend\n\nIt helped more than I expected.`;
  await db.insert(threads).values({
    id: threadId,
    category: options.category ?? 'general',
    title: 'How do you plan revision?',
    authorId: people[0]!.id,
    createdAt: now,
    lastPostAt: now,
    lastSeq: replies + 1,
    replyCount: replies,
  });
  const rows = Array.from({ length: replies + 1 }, (_, i) => {
    const author = people[i % people.length]!;
    return {
      id: crypto.randomUUID(),
      threadId,
      seq: i + 1,
      authorId: author.id,
      anonymous: i % people.length === 3,
      body: body(i),
      bodyHtml: renderMarkdown(body(i)),
      createdAt: new Date(now.getTime() + i * 60_000),
    };
  });
  for (let i = 0; i < rows.length; i += 50) await db.insert(posts).values(rows.slice(i, i + 50));
  await db.insert(threadAliases).values({ threadId, userId: people[3]!.id, number: 1 });
  const reactions = rows.flatMap((p, i) =>
    people
      .slice(0, i % 5)
      .map((u, j) => ({ postId: p.id, userId: u.id, kind: (['helpful', 'thanks', 'me-too'] as const)[j % 3]! })),
  );
  for (let i = 0; i < reactions.length; i += 200) await db.insert(postReactions).values(reactions.slice(i, i + 200));
  return { threadId, reader: { id: people[5]!.id, roles: [] as never[], emailVerified: true } };
}

/** Round trips for one thread page of 100 replies, as the page loads it (and as a visitor). */
export async function countThreadPageRoundTrips() {
  const scratch = await scratchDatabase('round-trips');
  try {
    const { threadId, reader } = await threadWithReplies(scratch.db, 100);
    const { db, counter } = countingDatabase(scratch.db);
    const page = await getThread(db, BENCH_CATALOG, reader, threadId, { markRead: new Date() });
    const member = counter.trips;
    counter.reset();
    await getThread(db, BENCH_CATALOG, null, threadId);
    const visitor = counter.trips;
    return { posts: page.posts.length, member, visitor };
  } finally {
    await scratch.close();
  }
}

/**
 * Fills a database with `threadCount` threads of `perThread` posts each, spread over four
 * categories, straight in SQL. The full-text triggers are dropped first: indexing a million
 * posts is not what this measures, and listing never reads the index.
 */
async function fill(client: Client, threadCount: number, perThread: number) {
  const t0 = Date.UTC(2024, 0, 1);
  await client.executeMultiple(`
    drop trigger if exists posts_search_insert;
    drop trigger if exists posts_search_delete;
    drop trigger if exists posts_search_before_edit;
    drop trigger if exists posts_search_after_edit;
  `);
  await client.execute({
    sql: `with recursive n(i) as (select 0 union all select i + 1 from n where i < ?)
      insert into threads (id, category, title, status, created_at, last_post_at, last_seq, reply_count, pinned_at)
      select printf('%08x-0000-4000-8000-%012x', i, i),
        case i % 4 when 0 then 'general' when 1 then 'study' when 2 then 'wellbeing' else 'campus' end,
        'Thread number ' || i, 'visible', ? + i * 1000,
        ? + i * 60000 - (i % 7) * 1000 * 60, ?, ?, case when i < 8 then ? else null end
      from n`,
    args: [threadCount - 1, t0, t0, perThread, perThread - 1, t0],
  });
  const total = threadCount * perThread;
  const chunk = 100_000;
  for (let start = 0; start < total; start += chunk) {
    await client.execute({
      sql: `with recursive n(i) as (select ? union all select i + 1 from n where i < ?)
        insert into posts (id, thread_id, seq, body, body_html, created_at)
        select printf('p%09d', i), printf('%08x-0000-4000-8000-%012x', i / ?, i / ?), i % ? + 1,
          'Reply number ' || i, '<p>Reply</p>', ? + i * 1000
        from n`,
      args: [start, Math.min(start + chunk, total) - 1, perThread, perThread, perThread, t0],
    });
  }
  await client.execute('analyze');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median time of a category's first page and of a page deep in the list, and the query plans. */
async function timeListing(db: Database, reader: { id: string; roles: never[] }, runs: number) {
  const first = await listThreads(db, BENCH_CATALOG, reader, 'study');
  // A deep page: start from the cursor of the thread halfway down the category.
  const [middle] = await db.$client
    .execute(
      `select id, last_post_at from threads where category = 'study' and status = 'visible' and pinned_at is null
        order by last_post_at desc, id desc limit 1 offset (select count(*) / 2 from threads where category = 'study')`,
    )
    .then((r) => r.rows);
  const deep = `${Number(middle!.last_post_at)}_${String(middle!.id)}`;
  const times = { first: [] as number[], deep: [] as number[] };
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    await listThreads(db, BENCH_CATALOG, reader, 'study');
    times.first.push(performance.now() - t);
    t = performance.now();
    await listThreads(db, BENCH_CATALOG, reader, 'study', { cursor: deep });
    times.deep.push(performance.now() - t);
  }
  return { first: median(times.first), deep: median(times.deep), firstPage: first.threads.length, deepCursor: deep };
}

/** The SQL a call sends (in batches too), each statement with its EXPLAIN QUERY PLAN. */
async function plans(client: Client, run: (db: Database) => Promise<unknown>) {
  const sent: InStatement[] = [];
  const spy = new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (prop === 'execute') sent.push(args[0] as InStatement);
        if (prop === 'batch') sent.push(...(args[0] as InStatement[]));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  await run(drizzle(spy, { schema }) as unknown as Database);
  const out: { sql: string; plan: string[] }[] = [];
  for (const statement of sent) {
    const { sql, args } = typeof statement === 'string' ? { sql: statement, args: [] } : statement;
    const result = await client.execute({ sql: `explain query plan ${sql}`, args: (args ?? []) as never[] });
    out.push({ sql, plan: result.rows.map((r) => String(r.detail)) });
  }
  return out;
}

/** Listing at 1,000 and 1,000,000 posts: times, their ratio, and the plans of the large one. */
export async function listingAtScale(options: { runs?: number; bigPosts?: number } = {}) {
  const runs = options.runs ?? 30;
  const perThread = 20;
  const sizes = [1_000, options.bigPosts ?? 1_000_000];
  const results: { posts: number; threads: number; first: number; deep: number }[] = [];
  let planned: Awaited<ReturnType<typeof plans>> = [];
  for (const size of sizes) {
    const scratch = await scratchDatabase(`listing-${size}`);
    try {
      await fill(scratch.db.$client, size / perThread, perThread);
      const [counted] = (await scratch.db.$client.execute('select count(*) as n from posts')).rows;
      if (Number(counted!.n) !== size)
        throw new Error(`The bench database has ${String(counted!.n)} posts, not ${size}.`);
      const reader = { id: crypto.randomUUID(), roles: [] as never[] };
      await scratch.db.insert(users).values({ id: reader.id, email: 'reader@example.test', displayName: 'Reader' });
      // The reader has opened a few threads: the unread counts are part of the listing.
      await scratch.db.$client.execute({
        sql: `insert into thread_reads (user_id, thread_id, last_seq, read_at)
          select ?, id, 5, 0 from threads where category = 'study' order by last_post_at desc limit 10`,
        args: [reader.id],
      });
      const timed = await timeListing(scratch.db, reader, runs);
      results.push({ posts: size, threads: size / perThread, first: timed.first, deep: timed.deep });
      if (size === sizes[sizes.length - 1])
        planned = await plans(scratch.db.$client, (db) =>
          listThreads(db, BENCH_CATALOG, reader, 'study', { cursor: timed.deepCursor }),
        );
    } finally {
      await scratch.close();
    }
  }
  const [small, big] = results as [(typeof results)[number], (typeof results)[number]];
  const listingPlans = planned.filter((p) => /^select .* from "threads"/is.test(p.sql));
  const problems = listingPlans.flatMap((p) => [
    ...p.plan.filter((line) => /TEMP B-TREE/i.test(line)).map((line) => `temporary b-tree: ${line}`),
    ...p.plan.filter((line) => /^SCAN threads\b/i.test(line)).map((line) => `full scan: ${line}`),
  ]);
  return {
    small,
    big,
    ratio: { first: big.first / small.first, deep: big.deep / small.deep },
    plans: listingPlans,
    problems,
  };
}

/**
 * The thread API under load against a constant route of the same app (GET /api/health: one
 * trivial query, a fixed answer), in the same run, alternating so that both see the same machine.
 */
export async function threadApiUnderLoad(
  url: string,
  database: () => Database,
  options: { seconds: number; connections: number },
) {
  const { default: autocannon } = await import('autocannon');
  const db = database();
  const { threadId } = await threadWithReplies(db, 100, { category: 'welcome' });
  db.$client.close();
  const targets = { thread: `/api/threads/${threadId}`, constant: '/api/health' };
  const p50 = { thread: [] as number[], constant: [] as number[] };
  const failed = { thread: 0, constant: 0 };
  for (let round = 0; round < 2; round++)
    for (const name of ['constant', 'thread'] as const) {
      const result = await autocannon({
        url: `${url}${targets[name]}`,
        connections: options.connections,
        duration: Math.max(1, Math.round(options.seconds / 2)),
      });
      p50[name].push(result.latency.p50);
      failed[name] += result.errors + result.timeouts + result.non2xx;
    }
  const thread = median(p50.thread);
  const constant = median(p50.constant);
  return { thread, constant, ratio: thread / Math.max(constant, 1), failed };
}

/** Runs the three discussion benchmarks, prints them, and answers what is over budget. */
export async function discussionBench(
  stack: { url: string; database: () => Database },
  options: { seconds: number; bigPosts?: number; connections?: number },
): Promise<string[]> {
  const failures: string[] = [];
  const trips = await countThreadPageRoundTrips();
  console.log(`\nDiscussions\n`);
  console.log(
    `Thread page with 100 replies (${trips.posts} posts shown): ${trips.member} database round trips for a member (page + reading place), ${trips.visitor} for a visitor; budget ${ROUND_TRIP_BUDGET}.`,
  );
  if (trips.member > ROUND_TRIP_BUDGET) failures.push(`thread page: ${trips.member} round trips`);

  const scale = await listingAtScale({ bigPosts: options.bigPosts });
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  console.log(
    `Thread list, first page:  ${ms(scale.small.first)} at ${scale.small.posts.toLocaleString('en')} posts, ${ms(scale.big.first)} at ${scale.big.posts.toLocaleString('en')} (×${scale.ratio.first.toFixed(2)}; budget ×${SCALE_BUDGET})`,
  );
  console.log(
    `Thread list, deep page:   ${ms(scale.small.deep)} at ${scale.small.posts.toLocaleString('en')} posts, ${ms(scale.big.deep)} at ${scale.big.posts.toLocaleString('en')} (×${scale.ratio.deep.toFixed(2)})`,
  );
  for (const plan of scale.plans) console.log(`  plan: ${plan.plan.join(' | ')}`);
  if (scale.ratio.first > SCALE_BUDGET || scale.ratio.deep > SCALE_BUDGET)
    failures.push(`thread list at scale: ×${Math.max(scale.ratio.first, scale.ratio.deep).toFixed(2)}`);
  failures.push(...scale.problems.map((p) => `thread list plan: ${p}`));

  const load = await threadApiUnderLoad(stack.url, stack.database, {
    seconds: options.seconds,
    connections: options.connections ?? 10,
  });
  console.log(
    `Thread API (100 replies) p50 ${load.thread} ms against GET /api/health p50 ${load.constant} ms, same run: ×${load.ratio.toFixed(2)} (budget ×${LOAD_BUDGET})`,
  );
  if (load.ratio > LOAD_BUDGET) failures.push(`thread API p50 ×${load.ratio.toFixed(2)} of the constant route`);
  if (load.failed.thread || load.failed.constant)
    failures.push(`load: ${load.failed.thread + load.failed.constant} failed requests`);
  return failures;
}
