import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, openAsBlob, readdirSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Env } from '../env';
import { openDatabase } from '../db/client';

/**
 * Operator backups of the whole database, for both kinds the app runs on:
 * - the embedded PGlite: its data directory as a gzipped tarball
 *   (PGlite's own dumpDataDir / loadDataDir);
 * - a PostgreSQL server: pg_dump --format=custom, restored by pg_restore.
 * The file's first bytes tell the kinds apart, so a file of the wrong kind is
 * refused before anything is touched. Messages are for the operator, in
 * Vietnamese.
 */

export type BackupKind = 'pglite' | 'postgres';

/** Where a restore goes to (and a backup comes from): a PGlite data directory or a PostgreSQL URL. */
export type RestoreTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

/** Where a backup comes from: also an open PGlite (e.g. one in memory). */
export type BackupTarget = RestoreTarget | { kind: 'pglite'; pglite: PGlite };

/** An operator's mistake or a tool's failure: the message is ready to print. */
export class BackupError extends Error {}

export interface BackupResult {
  kind: BackupKind;
  file: string;
  bytes: number;
}

export interface RestoreResult {
  kind: BackupKind;
  file: string;
  /** Tables in the public schema after the restore. */
  tables: number;
}

const KIND_NAME: Record<BackupKind, string> = {
  pglite: 'cơ sở dữ liệu nhúng (PGlite)',
  postgres: 'máy chủ PostgreSQL (pg_dump)',
};

/** Said wherever the embedded database is restored: PGlite has no lock, so nothing else can tell. */
export const EMBEDDED_STOP_NOTE =
  'Cơ sở dữ liệu nhúng chỉ được mở bởi một tiến trình: phải dừng ứng dụng trước khi phục hồi (và nên dừng khi sao lưu).';

/** The embedded database's directory, as server/db/open.ts opens it. */
export function pgliteDataDir(env: Env): string {
  return resolve(env.LANTERN_DATA_DIR, 'pglite');
}

/** The database the settings point at: PostgreSQL when DATABASE_URL is set, else the embedded one. */
export function targetFromEnv(env: Env): RestoreTarget {
  return env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: pgliteDataDir(env) };
}

// ---------------------------------------------------------------------------
// Recognising a file

export type FileKind = BackupKind | 'sql' | 'unknown';

async function readHead(file: string, n: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The first `n` bytes of a gzip stream, or null when it is not gzip. */
async function gunzipHead(file: string, n: number): Promise<Buffer | null> {
  return new Promise((resolvePromise) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const input = createReadStream(file);
    const gunzip = createGunzip();
    const finish = (value: Buffer | null) => {
      if (done) return;
      done = true;
      input.destroy();
      gunzip.destroy();
      resolvePromise(value);
    };
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= n) finish(Buffer.concat(chunks).subarray(0, n));
    });
    gunzip.on('end', () => finish(Buffer.concat(chunks)));
    gunzip.on('error', () => finish(size > 0 ? Buffer.concat(chunks) : null));
    input.on('error', () => finish(null));
    input.pipe(gunzip);
  });
}

/** What a file holds, by its first bytes: a PGlite tarball (gzip + tar), a pg_dump custom archive ("PGDMP"), a plain SQL dump, or something else. */
export async function detectBackupKind(file: string): Promise<FileKind> {
  const head = await readHead(file, 512);
  if (head.length >= 5 && head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const tar = await gunzipHead(file, 512);
    // A POSIX tar header carries "ustar" at offset 257.
    if (tar && tar.length >= 262 && tar.subarray(257, 262).toString('latin1') === 'ustar') return 'pglite';
    return 'unknown';
  }
  const text = head.toString('utf8');
  if (text.startsWith('--') && text.includes('PostgreSQL database dump')) return 'sql';
  return 'unknown';
}

/**
 * Reads the whole gzip stream (its trailer carries a CRC and the length): a
 * truncated or damaged tarball is refused here, before PGlite starts loading
 * it, which would otherwise fail half-way and outside any promise.
 */
async function assertWholeGzip(file: string): Promise<void> {
  try {
    await pipeline(
      createReadStream(file),
      createGunzip(),
      new Writable({
        write(_chunk, _enc, cb) {
          cb();
        },
      }),
    );
  } catch (err) {
    throw new BackupError(`Tệp sao lưu ${file} bị hỏng hoặc không trọn vẹn (${describe(err)}). Dữ liệu hiện có không bị thay đổi.`);
  }
}

