import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { users } from '../../db/schema/index';
import { inScope } from '../../lib/authorization';
import { matchWords } from '../../lib/search';
import type { UserOut } from './users.schemas';
import { grantsFor } from '../auth/auth.queries';

/** Users holding at least one role inside `roots`, with all their grants that lie inside `roots`. */
export async function listUsers(db: DbOrTx, roots: string[], q: { q?: string; limit: number; offset: number }) {
  const visible = sql`exists (select 1 from role_grants g join orgs o on o.id = g.org_id where g.user_id = "users"."id" and ${inScope(sql`o.path`, roots)})`;
  const conds: SQL[] = [visible];
  const words = matchWords(users.searchText, q.q);
  if (words) conds.push(words);
  const where = and(...conds);
  const [rows, [count]] = await Promise.all([
    db.select().from(users).where(where).orderBy(users.searchText, users.id).limit(q.limit).offset(q.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(users).where(where),
  ]);
  const grants = await grantsFor(db, rows.map((r) => r.id), roots);
  const items: UserOut[] = rows.map((u) => ({
    id: u.id,
    email: u.email,
    fullName: u.fullName,
    status: u.status as UserOut['status'],
    grants: (grants.get(u.id) ?? []).map(({ orgPath: _p, ...g }) => g),
  }));
  return { items, total: count?.n ?? 0 };
}

/** The user if any of their roles lies in `roots`; otherwise null ("not found"). */
export async function findUserInScope(db: DbOrTx, id: string, roots: string[]) {
  const [u] = await db
    .select()
    .from(users)
    .where(
      and(
        eq(users.id, id),
        sql`exists (select 1 from role_grants g join orgs o on o.id = g.org_id where g.user_id = "users"."id" and ${inScope(sql`o.path`, roots)})`,
      ),
    );
  return u ?? null;
}
