import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { inScope } from '../lib/authorization';
import { ROW_SCOPE_ROLE, withRowScope } from '../lib/row-scope';
import { listChildrenBelow } from '../modules/children/children.queries';
import { listBenefits } from '../modules/benefits/benefits.queries';
import { createTestContext, orgId, type Client, type TestContext } from './helpers';

/**
 * The database's second wall (migration 0016, docs/decisions/012): as the
 * scoped role, the protected tables show only the rows of the units in
 * `lantern.scope`, whatever the query asks; the owner is not subject to it.
 */

type Roots = string[];
const arr = (roots: Roots) => sql`string_to_array(${roots.join(',')}, ',')::ltree[]`;
const byUnit = (table: string, column = 'org_id') => (roots: Roots) =>
  sql`select count(*)::int as n from ${sql.raw(table)} t join orgs o on o.id = t.${sql.raw(column)} where ${inScope(sql`o.path`, roots)}`;

/** Each protected table, and how the owner counts the rows of a scope (the code-level rule, written out). */
const PROTECTED: { table: string; owner: (roots: Roots) => SQL }[] = [
  { table: 'members', owner: byUnit('members') },
  { table: 'children', owner: byUnit('children') },
  {
    table: 'child_parents',
    owner: (roots) => sql`select count(*)::int as n from child_parents p join children c on c.id = p.child_id join orgs o on o.id = c.org_id where ${inScope(sql`o.path`, roots)}`,
  },
  { table: 'benefits', owner: byUnit('benefits') },
  { table: 'benefit_budgets', owner: byUnit('benefit_budgets') },
  { table: 'reports', owner: byUnit('reports') },
  // A sponsor is seen from its unit's subtree and from the levels above it (fundPolicy.sponsorVisible).
  { table: 'sponsors', owner: (roots) => sql`select count(*)::int as n from sponsors t join orgs o on o.id = t.org_id where o.path <@ ${arr(roots)} or o.path @> ${arr(roots)}` },
  { table: 'pledges', owner: byUnit('pledges') },
  { table: 'receipts', owner: byUnit('receipts') },
  { table: 'fund_entries', owner: byUnit('fund_entries') },
  // A transfer is seen by the sender's and by the receiver's side.
  {
    table: 'fund_transfers',
    owner: (roots) => sql`select count(*)::int as n from fund_transfers t where exists (select 1 from orgs o where o.id in (t.from_org_id, t.to_org_id) and ${inScope(sql`o.path`, roots)})`,
  },
  { table: 'earmarks', owner: byUnit('earmarks') },
  { table: 'commendations', owner: byUnit('commendations') },
  { table: 'activities', owner: byUnit('activities') },
  { table: 'activity_files', owner: byUnit('activity_files') },
];

let t: TestContext;
let paths: Record<string, string>;
let ids: Record<string, number>;
const totals = new Map<string, number>();
let checked = 0;
const scopesChecked = new Set<string>();

