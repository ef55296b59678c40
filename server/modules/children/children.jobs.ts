import { z } from 'zod';
import type { JobDefinition } from '../../lib/jobs';
import type { JobDeps } from '../../jobs';
import { runChildrenRetention } from './children.privacy';

/** Every night: the children of plans closed more than DATA_RETENTION_YEARS years ago are anonymised; their figures stay. */
export const childRetentionJob: JobDefinition<Record<string, never>, JobDeps> = {
  name: 'children.retention',
  payload: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  cron: '30 2 * * *',
  retryLimit: 2,
  async handle(_data, deps) {
    await runChildrenRetention(deps.db, { years: deps.retentionYears ?? 5 });
  },
};
