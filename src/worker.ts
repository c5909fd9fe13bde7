import astro from '@astrojs/cloudflare/entrypoints/server';
import { runScheduledJobs } from './lib/server/jobs.ts';

/** The parts of the Workers runtime's scheduled event that Hearth uses. */
interface ScheduledEvent {
  scheduledTime: number;
  cron: string;
}
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * The Worker's entry (wrangler.toml `main`): Astro answers every request; the cron trigger runs
 * Hearth's scheduled jobs, such as training renewal reminders.
 */
export default {
  fetch: astro.fetch,
  async scheduled(event: ScheduledEvent, _env: unknown, ctx: ExecutionContext) {
    ctx.waitUntil(runScheduledJobs(new Date(event.scheduledTime)));
  },
};
