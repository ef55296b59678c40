/**
 * Two app processes behind one PostgreSQL server, as behind a load balancer:
 * two real `node --import tsx server/main.ts`, each with its job workers on,
 * on one copy of the run's template database, sending mail to an SMTP peer
 * in this test.
 *
 * - Sessions are rows in the database: a cookie made by process A reads and
 *   writes on process B (with the CSRF token A handed out), and a logout on B
 *   is a logout on A.
 * - Jobs are rows in the database (pg-boss): the two daily reminder jobs are
 *   queued several times while this test holds the tables they write, until
 *   a sweep of each kind waits in each process. Then the test lets go: the
 *   sweeps race on the same rows, and every unit still gets its reminder
 *   once, in the outbox and at the SMTP peer.
 *
 * Collected only when TEST_DATABASE_URL is set (vitest.config.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { todayInVietnam } from '../lib/dates';
import { freePort } from './ports';
import { copyTemplateDatabase, DEMO_PASSWORD, type TemplateCopy } from './helpers';
import { dataKey } from '../lib/crypto';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** One secret for every process: the session cookie is stored as its HMAC. */
const SESSION_SECRET = 'multi-process-test-secret-0123456789abcdef';
const OFFICER = 'hanoi@lantern.test';
const PLAN = '45/KH-LĐLĐ';
const AUTO_REMIND = 'campaigns.auto-remind';
const REPORT_REMIND = 'reports.remind';
/** Copies of each reminder job: one for each process to race with, one more that comes late. */
const COPIES = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value (not undefined), or fails at the deadline with `describe()`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, describe: () => Promise<string> | string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s\n${await describe()}`);
    await sleep(250);
  }
}

// ---------------------------------------------------------------- the app processes

interface AppProcess {
  name: string;
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function startApp(name: string, databaseUrl: string, smtpUrl: string, port: number): AppProcess {
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    DATABASE_URL: databaseUrl,
    LANTERN_DEMO_DATA: 'no',
    LANTERN_JOBS: 'on',
    LOG_LEVEL: 'warn',
    SESSION_SECRET,
    // The key the run's template database was encrypted with (derived from the test process's settings), not one derived from this SESSION_SECRET.
    DATA_KEY: dataKey(process.env).toString('base64'),
    SMTP_URL: smtpUrl,
  };
  for (const k of ['TEST_DATABASE_URL', 'LANTERN_TEST_REPORT']) delete env[k];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-16_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    baseUrl,
    child,
    output: () => log,
    async stop() {
      if (!gone()) {
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(force);
      }
    },
  };
}

async function waitHealthy(app: AppProcess): Promise<void> {
  await until(
    `process ${app.name} answering /api/v1/health`,
    async () => {
      if (app.child.exitCode !== null || app.child.signalCode !== null)
        throw new Error(`process ${app.name} ended (${app.child.exitCode ?? app.child.signalCode}):\n${app.output()}`);
      try {
        const res = await fetch(`${app.baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
        return res.ok ? ((await res.json()) as { database: string }) : undefined;
      } catch {
        return undefined; // not listening yet
      }
    },
    150_000,
    app.output,
  ).then((health) => expect(health.database).toBe('postgres'));
}

// ---------------------------------------------------------------- HTTP as the browser does it

interface HttpReply {
  status: number;
  body: any;
  setCookie: string[];
}

async function call(app: AppProcess, method: string, path: string, opts: { cookie?: string; csrf?: string; body?: unknown } = {}): Promise<HttpReply> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${app.baseUrl}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  const body = (res.headers.get('content-type') ?? '').includes('application/json') && text ? JSON.parse(text) : text;
  return { status: res.status, body, setCookie: res.headers.getSetCookie() };
}

// ---------------------------------------------------------------- set-up

let copy: TemplateCopy | undefined;
let side: pg.Client | undefined;
let smtp: SMTPServer | undefined;
let a: AppProcess | undefined;
let b: AppProcess | undefined;
/** What the SMTP peer accepted: one entry per message, its envelope recipients. */
const delivered: string[][] = [];

