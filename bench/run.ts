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
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, totalmem, platform, release } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Fastify from 'fastify';
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
import { fmtMs, percentile, time, withMemory, type Timing } from './lib/measure';

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
  const database = isPg ? await openDatabase({ url: target, poolSize: 10 }) : await openDatabase({ dataDir: target });
  // Migrations added since the data was generated apply first, as on every app start.
  await runMigrations(database);
  const national = scale.regions > 0;
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '100000000', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123' });
  const app = await buildApp({ database, env, webRoot: null });
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
      let size = 0;
      const app_ = await time(async () => (size = (await get(`/api/v1/campaigns/${campaignId}/status-board?orgId=${l.id}`)).body.length), opts);
      const base = await time(
        () =>
          q(`select count(*), count(r.id) filter (where r.status = 'approved'), count(r.id) filter (where r.status = 'submitted'), count(a.acknowledged_at)
               from campaign_assignments a join orgs o on o.id = a.org_id left join reports r on r.campaign_id = a.campaign_id and r.org_id = a.org_id
              where a.campaign_id = $1 and a.status = 'active' and o.path <@ $2::ltree`, [campaignId, l.path]),
        opts,
      );
      const limit = national ? (l.id === province!.id ? 300 : null) : 300;
      addRow({ part: 'board', what: `Status board at ${levelName(l.id)} (${(size / 1024).toFixed(0)} KB JSON)`, value: timed(app_), baseline: `${timed(base)} plain SQL counts`, ratio: ratio(app_.median, base.median), target: limit ? `< ${fmtMs(limit)}` : '', met: under(app_.median, limit) });
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

  // ---- Import: the import benchmark's own run (its own embedded database) -------------------------------------
  if (only.has('import')) {
    console.log('\nImport (bench/import-children.ts)');
    const out = await new Promise<string>((ok, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', resolve('bench/import-children.ts'), '--rows', values['import-rows']!], { stdio: ['ignore', 'pipe', 'inherit'] });
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

  if (only.has('http')) {
    console.log('\nHTTP under load (autocannon)');
    const port = await listen();
    const bare = Fastify({ logger: false });
    const bodies = new Map<string, string>();
    bare.get('/bare/:name', async (req, reply) => reply.type('application/json').send(bodies.get((req.params as { name: string }).name)));
    bare.post('/bare/:name', async (req, reply) => reply.type('application/json').send(bodies.get((req.params as { name: string }).name)));
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const barePort = (bare.server.address() as AddressInfo).port;

    const submitPlan = await benchPlan('submit');
    const submitUnits = (await q<{ org_id: number }>(`select org_id from campaign_assignments where campaign_id = $1 order by org_id`, [submitPlan])).map((r) => r.org_id);
    // Vouchers of gifts approved but not handed over, in units whose report is not approved (so no approved report changes).
    const tokens = (
      await q<{ id: string }>(
        `select b.id from benefits b left join reports r on r.campaign_id = b.campaign_id and r.org_id = b.org_id
          where b.campaign_id = $1 and b.status = 'approved' and coalesce(r.status, 'draft') <> 'approved' order by b.id limit 200000`,
        [campaignId],
      )
    ).map((r) => signVoucherToken(r.id, env.SESSION_SECRET));
    let si = 0;
    let ti = 0;
    const json = { 'content-type': 'application/json' };
    const authed = { cookie: officer.cookie, 'x-csrf-token': officer.csrf };
    const endpoints: { name: string; method: 'GET' | 'POST'; path: () => string; body: () => string; headers: Record<string, string> }[] = [
      { name: 'status board', method: 'GET', path: () => `/api/v1/campaigns/${campaignId}/status-board?orgId=${inter!.id}`, body: () => '', headers: { cookie: officer.cookie } },
      { name: 'report submit', method: 'POST', path: () => `/api/v1/campaigns/${submitPlan}/reports/${submitUnits[si++ % submitUnits.length]}/submit`, body: () => '{}', headers: { ...json, ...authed } },
      { name: 'voucher scan', method: 'POST', path: () => '/api/v1/deliveries/scan', body: () => JSON.stringify({ token: tokens[ti++ % Math.max(1, tokens.length)] }), headers: { ...json, ...authed } },
      { name: 'sign-in', method: 'POST', path: () => '/api/v1/auth/login', body: () => JSON.stringify({ email: 'gen.root@lantern.test', password: GEN_PASSWORD }), headers: json },
    ];
    for (const e of endpoints) {
      const sample = await app.inject({ method: e.method, url: e.path(), headers: e.headers, payload: e.method === 'POST' ? e.body() : undefined });
      if (sample.statusCode !== 200) throw new Error(`${e.name}: ${sample.statusCode} ${sample.body.slice(0, 200)}`);
      bodies.set(e.name.replace(' ', '-'), sample.body);
    }
    const run = (p: number, e: (typeof endpoints)[number] | null, name: string, connections: number) =>
      new Promise<autocannon.Result>((ok, fail) => {
        autocannon(
          {
            url: `http://127.0.0.1:${p}`,
            connections,
            duration: DURATION,
            requests: [
              {
                method: e?.method ?? 'GET',
                headers: e?.headers ?? {},
                setupRequest: (req) => {
                  if (e) return { ...req, path: e.path(), body: e.method === 'POST' ? e.body() : undefined };
                  return { ...req, path: `/bare/${name}` };
                },
              },
            ],
          },
          (err, res) => (err ? fail(err) : ok(res)),
        );
      });
    /** Waits until the app has worked off what a run left queued (autocannon shares this process with both servers). */
    const drain = async () => {
      for (let calm = 0, i = 0; calm < 3 && i < 600; i++) {
        const t = performance.now();
        await app.inject({ method: 'GET', url: '/api/v1/health' });
        calm = performance.now() - t < 20 ? calm + 1 : 0;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    for (const e of endpoints) {
      const name = e.name.replace(' ', '-');
      for (const connections of [50, 500]) {
        await drain();
        const a = await run(port, e, name, connections);
        await drain();
        const b = await run(barePort, { ...e, path: () => `/bare/${name}`, headers: e.method === 'POST' ? json : {} }, name, connections);
        const share = a.requests.average / b.requests.average;
        const errors = a.non2xx + a.errors + a.timeouts;
        addRow({
          part: 'http',
          what: `HTTP ${e.name}, ${connections} connections (${(Buffer.byteLength(bodies.get(name)!) / 1024).toFixed(1)} KB)${errors ? `, ${errors} errors/non-2xx` : ''}`,
          value: `${Math.round(a.requests.average).toLocaleString('en')} req/s, p99 ${a.latency.p99} ms`,
          baseline: `bare Fastify ${Math.round(b.requests.average).toLocaleString('en')} req/s, p99 ${b.latency.p99} ms`,
          ratio: `${(share * 100).toFixed(1)}% of bare`,
          target: connections === 50 && e.name !== 'sign-in' ? '≥ 30% of bare, p99 < 100 ms' : '',
          met: connections === 50 && e.name !== 'sign-in' ? (share >= 0.3 && a.latency.p99 < 100 ? 'yes' : 'no') : '',
        });
      }
    }
    await bare.close();
  }

  // ---- The deadline rush: every grassroots unit of the city size submits within the window ---------------------
  if (only.has('rush')) {
    console.log('\nDeadline rush');
    const port = await listen();
    const rushPlan = await benchPlan('rush');
    const window = Number(values['rush-seconds']) * 1000;
    // The units of one city: the city itself, or the largest province.
    const units = await q<{ id: number; parent_id: number }>(
      `select o.id, o.parent_id from campaign_assignments a join orgs o on o.id = a.org_id
        where a.campaign_id = $1 and o.kind = 'grassroots' and o.path <@ $2::ltree order by o.id limit 6500`,
      [rushPlan, province!.path],
    );
    // The intermediate unions' officers submit for their units, each from their own session.
    const officers = new Map<number, { cookie: string; csrf: string }>();
    const accounts = await q<{ email: string; org_id: number }>(`select u.email, g.org_id from users u join role_grants g on g.user_id = u.id where u.email like 'gen.q%@lantern.test'`);
    const wanted = new Set(units.map((u) => u.parent_id));
    for (const a of accounts) if (wanted.has(a.org_id)) officers.set(a.org_id, await signIn(a.email));
    const latencies: number[] = [];
    let failures = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const submit = (orgId: number, s: { cookie: string; csrf: string }) =>
      new Promise<void>((done) => {
        const t = performance.now();
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const req = httpRequest(
          { host: '127.0.0.1', port, method: 'POST', path: `/api/v1/campaigns/${rushPlan}/reports/${orgId}/submit`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', () => {
              inFlight--;
              latencies.push(performance.now() - t);
              if (res.statusCode !== 200) failures++;
              done();
            });
          },
        );
        req.on('error', () => {
          inFlight--;
          failures++;
          done();
        });
        req.end('{}');
      });
    const started = performance.now();
    // Each unit submits at a moment spread over the window; one in ten clicks twice.
    const jobs = units.map(
      (u, i) =>
        new Promise<void>((done) => {
          const at = ((i * 7919) % units.length) / units.length * window * 0.95;
          setTimeout(async () => {
            const s = officers.get(u.parent_id)!;
            const first = submit(u.id, s);
            if (i % 10 === 0) await new Promise((r) => setTimeout(r, 50)).then(() => submit(u.id, s));
            await first;
            done();
          }, at);
        }),
    );
    await Promise.all(jobs);
    const took = performance.now() - started;
    const [res] = await q<{ submitted: number; dup: number }>(
      `select (select count(*)::int from reports where campaign_id = $1 and status = 'submitted') as submitted,
              (select coalesce(sum(n - 1), 0)::int from (select count(*) as n from audit_log l join reports r on r.id::text = l.entity_id
                where r.campaign_id = $1 and l.action = 'report.submit' group by l.entity_id) x) as dup`,
      [rushPlan],
    );
    latencies.sort((a, b) => a - b);
    const lost = units.length - res!.submitted;
    addRow({
      part: 'rush',
      what: `Deadline rush: ${units.length.toLocaleString('en')} units submit within ${Math.round(window / 1000)} s (${units.length + Math.ceil(units.length / 10)} requests, 1 in 10 double-clicked; up to ${maxInFlight} in flight)`,
      value: `submitted ${res!.submitted.toLocaleString('en')}, lost ${lost}, duplicated ${res!.dup}; p99 ${fmtMs(percentile(latencies, 99))}, median ${fmtMs(percentile(latencies, 50))}; all done in ${fmtMs(took)}${failures ? `; ${failures} failed requests` : ''}`,
      baseline: '',
      ratio: '',
      target: 'all submitted, 0 lost, 0 duplicated',
      met: lost === 0 && res!.dup === 0 ? 'yes' : 'no',
    });
  }

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
  const file = resolve(dir, `${scale.name}.json`);
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
    .sort((a, b) => ['tiny', 'city', 'province', 'national'].indexOf(a.scale) - ['tiny', 'city', 'province', 'national'].indexOf(b.scale));
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
    const notes = resolve(dir, `${r.scale}.notes.md`);
    if (existsSync(notes)) out.push(readFileSync(notes, 'utf8').trim(), '');
  }
  out.push(readFileSync(resolve('bench/growth.md'), 'utf8').trim(), '');
  return out.join('\n');
}

(values.render ? Promise.resolve(writeFileSync(resolve('docs/benchmarks.md'), renderDoc())) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
