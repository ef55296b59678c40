import './lib/exceljs-utf8';
import { EnvError, loadEnv, type Env } from './env';
import { buildApp } from './app';
import { openAppDatabase } from './db/open';
import { jobDefinitions } from './jobs';
import { startJobs, type Jobs } from './lib/jobs';
import { createMailer } from './lib/mailer';

/** The HTTP process; it also runs the job workers unless LANTERN_JOBS=off. */
async function main(): Promise<void> {
  let env: Env;
  try {
    env = loadEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const say = (m: string) => console.log(`[lantern] ${m}`);
  say(env.DATABASE_URL ? 'Database: PostgreSQL server (DATABASE_URL)' : `Database: embedded PGlite in ${env.LANTERN_DATA_DIR}`);
  const database = await openAppDatabase(env, say);
  const mailer = createMailer(env);
  const jobs: Jobs = await startJobs(database, jobDefinitions, {
    work: env.LANTERN_JOBS === 'on',
    deps: () => ({ db: database.db, mailer, jobs, publicUrl: env.PUBLIC_URL, retentionYears: env.DATA_RETENTION_YEARS }),
    onError: (err) => console.error('[lantern] job error', err),
  });
  const app = await buildApp({ database, env, jobs, mailer, logger: { level: env.LOG_LEVEL } });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    await app.close();
    await jobs.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await app.listen({ port: env.PORT, host: env.HOST });
  say(`Lantern is serving on http://localhost:${env.PORT} (mail: ${mailer.enabled ? 'SMTP' : 'outbox only'})`);
}

main().catch((err) => {
  console.error('[lantern] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