async function assertBackupFile(file: string, want: BackupKind): Promise<void> {
  if (!existsSync(file)) throw new BackupError(`Không tìm thấy tệp sao lưu: ${file}`);
  if (!statSync(file).isFile()) throw new BackupError(`${file} không phải là một tệp.`);
  const kind = await detectBackupKind(file);
  if (kind === want) {
    if (kind === 'pglite') await assertWholeGzip(file);
    return;
  }
  if (kind === 'sql')
    throw new BackupError(
      `Tệp ${file} là bản sao lưu dạng SQL thuần, không phải bản sao lưu của lệnh backup. ` +
        `Lệnh restore chỉ nhận tệp do lệnh backup tạo ra (${KIND_NAME[want]}); tệp SQL thuần phục hồi bằng psql.`,
    );
  if (kind === 'unknown')
    throw new BackupError(`Tệp ${file} không phải là bản sao lưu của Lantern (không nhận ra định dạng).`);
  throw new BackupError(
    `Tệp ${file} là bản sao lưu của ${KIND_NAME[kind]}, nhưng cơ sở dữ liệu đích là ${KIND_NAME[want]}. ` +
      `Hai loại không phục hồi lẫn cho nhau: hãy dùng bản sao lưu cùng loại` +
      (want === 'postgres' ? ' (pg_dump --format=custom).' : ' (tệp .tar.gz do lệnh backup tạo khi không đặt DATABASE_URL).'),
  );
}

// ---------------------------------------------------------------------------
// Writing a file whole

/** Writes through a temporary name beside `file`, then renames: a failed backup never leaves half a file under the name asked for. */
async function writeWhole(file: string, write: (tmp: string) => Promise<void>): Promise<number> {
  const target = resolve(file);
  await mkdir(dirname(target), { recursive: true });
  const tmp = resolve(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  try {
    await write(tmp);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return (await stat(target)).size;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------------------
// Embedded PGlite

function isPgliteDir(dir: string): boolean {
  return existsSync(resolve(dir, 'PG_VERSION'));
}

function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || (statSync(dir).isDirectory() && readdirSync(dir).length === 0);
}

async function dumpPglite(pglite: PGlite, file: string): Promise<number> {
  // Flush the WAL into the tables first, so the tarball needs no recovery when loaded.
  await pglite.exec('CHECKPOINT');
  const blob = await pglite.dumpDataDir('gzip');
  return writeWhole(file, async (tmp) => {
    await pipeline(Readable.fromWeb(blob.stream() as import('node:stream/web').ReadableStream), createWriteStream(tmp));
  });
}

async function backupPglite(target: { dataDir: string } | { pglite: PGlite }, file: string): Promise<BackupResult> {
  if ('pglite' in target) return { kind: 'pglite', file: resolve(file), bytes: await dumpPglite(target.pglite, file) };
  const dir = resolve(target.dataDir);
  if (!isPgliteDir(dir)) throw new BackupError(`Không tìm thấy cơ sở dữ liệu nhúng trong ${dir} (kiểm tra LANTERN_DATA_DIR).`);
  let database;
  try {
    database = await openDatabase({ dataDir: dir });
  } catch (err) {
    throw new BackupError(`Không mở được cơ sở dữ liệu nhúng trong ${dir}: ${describe(err)}\n${EMBEDDED_STOP_NOTE}`);
  }
  try {
    return { kind: 'pglite', file: resolve(file), bytes: await dumpPglite(database.pglite!, file) };
  } finally {
    await database.close();
  }
}

async function restorePglite(file: string, dataDir: string, force: boolean): Promise<RestoreResult> {
  await assertBackupFile(file, 'pglite');
  const dir = resolve(dataDir);
  if (!isEmptyDir(dir) && !force)
    throw new BackupError(
      `Thư mục dữ liệu ${dir} đã có dữ liệu. Phục hồi sẽ xóa và thay toàn bộ dữ liệu này bằng bản sao lưu.\n` +
        `${EMBEDDED_STOP_NOTE}\nDừng ứng dụng rồi chạy lại lệnh với --force để thay thế.`,
    );
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new BackupError(`${dir} không phải là một thư mục.`);

  // Load into a staging directory beside the target, check it opens, then swap:
  // a bad file or a crash while loading leaves the current data as it was.
  const staging = `${dir}.restore-${process.pid}`;
  const previous = `${dir}.previous-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  let tables: number;
  try {
    const database = await openDatabase({ dataDir: staging, loadDataDir: await openAsBlob(resolve(file)) });
    try {
      const { rows } = await database.executeSql(
        `select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
        [],
      );
      tables = Number(rows[0]?.n ?? 0);
      await database.pglite!.exec('CHECKPOINT');
    } finally {
      await database.close();
    }
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    if (err instanceof BackupError) throw err;
    throw new BackupError(`Không nạp được bản sao lưu ${file}: ${describe(err)}. Dữ liệu hiện có không bị thay đổi.`);
  }

  if (existsSync(dir)) await rename(dir, previous);
  try {
    await rename(staging, dir);
  } catch (err) {
    if (existsSync(previous)) await rename(previous, dir);
    await rm(staging, { recursive: true, force: true });
    throw new BackupError(`Không thay được thư mục dữ liệu ${dir}: ${describe(err)}. Dữ liệu hiện có không bị thay đổi.`);
  }
  await rm(previous, { recursive: true, force: true });
  return { kind: 'pglite', file: resolve(file), tables };
}

