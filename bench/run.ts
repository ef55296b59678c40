/**
 * The benchmark table of issues #6 and #7, on a database made by `npm run gen`.
 *
 *   npm run bench -- --scale city [--database postgres://…|dir] [--only consolidated,board,search,export,import,http,rush]
 *                    [--runs 7] [--warmup 2] [--duration 8] [--import-rows 100000] [--no-write]
 *
 * Every figure goes through the real code (the HTTP routes, by inject or over
 * a socket) and is printed beside a baseline measured in the same run. The
 * results are kept per scale in bench/results/<scale>.json and rendered,
 * all scales together, into docs/benchmarks.md. The run adds to the database
 * (two plans of its own for the submit and deadline-rush figures, some
 * deliveries, sessions): benchmark a generated database, never a real one.
 */
import '../server/lib/exceljs-utf8';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, totalmem, platform, release, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../server/app';
import { openDatabase } from '../server/db/client';
import { runMigrations } from '../server/db/migrate';
import { loadEnv } from '../server/env';
import { systemActor } from '../server/lib/audit';
import type { AuthContext } from '../server/lib/authorization';
import { noJobs } from '../server/lib/jobs';
import { outboxOnlyMailer } from '../server/lib/mailer';
import { signVoucherToken } from '../server/modules/benefits/voucher.token';
import { createCampaign, issueCampaign } from '../server/modules/campaigns/campaigns.service';
import { todayInVietnam } from '../server/lib/dates';
import { GEN_PASSWORD, GEN_ROOT } from './gen/generate';
import { scaleOf } from './gen/scales';
import type { LoadResult, LoadSpec } from './lib/load';
import { fmtMs, percentile, time, withMemory, type Timing } from './lib/measure';
import { idleMs, runScript, startServer, waitCalm, type Server } from './lib/procs';
import type { RushResult, RushSpec } from './lib/rush-clients';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'city' },
    database: { type: 'string' },
    only: { type: 'string' },
    runs: { type: 'string', default: '7' },
    warmup: { type: 'string', default: '2' },
    duration: { type: 'string', default: '8' },
    'import-rows': { type: 'string', default: '100000' },
    'rush-seconds': { type: 'string', default: '60' },
    'no-write': { type: 'boolean', default: false },
    /** Only render docs/benchmarks.md again from bench/results. */
    render: { type: 'boolean', default: false },
  },
});

const PARTS = ['consolidated', 'board', 'search', 'export', 'import', 'http', 'rush'] as const;
type Part = (typeof PARTS)[number];
const only = new Set((values.only ?? PARTS.join(',')).split(',').map((s) => s.trim()) as Part[]);
for (const p of only) if (!PARTS.includes(p)) throw new Error(`--only: unknown part "${p}" (${PARTS.join(', ')})`);
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);
const DURATION = Number(values.duration);

/** One line of the table. */
interface Row {
  part: Part;
  what: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  met: '' | 'yes' | 'no';
}
interface Results {
  scale: string;
  database: string;
  date: string;
  machine: { cores: number; cpu: string; memoryGb: number; os: string };
  data: Record<string, number>;
  rows: Row[];
}

const rows: Row[] = [];
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : '');
function addRow(r: Row) {
  rows.push(r);
  console.log(`  ${r.what}: ${r.value} | baseline ${r.baseline} ${r.ratio ? `(${r.ratio})` : ''} ${r.target ? `| target ${r.target}: ${r.met === 'yes' ? 'met' : r.met === 'no' ? 'MISSED' : ''}` : ''}`);
}
const timed = (t: Timing) => `${fmtMs(t.median)} (p95 ${fmtMs(t.p95)})`;
const under = (ms: number, limit: number | null) => (limit === null ? '' : ms <= limit ? 'yes' : 'no') as Row['met'];

