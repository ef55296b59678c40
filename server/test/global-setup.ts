import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { openDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';
import { loadDemoData } from '../db/seed/demo';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: a gzipped data directory, migrated and seeded, cloned per test file. */
    pgliteTemplate: string;
    /** PostgreSQL: a migrated, seeded database used as TEMPLATE per test file. */
    pgTemplateDb: string;
  }
}

/**
 * Migrates and seeds one template database for the whole run; every test
 * file starts from a copy of it.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `lantern_tpl_${Date.now()}_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const tplUrl = withDatabase(url, name);
    const database = await openDatabase({ url: tplUrl, poolSize: 2 });
    await runMigrations(database);
    await loadDemoData(database.db);
    await database.close();
    project.provide('pgTemplateDb', name);
    project.provide('pgliteTemplate', '');
    return async () => {
      const res = await admin.query(`select datname from pg_database where datname like 'lantern_t_%' or datname = $1`, [name]);
      for (const r of res.rows as { datname: string }[]) await admin.query(`drop database if exists ${r.datname} with (force)`);
      await admin.end();
    };
  }
  const dir = join(process.cwd(), '.test-tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `template-${process.pid}.tar.gz`);
  const database = await openDatabase({});
  await runMigrations(database);
  await loadDemoData(database.db);
  const dump = await database.pglite!.dumpDataDir('gzip');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('pgliteTemplate', file);
  project.provide('pgTemplateDb', '');
  return () => rmSync(file, { force: true });
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
