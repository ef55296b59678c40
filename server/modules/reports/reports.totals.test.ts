/**
 * report_totals (the sums of each subtree's submitted and approved snapshots)
 * is kept by triggers as reports and the tree change. Here it is compared with
 * the same sums recomputed from scratch, after the real workflow through the
 * API and after random sequences of changes made straight in the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';

let t: TestContext;
let cdcs1: Client;
let cdcs2: Client;
let longbien: Client;
let hanoi: Client;
let gt: number;
let dg: number;
let lb: number;
let plan45: string;

beforeAll(async () => {
  t = await createTestContext();
  cdcs1 = await t.signIn('cdcs1@lantern.test');
  cdcs2 = await t.signIn('cdcs2@lantern.test');
  longbien = await t.signIn('longbien@lantern.test');
  hanoi = await t.signIn('hanoi@lantern.test');
  gt = await orgId(cdcs1, 'LB-THCS-GT');
  dg = await orgId(cdcs2, 'LB-BV-DG');
  lb = await orgId(longbien, 'HN-LB');
  const list = (await longbien.get('/api/v1/campaigns?year=2021')).body.items as { id: string; docNumber: string }[];
  plan45 = list.find((c) => c.docNumber === '45/KH-LĐLĐ')!.id;
});
afterAll(() => t.close());

type Row = { campaign_id: string; org_id: number; status: string; reports: number; figures: Record<string, number> };
const rowsOf = async (from: 'report_totals' | 'report_totals_recomputed') =>
  (await t.database.db.execute(sql`select campaign_id, org_id, status, reports, figures from ${sql.raw(from)}`)).rows as Row[];

/** Differences between the kept totals and a recomputation ([] when equal); numbers compared as numbers. */
async function drift(): Promise<string[]> {
  const key = (r: Row) => `${r.campaign_id}/${r.org_id}/${r.status}`;
  const kept = new Map((await rowsOf('report_totals')).map((r) => [key(r), r]));
  const fresh = new Map((await rowsOf('report_totals_recomputed')).map((r) => [key(r), r]));
  const out: string[] = [];
  for (const k of new Set([...kept.keys(), ...fresh.keys()])) {
    const a = kept.get(k);
    const b = fresh.get(k);
    if (!a || !b) {
      out.push(`${k}: ${a ? 'kept only' : 'recomputed only'}`);
      continue;
    }
    if (Number(a.reports) !== Number(b.reports)) out.push(`${k}: ${a.reports} reports kept, ${b.reports} recomputed`);
    for (const f of new Set([...Object.keys(a.figures), ...Object.keys(b.figures)]))
      if (Number(a.figures[f] ?? 0) !== Number(b.figures[f] ?? 0)) out.push(`${k}.${f}: ${a.figures[f]} kept, ${b.figures[f]} recomputed`);
  }
  return out;
}

const reportUrl = (org: number, tail = '') => `/api/v1/campaigns/${plan45}/reports/${org}${tail}`;

