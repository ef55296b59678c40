/**
 * Crashes: the real server process is killed (SIGKILL: no handler, no
 * flush, no close) in the middle of a 100,000-row children import, of a
 * report submission and of a voucher scan; then started again on the same
 * data. Each time the data must be whole (all or nothing, and nothing that
 * was answered as done lost), and the app must serve and do the operation.
 *
 * Where the kill lands:
 * - the import: while its transaction writes, seen from outside the process
 *   (PostgreSQL: the import's own progress, half the rows written; PGlite,
 *   which answers nothing else during the transaction: new write-ahead log
 *   segments appearing in its data directory);
 * - the submission and the scan, whose transactions last milliseconds: the
 *   server is started with crash-pause.ts, which holds the request after its
 *   transaction's last statement, before the commit, and the test kills it
 *   there.
 * The state is read straight from the database between the kill and the
 * restart (on PGlite that is the first reopening of the directory after the
 * kill), and through the API after the restart.
 *
 * PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (a database
 * lantern_crash_… made and dropped here).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runMigrations } from '../db/migrate';
import { loadDemoData } from '../db/seed/demo';
import type { Database } from '../db/client';
import {
  childrenSheet,
  inFlight,
  pgliteStore,
  postgresStore,
  signIn,
  sleep,
  startServer,
  type HttpClient,
  type PauseAt,
  type ServerProcess,
  type Store,
} from './crash-support';

const ROWS = 100_000;
const GT_NAME = 'Công đoàn Trường THCS Gia Thụy';
/** The report's last statement before its commit: the mail to the issuing unit. */
const PAUSE_IN_SUBMIT: PauseAt = { pattern: 'insert into outbox.*Báo cáo đã nộp' };
/** The scan's last statement before its commit: its audit row. */
const PAUSE_IN_SCAN: PauseAt = { pattern: 'insert into "audit_log".*benefit\\.deliver' };

let sheet: Promise<Buffer> | null = null;
const theSheet = () => (sheet ??= childrenSheet(ROWS));

const one = async (db: Database, text: string, values: unknown[] = []) => (await db.executeSql(text, values)).rows[0] ?? {};
const count = async (db: Database, text: string, values: unknown[] = []) => Number((await one(db, text, values))['n']);

interface Counts {
  children: number;
  members: number;
  links: number;
  importAudits: number;
  submitAudits: number;
  submitNotices: number;
}

