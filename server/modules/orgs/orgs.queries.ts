import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { orgs, orgVersions } from '../../db/schema/index';
import { inScope } from '../../lib/authorization';
import { matchWords } from '../../lib/search';
import { vietnameseSortKey, foldVietnamese } from '../../../common/vietnamese';
import type { OrgKind } from '../../../common/org-kinds';
import type { OrgNode } from './orgs.schemas';

export type OrgRow = typeof orgs.$inferSelect;

// Qualified by hand: drizzle renders a single-table column unqualified, which the alias would capture.
const parent = sql`(select p.name from orgs p where p.id = "orgs"."parent_id")`;

/** One unit, only if it lies in one of `roots` (else null: "not found"). */
export async function findOrgInScope(db: DbOrTx, id: number, roots: string[]): Promise<OrgRow | null> {
  const [row] = await db
    .select()
    .from(orgs)
    .where(and(eq(orgs.id, id), inScope(orgs.path, roots)))
    .limit(1);
  return row ?? null;
}

/** Locks the unit's row for the rest of the transaction. */
export async function lockOrgInScope(db: DbOrTx, id: number, roots: string[]): Promise<OrgRow | null> {
  const [row] = await db
    .select()
    .from(orgs)
    .where(and(eq(orgs.id, id), inScope(orgs.path, roots)))
    .for('update')
    .limit(1);
  return row ?? null;
}

export async function findLiveOrgByCode(db: DbOrTx, code: string): Promise<OrgRow | null> {
  const [row] = await db
    .select()
    .from(orgs)
    .where(and(eq(orgs.code, code), eq(orgs.status, 'active')))
    .limit(1);
  return row ?? null;
}

export function summarySelect() {
  return {
    id: orgs.id,
    code: orgs.code,
    name: orgs.name,
    shortName: orgs.shortName,
    kind: sql<OrgKind>`${orgs.kind}`,
    status: sql<'active' | 'dissolved' | 'merged'>`${orgs.status}`,
    parentId: orgs.parentId,
    parentName: sql<string | null>`${parent}`,
  };
}

/** Search and list, the Vietnamese order, diacritics ignored. */
export async function listOrgs(
  db: DbOrTx,
  roots: string[],
  q: { q?: string; kind?: OrgKind; status: 'active' | 'all'; limit: number; offset: number },
) {
  const conds: SQL[] = [inScope(orgs.path, roots)];
  if (q.status === 'active') conds.push(eq(orgs.status, 'active'));
  if (q.kind) conds.push(eq(orgs.kind, q.kind));
  const words = matchWords(orgs.searchText, q.q);
  if (words) conds.push(words);
  const where = and(...conds);
  const [items, [count]] = await Promise.all([
    db
      .select(summarySelect())
      .from(orgs)
      .where(where)
      .orderBy(sql`${orgs.sortKey} collate "C"`, asc(orgs.id))
      .limit(q.limit)
      .offset(q.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(orgs).where(where),
  ]);
  return { items, total: count?.n ?? 0 };
}

export async function listChildren(db: DbOrTx, parentId: number) {
  return db
    .select(summarySelect())
    .from(orgs)
    .where(eq(orgs.parentId, parentId))
    .orderBy(sql`case when ${orgs.status} = 'active' then 0 else 1 end`, sql`${orgs.sortKey} collate "C"`);
}

export async function listAncestors(db: DbOrTx, path: string) {
  return db
    .select({ id: orgs.id, code: orgs.code, name: orgs.name })
    .from(orgs)
    .where(sql`${orgs.path} @> ${path}::ltree and ${orgs.path} <> ${path}::ltree`)
    .orderBy(sql`nlevel(${orgs.path})`);
}

export async function countLiveChildren(db: DbOrTx, id: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orgs)
    .where(and(eq(orgs.parentId, id), eq(orgs.status, 'active')));
  return row?.n ?? 0;
}

export function searchTextOf(o: { code: string; name: string; shortName?: string | null }): string {
  return foldVietnamese(`${o.code} ${o.name} ${o.shortName ?? ''}`);
}

interface FlatNode {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  shortName: string | null;
  kind: string;
  status: string;
  sortKey: string;
}

/** Nests flat rows under the given root ids; children in Vietnamese order. */
export function nest(rows: FlatNode[], rootIds: number[]): OrgNode[] {
  const byParent = new Map<number, FlatNode[]>();
  for (const r of rows) {
    if (r.parentId == null) continue;
    const list = byParent.get(r.parentId) ?? [];
    list.push(r);
    byParent.set(r.parentId, list);
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const build = (r: FlatNode): OrgNode => ({
    id: r.id,
    code: r.code,
    name: r.name,
    shortName: r.shortName,
    kind: r.kind as OrgKind,
    status: r.status as OrgNode['status'],
    children: (byParent.get(r.id) ?? [])
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id - b.id))
      .map(build),
  });
  return rootIds.flatMap((id) => {
    const r = byId.get(id);
    return r ? [build(r)] : [];
  });
}

