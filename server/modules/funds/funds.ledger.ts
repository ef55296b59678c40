import { eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import { sponsors } from '../../db/schema/index';
import { invalid } from '../../lib/errors';
import { formatMoney } from '../../../common/format';
import type { FundingSource } from '../benefits/benefits.schemas';

/**
 * The ledger rule, in one place. A unit's money for a campaign is held per
 * source (its own union funds, funds from the level above, and each sponsor's
 * money apart). What is left of one source:
 *
 *   Σ fund_entries in − Σ fund_entries out
 *   − Σ benefits.value (not cancelled) paid from it
 *   − Σ activities.cost (not cancelled) paid from it
 *
 * Benefits and activity costs are read from their own tables, never copied
 * into fund_entries (so an activity's cost must not also be written as an
 * `event_cost` entry). Every spend goes through `assertCanSpend`, which takes
 * the (campaign, unit) lock first, so two spends cannot both see the same
 * balance.
 */

export type FundSource = FundingSource;

/** Activity statuses whose cost is not spent. */
export const CANCELLED_ACTIVITY_STATUSES = ['cancelled_epidemic', 'cancelled_other'] as const;

export interface SourceKey {
  campaignId: string;
  orgId: number;
  source: FundSource;
  /** Required when source is 'sponsor'; ignored otherwise. */
  sponsorId?: string | null;
}

/**
 * Serialises every write that spends or moves money of one unit in one
 * campaign, until the transaction ends. Take it before reading a balance that
 * a write depends on. (PGlite supports advisory locks too.)
 */
export async function lockFunds(tx: Tx, campaignId: string, orgId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`funds:${campaignId}:${orgId}`}, 0))`);
}

function sponsorMatch(column: SQL, sponsorId: string | null): SQL {
  return sponsorId === null ? sql`${column} is null` : sql`${column} = ${sponsorId}::uuid`;
}

/** What is left of one source (a sponsor's money: of that sponsor). Does not lock. */
export async function balanceOf(db: DbOrTx, key: SourceKey): Promise<number> {
  const sponsorId = key.source === 'sponsor' ? (key.sponsorId ?? null) : null;
  const res = await db.execute(sql`
    select
      (select coalesce(sum(case when direction = 'in' then amount else -amount end), 0)::bigint
         from fund_entries
        where campaign_id = ${key.campaignId}::uuid and org_id = ${key.orgId} and source = ${key.source}
          and ${sponsorMatch(sql`sponsor_id`, sponsorId)})
    - (select coalesce(sum(value), 0)::bigint
         from benefits
        where campaign_id = ${key.campaignId}::uuid and org_id = ${key.orgId} and funding_source = ${key.source}
          and status <> 'cancelled' and ${sponsorMatch(sql`sponsor_id`, sponsorId)})
    - (select coalesce(sum(cost), 0)::bigint
         from activities
        where campaign_id = ${key.campaignId}::uuid and org_id = ${key.orgId} and cost_source = ${key.source}
          and status not in ('cancelled_epidemic', 'cancelled_other') and ${sponsorMatch(sql`cost_sponsor_id`, sponsorId)})
    as balance`);
  const row = (res as unknown as { rows: { balance: string | number }[] }).rows[0];
  return Number(row?.balance ?? 0);
}

/** One grouped fact of the ledger: an entry kind, or the benefits or activity costs, of a unit and source. */
export interface LedgerFact {
  orgId: number;
  source: FundSource;
  sponsorId: string | null;
  /** A fund_entries kind, or 'benefits' / 'activities' (always out). */
  kind: EntryKindName | 'benefits' | 'activities';
  direction: 'in' | 'out';
  /** For transfers: the unit on the other side. */
  counterpartOrgId: number | null;
  amount: number;
}
type EntryKindName = 'allocation' | 'receipt' | 'transfer_in' | 'transfer_out' | 'event_cost' | 'child_sponsorship' | 'correction';

/**
 * Everything that moves a campaign's money, summed by unit, source, sponsor,
 * kind and (for transfers) the other unit: of one unit, or of every unit in a
 * subtree. The same rule as `balanceOf`: Σ facts in − Σ facts out.
 */
export async function ledgerFacts(db: DbOrTx, campaignId: string, of: { orgId: number } | { path: string }): Promise<LedgerFact[]> {
  const unit = (col: SQL) => ('orgId' in of ? sql`${col} = ${of.orgId}` : sql`${col} in (select id from orgs where path <@ ${of.path}::ltree)`);
  const res = await db.execute(sql`
    select e.org_id, e.source, e.sponsor_id::text as sponsor_id, e.kind, e.direction,
           case when e.kind = 'transfer_in' then t.from_org_id when e.kind = 'transfer_out' then t.to_org_id end as counterpart,
           sum(e.amount)::bigint as amount
      from fund_entries e left join fund_transfers t on t.id = e.transfer_id
     where e.campaign_id = ${campaignId}::uuid and ${unit(sql`e.org_id`)}
     group by 1, 2, 3, 4, 5, 6
    union all
    select org_id, funding_source, sponsor_id::text, 'benefits', 'out', null, sum(value)::bigint
      from benefits
     where campaign_id = ${campaignId}::uuid and status <> 'cancelled' and value > 0 and ${unit(sql`org_id`)}
     group by 1, 2, 3
    union all
    select org_id, cost_source, cost_sponsor_id::text, 'activities', 'out', null, sum(cost)::bigint
      from activities
     where campaign_id = ${campaignId}::uuid and cost > 0 and cost_source is not null
       and status not in ('cancelled_epidemic', 'cancelled_other') and ${unit(sql`org_id`)}
     group by 1, 2, 3`);
  const rows = (res as unknown as { rows: Record<string, unknown>[] }).rows;
  return rows.map((r) => ({
    orgId: Number(r.org_id),
    source: r.source as FundSource,
    sponsorId: (r.sponsor_id as string | null) ?? null,
    kind: r.kind as LedgerFact['kind'],
    direction: r.direction as 'in' | 'out',
    counterpartOrgId: r.counterpart === null || r.counterpart === undefined ? null : Number(r.counterpart),
    amount: Number(r.amount),
  }));
}

export interface SpendRequest extends SourceKey {
  /** Whole đồng about to be spent (on top of what is already counted). */
  amount: number;
  /** The input field the error is attached to (default 'amount'). */
  field?: string;
}

/**
 * Locks the unit's funds for the campaign, then refuses (422) a spend the
 * source cannot cover, saying how much is left. Call it before writing the
 * spend, inside the same transaction. A zero or negative amount spends nothing.
 */
export async function assertCanSpend(tx: Tx, req: SpendRequest): Promise<void> {
  await lockFunds(tx, req.campaignId, req.orgId);
  if (req.amount <= 0) return;
  const field = req.field ?? 'amount';
  if (req.source === 'sponsor' && !req.sponsorId) throw invalid('fund.sponsorRequired', {}, 'sponsorId');
  const left = await balanceOf(tx, req);
  if (left >= req.amount) return;
  const params = { left: formatMoney(Math.max(0, left)), amount: formatMoney(req.amount) };
  if (req.source === 'sponsor') {
    const [s] = await tx.select({ name: sponsors.name }).from(sponsors).where(eq(sponsors.id, req.sponsorId!)).limit(1);
    throw invalid('fund.notEnough.sponsor', { ...params, sponsor: s?.name ?? '' }, field);
  }
  throw invalid(req.source === 'unit_funds' ? 'fund.notEnough.unit_funds' : 'fund.notEnough.upper_funds', params, field);
}

/**
 * The funding fields of a spend (a benefit, an activity's cost): a sponsor is
 * named exactly when the source is 'sponsor', and it must be one the spending
 * unit may use (recorded at or above the unit, or below it). Returns the
 * sponsor id to store (null for union money).
 */
export async function checkFundingSource(db: DbOrTx, input: { source: FundSource; sponsorId?: string | null; orgPath: string; field?: string }): Promise<string | null> {
  const field = input.field ?? 'sponsorId';
  if (input.source !== 'sponsor') {
    if (input.sponsorId) throw invalid('fund.sponsorOnlyForSponsorSource', {}, field);
    return null;
  }
  if (!input.sponsorId) throw invalid('fund.sponsorRequired', {}, field);
  const res = await db.execute(sql`
    select 1 from sponsors s join orgs o on o.id = s.org_id
     where s.id = ${input.sponsorId}::uuid and (o.path @> ${input.orgPath}::ltree or o.path <@ ${input.orgPath}::ltree)`);
  if (res.rows.length === 0) throw invalid('fund.sponsorNotVisible', {}, field);
  return input.sponsorId;
}
