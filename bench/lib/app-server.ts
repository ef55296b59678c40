/**
 * The app in a process of its own, for the benchmark's HTTP and deadline-rush parts. It is built the way
 * server/main.ts builds it (settings through loadEnv, migrations, the job queue, the mailer, buildApp), on the
 * benchmark's database instead of LANTERN_DATA_DIR, and listens on a free port of 127.0.0.1. It sends
 * `{ port }` to the parent over IPC and stops on SIGTERM, closing its database (the embedded one takes one
 * process at a time).
 *
 *   node --import tsx bench/lib/app-server.ts <postgres://…|data dir> '<settings as JSON>'
 */
import '../../server/lib/exceljs-utf8';
import { buildApp } from '../../server/app';
import { openDatabase } from '../../server/db/client';
import { runMigrations } from '../../server/db/migrate';
import { loadEnv } from '../../server/env';
import { jobDefinitions } from '../../server/jobs';
import { startJobs, type Jobs } from '../../server/lib/jobs';
import { createMailer } from '../../server/lib/mailer';

async function main(): Promise<void> {
  const [target, settings] = process.argv.slice(2);
  if (!target || !settings) throw new Error('usage: app-server.ts <postgres://…|data dir> <settings JSON>');
  // The settings come from the benchmark, not from the shell's environment (a DATABASE_URL there must not count).
  const env = loadEnv(JSON.parse(settings) as NodeJS.ProcessEnv);
  const database = /^postgres(ql)?:\/\//.test(target) ? await openDatabase({ url: target }) : await openDatabase({ dataDir: target });
  await runMigrations(database);
  const mailer = createMailer(env);
  const jobs: Jobs = await startJobs(database, jobDefinitions, {
    work: env.LANTERN_JOBS === 'on',
    deps: () => ({ db: database.db, mailer, jobs, publicUrl: env.PUBLIC_URL, retentionYears: env.DATA_RETENTION_YEARS }),
    onError: (err) => console.error('[bench app] job error', err),
  });
  const app = await buildApp({ database, env, jobs, mailer, logger: { level: env.LOG_LEVEL }, webRoot: null });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await jobs.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('disconnect', () => void stop());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  if (process.send) process.send({ port });
  else console.log(`listening on http://127.0.0.1:${port}`);
}

main().catch((err) => {
  console.error('[bench app] failed to start:', err);
  process.exit(1);
});
