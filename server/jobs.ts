import type { JobDefinition, Jobs } from './lib/jobs';
import type { Db } from './db/client';
import type { Mailer } from './lib/mailer';
import { sendMailJob } from './modules/mail/mail.jobs';
import { autoRemindJob } from './modules/campaigns/campaigns.jobs';
import { childRetentionJob } from './modules/children/children.jobs';
import { reportRemindJob } from './modules/reports/reports.jobs';

export interface JobDeps {
  db: Db;
  mailer: Mailer;
  jobs: Jobs;
  publicUrl: string;
  /** DATA_RETENTION_YEARS: how long the children of a closed plan keep their personal data (default 5). */
  retentionYears?: number;
}

/** Every background job the app runs. */
export const jobDefinitions = [sendMailJob, autoRemindJob, reportRemindJob, childRetentionJob] as JobDefinition<unknown, JobDeps>[];
