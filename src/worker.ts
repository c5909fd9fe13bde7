import astro from '@astrojs/cloudflare/entrypoints/server';
import { runScheduledJobs } from './lib/server/jobs.ts';

/**
 * The Worker's entry (wrangler.toml `main`): Astro answers every request; the cron trigger runs
 * Hearth's scheduled jobs, such as training renewal reminders.
 */
export default {
  fetch: astro.fetch,
  async scheduled(controller, _env, ctx) {
    ctx.waitUntil(runScheduledJobs(new Date(controller.scheduledTime)));
  },
} satisfies ExportedHandler;
