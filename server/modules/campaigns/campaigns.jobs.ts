import { z } from 'zod';
import type { JobDefinition } from '../../lib/jobs';
import type { JobDeps } from '../../jobs';
import { sendDueReminders } from './campaigns.service';

/** Every morning: the automatic reminders that plans' settings ask for. */
export const autoRemindJob: JobDefinition<Record<string, never>, JobDeps> = {
  name: 'campaigns.auto-remind',
  payload: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  cron: '0 8 * * *',
  retryLimit: 2,
  async handle(_data, deps) {
    await sendDueReminders({ db: deps.db, jobs: deps.jobs, mailer: deps.mailer, publicUrl: deps.publicUrl });
  },
};
