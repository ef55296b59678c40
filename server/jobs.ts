import type { JobDefinition } from './lib/jobs';
import type { Db } from './db/client';
import type { Mailer } from './lib/mailer';
import { sendMailJob } from './modules/mail/mail.jobs';

export interface JobDeps {
  db: Db;
  mailer: Mailer;
}

/** Every background job the app runs. */
export const jobDefinitions = [sendMailJob] as JobDefinition<unknown, JobDeps>[];
