import PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Database } from '../db/client';
import { LOCKS, oneProcessAtATime } from '../db/lock';

/**
 * A background job: a name, a payload schema and a handler that is safe to
 * run twice (pg-boss delivers at least once).
 */
export interface JobDefinition<T, D> {
  name: string;
  payload: z.ZodType<T>;
  retryLimit?: number;
  /** Run on a schedule (cron, Vietnam time) as well as on demand. */
  cron?: string;
  handle(data: T, deps: D): Promise<void>;
}

export interface Jobs {
  send(name: string, data: object): Promise<void>;
  /** Many jobs of one kind in one insert (a plan issued to thousands of units). */
  sendMany(name: string, data: object[]): Promise<void>;
  stop(): Promise<void>;
}

/** Starts pg-boss on the app's own database (PGlite included) and, if asked, its workers. */
export async function startJobs<D>(
  database: Database,
  definitions: JobDefinition<unknown, D>[],
  opts: { work: boolean; deps: () => D; onError?: (err: unknown) => void },
): Promise<Jobs> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => database.executeSql(text, values) },
    schema: 'pgboss',
    supervise: true,
    schedule: opts.work && definitions.some((d) => d.cron),
  });
  boss.on('error', (err) => opts.onError?.(err));
  const byName = new Map(definitions.map((d) => [d.name, d]));
  // Installing pg-boss and creating its queues, one process at a time: several processes starting together on
  // a database without the queues deadlock in pg-boss's create_queue, and its schema creation can collide.
  await oneProcessAtATime(database, LOCKS.jobs, async () => {
    await boss.start();
    for (const def of definitions) {
      await boss.createQueue(def.name, {
        name: def.name,
        retryLimit: def.retryLimit ?? 5,
        retryDelay: 30,
        retryBackoff: true,
      });
    }
  });
  for (const def of definitions) {
    if (opts.work && def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'Asia/Ho_Chi_Minh' });
    if (opts.work) {
      await boss.work(def.name, { pollingIntervalSeconds: 2 }, async (jobs) => {
        for (const job of jobs) {
          const data = def.payload.parse(job.data);
          await def.handle(data, opts.deps());
        }
      });
    }
  }
  return {
    async send(name, data) {
      const def = byName.get(name);
      if (!def) throw new Error(`unknown job ${name}`);
      def.payload.parse(data);
      await boss.send(name, data);
    },
    async sendMany(name, data) {
      const def = byName.get(name);
      if (!def) throw new Error(`unknown job ${name}`);
      for (let i = 0; i < data.length; i += 1000) {
        await boss.insert(data.slice(i, i + 1000).map((d) => ({ name, data: def.payload.parse(d) as object })));
      }
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
    },
  };
}

/** For a process that must not touch the queue (a CLI command). */
export const noJobs: Jobs = {
  async send() {},
  async sendMany() {},
  async stop() {},
};
