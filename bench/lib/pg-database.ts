/** Databases of the benchmarks' own on a PostgreSQL server: made when missing, dropped when done. */
import pg from 'pg';

/** The server's maintenance database beside `url`, and the database `url` names (checked to be a plain name). */
function split(url: string): { admin: string; name: string } {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`database name "${name}": use lower-case letters, digits and _`);
  u.pathname = '/postgres';
  return { admin: u.toString(), name };
}

async function withAdmin<T>(url: string, fn: (admin: pg.Client, name: string) => Promise<T>): Promise<T> {
  const { admin: adminUrl, name } = split(url);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await fn(admin, name);
  } finally {
    await admin.end();
  }
}

/** Creates the named database on the server when it does not exist yet. */
export async function ensurePgDatabase(url: string): Promise<void> {
  await withAdmin(url, async (admin, name) => {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`create database ${name}`);
  });
}

export async function dropPgDatabase(url: string): Promise<void> {
  await withAdmin(url, async (admin, name) => {
    await admin.query(`drop database if exists ${name} with (force)`);
  });
}
