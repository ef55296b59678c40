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
    /** PostgreSQL: this run's prefix for the per-file databases, so parallel runs never touch each other's. */
    pgRunPrefix: string;
  }
}

/**
 * Migrates and seeds one template database for the whole run; every test
 * file starts from a copy of it.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const run = `${Date.now()}_${process.pid}`;
    const name = `lantern_tpl_${run}`;
    const prefix = `lantern_t_${run}_`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const tplUrl = withDatabase(url, name);
    const database = await openDatabase({ url: tplUrl, poolSize: 2 });
    await runMigrations(database);
    await loadDemoData(database.db);
    await database.close();
    project.provide('pgTemplateDb', name);
    project.provide('pgRunPrefix', prefix);
    project.provide('pgliteTemplate', '');
    return async () => {
      // Only this run's databases: starts_with, not LIKE, whose "_" matches any character.
      const res = await admin.query(`select datname from pg_database where starts_with(datname, $2) or datname = $1`, [name, prefix]);
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
  project.provide('pgRunPrefix', '');
  return () => rmSync(file, { force: true });
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
