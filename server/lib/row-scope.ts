import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';

/** The database role the row-level security policies apply to (migration 0016). */
export const ROW_SCOPE_ROLE = 'lantern_scoped';

const LTREE_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * Runs `fn` in a transaction as the scoped role with `roots` (ltree paths) as
 * the row scope: every query inside sees, and may write, only the protected
 * rows (children, members, benefits, reports, money, activities) of units in
 * those subtrees. A second wall behind the `inScope` conditions of the
 * queries, which stay as they are; no roots means no protected rows. The role
 * and the setting end with the transaction. See
 * docs/decisions/012-row-level-security.md.
 */
export async function withRowScope<T>(db: Db, roots: string[], fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (const r of roots) if (!LTREE_PATH.test(r)) throw new Error(`not a unit path: ${JSON.stringify(r)}`);
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local role ${ROW_SCOPE_ROLE}`));
    await tx.execute(sql`select set_config('lantern.scope', ${roots.join(',')}, true)`);
    return fn(tx);
  });
}