const n = (res: { rows: unknown[] }) => (res.rows[0] as { n: number }).n;
const countAll = (table: string) => sql`select count(*)::int as n from ${sql.raw(table)}`;
/** The message of a failed query, through drizzle's wrapper. */
const messageOf = (err: unknown): string => {
  const e = err as { message?: string; cause?: unknown };
  return `${e?.message ?? ''} ${e?.cause ? messageOf(e.cause) : ''}`;
};
/** A transaction that is always rolled back. */
class Rollback extends Error {}
async function rolledBack<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  let out: T;
  try {
    await t.database.db.transaction(async (tx) => {
      out = await fn(tx);
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return out!;
}

beforeAll(async () => {
  t = await createTestContext();
  const db = t.database.db;
  const units = (await db.execute(sql`select id, code, path::text as path from orgs where code in ('HN', 'HN-LB', 'LB-THCS-GT', 'LB-BV-DG')`)).rows as { id: number; code: string; path: string }[];
  paths = Object.fromEntries(units.map((u) => [u.code, u.path]));
  ids = Object.fromEntries(units.map((u) => [u.code, u.id]));
  // The demo data holds no activity evidence: one file per activity, so that every protected table has rows.
  await db.execute(sql`
    insert into activity_files (activity_id, org_id, file_name, content_type, size, sha256, storage_key)
    select id, org_id, 'bien-ban.pdf', 'application/pdf', 1024, repeat('0', 64), 'test/' || id::text from activities`);
  for (const p of PROTECTED) totals.set(p.table, n(await db.execute(countAll(p.table))));
});
afterAll(async () => {
  console.log(`row security: ${PROTECTED.length} tables × ${scopesChecked.size} scopes checked (${checked} counts against the owner's), plus writes and the children and benefits routes`);
  await t.close();
});

describe('the scoped role', () => {
  it('is a plain role: no superuser, no BYPASSRLS, no login; it owns nothing it reads', async () => {
    const [role] = (await t.database.db.execute(sql`select rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = ${ROW_SCOPE_ROLE}`)).rows as {
      rolsuper: boolean;
      rolbypassrls: boolean;
      rolcanlogin: boolean;
    }[];
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false });
    const tables = (await t.database.db.execute(sql`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) as owner,
             (select count(*)::int from pg_policies p where p.tablename = c.relname and p.roles = array[${ROW_SCOPE_ROLE}]::name[]) as policies
      from pg_class c where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace
        and c.relname = any(${`{${PROTECTED.map((p) => p.table).join(',')}}`}::text[])
      order by c.relname`)).rows as { relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; owner: string; policies: number }[];
    expect(tables.map((r) => r.relname)).toEqual(PROTECTED.map((p) => p.table).sort());
    for (const r of tables) {
      expect(r, r.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: false, policies: 1 });
      expect(r.owner).not.toBe(ROW_SCOPE_ROLE);
    }
    // Of an account it may read the name only; sessions not at all.
    const [priv] = (await t.database.db.execute(sql`
      select has_column_privilege(${ROW_SCOPE_ROLE}, 'users', 'full_name', 'SELECT') as name,
             has_column_privilege(${ROW_SCOPE_ROLE}, 'users', 'password_hash', 'SELECT') as hash,
             has_table_privilege(${ROW_SCOPE_ROLE}, 'sessions', 'SELECT') as sessions,
             has_table_privilege(${ROW_SCOPE_ROLE}, 'audit_log', 'INSERT') as audit`)).rows;
    expect(priv).toEqual({ name: true, hash: false, sessions: false, audit: false });
  });

  it('switches role for the transaction only', async () => {
    const before = (await t.database.db.execute(sql`select current_user::text as u`)).rows[0] as { u: string };
    const inside = await withRowScope(t.database.db, [paths['LB-THCS-GT']!], async (tx) =>
      (await tx.execute(sql`select current_user::text as u, current_setting('lantern.scope') as scope`)).rows[0],
    );
    expect(inside).toEqual({ u: ROW_SCOPE_ROLE, scope: paths['LB-THCS-GT'] });
    const after = (await t.database.db.execute(sql`select current_user::text as u`)).rows[0] as { u: string };
    expect(after).toEqual(before);
    expect(before.u).not.toBe(ROW_SCOPE_ROLE);
  });
});

