/**
 * Generates a realistic union tree with its registers and reports for one
 * Trung thu campaign (2021) and the year before, beside the demo data.
 *
 *   npm run gen -- --scale tiny|city|province|national [--seed N] [--database postgres://…|dir] [--fresh]
 *
 * Without --database the embedded database is written to ./data-gen/<scale>.
 * A postgres:// database is created when missing. National scale needs a
 * PostgreSQL server. Prints the rate of every table it loads.
 */
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/db/client';
import { runMigrations } from '../server/db/migrate';
import { generate } from './gen/generate';
import { ensurePgDatabase } from './lib/pg-database';
import { scaleOf } from './gen/scales';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'city' },
    seed: { type: 'string', default: '2021' },
    database: { type: 'string' },
    fresh: { type: 'boolean', default: false },
  },
});

export function defaultDataDir(scale: string): string {
  return resolve('data-gen', scale);
}

async function main(): Promise<void> {
  const scale = scaleOf(values.scale!);
  const seed = Number(values.seed);
  const target = values.database ?? defaultDataDir(scale.name);
  const isPg = /^postgres(ql)?:\/\//.test(target);
  if (scale.serverOnly && !isPg) {
    console.error(`The ${scale.name} scale (${scale.children.toLocaleString('en')} children) is for a PostgreSQL server: pass --database postgres://…/lantern_gen_${scale.name}`);
    process.exit(2);
  }
  if (!isPg && values.fresh && existsSync(target)) rmSync(target, { recursive: true, force: true });
  if (!isPg && existsSync(target) && !values.fresh) {
    console.error(`${target} exists; pass --fresh to start it again`);
    process.exit(2);
  }
  if (isPg) {
    await ensurePgDatabase(target);
  }
  const database = isPg ? await openDatabase({ url: target, poolSize: 4 }) : await openDatabase({ dataDir: target });
  console.log(`Generating the ${scale.name} scale (seed ${seed}) into ${isPg ? 'PostgreSQL' : 'the embedded database'}…`);
  await runMigrations(database);
  const t = (s: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}`);
  const t0 = performance.now();
  const result = await generate(database, { scale, seed, log: t });
  await database.close();

  console.log(`\nRoot ${result.rootCode} (id ${result.rootId}); plans ${result.campaign2021} (2021), ${result.campaign2020} (2020)`);
  console.log(`\n| table | rows | load time | rows/s |\n|---|---:|---:|---:|`);
  let rows = 0;
  for (const [table, r] of [...result.rates.entries()].sort((a, b) => b[1].rows - a[1].rows)) {
    rows += r.rows;
    console.log(`| ${table} | ${r.rows.toLocaleString('en')} | ${(r.ms / 1000).toFixed(1)} s | ${Math.round(r.rows / (r.ms / 1000)).toLocaleString('en')} |`);
  }
  console.log(`\n${rows.toLocaleString('en')} rows in ${result.seconds.toFixed(0)} s overall (${Math.round(rows / result.seconds).toLocaleString('en')} rows/s including generation and the report derivation)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
