/**
 * What the crash tests need to kill the real server and start it again on
 * the same data: the process, a small HTTP
 * client that signs in like the browser, the children file of the import
 * bench, and the database on the side (PGlite directory or PostgreSQL).
 */
import '../lib/exceljs-utf8';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { openDatabase, type Database } from '../db/client';
import { DEMO_PASSWORD } from '../db/seed/demo';
import { dataKey } from '../lib/crypto';
import { freePort } from './ports';

export { DEMO_PASSWORD };

const root = fileURLToPath(new URL('../..', import.meta.url));
const PAUSE_HOOK = fileURLToPath(new URL('./crash-pause.ts', import.meta.url));
const HEALTH_TIMEOUT_MS = 120_000;
/** Fixed across restarts, as in a deployment: voucher codes are signed with it. */
const SESSION_SECRET = 'crash-test-session-secret-0123456789abcdef';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- the database under the server

/** Where a server keeps its data: a PGlite directory, or a PostgreSQL database made for the run. */
export interface Store {
  kind: 'pglite' | 'postgres';
  /** Settings that point the server at it. */
  env: Record<string, string>;
  /**
   * Opens it for checks while no server runs (PGlite allows one process at a
   * time). `from`: a dumped PGlite data directory to start an empty one from.
   */
  open(from?: Blob): Promise<Database>;
  /** Raw SQL against it while the server runs (PostgreSQL only). */
  side?: () => Promise<pg.Client>;
  drop(): Promise<void>;
}

