import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { generate, type GenerateResult } from '../../bench/gen/generate';
import { SCALES } from '../../bench/gen/scales';
import { Random } from '../../bench/gen/random';
import type { Database } from '../db/client';
import { campaigns, children } from '../db/schema/index';
import { composeFigures, templateOf } from '../modules/reports/reports.queries';
import { deriveOwn } from '../modules/reports/reports.derive';
import { checkRules } from '../../common/report-template';
import { foldVietnamese, vietnameseSortKey } from '../../common/vietnamese';
import { childDupKey, memberMatchKey } from '../modules/children/children.service';
import { openTestDatabase } from './helpers';

/** The benchmark data generator, on its tiny scale: counts, shapes, and snapshots equal to what the app derives. */
describe('data generator (tiny scale)', () => {
  let database: Database;
  let result: GenerateResult;
  const n = async (q: string, values: unknown[] = []) => Number((await database.executeSql(q, values)).rows[0]!['n']);

  beforeAll(async () => {
    database = await openTestDatabase();
    result = await generate(database, { scale: SCALES.tiny, seed: 7 });
  });
  afterAll(async () => {
    await database.close();
  });

  it('builds the tree under its own root, with paths and history like insertOrg', async () => {
    const path = `${result.rootId}`;
    expect(await n(`select count(*)::int as n from orgs where path <@ $1::ltree and kind = 'grassroots'`, [path])).toBe(SCALES.tiny.grassroots);
    expect(await n(`select count(*)::int as n from orgs where path <@ $1::ltree and kind in ('district_federation','sector_union','commune_union')`, [path])).toBe(SCALES.tiny.intermediates);
    expect(await n(`select count(*)::int as n from orgs o join orgs p on p.id = o.parent_id where o.path <@ $1::ltree and o.path::text <> p.path::text || '.' || o.id`, [path])).toBe(0);
    expect(await n(`select count(*)::int as n from orgs o where o.path <@ $1::ltree and not exists (select 1 from org_versions v where v.org_id = o.id)`, [path])).toBe(0);
  });

  it('writes the registers at the asked size, names folded and sort-keyed as the app does', async () => {
    const sub = `(select id from orgs where path <@ '${result.rootId}'::ltree)`;
    expect(await n(`select count(*)::int as n from members where org_id in ${sub}`)).toBe(SCALES.tiny.members);
    expect(await n(`select count(*)::int as n from children where org_id in ${sub}`)).toBe(SCALES.tiny.children);
    expect(await n(`select count(*)::int as n from children c where org_id in ${sub} and not exists (select 1 from child_parents p where p.child_id = c.id)`)).toBe(0);
    // Circumstances end encrypted (decision 013): none left as a plain list, and enough of them not empty once decrypted.
    expect(await n(`select count(*)::int as n from children where org_id in ${sub} and jsonb_typeof(circumstances) <> 'string'`)).toBe(0);
    const circ = await database.db.select({ c: children.circumstances }).from(children).where(sql`${children.orgId} in ${sql.raw(sub)}`);
    expect(circ.filter((r) => (r.c as unknown[]).length > 0).length).toBeGreaterThan(50);
    const sample = (await database.executeSql(`select full_name, search_text, sort_key, dup_key, birth_date from children where org_id in ${sub} limit 20`)).rows;
    for (const r of sample) {
      expect(r['search_text']).toBe(foldVietnamese(String(r['full_name'])));
      expect(r['sort_key']).toBe(vietnameseSortKey(String(r['full_name'])));
      expect(r['dup_key']).toBe(childDupKey(String(r['full_name']), String(r['birth_date'])));
    }
    const adults = (await database.executeSql(`select full_name, phone, match_key from members where org_id in ${sub} limit 20`)).rows;
    for (const r of adults) expect(r['match_key']).toBe(memberMatchKey(String(r['full_name']), String(r['phone'])));
    expect(await n(`select count(*)::int as n from benefits where campaign_id = $1`, [result.campaign2021])).toBeGreaterThan(SCALES.tiny.children / 2);
    expect(await n(`select count(*)::int as n from campaign_assignments where campaign_id = $1`, [result.campaign2021])).toBe(SCALES.tiny.grassroots + SCALES.tiny.intermediates);
  });

  it('keeps every source of money at or above zero, as the ledger rule requires', async () => {
    const negative = await n(`
      with spend as (
        select campaign_id, org_id, funding_source as source, coalesce(sponsor_id::text, '') as sp, sum(value) as v from benefits where status <> 'cancelled' group by 1, 2, 3, 4
        union all
        select campaign_id, org_id, cost_source, coalesce(cost_sponsor_id::text, ''), sum(cost) from activities
         where cost_source is not null and status not in ('cancelled_epidemic', 'cancelled_other') group by 1, 2, 3, 4
        union all
        select campaign_id, org_id, source, coalesce(sponsor_id::text, ''), sum(case when direction = 'out' then amount else -amount end) from fund_entries group by 1, 2, 3, 4)
      select count(*)::int as n from (select campaign_id, org_id, source, sp, sum(v) as s from spend group by 1, 2, 3, 4) x
      where s > 0 and campaign_id in ($1, $2)`, [result.campaign2021, result.campaign2020]);
    expect(negative).toBe(0);
  });

  it('writes snapshots equal to what deriveOwn computes, passing the template rules', async () => {
    const [c] = await database.db.select().from(campaigns).where(eq(campaigns.id, result.campaign2021));
    const t = await templateOf(database.db, c!.id);
    const rows = (
      await database.db.execute(sql`
        select r.org_id, r.figures, r.manual from reports r join orgs o on o.id = r.org_id
        where r.campaign_id = ${c!.id} and r.status in ('approved', 'submitted') order by o.kind = 'grassroots', r.org_id`)
    ).rows as { org_id: number; figures: Record<string, unknown>; manual: Record<string, unknown> }[];
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows.slice(0, 8)) {
      const expected = composeFigures(t, await deriveOwn(database.db, c!, Number(r.org_id)), r.manual);
      expect(r.figures).toEqual(expected);
      expect(checkRules(t, expected)).toEqual([]);
    }
    const [c20] = await database.db.select().from(campaigns).where(eq(campaigns.id, result.campaign2020));
    expect(c20!.status).toBe('closed');
    const r20 = (await database.db.execute(sql`select org_id, figures, manual from reports where campaign_id = ${c20!.id} and status = 'approved' limit 3`)).rows as typeof rows;
    for (const r of r20) expect(r.figures).toEqual(composeFigures(t, await deriveOwn(database.db, c20!, Number(r.org_id)), r.manual));
  });

  it('leaves the kept report totals equal to a recomputation, with the trigger on again', async () => {
    const diff = await n(`
      select count(*)::int as n from (
        (select campaign_id, org_id, status, reports, figures from report_totals except select * from report_totals_recomputed)
        union all
        (select * from report_totals_recomputed except select campaign_id, org_id, status, reports, figures from report_totals)) d`);
    expect(diff).toBe(0);
    expect(await n(`select count(*)::int as n from report_totals where campaign_id = $1`, [result.campaign2021])).toBeGreaterThan(SCALES.tiny.intermediates);
    expect(await n(`select count(*)::int as n from pg_trigger where tgname = 'reports_totals' and tgenabled = 'O'`)).toBe(1);
  });

  it('draws everything from the seed (one seed, one database)', () => {
    const a = new Random(7);
    const b = new Random(7);
    const draw = (r: Random) => [r.uuid(), r.date('2005-10-01', '2021-08-31'), r.at('2021-09-20'), r.int(1, 1000), r.pick(['a', 'b', 'c'])];
    expect(draw(a)).toEqual(draw(b));
    expect(new Random(8).uuid()).not.toBe(new Random(7).uuid());
    expect(new Random(7).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