async function main(): Promise<void> {
  const scale = scaleOf(values.scale!);
  const target = values.database ?? resolve('data-gen', scale.name);
  const isPg = /^postgres(ql)?:\/\//.test(target);
  if (!isPg && !existsSync(target)) throw new Error(`${target} not found: run \`npm run gen -- --scale ${scale.name}\` first`);
  const open = () => (isPg ? openDatabase({ url: target, poolSize: 10 }) : openDatabase({ dataDir: target }));
  let database = await open();
  // Migrations added since the data was generated apply first, as on every app start.
  await runMigrations(database);
  const national = scale.regions > 0;
  const settings = { NODE_ENV: 'test', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '100000000', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123' };
  const env = loadEnv(settings);
  let app = await buildApp({ database, env, webRoot: null });
  await app.ready();
  const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) => (await database.executeSql(text, params)).rows as T[];

  // ---- What to measure at: the root, a province (the root itself at city scale), an intermediate, a grassroots unit ----
  const rootCode = national ? GEN_ROOT.confederation : GEN_ROOT.city;
  const [root] = await q<{ id: number; path: string }>(`select id, path::text as path from orgs where code = $1`, [rootCode]);
  if (!root) throw new Error(`no generated tree in ${target}`);
  const [plan] = await q<{ id: string }>(`select id from campaigns where issuing_org_id = $1 and year = 2021 and doc_number = '68/KH-LĐLĐ'`, [root.id]);
  const campaignId = plan!.id;
  const [province] = national
    ? await q<{ id: number; path: string; name: string }>(`select o.id, o.path::text as path, o.name from orgs o where o.parent_id = $1 order by (select count(*) from orgs x where x.path <@ o.path) desc limit 1`, [root.id])
    : [{ id: root.id, path: root.path, name: 'root' }];
  const [inter] = await q<{ id: number; path: string; name: string; n: number }>(
    `select o.id, o.path::text as path, o.name, (select count(*)::int from orgs x where x.parent_id = o.id) as n from orgs o where o.parent_id = $1 order by n desc limit 1`,
    [province!.id],
  );
  const [unit] = await q<{ id: number; path: string; name: string }>(
    `select o.id, o.path::text as path, o.name from orgs o join reports r on r.org_id = o.id and r.campaign_id = $2 and r.status = 'approved'
      where o.parent_id = $1 order by (select count(*) from children c where c.org_id = o.id) desc limit 1`,
    [inter!.id, campaignId],
  );
  const [counts] = await q<Record<string, number>>(`
    select (select count(*)::int from orgs where path <@ $1::ltree) as units,
           (select count(*)::int from orgs where path <@ $1::ltree and kind = 'grassroots') as grassroots,
           (select count(*)::int from children) as children, (select count(*)::int from members) as members,
           (select count(*)::int from benefits) as benefits, (select count(*)::int from reports) as reports`, [root.path]);
  const subtreeChildren = async (path: string) => Number((await q(`select count(*)::int as n from children c join orgs o on o.id = c.org_id where o.path <@ $1::ltree`, [path]))[0]!['n']);
  console.log(`Scale ${scale.name} on ${database.kind}: ${JSON.stringify(counts)}`);
  console.log(`Measured at: root ${root.id}, province ${province!.id}, intermediate ${inter!.id} (${inter!.n} units), grassroots ${unit!.id}`);

  const signIn = async (email: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: GEN_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`sign-in ${email}: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    return { cookie, csrf: res.json().csrfToken as string };
  };
  const officer = await signIn('gen.root@lantern.test');
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie: officer.cookie } });
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res;
  };
  const opts = { runs: RUNS, warmup: WARMUP };
  const levelName = (id: number) => (id === root.id ? (national ? 'the root (national)' : 'the root (city)') : id === province!.id ? 'a province' : id === inter!.id ? (national ? 'a ward union' : 'an intermediate union') : 'a grassroots unit');

  // ---- Consolidated report --------------------------------------------------------------------------------
  if (only.has('consolidated')) {
    console.log('\nConsolidated report');
    const levels = [root.id, ...(national ? [province!.id] : []), inter!.id, unit!.id];
    for (const id of levels) {
      const path = id === root.id ? root.path : id === province!.id ? province!.path : id === inter!.id ? inter!.path : unit!.path;
      const app_ = await time(() => get(`/api/v1/campaigns/${campaignId}/consolidated?orgId=${id}`), opts);
      const base = await time(
        () =>
          q(`select count(*), sum((r.figures->>'children_registered')::numeric), sum((r.figures->>'gifted_children')::numeric),
                    sum((r.figures->>'gifts_value')::numeric), sum((r.figures->>'benefits_value')::numeric), sum((r.figures->>'activity_cost')::numeric)
               from reports r join orgs o on o.id = r.org_id
              where r.campaign_id = $1 and o.path <@ $2::ltree and r.status in ('approved', 'submitted')`, [campaignId, path]),
        opts,
      );
      const limit = id === root.id ? (national ? 1000 : 300) : id === province!.id && national ? 200 : null;
      addRow({ part: 'consolidated', what: `Consolidated report at ${levelName(id)}`, value: timed(app_), baseline: `${timed(base)} plain SQL sum of 5 figures`, ratio: ratio(app_.median, base.median), target: limit ? `< ${fmtMs(limit)}` : '', met: under(app_.median, limit) });
    }
  }

  // ---- Status board ------------------------------------------------------------------------------------------
  if (only.has('board')) {
    console.log('\nStatus board');
    const levels = national ? [province!, inter!] : [root, inter!];
    for (const l of levels) {
      const base = await time(
        () =>
          q(`select count(*), count(r.id) filter (where r.status = 'approved'), count(r.id) filter (where r.status = 'submitted'), count(a.acknowledged_at)
               from campaign_assignments a join orgs o on o.id = a.org_id left join reports r on r.campaign_id = a.campaign_id and r.org_id = a.org_id
              where a.campaign_id = $1 and a.status = 'active' and o.path <@ $2::ltree`, [campaignId, l.path]),
        opts,
      );
      const limit = national ? (l.id === province!.id ? 300 : null) : 300;
      // What the screen asks for: the counts of the whole subtree and the first page of 100 units.
      let size = 0;
      const page = await time(async () => (size = (await get(`/api/v1/campaigns/${campaignId}/status-board?orgId=${l.id}&limit=100`)).body.length), opts);
      addRow({ part: 'board', what: `Status board at ${levelName(l.id)}, counts and the first page of 100 units (${(size / 1024).toFixed(0)} KB JSON)`, value: timed(page), baseline: `${timed(base)} plain SQL counts`, ratio: ratio(page.median, base.median), target: limit ? `< ${fmtMs(limit)}` : '', met: under(page.median, limit) });
      // Every unit in one answer (the API without a limit, as other systems may call it).
      const all = await time(async () => (size = (await get(`/api/v1/campaigns/${campaignId}/status-board?orgId=${l.id}`)).body.length), opts);
      addRow({ part: 'board', what: `Status board at ${levelName(l.id)}, every unit in one answer (${(size / 1024).toFixed(0)} KB JSON)`, value: timed(all), baseline: `${timed(base)} plain SQL counts`, ratio: ratio(all.median, base.median), target: '', met: '' });
    }
  }

  // ---- Children list and search -------------------------------------------------------------------------------
  if (only.has('search')) {
    console.log('\nChildren list and search');
    const n = counts!['children']!;
    const page = await time(() => get(`/api/v1/orgs/${root.id}/children?limit=50&offset=0`), opts);
    const pageBase = await time(
      () => q(`select c.id, c.full_name from children c join orgs o on o.id = c.org_id where o.path <@ $1::ltree order by c.sort_key collate "C", c.birth_date, c.id limit 50`, [root.path]),
      opts,
    );
    addRow({ part: 'search', what: `Children list, first page of 50 at the root (${n.toLocaleString('en')} children)`, value: timed(page), baseline: `${timed(pageBase)} plain SQL page (no count)`, ratio: ratio(page.median, pageBase.median), target: '', met: '' });
    const term = 'nguyen thi ngoc anh';
    const search = await time(() => get(`/api/v1/orgs/${root.id}/children?limit=50&offset=0&q=${encodeURIComponent(term)}`), opts);
    const searchBase = await time(
      () => q(`select c.id, c.full_name from children c join orgs o on o.id = c.org_id where o.path <@ $1::ltree and c.search_text like all (array['%nguyen%', '%thi%', '%ngoc%', '%anh%']) order by c.sort_key collate "C" limit 50`, [root.path]),
      opts,
    );
    addRow({ part: 'search', what: `Search without diacritics “${term}” at the root`, value: timed(search), baseline: `${timed(searchBase)} plain SQL LIKE`, ratio: ratio(search.median, searchBase.median), target: '', met: '' });
  }

  // ---- Exports (streamed over a socket, memory sampled) -------------------------------------------------------
  let server: { port: number } | null = null;
  const listen = async () => {
    if (!server) {
      await app.listen({ host: '127.0.0.1', port: 0 });
      server = { port: (app.server.address() as AddressInfo).port };
    }
    return server.port;
  };
  /** GETs a URL over HTTP, counting the bytes without keeping them. */
  const download = (port: number, path: string, cookie: string) =>
    new Promise<number>((ok, fail) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, headers: { cookie } }, (res) => {
        let bytes = 0;
        if (res.statusCode !== 200) fail(new Error(`GET ${path}: ${res.statusCode}`));
        res.on('data', (b: Buffer) => (bytes += b.length));
        res.on('end', () => ok(bytes));
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end();
    });
  if (only.has('export')) {
    console.log('\nExports');
    const port = await listen();
    const exportRuns = Math.max(3, Math.min(RUNS, 5));
    // A province's per-unit report.
    const hasXlsx = app.routeTable.some((r) => r.method === 'GET' && r.url === '/api/v1/campaigns/:id/consolidated.xlsx');
    if (hasXlsx) {
      const ms: number[] = [];
      let peak = 0;
      let bytes = 0;
      await download(port, `/api/v1/campaigns/${campaignId}/consolidated.xlsx?orgId=${province!.id}`, officer.cookie);
      for (let i = 0; i < exportRuns; i++) {
        const m = await withMemory(async () => (bytes = await download(port, `/api/v1/campaigns/${campaignId}/consolidated.xlsx?orgId=${province!.id}`, officer.cookie)));
        ms.push(m.ms);
        peak = Math.max(peak, m.deltaMb);
      }
      ms.sort((a, b) => a - b);
      const base = await time(() => q(`select o.id, o.code, o.name, r.figures from campaign_assignments a join orgs o on o.id = a.org_id left join reports r on r.campaign_id = a.campaign_id and r.org_id = a.org_id where a.campaign_id = $1 and o.path <@ $2::ltree`, [campaignId, province!.path]), { runs: exportRuns, warmup: 1 });
      addRow({ part: 'export', what: `Per-unit report of ${national ? 'a province' : 'the city'} (.xlsx, ${(bytes / 1048576).toFixed(1)} MB), peak memory +${peak.toFixed(0)} MB`, value: `${fmtMs(percentile(ms, 50))} (p95 ${fmtMs(percentile(ms, 95))})`, baseline: `${timed(base)} plain SQL read of the same rows`, ratio: ratio(percentile(ms, 50), base.median), target: '', met: '' });
    } else console.log('  (the per-unit report export route is not in this build)');
    // Children list: the subtree nearest to 1,000,000 children (the whole tree when smaller).
    const candidates = national ? [province!, root] : [root];
    let pick = candidates[0]!;
    let n = await subtreeChildren(pick.path);
    if (national && n < 1_000_000) {
      pick = root;
      n = await subtreeChildren(root.path);
    }
    const m = await withMemory(async () => download(port, `/api/v1/orgs/${pick.id}/children/export.xlsx`, officer.cookie));
    const base = await time(() => q(`select count(*), sum(length(c.full_name)), max(c.sort_key) from children c join orgs o on o.id = c.org_id where o.path <@ $1::ltree`, [pick.path]), { runs: 3, warmup: 1 });
    const scaledLimit = 60_000 * (n / 1_000_000);
    addRow({
      part: 'export',
      what: `Children list export, ${n.toLocaleString('en')} rows (.xlsx streamed), peak memory ${m.peakMb.toFixed(0)} MB (+${m.deltaMb.toFixed(0)} MB)`,
      value: `${fmtMs(m.ms)} (${Math.round(n / (m.ms / 1000)).toLocaleString('en')} rows/s; one run)`,
      baseline: `${timed(base)} plain SQL sum over the same rows`,
      ratio: ratio(m.ms, base.median),
      target: `1,000,000 rows < 60 s and < 500 MB (here ${fmtMs(scaledLimit)} pro rata)`,
      met: m.ms <= scaledLimit && m.deltaMb < 500 ? 'yes' : 'no',
    });
  }

  // ---- Import: the import benchmark's own run (its own database, of the same kind as this run's) ----------------
  if (only.has('import')) {
    console.log('\nImport (bench/import-children.ts)');
    const own = isPg ? ['--database', Object.assign(new URL(target), { pathname: '/lantern_bench_import' }).toString()] : [];
    const out = await new Promise<string>((ok, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', resolve('bench/import-children.ts'), '--rows', values['import-rows']!, ...own], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (b: Buffer) => (text += b.toString()));
      child.on('exit', (code) => (code === 0 ? ok(text) : fail(new Error(`import benchmark exited ${code}\n${text}`))));
    });
    const line = (prefix: string) => out.split('\n').find((l) => l.startsWith(`| ${prefix}`))?.split('|').map((s) => s.trim()) ?? [];
    const base = line('baseline');
    const rowsN = Number(values['import-rows']).toLocaleString('en');
    for (const [prefix, what] of [['dry run', 'dry run'], ['commit', 'commit']] as const) {
      const l = line(prefix);
      if (!l.length) continue;
      const secs = Number(l[2]!.replace(' s', ''));
      const mb = Number(l[4]!.replace(' MB', ''));
      addRow({ part: 'import', what: `Import of ${rowsN} rows, ${what} (${l[1]}), peak ${mb} MB`, value: `${l[2]} (one run)`, baseline: `${base[2]} reading the file with exceljs alone (peak ${base[4]})`, ratio: l[3] ?? '', target: '< 15 s and < 400 MB', met: secs < 15 && mb < 400 ? 'yes' : 'no' });
    }
  }

  // ---- HTTP under load: the app against a bare Fastify route returning the same JSON size ----------------------
  const admin: AuthContext = {
    user: { id: '00000000-0000-0000-0000-000000000000', email: 'system', fullName: 'Hệ thống', locale: 'vi' },
    sessionId: 'bench',
    csrfToken: 'bench',
    grants: [{ id: 'bench', role: 'admin', orgId: root.id, orgCode: rootCode, orgName: 'root', orgPath: root.path }],
    actor: systemActor,
  };
  /** A plan of the benchmark's own, issued today to the same units, with no report yet. */
  const benchPlan = async (label: string) => {
    const today = todayInVietnam();
    const year = Number(today.slice(0, 4));
    const id = await createCampaign(database.db, admin, {
      issuingOrgId: root.id,
      kind: 'other',
      year,
      docNumber: `${label}-${Date.now()}/KH-BENCH`,
      place: 'Benchmark',
      issueDate: today,
      title: `Benchmark ${label}`,
      subject: `Benchmark ${label}`,
      festivalDate: today,
      reportDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      signer: { onBehalfOf: 'TM. BAN THƯỜNG VỤ', position: 'CHỦ TỊCH', name: 'Benchmark' },
    } as Parameters<typeof createCampaign>[2]);
    await issueCampaign({ db: database.db, jobs: noJobs, mailer: outboxOnlyMailer, publicUrl: 'http://localhost' }, admin, id, { asOf: today });
    return id;
  };

  /**
   * The HTTP and deadline-rush parts load the app over a socket. The app (bench/lib/app-server.ts, built as
   * server/main.ts builds it), the bare Fastify baseline and the load generators each run in a process of their
   * own, so a slow query (PGlite runs them synchronously) stops only the app. Sessions, vouchers and units are
   * prepared here first. The embedded database takes one process at a time: this process closes its own before
   * the app's process opens it, and opens it again afterwards to count what happened.
   */
  const work = mkdtempSync(join(tmpdir(), 'lantern-bench-'));
  let fileNo = 0;
  const writeJson = (value: unknown) => {
    const file = join(work, `${++fileNo}.json`);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };
  /** The app's process, and how fast its health check answers when idle (the bar for "calm" between runs). */
  const startApp = async (): Promise<Server & { calmMs: number }> => {
    if (!isPg) {
      await app.close();
      await database.close();
      server = null;
    }
    const s = await startServer('bench/lib/app-server.ts', [target, JSON.stringify({ ...settings, LANTERN_JOBS: 'off' })]);
    return { ...s, calmMs: Math.max(20, 3 * (await idleMs(s.port, '/api/v1/health'))) };
  };
  const stopApp = async (s: Server) => {
    await s.stop();
    if (!isPg) {
      database = await open();
      app = await buildApp({ database, env, webRoot: null });
      await app.ready();
    }
  };
  const load = async (spec: LoadSpec) => {
    const out = join(work, `${++fileNo}.json`);
    await runScript('bench/lib/load.ts', [writeJson(spec), out]);
    return JSON.parse(readFileSync(out, 'utf8')) as LoadResult;
  };
  /** A run's failed requests by status or error, e.g. "409×12, ECONNRESET×3". */
  const failures = (r: LoadResult) =>
    [
      ...Object.entries(r.statusCodeStats)
        .filter(([code]) => !code.startsWith('2'))
        .map(([code, s]) => `${code}×${s.count}`),
      ...Object.entries(r.errorCodes).map(([code, n]) => `${code}×${n}`),
    ].join(', ');
  const failed = (r: LoadResult) => r.non2xx + r.errors;
  /** Successful answers per second: failed requests never count as throughput. */
  const rate = (r: LoadResult) => (r.duration > 0 ? r.ok / r.duration : 0);
  const figure = (r: LoadResult) =>
    r.ok === 0 ? `no request succeeded (${failures(r) || 'no answer'})` : `${rate(r) < 10 ? rate(r).toFixed(1) : Math.round(rate(r)).toLocaleString('en')} req/s, p99 ${r.p99} ms`;

  if (only.has('http')) {
    console.log('\nHTTP under load (autocannon; the app, the bare baseline and the load generator in processes of their own)');
    // Each connection count submits to a plan of its own, so that its requests find units that have not submitted yet.
    const conns = [50, 500] as const;
    type Conns = (typeof conns)[number];
    const submitPlans = { 50: await benchPlan('submit-50'), 500: await benchPlan('submit-500') };
    const unitsOf = async (plan: string) => (await q<{ org_id: number }>(`select org_id from campaign_assignments where campaign_id = $1 order by org_id`, [plan])).map((r) => r.org_id);
    const submitUnits = { 50: await unitsOf(submitPlans[50]), 500: await unitsOf(submitPlans[500]) };
    const sampleUnit = submitUnits[50].shift()!;
    // Vouchers of gifts approved but not handed over, in units whose report is not approved (so no approved report
    // changes): the first for the sample, the rest split between the two runs.
    const benefitIds = (
      await q<{ id: string }>(
        `select b.id from benefits b left join reports r on r.campaign_id = b.campaign_id and r.org_id = b.org_id
          where b.campaign_id = $1 and b.status = 'approved' and coalesce(r.status, 'draft') <> 'approved' order by b.id limit 200000`,
        [campaignId],
      )
    ).map((r) => r.id);
    const sampleVoucher = benefitIds.shift();
    const half = Math.ceil(benefitIds.length / 2);
    const vouchers = { 50: benefitIds.slice(0, half), 500: benefitIds.slice(half) };
    const token = (id: string) => JSON.stringify({ token: signVoucherToken(id, env.SESSION_SECRET) });
    const json = { 'content-type': 'application/json' };
    const authed = { cookie: officer.cookie, 'x-csrf-token': officer.csrf };
    const signInBody = JSON.stringify({ email: 'gen.root@lantern.test', password: GEN_PASSWORD });
    const submitPath = (plan: string, orgId: number) => `/api/v1/campaigns/${plan}/reports/${orgId}/submit`;
    const boardPath = `/api/v1/campaigns/${campaignId}/status-board?orgId=${inter!.id}`;
    interface Endpoint {
      name: string;
      method: 'GET' | 'POST';
      headers: Record<string, string>;
      sample: { url: string; body?: string };
      paths: (c: Conns) => string[];
      bodies?: (c: Conns) => string[];
    }
    const endpoints: Endpoint[] = [
      { name: 'status board', method: 'GET', headers: { cookie: officer.cookie }, sample: { url: boardPath }, paths: () => [boardPath] },
      { name: 'report submit', method: 'POST', headers: { ...json, ...authed }, sample: { url: submitPath(submitPlans[50], sampleUnit), body: '{}' }, paths: (c) => submitUnits[c].map((u) => submitPath(submitPlans[c], u)), bodies: () => ['{}'] },
      ...(sampleVoucher
        ? [{ name: 'voucher scan', method: 'POST' as const, headers: { ...json, ...authed }, sample: { url: '/api/v1/deliveries/scan', body: token(sampleVoucher) }, paths: () => ['/api/v1/deliveries/scan'], bodies: (c: Conns) => (vouchers[c].length ? vouchers[c] : [sampleVoucher]).map(token) }]
        : []),
      { name: 'sign-in', method: 'POST', headers: json, sample: { url: '/api/v1/auth/login', body: signInBody }, paths: () => ['/api/v1/auth/login'], bodies: () => [signInBody] },
    ];
    if (!sampleVoucher) console.log('  (no approved voucher left to scan: the voucher scan is left out)');
    const bodies: Record<string, string> = {};
    const slug = (e: Endpoint) => e.name.replace(' ', '-');
    for (const e of endpoints) {
      const sample = await app.inject({ method: e.method, url: e.sample.url, headers: e.headers, payload: e.sample.body });
      if (sample.statusCode !== 200) throw new Error(`${e.name}: ${sample.statusCode} ${sample.body.slice(0, 200)}`);
      bodies[slug(e)] = sample.body;
    }

    const runs: { e: Endpoint; connections: Conns; a: LoadResult; b: LoadResult; distinct: number; busy: boolean }[] = [];
    const bare = await startServer('bench/lib/bare-server.ts', [writeJson(bodies)]);
    const appServer = await startApp();
    try {
      for (const e of endpoints) {
        for (const connections of conns) {
          const paths = e.paths(connections);
          const spec = { connections, duration: DURATION, method: e.method, bodies: e.bodies?.(connections) };
          const busy = !(await waitCalm(appServer.port, '/api/v1/health', appServer.calmMs));
          const a = await load({ ...spec, url: `http://127.0.0.1:${appServer.port}`, headers: e.headers, paths });
          await waitCalm(appServer.port, '/api/v1/health', appServer.calmMs);
          const b = await load({ ...spec, url: `http://127.0.0.1:${bare.port}`, headers: e.method === 'POST' ? json : {}, paths: [`/bare/${slug(e)}`] });
          console.log(`  (${e.name}, ${connections} connections: app ${figure(a)}, bare ${figure(b)})`);
          runs.push({ e, connections, a, b, distinct: Math.max(paths.length, spec.bodies?.length ?? 0), busy });
        }
      }
    } finally {
      await bare.stop();
      await stopApp(appServer);
    }

    // What the submissions and scans did, counted in the database: repeats (a unit already submitted, a voucher
    // already scanned) answer 200 too, by a shorter path.
    const count = async (text: string, params: unknown[]) => Number((await q(text, params))[0]!['n']);
    const done: Record<string, string> = {};
    for (const c of conns) {
      const submitted = await count(`select count(*)::int as n from reports where campaign_id = $1 and status = 'submitted'`, [submitPlans[c]]);
      done[`report submit ${c}`] = `${(submitted - (c === 50 ? 1 : 0)).toLocaleString('en')} reports submitted`;
      if (sampleVoucher) {
        const delivered = await count(`select count(*)::int as n from benefits where id = any($1::uuid[]) and status = 'delivered'`, [vouchers[c]]);
        done[`voucher scan ${c}`] = `${delivered.toLocaleString('en')} gifts delivered`;
      }
    }
    for (const { e, connections, a, b, distinct, busy } of runs) {
      const share = a.ok > 0 && b.ok > 0 ? rate(a) / rate(b) : NaN;
      const errs = failed(a);
      const targeted = connections === 50 && e.name !== 'sign-in';
      // Past the prepared units or vouchers, the run starts over with them and the answers are repeats.
      const what = done[`${e.name} ${connections}`];
      addRow({
        part: 'http',
        what: `HTTP ${e.name}, ${connections} connections (${(Buffer.byteLength(bodies[slug(e)]!) / 1024).toFixed(1)} KB)${errs ? `, ${errs} of ${(a.ok + errs).toLocaleString('en')} failed: ${failures(a)}` : ''}${busy ? ', started while the app was still working off the previous run' : ''}`,
        value: `${figure(a)}${what && a.ok ? ` (${what}${a.sent > distinct ? `, then repeats of the same ${distinct.toLocaleString('en')}` : ''})` : ''}`,
        baseline: `bare Fastify ${figure(b)}${failed(b) ? `, ${failed(b)} failed: ${failures(b)}` : ''}`,
        ratio: Number.isFinite(share) ? `${(share * 100).toFixed(1)}% of bare` : '',
        target: targeted ? '≥ 30% of bare, p99 < 100 ms' : '',
        met: targeted ? (share >= 0.3 && a.p99 < 100 && errs === 0 ? 'yes' : 'no') : '',
      });
    }
  }

  // ---- The deadline rush: every grassroots unit of the city size submits within the window ---------------------
  if (only.has('rush')) {
    console.log('\nDeadline rush (the clients and the app in processes of their own)');
    const rushPlan = await benchPlan('rush');
    const window = Number(values['rush-seconds']) * 1000;
    // The units of one city: the city itself, or the largest province.
    const units = await q<{ id: number; parent_id: number }>(
      `select o.id, o.parent_id from campaign_assignments a join orgs o on o.id = a.org_id
        where a.campaign_id = $1 and o.kind = 'grassroots' and o.path <@ $2::ltree order by o.id limit 6500`,
      [rushPlan, province!.path],
    );
    // The intermediate unions' officers submit for their units, each from their own session.
    const sessions: { cookie: string; csrf: string }[] = [];
    const sessionOf = new Map<number, number>();
    const accounts = await q<{ email: string; org_id: number }>(`select u.email, g.org_id from users u join role_grants g on g.user_id = u.id where u.email like 'gen.q%@lantern.test'`);
    const wanted = new Set(units.map((u) => u.parent_id));
    for (const a of accounts) {
      if (!wanted.has(a.org_id) || sessionOf.has(a.org_id)) continue;
      sessionOf.set(a.org_id, sessions.length);
      sessions.push(await signIn(a.email));
    }
    const orphan = units.find((u) => !sessionOf.has(u.parent_id));
    if (orphan) throw new Error(`deadline rush: no officer account at ${orphan.parent_id}, the parent of unit ${orphan.id}`);
    const spec: RushSpec = { port: 0, campaignId: rushPlan, windowMs: window, sessions, units: units.map((u) => ({ id: u.id, session: sessionOf.get(u.parent_id)! })) };

    const appServer = await startApp();
    let rush: RushResult;
    try {
      await waitCalm(appServer.port, '/api/v1/health', appServer.calmMs);
      const out = join(work, 'rush.json');
      await runScript('bench/lib/rush-clients.ts', [writeJson({ ...spec, port: appServer.port }), out]);
      rush = JSON.parse(readFileSync(out, 'utf8')) as RushResult;
    } finally {
      await stopApp(appServer);
    }

    // Counted in the database, against what the clients were told.
    const submittedUnits = new Set(
      (await q<{ org_id: number }>(`select org_id from reports where campaign_id = $1 and status = 'submitted' and org_id = any($2::int[])`, [rushPlan, units.map((u) => u.id)])).map((r) => r.org_id),
    );
    const [dups] = await q<{ audit: number; notices: number }>(
      `select (select coalesce(sum(n - 1), 0)::int from (select count(*) as n from audit_log l join reports r on r.id::text = l.entity_id
                where r.campaign_id = $1 and l.action = 'report.submit' group by l.entity_id) x) as audit,
              (select count(*)::int from notices where campaign_id = $1 and kind = 'report.submitted') as notices`,
      [rushPlan],
    );
    const confirmed = new Set(rush.records.filter((r) => r.status === 200).map((r) => r.unit));
    const lost = [...confirmed].filter((u) => !submittedUnits.has(u)).length;
    const refused = units.filter((u) => !confirmed.has(u.id) && !submittedUnits.has(u.id)).length;
    const duplicated = Math.max(dups!.audit, dups!.notices - submittedUnits.size);
    const byStatus = new Map<string, number>();
    for (const r of rush.records) if (r.status !== 200) byStatus.set(String(r.status), (byStatus.get(String(r.status)) ?? 0) + 1);
    const failedN = [...byStatus.values()].reduce((a, b) => a + b, 0);
    const latencies = rush.records.map((r) => r.ms).sort((a, b) => a - b);
    addRow({
      part: 'rush',
      what: `Deadline rush: ${units.length.toLocaleString('en')} units submit within ${Math.round(window / 1000)} s (${rush.records.length} requests, 1 in 10 double-clicked; up to ${rush.maxInFlight} in flight)`,
      value: `submitted ${submittedUnits.size.toLocaleString('en')}, lost ${lost}, duplicated ${duplicated}; p99 ${fmtMs(percentile(latencies, 99))}, median ${fmtMs(percentile(latencies, 50))}; all done in ${fmtMs(rush.tookMs)}${failedN ? `; ${failedN} failed requests (${[...byStatus].map(([s, n]) => `${s}×${n}`).join(', ')})` : ''}${refused ? `; ${refused} units not submitted, their clients told so` : ''}`,
      baseline: '',
      ratio: '',
      target: 'all submitted, 0 lost, 0 duplicated',
      met: submittedUnits.size === units.length && lost === 0 && duplicated === 0 ? 'yes' : 'no',
    });
  }
  rmSync(work, { recursive: true, force: true });

  await app.close();
  await database.close();

  // ---- Results: kept per scale, rendered together -------------------------------------------------------------
  const results: Results = {
    scale: scale.name,
    database: database.kind === 'pglite' ? 'embedded database (PGlite 0.5, one connection)' : 'PostgreSQL 15 server',
    date: new Date().toISOString().slice(0, 10),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? '', memoryGb: Math.round(totalmem() / 1073741824), os: `${platform()} ${release()}` },
    data: counts!,
    rows,
  };
  const dir = resolve('bench/results');
  mkdirSync(dir, { recursive: true });
  // A scale measured on the other kind of database than its own (the city on a server, say) is kept beside it.
  const file = resolve(dir, `${resultsName(scale.name, isPg ? 'pg' : 'pglite', scale.serverOnly)}.json`);
  // Parts not run this time keep their last figures.
  if (existsSync(file)) {
    const old = JSON.parse(readFileSync(file, 'utf8')) as Results;
    if (old.database === results.database) results.rows = [...old.rows.filter((r) => !only.has(r.part)), ...rows].sort((a, b) => PARTS.indexOf(a.part) - PARTS.indexOf(b.part));
  }
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${renderTable(results)}`);
  if (!values['no-write']) {
    writeFileSync(resolve('docs/benchmarks.md'), renderDoc());
    console.log('\nWritten to docs/benchmarks.md');
  }
}

/** The results file of a scale on a database: `city`, or `city-postgres` when the city ran on a server. */
function resultsName(scale: string, kind: 'pg' | 'pglite', serverOnly: boolean): string {
  return (kind === 'pg') === serverOnly ? scale : `${scale}-${kind === 'pg' ? 'postgres' : 'embedded'}`;
}

function renderTable(r: Results): string {
  const lines = ['| figure | measured (median, p95) | baseline in the same run | vs. baseline | target | met |', '|---|---|---|---|---|---|'];
  for (const x of r.rows) lines.push(`| ${x.what} | ${x.value} | ${x.baseline} | ${x.ratio} | ${x.target} | ${x.met} |`);
  return lines.join('\n');
}

function renderDoc(): string {
  const dir = resolve('bench/results');
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as Results)
    .map((r) => ({ ...r, name: resultsName(r.scale, r.database.startsWith('PostgreSQL') ? 'pg' : 'pglite', scaleOf(r.scale).serverOnly) }))
    .sort((a, b) => ['tiny', 'city', 'province', 'national'].indexOf(a.scale) - ['tiny', 'city', 'province', 'national'].indexOf(b.scale) || a.name.localeCompare(b.name));
  const out: string[] = [
    '# Benchmarks',
    '',
    'Made by `npm run gen -- --scale <scale>` then `npm run bench -- --scale <scale>` (see `bench/README.md`). Every figure',
    'goes through the real code — the HTTP routes, by `inject` or over a socket — and stands beside a baseline measured in',
    'the same run. Times are the median and the 95th percentile of several runs after a warm-up, unless marked "one run".',
    '',
  ];
  for (const r of all) {
    const d = r.data;
    out.push(
      `## ${r.scale[0]!.toUpperCase()}${r.scale.slice(1)} scale on the ${r.database}`,
      '',
      `Measured ${r.date} on ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGb} GiB memory, ${r.machine.os}.`,
      `Data: ${(d['units'] ?? 0).toLocaleString('en')} units under the generated root (${(d['grassroots'] ?? 0).toLocaleString('en')} grassroots), ${(d['members'] ?? 0).toLocaleString('en')} members, ${(d['children'] ?? 0).toLocaleString('en')} children, ${(d['benefits'] ?? 0).toLocaleString('en')} benefits, ${(d['reports'] ?? 0).toLocaleString('en')} reports in the database.`,
      '',
      renderTable(r),
      '',
    );
    const notes = resolve(dir, `${r.name}.notes.md`);
    if (existsSync(notes)) out.push(readFileSync(notes, 'utf8').trim(), '');
  }
  out.push(readFileSync(resolve('bench/growth.md'), 'utf8').trim(), '');
  return out.join('\n');
}

(values.render ? Promise.resolve(writeFileSync(resolve('docs/benchmarks.md'), renderDoc())) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