beforeAll(async () => {
  copy = await copyTemplateDatabase();
  side = new pg.Client({ connectionString: copy.url });
  await side.connect();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        delivered.push(session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp!.listen(0, '127.0.0.1', resolve));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  const portA = await freePort();
  let portB = await freePort();
  while (portB === portA) portB = await freePort();
  a = startApp('A', copy.url, smtpUrl, portA);
  b = startApp('B', copy.url, smtpUrl, portB);
  await Promise.all([waitHealthy(a), waitHealthy(b)]);
}, 200_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await side?.end();
  if (smtp) await new Promise<void>((resolve) => smtp!.close(() => resolve()));
  await copy?.drop();
}, 60_000);

// ---------------------------------------------------------------- sessions

it('shares sessions: signed in on A, read and written on B, signed out on B is signed out on A', async () => {
  const login = await call(a!, 'POST', '/api/v1/auth/login', { body: { email: OFFICER, password: DEMO_PASSWORD } });
  expect(login.status).toBe(200);
  const cookie = login.setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('lantern_session='));
  expect(cookie).toBeDefined();
  const csrf = login.body.csrfToken as string;

  // A read on B: the session A wrote, found by B in the database.
  const me = await call(b!, 'GET', '/api/v1/auth/me', { cookie });
  expect(me.status).toBe(200);
  expect(me.body.user.email).toBe(OFFICER);
  expect(me.body.csrfToken).toBe(csrf);
  const plans = await call(b!, 'GET', '/api/v1/campaigns', { cookie });
  expect(plans.status).toBe(200);
  expect(JSON.stringify(plans.body)).toContain(PLAN);

  // A write on B: refused without the token A handed out, done with it, and seen on A.
  const before = me.body.user.locale as 'vi' | 'en';
  const other = before === 'vi' ? 'en' : 'vi';
  expect((await call(b!, 'PATCH', '/api/v1/auth/me', { cookie, body: { locale: other } })).status).toBe(403);
  const write = await call(b!, 'PATCH', '/api/v1/auth/me', { cookie, csrf, body: { locale: other } });
  expect(write.status).toBe(200);
  expect(write.body.user.locale).toBe(other);
  const onA = await call(a!, 'GET', '/api/v1/auth/me', { cookie });
  expect(onA.status).toBe(200);
  expect(onA.body.user.locale).toBe(other);

  // Logout on B ends the session on A too.
  expect((await call(b!, 'POST', '/api/v1/auth/logout', { cookie, csrf })).status).toBe(204);
  expect((await call(a!, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
  expect((await call(b!, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
});

// ---------------------------------------------------------------- jobs

it('shares the job queue: the reminder sweeps race in both processes and each unit gets its reminder once', async () => {
  const db = side!;
  const q = async <T = Record<string, any>>(text: string, values: unknown[] = []) => (await db.query(text, values)).rows as T[];
  const today = todayInVietnam();

  // Plan 45 of Long Biên: automatic reminders one day after issue (it was issued in 2021), report due today.
  const [plan] = await q<{ id: string }>(
    `update campaigns set settings = settings || '{"autoRemindAfterDays": 1}'::jsonb, report_deadline = $2::date
     where doc_number = $1 returning id`,
    [PLAN, today],
  );
  const planId = plan!.id;
  // Who should hear, by the plan's own rules: units that have not acknowledged (never reminded), and units whose report is not in.
  const silent = await q<{ org_id: number; to: string }>(
    `select a.org_id, array_to_string(o.emails, ', ') as "to" from campaign_assignments a join orgs o on o.id = a.org_id
     where a.campaign_id = $1 and a.status = 'active' and a.acknowledged_at is null and a.reminders = 0 and cardinality(o.emails) > 0`,
    [planId],
  );
  const late = await q<{ to: string }>(
    `select array_to_string(o.emails, ', ') as "to" from campaign_assignments a join orgs o on o.id = a.org_id
     left join reports r on r.campaign_id = a.campaign_id and r.org_id = a.org_id
     where a.campaign_id = $1 and a.status = 'active' and coalesce(r.status, 'draft') in ('draft', 'returned') and cardinality(o.emails) > 0`,
    [planId],
  );
  expect(silent.length).toBeGreaterThan(0);
  expect(late.length).toBeGreaterThan(0);
  const known = new Set((await q<{ id: string }>('select id from outbox')).map((r) => r.id));

  // Hold the tables both sweeps write, then queue each job COPIES times (as pg-boss's cron, or a redelivery, would).
  const holder = new pg.Client({ connectionString: copy!.url });
  await holder.connect();
  const boss = new PgBoss({ connectionString: copy!.url, schema: 'pgboss', supervise: false, schedule: false, migrate: false, max: 2 });
  boss.on('error', () => {});
  try {
    await holder.query('begin');
    await holder.query('lock table campaign_assignments, report_reminders in exclusive mode');
    await boss.start();
    for (let i = 0; i < COPIES; i++) {
      await boss.send(AUTO_REMIND, {});
      await boss.send(REPORT_REMIND, {});
    }
    // Each process has one worker per queue and runs one job at a time, so two
    // sweeps of one kind waiting at once are one in A and one in B.
    await until(
      'a sweep of each kind waiting in each process',
      async () => {
        const [w] = await q<{ auto: number; report: number }>(
          `select count(*) filter (where query ilike '%update "campaign_assignments"%')::int as auto,
                  count(*) filter (where query ilike '%insert into "report_reminders"%')::int as report
           from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
        );
        return w!.auto >= 2 && w!.report >= 2 ? true : undefined;
      },
      60_000,
      () => `A:\n${a!.output()}\nB:\n${b!.output()}`,
    );
    await holder.query('commit');
  } finally {
    await holder.end();
    await boss.stop({ graceful: false, wait: true });
  }

  // The outbox settles: every reminder job finished, no mail waiting to be sent.
  await until(
    'the jobs and the outbox settling',
    async () => {
      const [s] = await q<{ open: number; pending: number; reminders: number }>(
        `select (select count(*) from pgboss.job where name in ($1, $2, 'mail.send') and state in ('created', 'retry', 'active'))::int as open,
                (select count(*) from pgboss.job where name in ($1, $2))::int as reminders,
                (select count(*) from outbox where status = 'pending')::int as pending`,
        [AUTO_REMIND, REPORT_REMIND],
      );
      return s!.open === 0 && s!.pending === 0 && s!.reminders >= 2 * COPIES ? true : undefined;
    },
    120_000,
    async () => JSON.stringify(await q(`select name, state, count(*)::int from pgboss.job group by 1, 2`)) + `\nA:\n${a!.output()}\nB:\n${b!.output()}`,
  );
  const jobs = await q<{ state: string }>(`select state from pgboss.job where name in ($1, $2)`, [AUTO_REMIND, REPORT_REMIND]);
  expect(jobs.map((j) => j.state)).toEqual(Array(jobs.length).fill('completed'));

  // Each unit got each reminder once: in the outbox, sent once, and once at the SMTP peer.
  const fresh = (await q<{ id: string; to: string; subject: string; status: string; attempts: number }>('select id, "to", subject, status, attempts from outbox')).filter(
    (m) => !known.has(m.id),
  );
  const kindOf = (subject: string) =>
    subject.startsWith('Lantern: Nhắc nhận kế hoạch:') ? 'acknowledge' : subject.startsWith('Lantern: Hôm nay là hạn nộp báo cáo:') ? 'report' : subject;
  const got = fresh.map((m) => `${kindOf(m.subject)} → ${m.to}`).sort();
  const wanted = [...silent.map((s) => `acknowledge → ${s.to}`), ...late.map((l) => `report → ${l.to}`)].sort();
  expect(got).toEqual(wanted);
  expect(fresh.every((m) => m.subject.includes(PLAN))).toBe(true);
  expect(fresh.map((m) => [m.status, m.attempts])).toEqual(fresh.map(() => ['sent', 1]));
  const addresses = (list: string[]) => list.map((x) => x.toLowerCase()).sort();
  expect(addresses(delivered.flat())).toEqual(addresses(fresh.flatMap((m) => m.to.split(', '))));

  // One sweep of each kind won; the others found nothing left to do.
  const audits = await q<{ action: string; n: number }>(
    `select action, count(*)::int as n from audit_log where entity_id = $1 and action in ('campaign.auto_remind', 'report.auto_remind') group by 1 order by 1`,
    [planId],
  );
  expect(audits).toEqual([
    { action: 'campaign.auto_remind', n: 1 },
    { action: 'report.auto_remind', n: 1 },
  ]);
  const counted = await q<{ reminders: number }>(`select reminders from campaign_assignments where campaign_id = $1 and org_id = any($2::int[])`, [
    planId,
    silent.map((s) => s.org_id),
  ]);
  expect(counted.map((c) => c.reminders)).toEqual(silent.map(() => 1));
}, 240_000);
