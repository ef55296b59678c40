import { resolve } from 'node:path';
import type { Env } from '../env';
import { wantsDemoData } from '../env';
import { configureDataKeys, dataKeysOf } from '../lib/crypto';
import { openDatabase, type Database } from './client';
import { runMigrations } from './migrate';
import { isEmpty, loadDemoData } from './seed/demo';

/**
 * The app's database as the settings say: PostgreSQL when DATABASE_URL is
 * set, otherwise PGlite under LANTERN_DATA_DIR. Migrated; demo data loaded
 * once on a fresh database when wanted. Sets the keys of the encrypted columns.
 */
export async function openAppDatabase(env: Env, log: (msg: string) => void = () => {}): Promise<Database> {
  // The sensitive columns are encrypted with DATA_KEY (read also with DATA_KEY_PREVIOUS): server/db/schema/encrypted.ts.
  configureDataKeys(dataKeysOf(env));
  const database = env.DATABASE_URL
    ? await openDatabase({ url: env.DATABASE_URL })
    : await openDatabase({ dataDir: resolve(env.LANTERN_DATA_DIR, 'pglite') });
  await runMigrations(database);
  if (wantsDemoData(env) && (await isEmpty(database.db))) {
    log('Loading demo data (LĐLĐ Thành phố Hà Nội, quận Long Biên, quận Hoàn Kiếm)…');
    await loadDemoData(database.db);
  }
  return database;
}
