import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { GROUP_OF_CIRCUMSTANCE, schoolYearBefore, type Circumstance } from '../../common/children';
import type { PriorityGroup } from '../../common/campaigns';
import { GIFT_BANDS } from '../../common/report-template';
import type { CampaignRow } from '../../server/modules/campaigns/campaigns.queries';
import { campaignSettings, priorityOrderOf } from '../../server/modules/children/children.eligibility';
import { emptyDerived, type DerivedFigures } from '../../server/modules/reports/reports.derive';

/**
 * The derived figures of many units' own reports at once, by SQL
 * aggregation. They equal what `deriveOwn` (server/modules/reports/
 * reports.derive.ts) computes for each unit one by one — the same rules, here
 * as GROUP BY over the registers: children counted and eligible on the
 * festival day; delivered benefits by kind, value band and funding source;
 * the gifted children by their priority group; held activities (online when
 * held online or on an online channel); sponsor receipts; commendations.
 * server/test/gen.test.ts checks units against deriveOwn.
 *
 * Only for the generator, on the registers it has just written in plaintext:
 * the app stores circumstances encrypted (decision 013), which SQL cannot
 * look into, and the generator encrypts them once the figures are derived.
 */

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** SQL: a child's priority group in the campaign (`priorityGroupOf` of common/children.ts). */
export function priorityGroupSql(c: CampaignRow, alias = 'c'): SQL {
  const order = priorityOrderOf(campaignSettings(c));
  const sy = schoolYearBefore(c.year);
  const whens: string[] = [];
  for (const g of order) {
    const conds = (Object.entries(GROUP_OF_CIRCUMSTANCE) as [Circumstance, PriorityGroup][])
      .filter(([, group]) => group === g)
      .map(([code]) => `${alias}.circumstances @> ${lit(JSON.stringify([{ code }]))}::jsonb`);
    if (g === 'excellent_student') {
      for (const level of ['excellent', 'overcoming', 'good'])
        conds.push(`${alias}.achievements @> ${lit(JSON.stringify([{ schoolYear: sy, level }]))}::jsonb`);
    }
    if (conds.length) whens.push(`when ${conds.join(' or ')} then ${lit(g)}`);
  }
  return sql.raw(whens.length ? `(case ${whens.join(' ')} else 'other' end)` : `'other'`);
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Derived figures of the given units' own reports in one campaign. */
export async function deriveOwnBulk(db: DbOrTx, c: CampaignRow, orgIds: number[]): Promise<Map<number, DerivedFigures>> {
  const out = new Map<number, DerivedFigures>();
  for (const id of orgIds) {
    const f = emptyDerived();
    f.units_in_scope = 1;
    out.set(id, f);
  }
  if (orgIds.length === 0) return out;
  const settings = campaignSettings(c);
  const ids = sql`any(string_to_array(${orgIds.join(',')}, ',')::int[])`;
  const group = priorityGroupSql(c);
  const admitted = settings.requiredGroups.length
    ? sql`${group} = any(string_to_array(${settings.requiredGroups.join(',')}, ','))`
    : sql`true`;
  const rows = async (q: SQL) => (await db.execute(q)).rows as Row[];
  const fig = (id: unknown) => out.get(Number(id))!;

  for (const r of await rows(sql`
    select c.org_id, count(*)::int as registered,
      count(*) filter (where c.birth_date <= ${c.festivalDate}::date
        and c.birth_date > (${c.festivalDate}::date - make_interval(years => ${settings.ageLimit})) and ${admitted})::int as eligible
    from children c where c.org_id = ${ids} group by c.org_id`)) {
    fig(r['org_id']).children_registered = num(r['registered']);
    fig(r['org_id']).children_eligible = num(r['eligible']);
  }

  const gift = sql`kind not in ('scholarship', 'reward')`;
  for (const r of await rows(sql`
    select org_id,
      sum(value) as total,
      sum(value) filter (where funding_source = 'upper_funds') as upper,
      sum(value) filter (where funding_source = 'sponsor') as sponsor,
      sum(value) filter (where funding_source not in ('upper_funds', 'sponsor')) as unit,
      count(*) filter (where kind = 'scholarship') as sch_n, sum(value) filter (where kind = 'scholarship') as sch_v,
      count(*) filter (where kind = 'reward') as rew_n, sum(value) filter (where kind = 'reward') as rew_v,
      sum(value) filter (where ${gift}) as gifts,
      count(*) filter (where ${gift} and value < ${GIFT_BANDS.lowBelow}) as low,
      count(*) filter (where ${gift} and value > ${GIFT_BANDS.highAbove}) as high,
      count(*) filter (where ${gift} and value >= ${GIFT_BANDS.lowBelow} and value <= ${GIFT_BANDS.highAbove}) as mid
    from benefits where campaign_id = ${c.id} and status = 'delivered' and org_id = ${ids} group by org_id`)) {
    const f = fig(r['org_id']);
    f.benefits_value += num(r['total']);
    f.funds_upper += num(r['upper']);
    f.funds_sponsor += num(r['sponsor']);
    f.funds_unit += num(r['unit']);
    f.scholarships_count = num(r['sch_n']);
    f.scholarships_amount = num(r['sch_v']);
    f.rewards_count = num(r['rew_n']);
    f.rewards_amount = num(r['rew_v']);
    f.gifts_value = num(r['gifts']);
    f.gifts_value_low = num(r['low']);
    f.gifts_value_mid = num(r['mid']);
    f.gifts_value_high = num(r['high']);
  }

  for (const r of await rows(sql`
    select g.org_id, coalesce(k.grp, 'other') as grp, count(*)::int as n
    from (select distinct org_id, child_id from benefits
           where campaign_id = ${c.id} and status = 'delivered' and ${gift} and org_id = ${ids}) g
    left join (select c.id, c.org_id, ${group} as grp from children c where c.org_id = ${ids}) k on k.id = g.child_id and k.org_id = g.org_id
    group by 1, 2`)) {
    const f = fig(r['org_id']);
    f.gifted_children += num(r['n']);
    f[`gifted_${r['grp'] as PriorityGroup}`] += num(r['n']);
  }

  const online = sql`(status = 'held_online' or channel in ('zoom', 'zalo', 'facebook', 'other_online'))`;
  for (const r of await rows(sql`
    select org_id,
      count(*) filter (where kind = 'festival_night' and ${online}) as fn_on,
      count(*) filter (where kind = 'festival_night' and not ${online}) as fn_in,
      count(*) filter (where kind = 'communication') as comm_n,
      sum(coalesce(reach, 0)) filter (where kind = 'communication') as comm_reach,
      count(*) filter (where kind not in ('festival_night', 'communication') and ${online}) as ev_on,
      count(*) filter (where kind not in ('festival_night', 'communication') and not ${online}) as ev_in,
      sum(participants_children) as pc, sum(participants_parents) as pp, sum(participants_members) as pm,
      sum(cost) as cost,
      sum(cost) filter (where cost_source = 'upper_funds') as upper,
      sum(cost) filter (where cost_source = 'sponsor') as sponsor,
      sum(cost) filter (where cost_source is null or cost_source not in ('upper_funds', 'sponsor')) as unit
    from activities where campaign_id = ${c.id} and org_id = ${ids} and status in ('held', 'held_online') group by org_id`)) {
    const f = fig(r['org_id']);
    f.units_with_activities = 1;
    f.festival_nights_online = num(r['fn_on']);
    f.festival_nights_in_person = num(r['fn_in']);
    f.communication_count = num(r['comm_n']);
    f.communication_reach = num(r['comm_reach']);
    f.events_online = num(r['ev_on']);
    f.events_in_person = num(r['ev_in']);
    f.participants_children = num(r['pc']);
    f.participants_parents = num(r['pp']);
    f.participants_members = num(r['pm']);
    f.activity_cost = num(r['cost']);
    f.funds_upper += num(r['upper']);
    f.funds_sponsor += num(r['sponsor']);
    f.funds_unit += num(r['unit']);
  }

  for (const r of await rows(sql`
    select org_id, sum(amount) as received, count(distinct sponsor_id)::int as sponsors
    from receipts where campaign_id = ${c.id} and org_id = ${ids} group by org_id`)) {
    fig(r['org_id']).sponsor_received = num(r['received']);
    fig(r['org_id']).sponsors_count = num(r['sponsors']);
  }

  for (const r of await rows(sql`
    select org_id, count(*)::int as n from commendations where campaign_id = ${c.id} and org_id = ${ids} group by org_id`)) {
    fig(r['org_id']).commendations_count = num(r['n']);
  }
  return out;
}
