import pg from 'pg';
import type { Database } from './client';

/** The advisory lock keys of the whole app, in one place. */
export const LOCKS = { migrations: 727274, jobs: 727275 } as const;

/**
 * Runs `fn` while this process holds a PostgreSQL advisory lock, so that of
 * several processes starting together only one does it at a time. The lock
 * is held by a connection of its own, not one of the pool's: a pooled
 * connection could be a different one at unlock time, and `fn` needs the
 * pool meanwhile. PGlite has one process, so no lock is needed there.
 */
export async function oneProcessAtATime<T>(database: Database, key: number, fn: () => Promise<T>): Promise<T> {
  if (!database.pool) return fn();
  const client = new pg.Client(database.pool.options);
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [key]);
    return await fn();
  } finally {
    await client.end(); // ending the session releases its lock
  }
}
