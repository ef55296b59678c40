import type { Db, Tx } from '../db/client';

export interface UnitOfWork {
  /** Runs after the transaction commits (enqueue a job, send a notice); never before. */
  afterCommit(fn: () => Promise<void>): void;
}

/** One write: one transaction, its audit rows inside, its side effects after commit. */
export async function withTransaction<T>(
  db: Db,
  fn: (tx: Tx, uow: UnitOfWork) => Promise<T>,
  onAfterCommitError?: (err: unknown) => void,
): Promise<T> {
  const after: (() => Promise<void>)[] = [];
  const result = await db.transaction((tx) => fn(tx, { afterCommit: (f) => after.push(f) }));
  for (const f of after) {
    try {
      await f();
    } catch (err) {
      onAfterCommitError?.(err);
    }
  }
  return result;
}
