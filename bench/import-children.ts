/**
 * Importing 100,000 children rows on the embedded database: dry run and
 * commit through the real app, each beside the time to merely read the same
 * file with exceljs in the same run. Each of the three steps runs in a
 * process of its own (this script again, with `--step`), so its memory is
 * that of a process doing only that: its peak RSS, and how far it rose above
 * the RSS the step started at (the app built and the database open).
 *
 * The database is PGlite in a data directory on disk, as the app runs it
 * (LANTERN_DATA_DIR). `--database postgres://…/name` makes a fresh database
 * of that name on a PostgreSQL server instead, and drops it at the end.
 *
 *   npm run bench:import [-- --rows 100000] [-- --database postgres://…/lantern_bench_import] [-- --profile dir]
 */
import '../server/lib/exceljs-utf8';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { buildApp } from '../server/app';
import { openDatabase } from '../server/db/client';
import { runMigrations } from '../server/db/migrate';
import { DEMO_PASSWORD, loadDemoData } from '../server/db/seed/demo';
import { loadEnv } from '../server/env';
import { dropPgDatabase, ensurePgDatabase } from './lib/pg-database';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    database: { type: 'string' },
    // Internal: one step, in a process of its own, on the file and database the parent made.
    step: { type: 'string' },
    dir: { type: 'string' },
    // Writes a V8 CPU profile of each step (dry run, commit) into this directory.
    profile: { type: 'string' },
  },
});
const ROWS = Number(values.rows);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'lantern-bench-'));
const file = join(dir, 'tre-em.xlsx');

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Khang', 'Linh', 'Minh', 'Ngọc', 'Phúc', 'Quân', 'Thảo', 'Vy'];

async function writeFile(): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const ws = wb.addWorksheet('Tre em');
  ws.addRow(['Họ tên con', 'Ngày sinh', 'Giới tính', 'Họ tên cha/mẹ (đoàn viên)', 'Bộ phận', 'Điện thoại', 'Trường', 'Lớp']).commit();
  for (let i = 0; i < ROWS; i++) {
    const name = `${FAMILY[i % 10]} ${['Văn', 'Thị', 'Minh', 'Ngọc'][i % 4]} ${GIVEN[i % 14]} ${Math.floor(i / 140)}`;
    const birth = `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/${2010 + (i % 12)}`;
    ws.addRow([name, birth, i % 2 ? 'Nam' : 'Nữ', `${FAMILY[(i + 3) % 10]} Văn Bố ${Math.floor(i / 2)}`, 'Xưởng 1', `09${String(10_000_000 + Math.floor(i / 2)).slice(-8)}`, 'Trường Tiểu học Gia Thụy', `${(i % 5) + 1}A`]).commit();
  }
  await wb.commit();
}

interface Measure {
  ms: number;
  /** The process's peak RSS during the step. */
  peakMb: number;
  /** How far the RSS rose above what it was when the step started. */
  riseMb: number;
}

/** Runs `fn`, sampling the process's resident memory. */
async function measure(fn: () => Promise<unknown>): Promise<Measure> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = performance.now();
  await fn();
  const ms = performance.now() - t;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakMb: peak / 1024 / 1024, riseMb: (peak - start) / 1024 / 1024 };
}

type Step = 'baseline' | 'dry' | 'commit';

/** Where the steps' database lives: the server's, or an embedded one in the run's directory (not in memory). */
const target = () => (values.database ? { url: values.database } : { dataDir: join(dir, 'pglite') });

/** One step, in this process: prints its measure (and the import's answer) as one JSON line. */
async function runStep(step: Step): Promise<void> {
  if (step === 'baseline') {
    const m = await measure(async () => {
      let n = 0;
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {});
      for await (const ws of reader) for await (const _row of ws) n++;
      if (n !== ROWS + 1) throw new Error(`read ${n} rows`);
    });
    console.log(JSON.stringify({ m }));
    return;
  }
  const database = await openDatabase(target());
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '1000' });
  const app = await buildApp({ database, env, webRoot: null });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'cdcs1@lantern.test', password: DEMO_PASSWORD } });
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = login.json().csrfToken as string;
  const orgId = login.json().user.grants[0].orgId as number;
  const boundary = '----lanternbench';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tre-em.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    readFileSync(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  let body = '';
  const m = await measure(async () => {
    const r = await app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/children/import?dryRun=${step === 'dry'}`,
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    body = r.body;
    if (r.statusCode !== 200) throw new Error(`${step} ${r.statusCode} ${r.body.slice(0, 300)}`);
  });
  await app.close();
  await database.close();
  console.log(JSON.stringify({ m, answer: JSON.parse(body) }));
}

/** Runs a step in a child process and reads its line. */
function step(name: Step): { m: Measure; answer?: Record<string, unknown> } {
  const profile = values.profile && name !== 'baseline' ? ['--cpu-prof', '--cpu-prof-dir', values.profile, '--cpu-prof-name', `import-${name}.cpuprofile`] : [];
  const args = [...profile, '--import', 'tsx', process.argv[1]!, '--step', name, '--dir', dir, '--rows', String(ROWS), ...(values.database ? ['--database', values.database] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`step ${name} exited ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

async function main(): Promise<void> {
  if (values.step) return runStep(values.step as Step);
  await writeFile();
  const size = statSync(file).size;
  const server = values.database;
  if (server) {
    await dropPgDatabase(server);
    await ensurePgDatabase(server);
  }
  const database = await openDatabase(target());
  await runMigrations(database);
  await loadDemoData(database.db);
  await database.close();

  const baseline = step('baseline').m;
  const dry = step('dry');
  const commit = step('commit');
  if (server) await dropPgDatabase(server);
  rmSync(dir, { recursive: true, force: true });

  const d = dry.answer as { valid: number; errorCount?: number; errors: unknown[] };
  const c = commit.answer as { created: number };
  const row = (what: string, m: Measure) =>
    `| ${what} | ${(m.ms / 1000).toFixed(1)} s | ${(m.ms / baseline.ms).toFixed(1)}× | ${m.peakMb.toFixed(0)} MB | +${m.riseMb.toFixed(0)} MB |`;
  const where = server ? 'PostgreSQL server' : 'embedded database on disk';
  console.log(`\nImport of ${ROWS.toLocaleString('vi-VN')} rows (${(size / 1024 / 1024).toFixed(1)} MB .xlsx), ${where}, each step in a process of its own, ${new Date().toISOString().slice(0, 10)}\n`);
  console.log('| step | time | vs. baseline | peak RSS | rise during the step |');
  console.log('|---|---|---|---|---|');
  console.log(row('baseline: read the file with exceljs (streaming)', baseline));
  console.log(row(`dry run (valid ${d.valid}, errors ${d.errorCount ?? d.errors.length})`, dry.m));
  console.log(row(`commit (created ${c.created})`, commit.m));
  console.log('Aim: under 15 s and under 400 MB each.');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