describe('the kept report totals', () => {
  it('start equal to a recomputation, and are not empty', async () => {
    expect(await drift()).toEqual([]);
    expect((await rowsOf('report_totals')).length).toBeGreaterThan(0);
  });

  it('follow submission, return, resubmission and approval through the API, and the consolidated report reads them', async () => {
    const before = (await longbien.get(`/api/v1/campaigns/${plan45}/consolidated?orgId=${lb}&include=submitted`)).body;
    const current = (await cdcs1.get(reportUrl(gt))).body;
    expect((await cdcs1.post(reportUrl(gt, '/submit'), { version: current.version })).body.status).toBe('submitted');
    expect(await drift()).toEqual([]);
    const submitted = (await longbien.get(`/api/v1/campaigns/${plan45}/consolidated?orgId=${lb}&include=submitted`)).body;
    expect(submitted.units.included).toBe(before.units.included + 1);
    const returned = await longbien.post(reportUrl(gt, '/return'), { comment: 'Bổ sung số liệu quà tặng.' });
    expect(returned.body.status).toBe('returned');
    expect(await drift()).toEqual([]);
    expect((await longbien.get(`/api/v1/campaigns/${plan45}/consolidated?orgId=${lb}&include=submitted`)).body).toEqual(before);
    expect((await cdcs1.post(reportUrl(gt, '/submit'), { version: returned.body.version })).body.status).toBe('submitted');
    expect((await longbien.post(reportUrl(gt, '/approve'), {})).body.status).toBe('approved');
    const dgReport = (await cdcs2.get(reportUrl(dg))).body;
    expect((await cdcs2.post(reportUrl(dg, '/submit'), { version: dgReport.version })).status).toBe(200);
    expect(await drift()).toEqual([]);
    // The consolidated report equals the plain sum of the snapshots in the subtree.
    const plain = (
      await t.database.db.execute(sql`
        select count(*)::int as n, coalesce(sum((r.figures ->> 'gifts_count')::numeric), 0)::int as gifts
        from reports r join orgs o on o.id = r.org_id
        where r.campaign_id = ${plan45} and r.status = 'approved' and o.path <@ (select path from orgs where id = ${lb})`)
    ).rows[0] as { n: number; gifts: number };
    const approved = (await longbien.get(`/api/v1/campaigns/${plan45}/consolidated?orgId=${lb}&include=approved`)).body;
    expect(approved.units.approved).toBe(plain.n);
    if ('gifts_count' in approved.figures) expect(approved.figures.gifts_count).toBeGreaterThanOrEqual(plain.gifts);
  });

  it('follow a unit moved to another parent in the tree, with its reports', async () => {
    const other = await orgId(hanoi, 'HN-HK');
    const moved = await hanoi.post(`/api/v1/orgs/${gt}/move`, { newParentId: other });
    expect(moved.status).toBe(200);
    expect(await drift()).toEqual([]);
    const atOther = (await rowsOf('report_totals')).filter((r) => r.campaign_id === plan45 && r.org_id === other && r.status === 'approved');
    expect(atOther.length).toBe(1);
    expect((await hanoi.post(`/api/v1/orgs/${gt}/move`, { newParentId: lb })).status).toBe(200);
    expect(await drift()).toEqual([]);
  });

  it('stay equal when one transaction changes a report and then moves its unit (the totals wait for the commit)', async () => {
    const other = await orgId(hanoi, 'HN-HK');
    const path = async (id: number) => String(((await t.database.db.execute(sql`select path::text as p from orgs where id = ${id}`)).rows[0] as { p: string }).p);
    const [from, to] = [await path(lb), await path(other)];
    for (const [parent, parentPath, back] of [[other, to, from], [lb, from, to]] as const) {
      await t.database.db.transaction(async (tx) => {
        await tx.execute(sql`
          update reports set status = case when status = 'approved' then 'submitted' else 'approved' end,
            figures = coalesce(figures, '{}'::jsonb) || jsonb_build_object('gifts_count', 7), submitted_at = coalesce(submitted_at, now())
          where campaign_id = ${plan45} and org_id = ${gt}`);
        // The service's move of one grassroots unit (no subtree below it).
        await tx.execute(sql`update orgs set parent_id = ${parent}, path = ${`${parentPath}.${gt}`}::ltree where id = ${gt}`);
      });
      expect(await drift()).toEqual([]);
      expect(back).not.toBe(parentPath);
    }
  });

  it('stay equal to a recomputation after random changes to reports and to the tree (property)', async () => {
    const db = t.database.db;
    const reports = (await db.execute(sql`select id from reports order by id`)).rows.map((r) => String((r as { id: string }).id));
    const units = (await db.execute(sql`select id from orgs where parent_id is not null and status = 'active' order by id`)).rows.map((r) => Number((r as { id: number }).id));
    expect(reports.length).toBeGreaterThan(3);
    let steps = 0;
    const change = fc.oneof(
      fc.record({
        kind: fc.constant('status' as const),
        report: fc.constantFrom(...reports),
        status: fc.constantFrom('draft', 'submitted', 'returned', 'approved'),
        gifts: fc.integer({ min: 0, max: 5_000 }),
        value: fc.integer({ min: 0, max: 2_000_000_000 }),
      }),
      fc.record({ kind: fc.constant('move' as const), unit: fc.constantFrom(...units), parent: fc.constantFrom(...units) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 8 }), async (changes) => {
        await t.database.db.transaction(async (tx) => {
          for (const c of changes) {
            steps++;
            if (c.kind === 'status') {
              // Figures as a snapshot holds them: numbers beside a text answer that is never summed.
              await tx.execute(sql`
                update reports set status = ${c.status},
                  figures = case when ${c.status} = 'draft' then figures else coalesce(figures, '{}'::jsonb) || jsonb_build_object('gifts_count', ${c.gifts}::int, 'gifts_value', ${c.value}::bigint, 'highlights', 'Tặng quà tận tay') end,
                  submitted_at = coalesce(submitted_at, now()), return_comment = coalesce(return_comment, 'Bổ sung')
                where id = ${c.report}`);
            } else {
              // The service's move, without its checks: refused here when it would make a cycle.
              const [u, p] = (await tx.execute(sql`select (select path from orgs where id = ${c.unit}) as u, (select path from orgs where id = ${c.parent}) as p`)).rows as { u: string; p: string }[];
              if (!u || !p || p === u || String(p).startsWith(`${u}.`)) continue;
              await tx.execute(sql`update orgs set path = ${`${p}.${c.unit}`}::ltree || subpath(path, nlevel(${u}::ltree)) where path <@ ${u}::ltree and id <> ${c.unit}`);
              await tx.execute(sql`update orgs set parent_id = ${c.parent}, path = ${`${p}.${c.unit}`}::ltree where id = ${c.unit}`);
            }
          }
        });
        const wrong = await drift();
        if (wrong.length) throw new Error(`after ${JSON.stringify(changes)}: ${wrong.slice(0, 5).join('; ')}`);
      }),
      { numRuns: 40, seed: 2021, endOnFailure: true },
    );
    console.log(`report totals: ${steps} random changes to reports and the tree, equal to a recomputation after each of 40 sequences`);
  });
});

