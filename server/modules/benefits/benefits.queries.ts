import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { benefitBudgets, benefits, campaignAssignments, children, orgs, sponsors, users } from '../../db/schema/index';
import { inScope } from '../../lib/authorization';
import type { CampaignSettings } from '../../../common/campaigns';
import type { CampaignRow } from '../campaigns/campaigns.queries';
import { IN_KIND, type BenefitOut, type BenefitStatus, type BudgetOut, type FundingSource } from './benefits.schemas';

const rowSelect = {
  b: benefits,
  orgName: orgs.name,
  orgPath: sql<string>`${orgs.path}::text`,
  childName: children.fullName,
  childBirthDate: children.birthDate,
  deliveredByName: users.fullName,
  sponsorName: sponsors.name,
};

export interface BenefitRow {
  b: typeof benefits.$inferSelect;
  orgName: string;
  orgPath: string;
  childName: string;
  childBirthDate: string;
  deliveredByName: string | null;
  sponsorName: string | null;
}

function selectRows(db: DbOrTx) {
  return db
    .select(rowSelect)
    .from(benefits)
    .innerJoin(orgs, eq(orgs.id, benefits.orgId))
    .innerJoin(children, eq(children.id, benefits.childId))
    .leftJoin(users, eq(users.id, benefits.deliveredBy))
    .leftJoin(sponsors, eq(sponsors.id, benefits.sponsorId));
}

/** One benefit, only if its unit lies in `roots`. */
export async function findBenefitInScope(db: DbOrTx, id: string, roots: string[], lock = false): Promise<BenefitRow | null> {
  const q = selectRows(db)
    .where(and(eq(benefits.id, id), inScope(orgs.path, roots)))
    .limit(1);
  const [row] = lock ? await q.for('update', { of: benefits }) : await q;
  return row ?? null;
}

/** The benefits of a campaign at or below a unit, by unit then child (Vietnamese order). */
export async function listBenefits(db: DbOrTx, campaignId: string, orgPath: string, f: { status?: BenefitStatus; kind?: string; excludeCancelled?: boolean } = {}): Promise<BenefitRow[]> {
  const conds: SQL[] = [eq(benefits.campaignId, campaignId), inScope(orgs.path, [orgPath])];
  if (f.status) conds.push(eq(benefits.status, f.status));
  if (f.kind) conds.push(eq(benefits.kind, f.kind));
  if (f.excludeCancelled) conds.push(ne(benefits.status, 'cancelled'));
  return selectRows(db)
    .where(and(...conds))
    .orderBy(sql`${orgs.sortKey} collate "C"`, sql`${children.sortKey} collate "C"`, children.birthDate, benefits.kind, benefits.createdAt);
}

/** The kinds a campaign offers: its settings, plus an item in kind. */
export function kindName(settings: CampaignSettings, kind: string): string {
  if (kind === IN_KIND) return 'Hiện vật';
  return settings.benefitKinds.find((k) => k.code === kind)?.name ?? kind;
}

/** "Quà Trung thu", or "Hiện vật: Đèn ông sao" for an item. */
export function kindLabel(settings: CampaignSettings, kind: string, item: string | null): string {
  return kind === IN_KIND && item ? `${kindName(settings, kind)}: ${item}` : kindName(settings, kind);
}

export function toBenefitOut(r: BenefitRow, settings: CampaignSettings): BenefitOut {
  const b = r.b;
  return {
    id: b.id,
    campaignId: b.campaignId,
    orgId: b.orgId,
    orgName: r.orgName,
    childId: b.childId,
    childName: r.childName,
    childBirthDate: r.childBirthDate,
    kind: b.kind,
    kindName: kindName(settings, b.kind),
    item: b.item,
    value: Number(b.value),
    fundingSource: b.fundingSource as FundingSource,
    sponsorId: b.sponsorId,
    sponsorName: b.sponsorId ? r.sponsorName : null,
    status: b.status as BenefitStatus,
    note: b.note,
    approvedAt: b.approvedAt?.toISOString() ?? null,
    deliveredAt: b.deliveredAt?.toISOString() ?? null,
    deliveredByName: b.deliveredAt ? r.deliveredByName : null,
    receivedBy: b.receivedBy,
    cancelledAt: b.cancelledAt?.toISOString() ?? null,
    cancelReason: b.cancelReason,
    createdAt: b.createdAt.toISOString(),
    version: b.version,
  };
}

/** The unit is in the campaign's scope: addressed to it (and not excluded), or the issuing unit itself. */
export async function unitInCampaign(db: DbOrTx, c: CampaignRow, orgId: number): Promise<boolean> {
  if (orgId === c.issuingOrgId) return true;
  const [a] = await db
    .select({ orgId: campaignAssignments.orgId })
    .from(campaignAssignments)
    .where(and(eq(campaignAssignments.campaignId, c.id), eq(campaignAssignments.orgId, orgId), eq(campaignAssignments.status, 'active')))
    .limit(1);
  return !!a;
}

/** Sum of the non-cancelled benefits of a unit in a campaign (null: of the whole campaign). */
export async function spentOf(db: DbOrTx, campaignId: string, orgId: number | null): Promise<number> {
  const conds: SQL[] = [eq(benefits.campaignId, campaignId), ne(benefits.status, 'cancelled')];
  if (orgId !== null) conds.push(eq(benefits.orgId, orgId));
  const [row] = await db
    .select({ total: sql<string | number>`coalesce(sum(${benefits.value}), 0)::bigint` })
    .from(benefits)
    .where(and(...conds));
  return Number(row?.total ?? 0);
}

export async function unitBudgetRow(db: DbOrTx, campaignId: string, orgId: number) {
  const [row] = await db
    .select()
    .from(benefitBudgets)
    .where(and(eq(benefitBudgets.campaignId, campaignId), eq(benefitBudgets.orgId, orgId)))
    .limit(1);
  return row ?? null;
}

/**
 * The budget a unit's benefits in a campaign must keep within: the amount
 * set for the unit, else the campaign's settings (per unit, or one total for
 * the whole campaign), else no limit.
 */
export async function budgetOf(db: DbOrTx, c: CampaignRow, settings: CampaignSettings, orgId: number): Promise<BudgetOut> {
  const own = await unitBudgetRow(db, c.id, orgId);
  const of = async (amount: number | null, source: BudgetOut['source'], whole = false): Promise<BudgetOut> => {
    const spent = await spentOf(db, c.id, whole ? null : orgId);
    return { amount, source, spent, remaining: amount === null ? null : Math.max(0, amount - spent) };
  };
  if (own) return of(Number(own.amount), 'unit');
  if (settings.budget.mode === 'per_unit') return of(settings.budget.amount, 'per_unit');
  if (settings.budget.mode === 'total') return of(settings.budget.amount, 'total', true);
  return of(null, 'none');
}

/**
 * Which of `childIds` already hold a non-cancelled benefit of `kind` in the
 * campaign, with the unit that gave it.
 */
export async function givenOfKind(db: DbOrTx, campaignId: string, kind: string, childIds: string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  if (childIds.length === 0) return map;
  const rows = await db
    .select({ childId: benefits.childId, orgName: orgs.name })
    .from(benefits)
    .innerJoin(orgs, eq(orgs.id, benefits.orgId))
    .where(
      and(
        eq(benefits.campaignId, campaignId),
        eq(benefits.kind, kind),
        ne(benefits.status, 'cancelled'),
        sql`${benefits.childId} = any(string_to_array(${childIds.join(',')}, ',')::uuid[])`,
      ),
    );
  for (const r of rows) map.set(r.childId, r.orgName);
  return map;
}