export function pgliteStore(): Store {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-crash-'));
  return {
    kind: 'pglite',
    env: { LANTERN_DATA_DIR: dir },
    open: (from) => openDatabase({ dataDir: resolve(dir, 'pglite'), loadDataDir: from }),
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database `lantern_crash_…` on the server of `adminUrl`; dropped by `drop`. */
export async function postgresStore(adminUrl: string): Promise<Store> {
  const name = `lantern_crash_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url, LANTERN_DEMO_DATA: 'yes' },
    open: () => openDatabase({ url, poolSize: 2 }),
    async side() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    },
    async drop() {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

// ---------------------------------------------------------------- the server process

/**
 * Makes the server stop inside its work: after it has run the `nth` SQL
 * statement matching `pattern` (a case-insensitive regular expression), it
 * prints a line and waits for ever, its transaction open (see crash-pause.ts).
 */
export interface PauseAt {
  pattern: string;
  nth?: number;
}

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  /** The last few kilobytes the process printed. */
  output(): string;
  /** Resolves when a line matching `re` has been printed (or rejects when the process ends first). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGKILL: no handler runs, nothing is flushed or closed. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** Starts `node --import tsx server/main.ts` on a free port against `store`, and waits for /api/v1/health. */
export async function startServer(store: Store, opts: { pauseAt?: PauseAt } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    SESSION_SECRET,
    // The key the run's template database was encrypted with (derived from the test process's settings), not one derived from this SESSION_SECRET.
    DATA_KEY: dataKey(process.env).toString('base64'),
    LANTERN_DEMO_DATA: 'yes',
    LANTERN_JOBS: 'off',
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT: '1000',
    ...store.env,
  };
  for (const k of ['SMTP_URL', 'TEST_DATABASE_URL', 'LANTERN_PAUSE_AT', 'LANTERN_PAUSE_NTH', ...(store.kind === 'pglite' ? ['DATABASE_URL'] : [])]) delete env[k];
  const args = ['--import', 'tsx'];
  if (opts.pauseAt) {
    args.push('--import', PAUSE_HOOK);
    env.LANTERN_PAUSE_AT = opts.pauseAt.pattern;
    env.LANTERN_PAUSE_NTH = String(opts.pauseAt.nth ?? 1);
  }
  args.push(join(root, 'server/main.ts'));
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const listeners = new Set<() => void>();
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-16_000);
    for (const l of listeners) l();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const proc: ServerProcess = {
    baseUrl,
    child,
    output: () => log,
    waitFor(re, timeoutMs = 120_000) {
      return new Promise((done, fail) => {
        const check = () => {
          if (re.test(log)) finish(null);
          else if (gone()) finish(new Error(`the server ended before printing ${re}:\n${log}`));
        };
        const timer = setTimeout(() => finish(new Error(`the server did not print ${re} within ${timeoutMs / 1000} s:\n${log}`)), timeoutMs);
        const finish = (err: Error | null) => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', check);
          if (err) fail(err);
          else done();
        };
        listeners.add(check);
        child.on('exit', check);
        check();
      });
    },
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (gone()) return;
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(force);
    },
  };

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  for (;;) {
    if (gone()) throw new Error(`the server stopped before answering (exit ${child.exitCode ?? child.signalCode}):\n${log}`);
    try {
      const res = await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return proc;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await proc.kill();
      throw new Error(`the server did not answer /api/v1/health within ${HEALTH_TIMEOUT_MS / 1000} s:\n${log}`);
    }
    await sleep(200);
  }
}

// ---------------------------------------------------------------- a signed-in client over HTTP

export interface HttpReply<T = any> {
  status: number;
  body: T;
  text: string;
}

export interface HttpClient {
  csrfToken: string;
  get<T = any>(path: string): Promise<HttpReply<T>>;
  post<T = any>(path: string, body?: unknown): Promise<HttpReply<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<HttpReply<T>>;
  upload<T = any>(path: string, filename: string, content: Buffer): Promise<HttpReply<T>>;
}

export async function signIn(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<HttpClient> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`sign-in failed for ${email}: ${res.status} ${text}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const csrfToken = (JSON.parse(text) as { csrfToken: string }).csrfToken;
  const send = async (method: string, path: string, body?: BodyInit, type?: string): Promise<HttpReply> => {
    const headers: Record<string, string> = { cookie };
    if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
    if (type) headers['content-type'] = type;
    const r = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const t = await r.text();
    let parsed: unknown = t;
    if ((r.headers.get('content-type') ?? '').includes('application/json') && t) parsed = JSON.parse(t);
    return { status: r.status, body: parsed, text: t };
  };
  return {
    csrfToken,
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, JSON.stringify(body ?? {}), 'application/json'),
    patch: (path, body) => send('PATCH', path, JSON.stringify(body ?? {}), 'application/json'),
    upload(path, filename, content) {
      const form = new FormData();
      form.append('file', new Blob([Uint8Array.from(content)]), filename);
      return send('POST', path, form);
    },
  };
}

/** A request the server may never answer (it is killed meanwhile): settles either way, never rejects. */
export function inFlight<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

// ---------------------------------------------------------------- the import file

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Khang', 'Linh', 'Minh', 'Ngọc', 'Phúc', 'Quân', 'Thảo', 'Vy'];

/**
 * The children file of the import bench (bench/import-children.ts), row for
 * row: `rows` valid children, two to a parent, none of them already in the
 * demo register.
 */
export async function childrenSheet(rows: number): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-sheet-'));
  const file = join(dir, `tre-em-${randomUUID().slice(0, 8)}.xlsx`);
  try {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
    const ws = wb.addWorksheet('Tre em');
    ws.addRow(['Họ tên con', 'Ngày sinh', 'Giới tính', 'Họ tên cha/mẹ (đoàn viên)', 'Bộ phận', 'Điện thoại', 'Trường', 'Lớp']).commit();
    for (let i = 0; i < rows; i++) {
      const name = `${FAMILY[i % 10]} ${['Văn', 'Thị', 'Minh', 'Ngọc'][i % 4]} ${GIVEN[i % 14]} ${Math.floor(i / 140)}`;
      const birth = `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/${2010 + (i % 12)}`;
      ws.addRow([name, birth, i % 2 ? 'Nam' : 'Nữ', `${FAMILY[(i + 3) % 10]} Văn Bố ${Math.floor(i / 2)}`, 'Xưởng 1', `09${String(10_000_000 + Math.floor(i / 2)).slice(-8)}`, 'Trường Tiểu học Gia Thụy', `${(i % 5) + 1}A`]).commit();
    }
    await wb.commit();
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
