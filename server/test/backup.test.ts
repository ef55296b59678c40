import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../db/client';
import { backupDatabase, detectBackupKind, restoreDatabase, type BackupTarget, type RestoreTarget } from '../lib/backup';
import { withDatabase } from './global-setup';
import { createTestContext, orgId, type TestContext } from './helpers';

const pgUrl = process.env.TEST_DATABASE_URL;
const kind = pgUrl ? 'postgres' : 'pglite';

interface Snapshot {
  /** table → "count md5" of its rows in text form, ordered by that text. */
  tables: Record<string, string>;
  sequences: Record<string, string>;
  /** Indexes, constraints and triggers of the public schema. */
  structure: string;
}

async function one(database: Database, text: string): Promise<Record<string, unknown>> {
  const { rows } = await database.executeSql(text, []);
  return rows[0] ?? {};
}

async function snapshot(database: Database): Promise<Snapshot> {
  const names = (
    await database.executeSql(
      `select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
      [],
    )
  ).rows.map((r) => String(r.name));
  const tables: Record<string, string> = {};
  for (const name of names) {
    const r = await one(
      database,
      `select count(*)::int as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as h from public."${name}" t`,
    );
    tables[name] = `${r.n} ${r.h}`;
  }
  const seqNames = (
    await database.executeSql(`select relname as name from pg_class where relkind = 'S' and relnamespace = 'public'::regnamespace order by 1`, [])
  ).rows.map((r) => String(r.name));
  const sequences: Record<string, string> = {};
  for (const name of seqNames) {
    const r = await one(database, `select last_value::text as v, is_called from public."${name}"`);
    sequences[name] = `${r.v} ${r.is_called}`;
  }
  const s = await one(
    database,
    `select md5(string_agg(d, E'\\n' order by d)) as h from (
       select 'index ' || indexdef as d from pg_indexes where schemaname = 'public'
       union all
       select 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
         from pg_constraint where connamespace = 'public'::regnamespace
       union all
       select 'trigger ' || tgrelid::regclass::text || ' ' || tgname from pg_trigger
         where not tgisinternal and tgrelid in (select oid from pg_class where relnamespace = 'public'::regnamespace)
     ) x`,
  );
  return { tables, sequences, structure: String(s.h) };
}

function rowCount(s: Snapshot): number {
  return Object.values(s.tables).reduce((sum, v) => sum + Number(v.split(' ')[0]), 0);
}

let t: TestContext;
let dir: string;
let backupFile: string;
let source: Snapshot;
/** Where the restore goes: a new data directory, or a new database on the test server. */
let target: RestoreTarget;
let targetDb: string | null = null;

async function openTarget(): Promise<Database> {
  return target.kind === 'postgres' ? openDatabase({ url: target.url, poolSize: 1 }) : openDatabase({ dataDir: target.dataDir });
}

beforeAll(async () => {
  t = await createTestContext();
  dir = mkdtempSync(join(tmpdir(), 'lantern-backup-'));
  backupFile = join(dir, kind === 'pglite' ? 'lantern.tar.gz' : 'lantern.dump');
  if (pgUrl) {
    targetDb = `${inject('pgRunPrefix')}restore_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database ${targetDb}`);
    await admin.end();
    target = { kind: 'postgres', url: withDatabase(pgUrl, targetDb) };
  } else {
    target = { kind: 'pglite', dataDir: join(dir, 'data', 'pglite') };
  }
});

afterAll(async () => {
  await t?.close();
  if (targetDb) {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${targetDb} with (force)`);
    await admin.end();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`backup and restore (${kind})`, () => {
  it('restores every row of every table into a fresh database', async () => {
    // Rows written through the app and through SQL, beyond the seed.
    const longbien = await t.signIn('longbien@lantern.test');
    const created = await longbien.post('/api/v1/orgs', {
      parentId: await orgId(longbien, 'HN-LB'),
      code: 'LB-SAOLUU',
      name: 'Công đoàn Công ty Cổ phần Sao Lưu Đức Giang',
      kind: 'grassroots',
    });
    expect(created.status).toBe(201);
    await t.database.executeSql(`
      create table public.backup_probe (id serial primary key, note text, data bytea, at timestamptz, tags text[], path ltree, doc jsonb);
      insert into public.backup_probe (note, data, at, tags, path, doc) values
        ('Tết Trung thu — “rước đèn” ông sao', '\\x00ff10'::bytea, '2021-09-21 19:30:00+07', array['quà', 'học bổng'], 'HN.LB', '{"số": 1, "tên": "Nguyễn Minh Khang"}'),
        (null, null, null, null, null, null),
        (E'dòng\\nhai\\ttab ''nháy''', '\\x'::bytea, '1970-01-01 00:00:00+00', array[]::text[], 'HN', '[]');
    `);

    const backupTarget: BackupTarget = pgUrl
      ? { kind: 'postgres', url: withDatabase(pgUrl, String((await one(t.database, 'select current_database() as d')).d)) }
      : { kind: 'pglite', pglite: t.database.pglite! };
    const done = await backupDatabase(backupTarget, backupFile);
    expect(done.kind).toBe(kind);
    expect(done.bytes).toBeGreaterThan(0);
    expect(await detectBackupKind(backupFile)).toBe(kind);
    source = await snapshot(t.database);

    const restored = await restoreDatabase(target, backupFile);
    expect(restored.tables).toBe(Object.keys(source.tables).length);
    const copy = await openTarget();
    try {
      const after = await snapshot(copy);
      expect(Object.keys(after.tables)).toEqual(Object.keys(source.tables));
      expect(after).toEqual(source);
      expect(after.tables.backup_probe).toMatch(/^3 /);
      const unit = await one(copy, `select name from orgs where code = 'LB-SAOLUU'`);
      expect(unit.name).toBe('Công đoàn Công ty Cổ phần Sao Lưu Đức Giang');
      console.log(
        `backup (${kind}): ${Object.keys(source.tables).length} tables, ${rowCount(source)} rows, ` +
          `${Object.keys(source.sequences).length} sequences compared after restore`,
      );
    } finally {
      await copy.close();
    }
  });

  it('refuses to overwrite a database that has data unless forced, and forced replaces it', async () => {
    expect(source).toBeDefined();
    const refused = restoreDatabase(target, backupFile);
    if (kind === 'pglite') {
      await expect(refused).rejects.toThrow(/đã có dữ liệu[\s\S]*phải dừng ứng dụng trước khi phục hồi[\s\S]*--force/);
    } else {
      await expect(refused).rejects.toThrow(/Cơ sở dữ liệu đích đã có \d+ bảng[\s\S]*--force/);
    }

    // Change the target, then restore over it with force: it is the backup again.
    const copy = await openTarget();
    try {
      await copy.executeSql(`delete from public.backup_probe where note is null; create table public.stray (x int)`, []);
    } finally {
      await copy.close();
    }
    await restoreDatabase(target, backupFile, { force: true });
    const again = await openTarget();
    try {
      const after = await snapshot(again);
      if (kind === 'postgres') {
        // pg_restore --clean drops what the backup holds; a table the backup never had stays.
        expect(after.tables.stray).toBe('0 d41d8cd98f00b204e9800998ecf8427e');
        delete after.tables.stray;
      }
      expect(after).toEqual(source);
    } finally {
      await again.close();
    }
    if (target.kind === 'pglite') {
      // Nothing left beside the data directory: the staging and previous copies are gone.
      expect(readdirSync(join(dir, 'data'))).toEqual(['pglite']);
    }
  });

  it('refuses a damaged backup with the reason and leaves the database as it was', async () => {
    expect(source).toBeDefined();
    const damaged = join(dir, kind === 'pglite' ? 'damaged.tar.gz' : 'damaged.dump');
    const whole = readFileSync(backupFile);
    writeFileSync(damaged, whole.subarray(0, Math.floor(whole.length / 2)));
    expect(await detectBackupKind(damaged)).toBe(kind);
    await expect(restoreDatabase(target, damaged, { force: true })).rejects.toThrow(
      kind === 'pglite'
        ? /bị hỏng hoặc không trọn vẹn[\s\S]*Dữ liệu hiện có không bị thay đổi/
        : /Phục hồi thất bại; cơ sở dữ liệu đích không bị thay đổi\.\npg_restore báo lỗi \(mã thoát 1\):\npg_restore: error: /,
    );
    if (target.kind === 'pglite') expect(readdirSync(join(dir, 'data'))).toEqual(['pglite']);
    const copy = await openTarget();
    try {
      const after = await snapshot(copy);
      delete after.tables.stray;
      expect(after).toEqual(source);
    } finally {
      await copy.close();
    }
  });

  it('refuses a file of the wrong kind, naming both kinds, before touching anything', async () => {
    const pgliteDir = join(dir, 'other', 'pglite');
    // Nothing listens on port 1: a refusal that came after connecting would say so instead.
    const nowhere = 'postgres://nobody@127.0.0.1:1/nowhere';

    // A pg_dump custom archive (its real header, or this run's backup) into the embedded database.
    const pgdmp = kind === 'postgres' ? backupFile : join(dir, 'fake.dump');
    if (kind === 'pglite') writeFileSync(pgdmp, Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(200, 1)]));
    expect(await detectBackupKind(pgdmp)).toBe('postgres');
    await expect(restoreDatabase({ kind: 'pglite', dataDir: pgliteDir }, pgdmp)).rejects.toThrow(
      /là bản sao lưu của máy chủ PostgreSQL \(pg_dump\), nhưng cơ sở dữ liệu đích là cơ sở dữ liệu nhúng \(PGlite\)/,
    );
    expect(existsSync(pgliteDir)).toBe(false);

    // A PGlite tarball (this run's backup, or a gzip tar) into a PostgreSQL server.
    let tarball = backupFile;
    if (kind === 'postgres') {
      tarball = join(dir, 'fake.tar.gz');
      const header = Buffer.alloc(1024);
      header.write('pgdata/PG_VERSION', 0, 'latin1');
      header.write('ustar', 257, 'latin1');
      writeFileSync(tarball, gzipSync(header));
    }
    expect(await detectBackupKind(tarball)).toBe('pglite');
    await expect(restoreDatabase({ kind: 'postgres', url: nowhere }, tarball)).rejects.toThrow(
      /là bản sao lưu của cơ sở dữ liệu nhúng \(PGlite\), nhưng cơ sở dữ liệu đích là máy chủ PostgreSQL \(pg_dump\)/,
    );

    // Neither kind.
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, 'không phải bản sao lưu');
    await expect(restoreDatabase({ kind: 'pglite', dataDir: pgliteDir }, junk)).rejects.toThrow(/không phải là bản sao lưu của Lantern/);
    await expect(restoreDatabase({ kind: 'postgres', url: nowhere }, junk)).rejects.toThrow(/không phải là bản sao lưu của Lantern/);
    const gzJunk = join(dir, 'junk.gz');
    writeFileSync(gzJunk, gzipSync(Buffer.from('chỉ là văn bản nén')));
    await expect(restoreDatabase({ kind: 'pglite', dataDir: pgliteDir }, gzJunk)).rejects.toThrow(/không phải là bản sao lưu của Lantern/);

    // A plain SQL dump: pointed to psql.
    const plain = join(dir, 'plain.sql');
    writeFileSync(plain, '--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n');
    await expect(restoreDatabase({ kind: 'postgres', url: nowhere }, plain)).rejects.toThrow(/SQL thuần[\s\S]*psql/);

    await expect(restoreDatabase({ kind: 'pglite', dataDir: pgliteDir }, join(dir, 'missing.tar.gz'))).rejects.toThrow(/Không tìm thấy tệp sao lưu/);
    expect(existsSync(pgliteDir)).toBe(false);
  });
});