function crashSuite(makeStore: () => Promise<Store>) {
  let store: Store;
  let server: ServerProcess | null = null;
  let officer: HttpClient;
  let gt: number;
  let plan45: string;
  let benefitId: string;
  let token: string;
  let base: Counts;
  let fieldCodes: string[];
  /** How many children the killed import left: 0 or all of them. */
  let leftByKill = 0;

  /** Reads the database directly; on PGlite only while no server holds it. */
  const inspect = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    if (store.kind === 'pglite' && server) throw new Error('PGlite is read only while the server is down');
    const db = await store.open();
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };

  const counts = (db: Database): Promise<Counts> =>
    (async () => ({
      children: await count(db, 'select count(*)::int as n from children where org_id = $1', [gt]),
      members: await count(db, 'select count(*)::int as n from members where org_id = $1', [gt]),
      links: await count(db, 'select count(*)::int as n from child_parents cp join children c on c.id = cp.child_id where c.org_id = $1', [gt]),
      importAudits: await count(db, `select count(*)::int as n from audit_log where action = 'child.import' and org_id = $1`, [gt]),
      submitAudits: await count(db, `select count(*)::int as n from audit_log where action = 'report.submit' and org_id = $1`, [gt]),
      submitNotices: await count(db, `select count(*)::int as n from notices where kind = 'report.submitted' and campaign_id = $1 and title = $2`, [plan45, `Báo cáo đã nộp: ${GT_NAME}`]),
    }))();

  /** The same count read through the primary key's index and through the table: the index came back with the table. */
  const indexAgreesWithTable = async (db: Database, table: string) => {
    const viaIndex = await count(db, `set enable_seqscan = off; set enable_bitmapscan = off; select count(*)::int as n from ${table}`);
    const viaTable = await count(db, `set enable_seqscan = on; set enable_indexscan = off; set enable_indexonlyscan = off; set enable_bitmapscan = off; select count(*)::int as n from ${table}`);
    expect(viaIndex).toBe(viaTable);
  };

  const start = async (pauseAt?: PauseAt) => {
    server = await startServer(store, { pauseAt });
    const health = await fetch(`${server.baseUrl}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: store.kind });
    officer = await signIn(server.baseUrl, 'cdcs1@lantern.test');
  };
  let survived = 0;
  const kill = async () => {
    await server?.kill();
    server = null;
    survived++;
  };

  const childrenTotal = async () => (await officer.get(`/api/v1/orgs/${gt}/children?limit=1`)).body.total as number;

  beforeAll(async () => {
    store = await makeStore();
    // The database as the first start leaves it: migrated, with the demo (on PGlite, a copy of the run's template when there is one).
    const template = store.kind === 'pglite' && inject('pgliteTemplate') ? new Blob([readFileSync(inject('pgliteTemplate'))]) : undefined;
    const db = await store.open(template);
    try {
      if (!template) {
        await runMigrations(db);
        await loadDemoData(db.db);
      }
      gt = await count(db, `select id as n from orgs where code = 'LB-THCS-GT'`);
      plan45 = String((await one(db, `select id from campaigns where doc_number = '45/KH-LĐLĐ'`))['id']);
      base = await counts(db);
    } finally {
      await db.close();
    }
    await start();

    // A gift for one of the unit's children, approved: its voucher is scanned below.
    const eligible = (await officer.get(`/api/v1/campaigns/${plan45}/eligible?orgId=${gt}`)).body.items as { childId: string }[];
    for (const e of eligible) {
      const res = await officer.post(`/api/v1/campaigns/${plan45}/benefits`, { childId: e.childId, kind: 'gift' });
      if (res.status !== 201) continue;
      const approved = await officer.patch(`/api/v1/benefits/${res.body.id}`, { status: 'approved', version: res.body.version });
      expect(approved.status).toBe(200);
      benefitId = res.body.id;
      break;
    }
    expect(benefitId).toBeDefined();
    const html = (await officer.get(`/api/v1/campaigns/${plan45}/vouchers.html?orgId=${gt}`)).text;
    const idPart = Buffer.from(benefitId.replace(/-/g, ''), 'hex').toString('base64url');
    token = [...html.matchAll(/class="token">([^<]+)</g)].map((m) => m[1]!).find((t) => t.startsWith(`${idPart}.`))!;
    expect(token).toBeDefined();
    fieldCodes = ((await officer.get(`/api/v1/campaigns/${plan45}/report-template`)).body.sections as { fields: { code: string }[] }[]).flatMap((s) => s.fields.map((f) => f.code));
    expect(fieldCodes.length).toBeGreaterThan(5);
    // The unit's report is not started in the demo.
    expect((await officer.get(`/api/v1/campaigns/${plan45}/reports/${gt}`)).body.status).toBe('not_started');
  }, 240_000);

  afterAll(async () => {
    console.log(`crash tests (${store?.kind}): the server was killed ${survived} times (SIGKILL) in the middle of an operation and restarted on the same data`);
    await server?.stop();
    await store?.drop();
  });

  it(
    `keeps a ${ROWS.toLocaleString('en')}-row import all or nothing when killed while writing, and runs it again`,
    async () => {
      const file = await theSheet();
      const importId = randomUUID();
      const url = `/api/v1/orgs/${gt}/children/import?dryRun=false&importId=${importId}`;
      const upload = inFlight(officer.upload(url, 'tre-em.xlsx', file));
      let answered = false;
      void upload.then(() => (answered = true));

      // Until the import is writing: its transaction opens right after it says so.
      let progress: { phase: string; rows: number; total: number | null } = { phase: 'waiting', rows: 0, total: null };
      while (progress.phase !== 'writing' && !answered) {
        progress = (await officer.get(`/api/v1/orgs/${gt}/children/import/progress?id=${importId}`)).body;
        if (progress.phase !== 'writing') await sleep(50);
      }
      expect(answered).toBe(false);
      if (store.kind === 'postgres') {
        // Other connections stay free: follow the import until half its rows are written.
        while (!answered && !(progress.phase === 'writing' && progress.rows >= ROWS / 2)) {
          await sleep(50);
          progress = (await officer.get(`/api/v1/orgs/${gt}/children/import/progress?id=${importId}`)).body;
        }
      } else {
        // The embedded database answers nothing while the transaction runs: watch its write-ahead log grow
        // (16 MB segments; a 100,000-row import writes about fourteen) and kill after the sixth new one.
        const wal = join(store.env.LANTERN_DATA_DIR!, 'pglite', 'pg_wal');
        const segments = () => new Set(readdirSync(wal).filter((f) => /^[0-9A-F]{24}$/.test(f)));
        const before = segments();
        while (!answered && [...segments()].filter((s) => !before.has(s)).length < 6) await sleep(25);
      }
      expect(answered).toBe(false); // the kill lands inside the import, before its answer
      await kill();
      expect((await upload).ok).toBe(false);

      // All or nothing: the children, their parents, the links and the import's audit entry together.
      const after = await inspect(async (db) => {
        await indexAgreesWithTable(db, 'children');
        await indexAgreesWithTable(db, 'audit_log');
        return counts(db);
      });
      const created = after.children - base.children;
      leftByKill = created;
      expect([0, ROWS]).toContain(created);
      if (created === 0) expect(after).toEqual(base);
      else {
        expect(after.importAudits).toBe(base.importAudits + 1);
        expect(after.members).toBeGreaterThan(base.members);
        expect(after.links - base.links).toBe(ROWS);
      }

      // Serves again, and the same file imports as it should.
      await start(PAUSE_IN_SUBMIT);
      expect(await childrenTotal()).toBe(base.children + created);
      const again = await officer.upload(`/api/v1/orgs/${gt}/children/import?dryRun=false`, 'tre-em.xlsx', file);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ total: ROWS, valid: ROWS, created: ROWS - created, unchanged: created, updated: 0, errorCount: 0, committed: true });
      expect(await childrenTotal()).toBe(base.children + ROWS);
    },
    420_000,
  );

  it(
    'keeps a report not submitted when killed before the submission commits, and submits it after the restart',
    async () => {
      // This server holds the submission after its last statement, before the commit.
      const submit = inFlight(officer.post(`/api/v1/campaigns/${plan45}/reports/${gt}/submit`, {}));
      await server!.waitFor(/\[pause\]/, 60_000);
      await kill();
      expect((await submit).ok).toBe(false);

      const after = await inspect(async (db) => {
        const report = await one(db, 'select status, figures, submitted_at from reports where campaign_id = $1 and org_id = $2', [plan45, gt]);
        return { report, ...(await counts(db)) };
      });
      // Nothing of the submission: no status, no snapshot, no audit entry, no notice to the district.
      expect(after.report['status'] ?? 'not_started').not.toBe('submitted');
      expect(after.report['figures'] ?? null).toBeNull();
      expect(after.report['submitted_at'] ?? null).toBeNull();
      expect(after.submitAudits).toBe(base.submitAudits);
      expect(after.submitNotices).toBe(base.submitNotices);
      // The import answered before this kill is all there.
      expect(after.children).toBe(base.children + ROWS);

      await start(PAUSE_IN_SCAN);
      const before = (await officer.get(`/api/v1/campaigns/${plan45}/reports/${gt}`)).body;
      expect(['not_started', 'draft']).toContain(before.status);
      const res = await officer.post(`/api/v1/campaigns/${plan45}/reports/${gt}/submit`, {});
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'submitted', alreadySubmitted: false });
      expect(Object.keys(res.body.figures).sort()).toEqual([...fieldCodes].sort());
      expect(res.body.figures.children_registered).toBe(base.children + ROWS);
    },
    240_000,
  );

  it(
    'keeps a voucher not delivered when killed before the scan commits, and delivers it once after the restart',
    async () => {
      const scan = inFlight(officer.post('/api/v1/deliveries/scan', { token }));
      await server!.waitFor(/\[pause\]/, 60_000);
      await kill();
      expect((await scan).ok).toBe(false);

      const after = await inspect(async (db) => ({
        benefit: await one(db, 'select status, delivered_at from benefits where id = $1', [benefitId]),
        deliveries: await count(db, `select count(*)::int as n from audit_log where action = 'benefit.deliver' and entity_id = $1`, [benefitId]),
        report: await one(db, 'select status, figures from reports where campaign_id = $1 and org_id = $2', [plan45, gt]),
        ...(await counts(db)),
      }));
      expect(after.benefit).toMatchObject({ status: 'approved', delivered_at: null });
      expect(after.deliveries).toBe(0);
      // The submission answered before this kill is there, whole: one snapshot, one audit entry, one notice.
      expect(after.report['status']).toBe('submitted');
      expect(Object.keys(after.report['figures'] as object).sort()).toEqual([...fieldCodes].sort());
      expect(after.submitAudits).toBe(base.submitAudits + 1);
      expect(after.submitNotices).toBe(base.submitNotices + 1);

      await start();
      const first = await officer.post('/api/v1/deliveries/scan', { token });
      expect(first.status).toBe(200);
      expect(first.body.status).toBe('delivered');
      const second = await officer.post('/api/v1/deliveries/scan', { token });
      expect(second.status).toBe(200);
      expect(second.body.status).toBe('already_delivered');
      expect(second.body.message).toMatch(/^Đã nhận lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\.$/);
      const again = await officer.post(`/api/v1/campaigns/${plan45}/reports/${gt}/submit`, {});
      expect(again.body).toMatchObject({ status: 'submitted', alreadySubmitted: true });

      // One last kill with nothing running: everything answered is kept.
      await kill();
      const final = await inspect(async (db) => ({
        benefit: await one(db, 'select status, delivered_at from benefits where id = $1', [benefitId]),
        deliveries: await count(db, `select count(*)::int as n from audit_log where action = 'benefit.deliver' and entity_id = $1`, [benefitId]),
        ...(await counts(db)),
      }));
      expect(final.benefit['status']).toBe('delivered');
      expect(final.benefit['delivered_at']).not.toBeNull();
      expect(final.deliveries).toBe(1);
      expect(final.children).toBe(base.children + ROWS);
      expect(final.importAudits).toBe(base.importAudits + (leftByKill ? 2 : 1));
      expect(final.submitAudits).toBe(base.submitAudits + 1);
    },
    240_000,
  );
}

// Each run of the suite crashes the database it is about: the embedded one by
// default, the PostgreSQL server when TEST_DATABASE_URL points at one.
// Only the suite of the database of this run is declared, so nothing shows as skipped.
const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl) {
  describe('crash: PostgreSQL server', () => {
    crashSuite(() => postgresStore(pgUrl));
  });
} else {
  describe('crash: embedded PGlite', () => {
    crashSuite(async () => pgliteStore());
  });
}
