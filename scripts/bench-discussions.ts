/**
 * `npm run bench:discussions`: the discussion benchmarks alone (they also run in `npm run bench`).
 * See scripts/lib/discussion-bench.ts for what is measured and the budgets.
 *
 *   npm run bench:discussions                     # 1,000,000 posts, 5 s of load per target
 *   BENCH_POSTS=100000 BENCH_SECONDS=2 npm run bench:discussions
 */
import { Fatal, runMain } from './lib/fail.ts';
import { startStack } from './lib/stack.ts';
import { discussionBench } from './lib/discussion-bench.ts';

runMain(async () => {
  const stack = await startStack();
  try {
    const failures = await discussionBench(stack, {
      seconds: Number(process.env.BENCH_SECONDS ?? 5),
      bigPosts: Number(process.env.BENCH_POSTS ?? 1_000_000),
    });
    if (failures.length) throw new Fatal(`Over budget: ${failures.join('; ')}.`);
    console.log('\nDiscussions: all within budget.');
  } finally {
    await stack.stop();
  }
});