describe('reads behind the wall', () => {
  it('show nothing without a scope, though the owner sees rows', async () => {
    for (const p of PROTECTED) expect(totals.get(p.table), p.table).toBeGreaterThan(0);
    // The role set, the scope never set in this transaction.
    const unset = await rolledBack(async (tx) => {
      await tx.execute(sql.raw(`set local role ${ROW_SCOPE_ROLE}`));
      const out: Record<string, number> = {};
      for (const p of PROTECTED) out[p.table] = n(await tx.execute(countAll(p.table)));
      return out;
    });
    // An empty scope, through the app's helper.
    const empty = await withRowScope(t.database.db, [], async (tx) => {
      const out: Record<string, number> = {};
      for (const p of PROTECTED) out[p.table] = n(await tx.execute(countAll(p.table)));
      return out;
    });
    const zero = Object.fromEntries(PROTECTED.map((p) => [p.table, 0]));
    expect(unset).toEqual(zero);
    expect(empty).toEqual(zero);
    scopesChecked.add('unset').add('empty');
    checked += 2 * PROTECTED.length;
  });

  it('show exactly the rows of the scope’s subtrees, as the owner counts them', async () => {
    const scopes: Record<string, Roots> = {
      grassroots: [paths['LB-THCS-GT']!],
      'two grassroots': [paths['LB-THCS-GT']!, paths['LB-BV-DG']!],
      district: [paths['HN-LB']!],
      city: [paths['HN']!],
    };
    const seen: Record<string, Record<string, number>> = {};
    for (const [name, roots] of Object.entries(scopes)) {
      const expected: Record<string, number> = {};
      for (const p of PROTECTED) expected[p.table] = n(await t.database.db.execute(p.owner(roots)));
      const got = await withRowScope(t.database.db, roots, async (tx) => {
        const out: Record<string, number> = {};
        for (const p of PROTECTED) out[p.table] = n(await tx.execute(countAll(p.table)));
        return out;
      });
      expect(got, name).toEqual(expected);
      seen[name] = got;
      scopesChecked.add(name);
      checked += PROTECTED.length;
    }
    // The scopes really cut: a grassroots union sees some of the register, not all of it; the city sees everything.
    expect(seen.grassroots!.children).toBeGreaterThan(0);
    expect(seen.grassroots!.children).toBeLessThan(totals.get('children')!);
    expect(seen.grassroots!.members).toBeLessThan(totals.get('members')!);
    expect(seen['two grassroots']!.children).toBeGreaterThan(seen.grassroots!.children!);
    expect(seen.district!.benefits).toBeGreaterThan(0);
    expect(seen.district!.benefits).toBeLessThanOrEqual(totals.get('benefits')!);
    expect(seen.city).toEqual(Object.fromEntries(PROTECTED.map((p) => [p.table, totals.get(p.table)])));
  });

  it('holds whatever the query asks for: a record of another unit by id is not there', async () => {
    const [other] = (await t.database.db.execute(sql`select id from children where org_id = ${ids['LB-BV-DG']!} limit 1`)).rows as { id: string }[];
    expect(other).toBeDefined();
    const asGt = await withRowScope(t.database.db, [paths['LB-THCS-GT']!], async (tx) => (await tx.execute(sql`select id from children where id = ${other!.id}::uuid`)).rows);
    const asDg = await withRowScope(t.database.db, [paths['LB-BV-DG']!], async (tx) => (await tx.execute(sql`select id from children where id = ${other!.id}::uuid`)).rows);
    expect(asGt).toEqual([]);
    expect(asDg).toEqual([{ id: other!.id }]);
  });
});

describe('writes behind the wall', () => {
  const newChild = (unit: number) => sql`
    insert into children (org_id, full_name, search_text, sort_key, birth_date, sex, dup_key)
    values (${unit}, 'Trẻ Thử Nghiệm', 'tre thu nghiem', 'tre thu nghiem', '2018-05-01', 'female', 'tre thu nghiem|2018-05-01')
    returning id`;
  const tryScoped = async (fn: (tx: Tx) => Promise<unknown>) => {
    try {
      await withRowScope(t.database.db, [paths['LB-THCS-GT']!], async (tx) => {
        await fn(tx);
        throw new Rollback();
      });
    } catch (err) {
      if (err instanceof Rollback) return null;
      return messageOf(err);
    }
    return null;
  };

  it('refuses a row for a unit outside the scope, and takes one inside it', async () => {
    expect(await tryScoped((tx) => tx.execute(newChild(ids['LB-THCS-GT']!)))).toBeNull();
    expect(await tryScoped((tx) => tx.execute(newChild(ids['LB-BV-DG']!)))).toMatch(/row-level security/);
    const [campaign] = (await t.database.db.execute(sql`select campaign_id from fund_entries limit 1`)).rows as { campaign_id: string }[];
    const money = (unit: number) => (tx: Tx) =>
      tx.execute(sql`insert into fund_entries (campaign_id, org_id, source, direction, kind, amount, occurred_on)
                     values (${campaign!.campaign_id}::uuid, ${unit}, 'unit_funds', 'in', 'allocation', 1000, '2021-09-01')`);
    expect(await tryScoped(money(ids['LB-BV-DG']!))).toMatch(/row-level security/);
    expect(await tryScoped(money(ids['LB-THCS-GT']!))).toBeNull();
  });

  it('refuses moving a row out of the scope, and cannot touch rows outside it', async () => {
    const [mine] = (await t.database.db.execute(sql`select id from children where org_id = ${ids['LB-THCS-GT']!} limit 1`)).rows as { id: string }[];
    expect(await tryScoped((tx) => tx.execute(sql`update children set org_id = ${ids['LB-BV-DG']!} where id = ${mine!.id}::uuid`))).toMatch(/row-level security/);
    const outsideBefore = n(await t.database.db.execute(sql`select count(*)::int as n from children where org_id = ${ids['LB-BV-DG']!}`));
    let touched = -1;
    expect(
      await tryScoped(async (tx) => {
        const up = await tx.execute(sql`update children set school = 'x' where org_id = ${ids['LB-BV-DG']!} returning id`);
        const del = await tx.execute(sql`delete from child_parents where child_id in (select id from children where org_id = ${ids['LB-BV-DG']!}) returning child_id`);
        touched = up.rows.length + del.rows.length;
      }),
    ).toBeNull();
    expect(outsideBefore).toBeGreaterThan(0);
    expect(touched).toBe(0);
  });
});