describe('the kept "changed since approval" flag', () => {
  /** Reports whose kept flag differs from asking the benefits and activities tables again. */
  const flagDrift = async (db: { execute: typeof t.database.db.execute }) =>
    (
      await db.execute(sql`
        select id, changed_since_approval as kept from reports
        where changed_since_approval is distinct from report_changed_since(campaign_id, org_id, status, approved_at)`)
    ).rows;

  it('starts equal to the recomputation', async () => {
    expect(await flagDrift(t.database.db)).toEqual([]);
  });

  it('stays equal after random inserts, updates and deletes of benefits and activities and changes of reports (property)', async () => {
    const db = t.database.db;
    // A few units' rows, so that a sequence often changes the same report more than once (up and down). Their
    // reports are approved at the start of each sequence (earlier tests may have changed them).
    const pairs = (
      await db.execute(sql`
        select r.id, r.campaign_id, r.org_id from reports r
        where exists (select 1 from benefits b where b.campaign_id = r.campaign_id and b.org_id = r.org_id)
        order by (exists (select 1 from activities v where v.campaign_id = r.campaign_id and v.org_id = r.org_id)) desc, r.id
        limit 3`)
    ).rows as { id: string; campaign_id: string; org_id: number }[];
    const ids = async (table: 'benefits' | 'activities') =>
      (
        await db.execute(sql`
          select x.id from ${sql.raw(table)} x
          where (x.campaign_id, x.org_id) in (${sql.join(pairs.map((p) => sql`(${p.campaign_id}::uuid, ${p.org_id}::int)`), sql`, `)})
          order by x.id limit 12`)
      ).rows.map((r) => String((r as { id: string }).id));
    expect(pairs.length).toBeGreaterThan(0);
    const benefitIds = await ids('benefits');
    const activityIds = await ids('activities');
    const reports = [...pairs.map((p) => p.id), ...(await db.execute(sql`select id from reports where status <> 'approved' order by id limit 2`)).rows.map((r) => String((r as { id: string }).id))];
    const row = fc.oneof(
      fc.record({ table: fc.constant('benefits' as const), id: fc.constantFrom(...benefitIds) }),
      fc.record({ table: fc.constant('activities' as const), id: fc.constantFrom(...activityIds) }),
    );
    // A time around the approval of the row's report: before, at, or after it.
    const hours = fc.constantFrom(-48, -1, 0, 1, 48);
    const change = fc.oneof(
      fc.record({ kind: fc.constant('touch' as const), row, hours }),
      fc.record({ kind: fc.constant('copy' as const), row, hours }),
      fc.record({ kind: fc.constant('delete' as const), row }),
      fc.record({ kind: fc.constant('report' as const), report: fc.constantFrom(...reports), status: fc.constantFrom('draft', 'submitted', 'returned', 'approved'), hours }),
    );
    let steps = 0;
    let raised = 0;
    let lowered = 0;
    class Rollback extends Error {}
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 8 }), async (changes) => {
        try {
          await db.transaction(async (tx) => {
            await tx.execute(sql`
              update reports set status = 'approved', figures = coalesce(figures, '{}'::jsonb), approved_at = now() - interval '1 hour'
              where id in (${sql.join(pairs.map((p) => sql`${p.id}::uuid`), sql`, `)})`);
            const flagged = async () => new Set((await tx.execute(sql`select id from reports where changed_since_approval`)).rows.map((r) => String((r as { id: string }).id)));
            let was = await flagged();
            const count = async () => {
              const wrong = await flagDrift(tx);
              if (wrong.length) throw new Error(`after ${JSON.stringify(changes)}: ${JSON.stringify(wrong.slice(0, 5))}`);
              const now = await flagged();
              if ([...now].some((id) => !was.has(id))) raised++;
              if ([...was].some((id) => !now.has(id))) lowered++;
              was = now;
            };
            for (const c of changes) {
              steps++;
              if (c.kind === 'report') {
                await tx.execute(sql`
                  update reports set status = ${c.status}, figures = coalesce(figures, '{}'::jsonb),
                    approved_at = case when ${c.status} = 'approved' then coalesce(approved_at, now()) + make_interval(hours => ${c.hours}) else approved_at end
                  where id = ${c.report}`);
                await count();
                continue;
              }
              const table = sql.raw(c.row.table);
              // The time is set relative to the approval of the row's report (now() when it has none).
              const at = (hours: number) => sql`(select coalesce(r.approved_at, now()) + make_interval(hours => ${hours}) from ${table} x
                  left join reports r on r.campaign_id = x.campaign_id and r.org_id = x.org_id where x.id = ${c.row.id})`;
              if (c.kind === 'touch') await tx.execute(sql`update ${table} set updated_at = ${at(c.hours)} where id = ${c.row.id}`);
              else if (c.kind === 'delete') await tx.execute(sql`delete from ${table} where id = ${c.row.id}`);
              else {
                // A copy under a new id (a cancelled benefit, so no child gets two gifts of a kind).
                const extra = c.row.table === 'benefits' ? sql`, 'status', 'cancelled', 'cancel_reason', 'Bản sao để thử'` : sql``;
                await tx.execute(sql`
                  insert into ${table}
                  select (jsonb_populate_record(null::${table}, to_jsonb(x) || jsonb_build_object('id', gen_random_uuid(), 'updated_at', ${at(c.hours)}${extra}))).*
                  from ${table} x where x.id = ${c.row.id}`);
              }
              await count();
            }
            throw new Rollback();
          });
        } catch (err) {
          if (!(err instanceof Rollback)) throw err;
        }
      }),
      { numRuns: 60, seed: 2021, endOnFailure: true },
    );
    // Both directions happened, so the comparison was not between two constant columns.
    expect(raised).toBeGreaterThan(0);
    expect(lowered).toBeGreaterThan(0);
    expect(await flagDrift(db)).toEqual([]);
    console.log(`changed-since-approval flag: ${steps} random changes in 60 sequences (${raised} raised it somewhere, ${lowered} lowered it), equal to a recomputation after every change`);
  });
});
