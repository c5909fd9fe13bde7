/**
 * Times the impact dashboard's service over a large community:
 *
 *   node scripts/bench-metrics.ts            # report; exit 1 when over budget
 *   BENCH_POSTS=200000 node scripts/bench-metrics.ts   # a smaller community
 *   BENCH_DB=/tmp/metrics.db node scripts/bench-metrics.ts  # keep the database and reuse it next time
 *
 * Builds a libSQL file with 1,000,000 posts over two years in 100,000 threads (0–18 replies each,
 * a third of them in the Q&A category), 20,000 members, and activity in proportion: 200,000
 * reactions, 60,000 sessions, 100,000 lesson completions, 3,000 mentor applications, 2,000
 * mentorships with 20,000 check-ins and 60,000 messages, 30,000 track completions and 5,000
 * programme-feedback responses. Rows come from recursive CTEs (INSERT … SELECT) in one
 * transaction per table, with foreign keys and the full-text triggers off, so the build takes
 * about a minute rather than hours. No ANALYZE: the plans are those a fresh database gets.
 *
 * Then it times impactMetrics() for the last year (median of 7 runs after one warm-up) against
 * the 1 s budget for server time, and prints EXPLAIN QUERY PLAN for every query it sent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { schema, type Database } from '#db/client.ts';
import { applyMigrations } from '#db/migrate.ts';
import { impactMetrics, metricsRange } from '#functions/services/metrics.ts';
import { Fatal, runMain } from './lib/fail.ts';

const BUDGET_MS = 1000;
const RUNS = 7;
const POSTS = Number(process.env.BENCH_POSTS ?? 1_000_000);
const THREADS = Math.round(POSTS / 10);
const USERS = Math.round(POSTS / 50);
const NOW = new Date('2026-11-21T12:00:00Z');
const DAY = 86_400_000;
const SPAN = 730 * DAY;
const START = NOW.getTime() - SPAN;

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A counter 1..n as a recursive CTE. */
const counter = (n: number) => `with recursive c(n) as (select 1 union all select n + 1 from c where n < ${n})`;
/** A random whole number in [0, m). */
const rand = (m: number) => `(abs(random()) % ${m})`;
/** A random time in the two years before NOW, skewed towards recent weeks (a growing community). */
const when = `(${START} + cast(${SPAN} * (1 - (abs(random()) % 1000000) / 1000000.0 * (abs(random()) % 1000000) / 1000000.0) as integer))`;