describe('the app reads through the wall', () => {
  let cdcs1: Client;
  let hanoi: Client;
  let longbien: Client;

  beforeAll(async () => {
    cdcs1 = await t.signIn('cdcs1@lantern.test');
    hanoi = await t.signIn('hanoi@lantern.test');
    longbien = await t.signIn('longbien@lantern.test');
  });

  /** Every page of a unit's children list, as the client sees it. */
  const allChildren = async (c: Client, unit: number) => {
    const out: string[] = [];
    let total = 0;
    for (let offset = 0; ; offset += 500) {
      const res = await c.get(`/api/v1/orgs/${unit}/children?limit=500&offset=${offset}`);
      expect(res.status).toBe(200);
      total = res.body.total;
      out.push(...(res.body.items as { id: string }[]).map((x) => x.id));
      if (res.body.items.length < 500) break;
    }
    return { ids: out, total };
  };

  it('lists the same children as the code-level query alone, for a union and for the city', async () => {
    for (const [client, code] of [
      [cdcs1, 'LB-THCS-GT'],
      [hanoi, 'HN'],
    ] as const) {
      const unit = await orgId(client, code);
      const got = await allChildren(client, unit);
      const direct = await listChildrenBelow(t.database.db, paths[code]!, { limit: 100_000, offset: 0 });
      expect(got.total, code).toBe(direct.total);
      expect(got.ids, code).toEqual(direct.rows.map((r) => r.id));
      expect(got.ids.length).toBeGreaterThan(0);
    }
    const gt = await orgId(cdcs1, 'LB-THCS-GT');
    const first = (await cdcs1.get(`/api/v1/orgs/${gt}/children?limit=1`)).body.items[0] as { id: string };
    expect((await cdcs1.get(`/api/v1/children/${first.id}`)).status).toBe(200);
  });

  it('lists the same benefits of a plan as the code-level query alone', async () => {
    const plan = (await longbien.get('/api/v1/campaigns?year=2021')).body.items.find((c: { docNumber: string }) => c.docNumber === '45/KH-LĐLĐ').id as string;
    const res = await longbien.get(`/api/v1/campaigns/${plan}/benefits`);
    expect(res.status).toBe(200);
    const direct = await listBenefits(t.database.db, plan, paths['HN-LB']!);
    expect(direct.length).toBeGreaterThan(0);
    expect((res.body.items as { id: string; sponsorName: string | null }[]).map((b) => [b.id, b.sponsorName])).toEqual(
      direct.map((r) => [r.b.id, r.b.sponsorId ? r.sponsorName : null]),
    );
  });

  it('really goes through the database wall: a policy that denies everything empties the reads', async () => {
    const gt = await orgId(cdcs1, 'LB-THCS-GT');
    const first = (await cdcs1.get(`/api/v1/orgs/${gt}/children?limit=1`)).body.items[0] as { id: string };
    const plan = (await longbien.get('/api/v1/campaigns?year=2021')).body.items.find((c: { docNumber: string }) => c.docNumber === '45/KH-LĐLĐ').id as string;
    expect((await longbien.get(`/api/v1/campaigns/${plan}/benefits`)).body.items.length).toBeGreaterThan(0);
    // This file's own copy of the database: a restrictive policy for the scoped role, dropped afterwards.
    await t.database.db.execute(sql.raw(`create policy test_deny on children as restrictive to ${ROW_SCOPE_ROLE} using (false)`));
    await t.database.db.execute(sql.raw(`create policy test_deny on benefits as restrictive to ${ROW_SCOPE_ROLE} using (false)`));
    try {
      const list = await cdcs1.get(`/api/v1/orgs/${gt}/children`);
      expect(list.status).toBe(200);
      // The page and its count are found with the query's own scope; the rows come through the wall, which lets none out.
      expect(list.body.items).toEqual([]);
      expect((await cdcs1.get(`/api/v1/children/${first.id}`)).status).toBe(404);
      expect((await longbien.get(`/api/v1/campaigns/${plan}/benefits`)).body.items).toEqual([]);
    } finally {
      await t.database.db.execute(sql`drop policy test_deny on children`);
      await t.database.db.execute(sql`drop policy test_deny on benefits`);
    }
    expect((await cdcs1.get(`/api/v1/children/${first.id}`)).status).toBe(200);
  });
});
