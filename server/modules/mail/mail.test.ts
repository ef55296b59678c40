import { afterAll, beforeAll, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { sql } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { createMailer } from '../../lib/mailer';
import { startJobs, type Jobs } from '../../lib/jobs';
import { jobDefinitions } from '../../jobs';
import { createTestContext, openTestDatabase, testEnv, type TestContext } from '../../test/helpers';

// A real SMTP peer on this machine; the app reaches it through nodemailer and a pg-boss job.
const received: { to: string[]; data: string }[] = [];
let smtp: SMTPServer;
let t: TestContext;
let jobs: Jobs;
let waiters: (() => void)[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        waiters.forEach((w) => w());
        waiters = [];
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  const env = { SMTP_URL: `smtp://127.0.0.1:${port}` };
  const database = await openTestDatabase();
  const mailer = createMailer(testEnv(env));
  jobs = await startJobs(database, jobDefinitions, { work: true, deps: () => ({ db: database.db, mailer, jobs, publicUrl: 'http://localhost:3000' }) });
  t = await createTestContext({ env, jobs, mailer, database });
});
afterAll(async () => {
  await jobs.stop();
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

it('sends a reset link through SMTP by a background job and marks it sent', async () => {
  const arrived = new Promise<void>((resolve) => waiters.push(resolve));
  const res = await t.anonymous().post('/api/v1/auth/password-reset/request', { email: 'cdcs1@lantern.test' });
  expect(res.status).toBe(202);
  await arrived;
  expect(received[0]!.to).toEqual(['cdcs1@lantern.test']);
  expect(received[0]!.data).toMatch(/dat-lai-mat-khau\?token=/);
  // The job marks the row after the peer accepted it.
  let status = '';
  for (let i = 0; i < 50 && status !== 'sent'; i++) {
    const r = await t.database.db.execute(sql`select status from outbox where "to" = 'cdcs1@lantern.test'`);
    status = (r.rows[0] as { status: string }).status;
    if (status !== 'sent') await new Promise((r2) => setTimeout(r2, 100));
  }
  expect(status).toBe('sent');
});