async function build(db: Database) {
  const run = async (label: string, statements: string[]) => {
    const started = performance.now();
    await db.$client.batch(statements, 'write');
    console.log(`  ${label.padEnd(22)} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  await db.$client.execute('PRAGMA foreign_keys = OFF');
  await db.$client.execute('PRAGMA journal_mode = WAL');
  await db.$client.executeMultiple(`
    drop trigger posts_search_insert; drop trigger posts_search_delete;
    drop trigger posts_search_before_edit; drop trigger posts_search_after_edit;`);
  await run('users', [
    `${counter(USERS)} insert into users (id, email, display_name, email_verified_at, created_at)
      select 'u' || n, 'u' || n || '@bench.test', 'Member ' || n, t, t from (select n, ${when} as t from c)`,
  ]);
  await run('threads', [
    `${counter(THREADS)} insert into threads (id, category, title, author_id, created_at, last_post_at, reply_count)
      select 't' || n, case when n % 3 = 0 then 'study-skills' else 'general' end, 'Bench thread ' || n,
        'u' || (1 + ${rand(USERS)}), t, t, ${rand(19)} from (select n, ${when} as t from c)`,
  ]);
  // Each thread's opening post and its replies (seq 2…), 1–24 hours apart by thread; a tenth by the author.
  await run('posts', [
    `with recursive s(n) as (select 1 union all select n + 1 from s where n < 19)
      insert into posts (id, thread_id, seq, author_id, body, body_html, created_at)
      select t.id || '-' || s.n, t.id, s.n,
        case when s.n = 1 or ${rand(10)} = 0 then t.author_id else 'u' || (1 + ${rand(USERS)}) end,
        'Bench post', '<p>Bench post</p>',
        min(${NOW.getTime()}, t.created_at + (s.n - 1) * u.h + ${rand(3600_000)} * u.h / 3600000)
      from threads t join s on s.n <= t.reply_count + 1
      join (select rowid as r, (rowid % 24 + 1) * 3600000 as h from threads) u on u.r = t.rowid`,
    `update threads set solution_post_id = id || '-2', solved_at = created_at + 86400000
      where category = 'study-skills' and reply_count > 0 and ${rand(2)} = 0`,
  ]);
  await run('reactions', [
    `${counter(Math.round(POSTS / 5))} insert or ignore into post_reactions (post_id, user_id, kind, created_at)
      select p.id, 'u' || (1 + ${rand(USERS)}), 'helpful', p.created_at + 3600000
      from c join posts p on p.rowid = 1 + ${rand(POSTS)}`,
  ]);
  await run('sessions', [
    `${counter(USERS * 3)} insert into sessions (id, secret_hash, user_id, created_at, last_seen_at)
      select 's' || n, 'x', 'u' || (1 + ${rand(USERS)}), t, t + ${rand(30 * DAY)} from (select n, ${when} as t from c)`,
  ]);
  await run('lessons', [
    `${counter(USERS * 5)} insert or ignore into lesson_progress (user_id, track, lesson, completed_at)
      select 'u' || (1 + ${rand(USERS)}), 'peer-supporter-orientation', 'lesson-' || ${rand(6)}, ${when} from c`,
  ]);
  const MENTORSHIPS = Math.round(POSTS / 500);
  await run('mentoring', [
    `${counter(Math.round(POSTS / 333))} insert into mentor_applications (id, user_id, status, motivation, experience,
        topics, languages, timezone, availability, capacity, pledge_version, created_at, updated_at)
      select 'a' || n, 'u' || n, case when n % 4 = 0 then 'declined' else 'approved' end, 'm', 'e', '[]', '["en"]',
        'UTC', '[]', 2, 'v1', t, t from (select n, ${when} as t from c)`,
    `${counter(MENTORSHIPS)} insert into mentorships (id, mentor_id, mentee_id, status, started_at, ends_at, ended_at,
        last_activity_at)
      select 'm' || n, 'u' || (1 + n % 2000), 'u' || (5000 + n), case when t + 112 * 86400000 < ${NOW.getTime()}
        then 'completed' else 'active' end, t, t + 112 * 86400000,
        case when t + 112 * 86400000 < ${NOW.getTime()} then t + 112 * 86400000 end, t
      from (select n, ${when} as t from c)`,
    `${counter(MENTORSHIPS * 10)} insert into check_ins (id, mentorship_id, author_id, progress, confidence, created_at)
      select 'ci' || n, m.id, m.mentee_id, 'ok', 3, m.started_at + ${rand(112 * DAY)}
      from c join mentorships m on m.rowid = 1 + ${rand(MENTORSHIPS)}`,
    `${counter(MENTORSHIPS * 30)} insert into mentorship_messages (id, mentorship_id, author_id, body, body_html, created_at)
      select 'mm' || n, m.id, m.mentor_id, 'hi', '<p>hi</p>', m.started_at + ${rand(112 * DAY)}
      from c join mentorships m on m.rowid = 1 + ${rand(MENTORSHIPS)}`,
  ]);
  await run('training', [
    `${counter(Math.round(POSTS / 33))} insert into track_completions (id, user_id, track, completed_at, expires_at)
      select 'tc' || n, 'u' || (1 + ${rand(USERS)}), 'peer-supporter-orientation', t, t + 365 * 86400000
      from (select n, ${when} as t from c)`,
  ]);
  await run('survey responses', [
    `${counter(5000)} insert into survey_responses (id, survey, instance, day, segment_role, cohort)
      select 'r' || n, 'programme-feedback', 'manual', date(${when} / 1000, 'unixepoch'), 'member', '2026-01' from c`,
    `insert into survey_answers (response_id, question, value_num)
      select id, 'recommend', ${rand(11)} from survey_responses`,
  ]);
  await db.$client.execute('PRAGMA foreign_keys = ON');
}

runMain(async () => {
  // BENCH_DB=path keeps the database there and reuses it on the next run (for tuning queries).
  const keep = process.env.BENCH_DB;
  const dir = keep ? null : await mkdtemp(path.join(tmpdir(), 'hearth-bench-metrics-'));
  const client = createClient({ url: `file:${keep ?? path.join(dir!, 'bench.db')}` });
  const sent: { sql: string; params: unknown[] }[] = [];
  let recording = false;
  const db = drizzle(client, {
    schema,
    logger: { logQuery: (query, params) => void (recording && sent.push({ sql: query, params })) },
  }) as Database;
  try {
    console.log(`\nHearth impact dashboard bench (Node ${process.versions.node})\n\nBuilding the database:`);
    await applyMigrations(db);
    const built = performance.now();
    const existing = await client.execute('select count(*) as n from posts');
    if (Number(existing.rows[0]!.n) === 0) await build(db);
    const counts = await client.execute(`select (select count(*) from posts) as posts,
      (select count(*) from threads) as threads, (select count(*) from users) as users`);
    const c = counts.rows[0]!;
    console.log(
      `  ${Number(c.posts).toLocaleString('en')} posts, ${Number(c.threads).toLocaleString('en')} threads, ${Number(c.users).toLocaleString('en')} members in ${((performance.now() - built) / 1000).toFixed(0)} s\n`,
    );

    const range = metricsRange({ from: new Date(NOW.getTime() - 364 * DAY).toISOString().slice(0, 10) }, NOW);
    const runOnce = async () => {
      const started = performance.now();
      const result = await impactMetrics(db, { ...range, now: NOW });
      return { ms: performance.now() - started, result };
    };
    recording = true;
    const warm = await runOnce();
    recording = false;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push((await runOnce()).ms);
    const med = median(times);
    const s = warm.result.series;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    console.log(`impactMetrics() for ${range.from} to ${range.to} (${warm.result.range.weeks.length} weeks):`);
    console.log(
      `  first run ${warm.ms.toFixed(0)} ms; median of ${RUNS}: ${med.toFixed(0)} ms (budget ${BUDGET_MS} ms)`,
    );
    console.log(`  runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
    console.log(
      `  read: ${sum(s.posts.map((w) => w.threads + w.replies)).toLocaleString('en')} posts, ` +
        `${sum(s.replies.map((w) => w.threads)).toLocaleString('en')} threads, ` +
        `peak ${Math.max(...s.members.map((w) => w.active)).toLocaleString('en')} active members a week, ` +
        `${s.retention.cohorts.length} cohorts`,
    );

    console.log(`\nQuery plans (${sent.length} queries):`);
    for (const [i, q] of sent.entries()) {
      const plan = await client.execute({
        sql: `explain query plan ${q.sql}`,
        args: q.params as (string | number | null)[],
      });
      const started = performance.now();
      await client.execute({ sql: q.sql, args: q.params as (string | number | null)[] });
      const alone = performance.now() - started;
      console.log(`\n  [${i + 1}] ${alone.toFixed(0)} ms alone: ${q.sql.replace(/\s+/g, ' ').trim().slice(0, 100)}…`);
      for (const row of plan.rows) console.log(`      ${String(row.detail)}`);
    }
    console.log(`\nimpactMetrics: ${med <= BUDGET_MS ? 'PASS' : 'FAIL'}`);
    if (med > BUDGET_MS) throw new Fatal(`Over budget: impactMetrics took ${med.toFixed(0)} ms > ${BUDGET_MS} ms.`);
  } finally {
    client.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
});