// ---------------------------------------------------------------------------
// PostgreSQL server

/** The URL without its password, and the password for PGPASSWORD: a password on the command line is visible to every user of the machine. */
function connectionFor(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  if (!u.password) return { dbname: url, env: {} };
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { PGPASSWORD: password } };
}

/** Runs a PostgreSQL client tool found on PATH; its stderr becomes the message when it fails. */
function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT')
        reject(
          new BackupError(
            `Không tìm thấy lệnh ${tool} trong PATH. Hãy cài công cụ khách PostgreSQL (gói postgresql-client), ` +
              `cùng phiên bản chính với máy chủ hoặc mới hơn.`,
          ),
        );
      else reject(new BackupError(`Không chạy được ${tool}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolvePromise();
      const text = Buffer.concat(stderr).toString('utf8').trim();
      const how = signal ? `bị dừng bởi tín hiệu ${signal}` : `mã thoát ${code}`;
      reject(new BackupError(`${tool} báo lỗi (${how}):\n${text || '(không có thông báo)'}`));
    });
  });
}

async function backupPostgres(url: string, file: string): Promise<BackupResult> {
  const { dbname, env } = connectionFor(url);
  const bytes = await writeWhole(file, async (tmp) => {
    try {
      await runTool('pg_dump', ['--format=custom', '--no-password', `--file=${tmp}`, `--dbname=${dbname}`], env);
    } catch (err) {
      if (err instanceof BackupError) throw new BackupError(`Sao lưu thất bại, chưa ghi tệp ${file}.\n${err.message}`);
      throw err;
    }
  });
  return { kind: 'postgres', file: resolve(file), bytes };
}

async function publicTableCount(client: pg.Client): Promise<number> {
  const res = await client.query<{ n: number }>(
    `select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  return Number(res.rows[0]?.n ?? 0);
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new BackupError(`Không kết nối được máy chủ PostgreSQL (DATABASE_URL): ${describe(err)}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function restorePostgres(file: string, url: string, force: boolean): Promise<RestoreResult> {
  await assertBackupFile(file, 'postgres');
  const existing = await withClient(url, publicTableCount);
  if (existing > 0 && !force)
    throw new BackupError(
      `Cơ sở dữ liệu đích đã có ${existing} bảng. Phục hồi sẽ xóa và thay các bảng này bằng bản sao lưu.\n` +
        `Nên dừng ứng dụng trong lúc phục hồi, rồi chạy lại lệnh với --force để thay thế.`,
    );
  const { dbname, env } = connectionFor(url);
  try {
    // One transaction: a failure part-way leaves the database as it was.
    await runTool(
      'pg_restore',
      ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', '--no-password', `--dbname=${dbname}`, resolve(file)],
      env,
    );
  } catch (err) {
    if (err instanceof BackupError) throw new BackupError(`Phục hồi thất bại; cơ sở dữ liệu đích không bị thay đổi.\n${err.message}`);
    throw err;
  }
  const tables = await withClient(url, publicTableCount);
  return { kind: 'postgres', file: resolve(file), tables };
}

// ---------------------------------------------------------------------------

/** Backs up the whole database of `target` into `file` (replaced if it exists). */
export async function backupDatabase(target: BackupTarget, file: string): Promise<BackupResult> {
  if (target.kind === 'postgres') return backupPostgres(target.url, file);
  return backupPglite(target, file);
}

/**
 * Replaces the database of `target` with the backup in `file`. Refuses a
 * file of the other kind, and a target that already holds data unless
 * `force`.
 */
export async function restoreDatabase(target: RestoreTarget, file: string, opts: { force?: boolean } = {}): Promise<RestoreResult> {
  if (target.kind === 'postgres') return restorePostgres(file, target.url, !!opts.force);
  return restorePglite(file, target.dataDir, !!opts.force);
}

/** "12,3 MB" */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(mb)} MB`;
  return `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(bytes / 1024)} KB`;
}
