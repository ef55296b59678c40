import type { JobDefinition, Jobs } from './lib/jobs';
import type { Db } from './db/client';
import type { Mailer } from './lib/mailer';
import { sendMailJob } from './modules/mail/mail.jobs';
import { autoRemindJob } from './modules/campaigns/campaigns.jobs';
import { reportRemindJob } from './modules/reports/reports.jobs';

export interface JobDeps {
  db: Db;
  mailer: Mailer;
  jobs: Jobs;
  publicUrl: string;
}

/** Every background job the app runs. */
export const jobDefinitions = [sendMailJob, autoRemindJob, reportRemindJob] as JobDefinition<unknown, JobDeps>[];
