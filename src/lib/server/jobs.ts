import { jsonLogger } from '#functions/types.ts';
import { sendRenewalReminders } from '#functions/services/training.ts';
import { processProposalDeadlines } from '#functions/services/mentoring/requests.ts';
import { sendCheckInReminders } from '#functions/services/mentoring/dashboard.ts';
import { inviteScheduledSurveys } from '#functions/services/surveys.ts';
import { openDuePrompts } from '#functions/services/discussions/prompts.ts';
import { sendDigests } from '#functions/services/discussions/digest.ts';
import { discussionCatalog, surveyCatalog, trainingCatalog, workerRuntime } from './runtime.ts';

/**
 * The Worker's scheduled work (the cron in wrangler.toml). Each job is independent: one failing
 * is logged and the others still run.
 */
export async function runScheduledJobs(now: Date) {
  const runtime = workerRuntime();
  const jobs = {
    'training renewal reminders': async () =>
      sendRenewalReminders(runtime.db, runtime.mail, await trainingCatalog(), runtime.config.HEARTH_SITE_URL, now),
    'mentor proposal deadlines': async () => {
      const { nudged, expired } = await processProposalDeadlines(
        runtime.db,
        runtime.mail,
        runtime.config.HEARTH_SITE_URL,
        now,
      );
      return nudged + expired;
    },
    'check-in reminders': () => sendCheckInReminders(runtime.db, runtime.mail, runtime.config.HEARTH_SITE_URL, now),
    'survey invitations': async () => inviteScheduledSurveys(runtime.db, await surveyCatalog(), now),
    // Themed prompts open on their day; running twice opens nothing twice (threads.prompt is unique).
    'discussion prompts': async () => openDuePrompts(runtime.db, await discussionCatalog(), now),
    'discussion digests': () => sendDigests(runtime.db, runtime.mail, runtime.config.HEARTH_SITE_URL, now),
  };
  for (const [name, job] of Object.entries(jobs)) {
    try {
      const count = await job();
      jsonLogger.log({ level: 'info', msg: 'scheduled job', job: name, count });
    } catch (error) {
      jsonLogger.log({ level: 'error', msg: 'scheduled job failed', job: name, error: String(error).slice(0, 300) });
    }
  }
}