/** Today's tree under the given grant roots (live units only). */
export async function currentTree(db: DbOrTx, roots: { orgId: number; orgPath: string }[]): Promise<OrgNode[]> {
  const top = topmost(roots);
  const rows = await db
    .select({
      id: orgs.id,
      parentId: orgs.parentId,
      code: orgs.code,
      name: orgs.name,
      shortName: orgs.shortName,
      kind: orgs.kind,
      status: orgs.status,
      sortKey: orgs.sortKey,
    })
    .from(orgs)
    .where(and(inScope(orgs.path, top.map((r) => r.orgPath)), sql`(${orgs.status} = 'active' or ${orgs.id} = any(string_to_array(${top.map((r) => r.orgId).join(',')}, ',')::int[]))`));
  return nest(rows, top.map((r) => r.orgId));
}

/**
 * The units that were, on `date`, at or below the given units: a walk over the
 * history periods valid that day. Flat rows with their parent on that day.
 */
export async function unitsOnDate(db: DbOrTx, rootIds: number[], date: string) {
  if (rootIds.length === 0) return [];
  const res = await db.execute(sql`
    with recursive t(org_id, parent_id, code, name, short_name, kind, depth) as (
      select v.org_id, v.parent_id, v.code, v.name, v.short_name, v.kind, 0
      from org_versions v
      where v.org_id = any(string_to_array(${rootIds.join(',')}, ',')::int[])
        and v.valid_from <= ${date}::date and (v.valid_to is null or v.valid_to > ${date}::date)
      union all
      select v.org_id, v.parent_id, v.code, v.name, v.short_name, v.kind, t.depth + 1
      from org_versions v join t on v.parent_id = t.org_id
      where v.valid_from <= ${date}::date and (v.valid_to is null or v.valid_to > ${date}::date) and t.depth < 64
    )
    select distinct on (org_id) org_id, parent_id, code, name, short_name, kind from t order by org_id, depth`);
  return (res.rows as { org_id: number; parent_id: number | null; code: string; name: string; short_name: string | null; kind: string }[]).map((r) => ({
    id: r.org_id,
    parentId: r.parent_id,
    code: r.code,
    name: r.name,
    shortName: r.short_name,
    kind: r.kind,
  }));
}

/** The tree as it stood on `date`, below the units where the caller holds a role. */
export async function treeOnDate(db: DbOrTx, rootIds: number[], date: string): Promise<OrgNode[]> {
  const rows = (await unitsOnDate(db, rootIds, date)).map((r) => ({ ...r, status: 'active', sortKey: vietnameseSortKey(r.name) }));
  const present = new Set(rows.map((r) => r.id));
  // A root that sits below another root is shown inside it, not twice.
  const inner = new Set(rows.filter((r) => r.parentId != null && present.has(r.parentId)).map((r) => r.id));
  return nest(rows, rootIds.filter((id) => present.has(id) && !inner.has(id)));
}

/** Drops grant roots that lie inside another grant root. */
export function topmost<T extends { orgPath: string }>(roots: T[]): T[] {
  const unique = [...new Map(roots.map((r) => [r.orgPath, r])).values()];
  return unique
    .filter((r) => !unique.some((o) => o !== r && r.orgPath.startsWith(`${o.orgPath}.`)))
    .sort((a, b) => a.orgPath.split('.').length - b.orgPath.split('.').length || a.orgPath.localeCompare(b.orgPath));
}

export async function orgHistory(db: DbOrTx, orgId: number) {
  return db
    .select({
      validFrom: orgVersions.validFrom,
      validTo: orgVersions.validTo,
      code: orgVersions.code,
      name: orgVersions.name,
      kind: sql<OrgKind>`${orgVersions.kind}`,
      parentId: orgVersions.parentId,
      parentName: sql<string | null>`(select p.name from orgs p where p.id = "org_versions"."parent_id")`,
      event: sql<'created' | 'updated' | 'moved' | 'absorbed'>`${orgVersions.event}`,
    })
    .from(orgVersions)
    .where(eq(orgVersions.orgId, orgId))
    .orderBy(asc(orgVersions.validFrom), asc(orgVersions.id));
}

export { vietnameseSortKey };
