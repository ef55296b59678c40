import { z } from 'zod';
import type { JobDefinition } from '../../lib/jobs';
import type { JobDeps } from '../../jobs';
import { sendReportReminders } from './reports.service';

/** Every morning: report reminders before the deadline, on the day, and the late list the day after. */
export const reportRemindJob: JobDefinition<Record<string, never>, JobDeps> = {
  name: 'reports.remind',
  payload: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  cron: '5 8 * * *',
  retryLimit: 2,
  async handle(_data, deps) {
    await sendReportReminders({ db: deps.db, jobs: deps.jobs, mailer: deps.mailer, publicUrl: deps.publicUrl });
  },
};
