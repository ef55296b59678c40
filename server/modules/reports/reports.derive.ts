import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { campaigns, children } from '../../db/schema/index';
import { PRIORITY_GROUPS } from '../../../common/campaigns';
import { GIFT_BANDS, type Derivation } from '../../../common/report-template';
import type { CampaignRow } from '../campaigns/campaigns.queries';
import { campaignSettings, classify, eligibleOn } from '../children/children.eligibility';

/**
 * The derived figures of one unit's own report: computed from what the unit
 * itself recorded (its children, their delivered benefits, its activities,
 * receipts and commendations), never from the units below it — those reach an
 * upper level through their own reports (see reports.consolidate.ts).
 *
 * What counts: benefits that were delivered; activities that were held (in
 * person or online instead); money by the source that paid for it.
 */
export type DerivedFigures = Record<Derivation, number>;

const ONLINE_CHANNELS = new Set(['zoom', 'zalo', 'facebook', 'other_online']);
const HELD = new Set(['held', 'held_online']);

export function emptyDerived(): DerivedFigures {
  const out = {} as DerivedFigures;
  for (const d of DERIVED_KEYS) out[d] = 0;
  return out;
}

const DERIVED_KEYS: Derivation[] = [
  'units_in_scope', 'units_reported', 'units_with_activities', 'children_registered', 'children_eligible', 'gifted_children',
  ...PRIORITY_GROUPS.map((g) => `gifted_${g}` as const),
  'gifts_value_low', 'gifts_value_mid', 'gifts_value_high', 'gifts_value', 'scholarships_count', 'scholarships_amount',
  'rewards_count', 'rewards_amount', 'benefits_value', 'funds_unit', 'funds_upper', 'funds_sponsor', 'sponsor_received',
  'sponsors_count', 'festival_nights_in_person', 'festival_nights_online', 'events_in_person', 'events_online',
  'participants_children', 'participants_parents', 'participants_members', 'communication_count', 'communication_reach',
  'activity_cost', 'commendations_count',
];

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

function fundKey(source: unknown): 'funds_unit' | 'funds_upper' | 'funds_sponsor' {
  return source === 'upper_funds' ? 'funds_upper' : source === 'sponsor' ? 'funds_sponsor' : 'funds_unit';
}

/** A unit's own figures for a campaign. */
export async function deriveOwn(db: DbOrTx, c: CampaignRow, orgId: number): Promise<DerivedFigures> {
  const settings = campaignSettings(c);
  const f = emptyDerived();
  f.units_in_scope = 1;

  const kids = await db
    .select({
      id: children.id,
      circumstances: children.circumstances,
      achievements: children.achievements,
      // An anonymised child still counts in the plans that existed when it was anonymised, so their
      // figures stay equal (children.privacy.ts keeps its age band); a later plan does not count it.
      eligible: sql<boolean>`(${eligibleOn(c.festivalDate, settings.ageLimit)}) and (${children.anonymizedAt} is null or ${children.anonymizedAt} > ${c.createdAt.toISOString()}::timestamptz)`,
    })
    .from(children)
    .where(eq(children.orgId, orgId));
  const groupOf = new Map<string, ReturnType<typeof classify>>();
  for (const k of kids) {
    const cl = classify(k, c, settings);
    groupOf.set(k.id, cl);
    f.children_registered += 1;
    if (k.eligible && cl.admitted) f.children_eligible += 1;
  }

  const benefits = (
    await db.execute(sql`
      select child_id, kind, value, funding_source from benefits
      where campaign_id = ${c.id} and org_id = ${orgId} and status = 'delivered'`)
  ).rows as Row[];
  const gifted = new Set<string>();
  for (const b of benefits) {
    const value = num(b['value']);
    f.benefits_value += value;
    f[fundKey(b['funding_source'])] += value;
    if (b['kind'] === 'scholarship') {
      f.scholarships_count += 1;
      f.scholarships_amount += value;
    } else if (b['kind'] === 'reward') {
      f.rewards_count += 1;
      f.rewards_amount += value;
    } else {
      f.gifts_value += value;
      if (value < GIFT_BANDS.lowBelow) f.gifts_value_low += 1;
      else if (value > GIFT_BANDS.highAbove) f.gifts_value_high += 1;
      else f.gifts_value_mid += 1;
      gifted.add(String(b['child_id']));
    }
  }
  f.gifted_children = gifted.size;
  for (const id of gifted) {
    const group = groupOf.get(id)?.group ?? 'other';
    f[`gifted_${group}`] += 1;
  }

  const acts = (
    await db.execute(sql`
      select kind, channel, status, participants_children, participants_parents, participants_members, reach, cost, cost_source
      from activities where campaign_id = ${c.id} and org_id = ${orgId}`)
  ).rows as Row[];
  for (const a of acts) {
    if (!HELD.has(String(a['status']))) continue;
    const online = a['status'] === 'held_online' || ONLINE_CHANNELS.has(String(a['channel']));
    f.units_with_activities = 1;
    if (a['kind'] === 'festival_night') f[online ? 'festival_nights_online' : 'festival_nights_in_person'] += 1;
    else if (a['kind'] === 'communication') {
      f.communication_count += 1;
      f.communication_reach += num(a['reach']);
    } else f[online ? 'events_online' : 'events_in_person'] += 1;
    f.participants_children += num(a['participants_children']);
    f.participants_parents += num(a['participants_parents']);
    f.participants_members += num(a['participants_members']);
    const cost = num(a['cost']);
    f.activity_cost += cost;
    f[fundKey(a['cost_source'])] += cost;
  }

  const [money] = (
    await db.execute(sql`
      select coalesce(sum(amount), 0)::bigint as received, count(distinct sponsor_id)::int as sponsors
      from receipts where campaign_id = ${c.id} and org_id = ${orgId}`)
  ).rows as Row[];
  f.sponsor_received = num(money?.['received']);
  f.sponsors_count = num(money?.['sponsors']);

  const [comm] = (
    await db.execute(sql`select count(*)::int as n from commendations where campaign_id = ${c.id} and org_id = ${orgId}`)
  ).rows as Row[];
  f.commendations_count = num(comm?.['n']);
  return f;
}

/** The plan a unit issued to carry out `parent` (e.g. the district's plan under the city's), if any. */
export async function implementingPlanOf(db: DbOrTx, parentId: string, orgId: number): Promise<CampaignRow | null> {
  const [row] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.implementsId, parentId), eq(campaigns.issuingOrgId, orgId), sql`${campaigns.status} <> 'draft'`))
    .limit(1);
  return row ?? null;
}
