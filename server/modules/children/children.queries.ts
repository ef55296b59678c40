import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { childParents, children, members, orgs } from '../../db/schema/index';
import { inScope, pathWithin, type AuthContext } from '../../lib/authorization';
import { notFound } from '../../lib/errors';
import { orgPolicy } from '../orgs/orgs.policy';
import { findOrgInScope } from '../orgs/orgs.queries';
import { childPolicy } from './children.policy';
import { matchWords } from '../../lib/search';

export type ChildRow = typeof children.$inferSelect;
export type ChildWithOrg = ChildRow & { orgName: string; orgPath: string };

const withOrg = { child: children, orgName: orgs.name, orgPath: sql<string>`${orgs.path}::text` };

export async function findChildInScope(db: DbOrTx, id: string, roots: string[], lock = false): Promise<ChildWithOrg | null> {
  const q = db
    .select(withOrg)
    .from(children)
    .innerJoin(orgs, eq(orgs.id, children.orgId))
    .where(and(eq(children.id, id), inScope(orgs.path, roots)))
    .limit(1);
  const [row] = lock ? await q.for('update', { of: children }) : await q;
  return row ? { ...row.child, orgName: row.orgName, orgPath: row.orgPath } : null;
}

/**
 * Which children of the subtree match, in the register's order (one page of
 * ids), and how many. Read with the query's own scope: behind row-level
 * security the name search could not use its trigram index (a policy runs
 * before any operator that is not leakproof, such as LIKE), so the rows
 * themselves are read behind it afterwards, by id (childrenByIds).
 */
export async function childPageBelow(db: DbOrTx, orgPath: string, q: { q?: string; limit: number; offset: number; extra?: SQL[] }) {
  const conds: SQL[] = [inScope(orgs.path, [orgPath]), ...(q.extra ?? [])];
  const words = matchWords(children.searchText, q.q);
  if (words) conds.push(words);
  const where = and(...conds);
  const rows = await db
    .select({ id: children.id })
    .from(children)
    .innerJoin(orgs, eq(orgs.id, children.orgId))
    .where(where)
    .orderBy(sql`${children.sortKey} collate "C"`, children.birthDate, children.id)
    .limit(q.limit)
    .offset(q.offset);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(children).innerJoin(orgs, eq(orgs.id, children.orgId)).where(where);
  return { ids: rows.map((r) => r.id), total: count?.n ?? 0 };
}

/** The children with these ids, in that order (those the connection may see). */
export async function childrenByIds(db: DbOrTx, ids: string[]): Promise<ChildWithOrg[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select(withOrg)
    .from(children)
    .innerJoin(orgs, eq(orgs.id, children.orgId))
    .where(sql`${children.id} = any(string_to_array(${ids.join(',')}, ',')::uuid[])`);
  const byId = new Map(rows.map((r) => [r.child.id, { ...r.child, orgName: r.orgName, orgPath: r.orgPath }]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function listChildrenBelow(db: DbOrTx, orgPath: string, q: { q?: string; limit: number; offset: number; extra?: SQL[] }) {
  const page = await childPageBelow(db, orgPath, q);
  return { rows: await childrenByIds(db, page.ids), total: page.total };
}

export async function parentsOf(db: DbOrTx, childIds: string[]) {
  const map = new Map<string, { memberId: string; fullName: string; orgId: number; orgName: string; phone: string | null; department: string | null; isUnionMember: boolean }[]>();
  if (childIds.length === 0) return map;
  const rows = await db
    .select({
      childId: childParents.childId,
      memberId: members.id,
      fullName: members.fullName,
      orgId: members.orgId,
      orgName: orgs.name,
      phone: members.phone,
      department: members.department,
      isUnionMember: members.isUnionMember,
    })
    .from(childParents)
    .innerJoin(members, eq(members.id, childParents.memberId))
    .innerJoin(orgs, eq(orgs.id, members.orgId))
    .where(sql`${childParents.childId} = any(string_to_array(${childIds.join(',')}, ',')::uuid[])`)
    .orderBy(members.sortKey);
  for (const { childId, ...p } of rows) {
    const list = map.get(childId) ?? [];
    list.push(p);
    map.set(childId, list);
  }
  return map;
}

/**
 * The same child registered by another unit: same folded name and date of
 * birth, and a parent in common (same folded name, phone digits or ID
 * number); pairs an officer ruled "not the same child" are left out.
 */
export async function duplicatesOf(db: DbOrTx, childIds: string[]) {
  const map = new Map<string, { childId: string; orgId: number; orgName: string }[]>();
  if (childIds.length === 0) return map;
  const res = await db.execute(sql`
    select c1.id as child_id, c2.id as other_id, c2.org_id, o.name as org_name
    from children c1
    join children c2 on c2.dup_key = c1.dup_key and c2.id <> c1.id and c2.org_id <> c1.org_id
    join orgs o on o.id = c2.org_id
    where c1.id = any(string_to_array(${childIds.join(',')}, ',')::uuid[])
      and exists (
        select 1 from child_parents p1 join members m1 on m1.id = p1.member_id,
                      child_parents p2 join members m2 on m2.id = p2.member_id
        where p1.child_id = c1.id and p2.child_id = c2.id
          and (m1.id = m2.id or m1.search_text = m2.search_text
               or (coalesce(m1.phone, '') <> '' and regexp_replace(m1.phone, '[^0-9]', '', 'g') = regexp_replace(m2.phone, '[^0-9]', '', 'g'))
               or (m1.id_number is not null and m1.id_number = m2.id_number)))
      and not exists (select 1 from duplicate_dismissals d where d.child_a = least(c1.id, c2.id) and d.child_b = greatest(c1.id, c2.id))
    order by o.sort_key collate "C"`);
  for (const r of res.rows as { child_id: string; other_id: string; org_id: number; org_name: string }[]) {
    const list = map.get(r.child_id) ?? [];
    list.push({ childId: r.other_id, orgId: r.org_id, orgName: r.org_name });
    map.set(r.child_id, list);
  }
  return map;
}

/** A unit whose register the caller may read: in their orgs and children scope, else "not found". */
export async function findChildUnitInScope(db: DbOrTx, auth: AuthContext, id: number) {
  const org = await findOrgInScope(db, id, orgPolicy.readRoots(auth));
  if (!org || !pathWithin(org.path, childPolicy.readRoots(auth))) throw notFound('org.notFound');
  return org;
}
