import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { benefitBudgets, benefits, campaigns, children, orgs } from '../../db/schema/index';
import { recordAudit } from '../../lib/audit';
import type { AuthContext } from '../../lib/authorization';
import { AppError, conflict, forbidden, invalid, isUniqueViolation, notFound } from '../../lib/errors';
import { withTransaction } from '../../lib/transaction';
import type { CampaignSettings } from '../../../common/campaigns';
import { formatDate, formatDateTime, formatMoney } from '../../../common/format';
import { assertCampaignInForce, visibleCampaignOr404, type CampaignRow } from '../campaigns/campaigns.queries';
import { duplicatesOf, findChildInScope, type ChildWithOrg } from '../children/children.queries';
import { findOrgInScope } from '../orgs/orgs.queries';
import { assertCanSpend, balanceOf, checkFundingSource, lockFunds } from '../funds/funds.ledger';
import { benefitPolicy } from './benefits.policy';
import { budgetOf, findBenefitInScope, givenOfKind, kindName, unitBudgetRow, unitInCampaign, type BenefitRow } from './benefits.queries';
import { IN_KIND, type AllocateInput, type BenefitStatus, type BudgetOut, type CreateBenefitInput, type FundingSource, type ScanInput, type UpdateBenefitInput } from './benefits.schemas';
import { campaignSettings, isEligible, rankEligible } from '../children/children.eligibility';
import { verifyVoucherToken } from './voucher.token';

export const STATUS_LABELS: Record<BenefitStatus, string> = { planned: 'Dự kiến', approved: 'Đã duyệt', delivered: 'Đã giao', cancelled: 'Đã hủy' };

/** Allowed moves; delivered and cancelled are final. */
const TRANSITIONS: Record<BenefitStatus, readonly BenefitStatus[]> = {
  planned: ['approved', 'cancelled'],
  approved: ['planned', 'delivered', 'cancelled'],
  delivered: [],
  cancelled: [],
};

/**
 * Benefit writes of one campaign run one at a time: the budget and the one-per-child rule hold under concurrent requests.
 * Lock order: this lock first, then the unit's funds lock (assertCanSpend); nothing takes them the other way round.
 */
async function lockCampaignBenefits(tx: Tx, campaignId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`benefits:${campaignId}`}, 0))`);
}

async function visibleCampaign(tx: Tx, auth: AuthContext, id: string): Promise<{ c: CampaignRow; settings: CampaignSettings }> {
  const c = await visibleCampaignOr404(tx, auth, id);
  return { c, settings: campaignSettings(c) };
}

interface Kind {
  code: string;
  name: string;
  defaultValue: number;
}

function kindOf(settings: CampaignSettings, code: string): Kind {
  if (code === IN_KIND) return { code, name: kindName(settings, code), defaultValue: 0 };
  const k = settings.benefitKinds.find((x) => x.code === code);
  if (!k) throw invalid('benefit.unknownKind', { kind: code }, 'kind');
  return { code: k.code, name: k.name, defaultValue: k.defaultValue };
}

/**
 * Going over the budget needs `overrideBudget` and a reason; returns true when
 * this write goes over (to be audited).
 */
function checkBudget(budget: BudgetOut, extra: number, input: { overrideBudget?: boolean; overrideReason?: string }, field = 'value'): boolean {
  if (budget.amount === null || extra <= 0 || budget.spent + extra <= budget.amount) return false;
  if (!input.overrideBudget) throw invalid('benefit.overBudget', { left: formatMoney(Math.max(0, budget.amount - budget.spent)), budget: formatMoney(budget.amount) }, field);
  if (!input.overrideReason) throw invalid('benefit.overrideReasonRequired', {}, 'overrideReason');
  return true;
}

async function auditOverBudget(tx: Tx, auth: AuthContext, c: CampaignRow, orgId: number, budget: BudgetOut, extra: number, reason: string, entityId: string): Promise<void> {
  await recordAudit(tx, auth.actor, {
    action: 'benefit.over_budget',
    entityType: 'benefit',
    entityId,
    orgId,
    after: { campaignId: c.id, budget: budget.amount, source: budget.source, spentBefore: budget.spent, added: extra, reason },
  });
}

/** The same child (this record or a flagged duplicate in another unit) must not already hold this kind. */
async function assertNotGiven(tx: Tx, c: CampaignRow, child: ChildWithOrg, kind: Kind): Promise<void> {
  const dups = (await duplicatesOf(tx, [child.id])).get(child.id) ?? [];
  const given = await givenOfKind(tx, c.id, kind.code, [child.id, ...dups.map((d) => d.childId)]);
  const org = given.get(child.id) ?? dups.map((d) => given.get(d.childId)).find((x) => x !== undefined);
  if (org) throw conflict('benefit.alreadyGiven', { name: child.fullName, org, kind: kind.name }, 'childId');
}

const auditView = (b: { campaignId: string; childId: string; kind: string; item: string | null; value: number; fundingSource: string; sponsorId: string | null; status: string }) => ({
  campaignId: b.campaignId,
  childId: b.childId,
  kind: b.kind,
  item: b.item,
  value: Number(b.value),
  fundingSource: b.fundingSource,
  sponsorId: b.sponsorId,
  status: b.status,
});

export async function createBenefit(db: Db, auth: AuthContext, campaignId: string, input: CreateBenefitInput): Promise<string> {
  try {
    return await withTransaction(db, async (tx) => {
      const { c, settings } = await visibleCampaign(tx, auth, campaignId);
      const child = await findChildInScope(tx, input.childId, benefitPolicy.readRoots(auth));
      if (!child) throw new AppError(404, 'NOT_FOUND', 'child.notFound', {}, { childId: { key: 'child.notFound' } });
      if (!benefitPolicy.canWrite(auth, child.orgPath)) throw forbidden();
      assertCampaignInForce(c);
      if (!(await unitInCampaign(tx, c, child.orgId))) throw invalid('benefit.unitOutsideCampaign', { org: child.orgName }, 'childId');
      const kind = kindOf(settings, input.kind);
      if (kind.code === IN_KIND && !input.item) throw invalid('benefit.itemRequired', {}, 'item');
      if (child.anonymizedAt) throw invalid('privacy.noNewBenefits', {}, 'childId');
      if (!(await isEligible(tx, c, settings, child)))
        throw invalid('benefit.notEligible', { name: child.fullName, age: settings.ageLimit, date: formatDate(c.festivalDate) }, 'childId');
      const source: FundingSource = input.fundingSource ?? 'unit_funds';
      const sponsorId = await checkFundingSource(tx, { source, sponsorId: input.sponsorId, orgPath: child.orgPath });
      await lockCampaignBenefits(tx, c.id);
      await assertNotGiven(tx, c, child, kind);
      const value = input.value ?? kind.defaultValue;
      const budget = await budgetOf(tx, c, settings, child.orgId);
      const over = checkBudget(budget, value, input);
      // The budget may be overridden with a reason; the money actually left may not.
      await assertCanSpend(tx, { campaignId: c.id, orgId: child.orgId, source, sponsorId, amount: value, field: 'value' });
      const [row] = await tx
        .insert(benefits)
        .values({
          campaignId: c.id,
          orgId: child.orgId,
          childId: child.id,
          kind: kind.code,
          item: kind.code === IN_KIND ? input.item! : null,
          value,
          fundingSource: source,
          sponsorId,
          note: input.note || null,
          createdBy: auth.user.id,
        })
        .returning();
      await recordAudit(tx, auth.actor, { action: 'benefit.create', entityType: 'benefit', entityId: row!.id, orgId: child.orgId, after: auditView(row!) });
      if (over) await auditOverBudget(tx, auth, c, child.orgId, budget, value, input.overrideReason!, row!.id);
      return row!.id;
    });
  } catch (err) {
    // The database's own guard (same child record, same kind) behind the check above.
    if (isUniqueViolation(err, 'benefits_child_kind_key')) {
      const [hit] = await db
        .select({ name: children.fullName, org: orgs.name, settings: campaigns.settings })
        .from(benefits)
        .innerJoin(children, eq(children.id, benefits.childId))
        .innerJoin(orgs, eq(orgs.id, benefits.orgId))
        .innerJoin(campaigns, eq(campaigns.id, benefits.campaignId))
        .where(and(eq(benefits.campaignId, campaignId), eq(benefits.childId, input.childId), eq(benefits.kind, input.kind), ne(benefits.status, 'cancelled')))
        .limit(1);
      throw conflict('benefit.alreadyGiven', { name: hit?.name ?? '', org: hit?.org ?? '', kind: hit ? kindName(campaignSettings(hit), input.kind) : input.kind }, 'childId');
    }
    throw err;
  }
}

export async function updateBenefit(db: Db, auth: AuthContext, id: string, patch: UpdateBenefitInput): Promise<void> {
  await withTransaction(db, async (tx) => {
    const row = await findBenefitInScope(tx, id, benefitPolicy.readRoots(auth), true);
    if (!row) throw notFound('benefit.notFound');
    if (!benefitPolicy.canWrite(auth, row.orgPath)) throw forbidden();
    const b = row.b;
    if (patch.version !== undefined && patch.version !== b.version) throw conflict('benefit.stale');
    const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, b.campaignId));
    const settings = campaignSettings(c!);
    const from = b.status as BenefitStatus;
    const to = patch.status ?? from;
    const changes =
      patch.value !== undefined || patch.fundingSource !== undefined || patch.sponsorId !== undefined || patch.item !== undefined || patch.receivedBy !== undefined || to !== from;
    if (from === 'delivered' && changes) throw conflict('benefit.deliveredFinal');
    if (from === 'cancelled' && changes) throw conflict('benefit.cancelledFinal');
    if (to !== from && !TRANSITIONS[from].includes(to)) throw conflict('benefit.badTransition', { from: STATUS_LABELS[from], to: STATUS_LABELS[to] }, 'status');
    // Delivering and notes stay possible once the plan is closed; nothing else does.
    if (changes && to !== 'delivered') assertCampaignInForce(c!);
    if (to === 'cancelled' && !patch.cancelReason) throw invalid('benefit.cancelReasonRequired', {}, 'cancelReason');
    if (patch.item !== undefined && b.kind !== IN_KIND) throw invalid('benefit.itemRequired', {}, 'item');

    const value = patch.value ?? Number(b.value);
    const source = (patch.fundingSource ?? b.fundingSource) as FundingSource;
    let sponsorId = b.sponsorId;
    if (patch.fundingSource !== undefined || patch.sponsorId !== undefined) {
      const asked = patch.sponsorId !== undefined ? patch.sponsorId : source === 'sponsor' ? b.sponsorId : null;
      sponsorId = await checkFundingSource(tx, { source, sponsorId: asked, orgPath: row.orgPath });
    }
    let over: { budget: BudgetOut; extra: number } | null = null;
    if (value > Number(b.value) && to !== 'cancelled') {
      await lockCampaignBenefits(tx, b.campaignId);
      const budget = await budgetOf(tx, c!, settings, b.orgId);
      const extra = value - Number(b.value);
      if (checkBudget(budget, extra, patch)) over = { budget, extra };
    }
    // What the new state spends beyond what is already counted: the rise in value, or
    // the whole value when it moves to another source (or comes back from cancelled).
    const moved = source !== b.fundingSource || sponsorId !== b.sponsorId;
    const spend = to === 'cancelled' ? 0 : moved || from === 'cancelled' ? value : value - Number(b.value);
    if (spend > 0) {
      await lockCampaignBenefits(tx, b.campaignId);
      await assertCanSpend(tx, { campaignId: b.campaignId, orgId: b.orgId, source, sponsorId, amount: spend, field: moved ? 'fundingSource' : 'value' });
    }
    const now = sql`now()`;
    const [updated] = await tx
      .update(benefits)
      .set({
        status: to,
        value,
        fundingSource: source,
        sponsorId,
        item: patch.item ?? b.item,
        note: patch.note !== undefined ? patch.note || null : b.note,
        ...(to === 'approved' && from !== 'approved' ? { approvedAt: now, approvedBy: auth.user.id } : {}),
        ...(to === 'planned' && from === 'approved' ? { approvedAt: null, approvedBy: null } : {}),
        ...(to === 'delivered' && from !== 'delivered' ? { deliveredAt: now, deliveredBy: auth.user.id, receivedBy: patch.receivedBy ?? null } : {}),
        ...(to === 'cancelled' && from !== 'cancelled' ? { cancelledAt: now, cancelReason: patch.cancelReason! } : {}),
        version: b.version + 1,
        updatedAt: now,
      })
      .where(eq(benefits.id, b.id))
      .returning();
    await recordAudit(tx, auth.actor, {
      action: to !== from ? `benefit.${to === 'approved' ? 'approve' : to === 'delivered' ? 'deliver' : to === 'cancelled' ? 'cancel' : 'unapprove'}` : 'benefit.update',
      entityType: 'benefit',
      entityId: b.id,
      orgId: b.orgId,
      before: auditView(b),
      after: { ...auditView(updated!), ...(to === 'cancelled' ? { cancelReason: patch.cancelReason } : {}) },
    });
    if (over) await auditOverBudget(tx, auth, c!, b.orgId, over.budget, over.extra, patch.overrideReason!, b.id);
  });
}

export interface AllocationResult {
  createdIds: string[];
  totalValue: number;
  budget: number | null;
  remaining: number | null;
  /** What is left of the funding source after the proposals. */
  fundsLeft: number;
  skipped: { childId: string; kind: string; reason: 'already_given' | 'given_elsewhere' | 'over_budget' | 'insufficient_funds'; orgName?: string }[];
}

/**
 * Proposes benefits (as planned) to the unit's eligible children, down the
 * priority order, kind by kind, until the budget is used. A child who already
 * holds the kind — on this record or a duplicate elsewhere — is skipped, and so
 * is one the funding source no longer has the money for (reported as
 * insufficient_funds; overriding the budget does not override the money left).
 */
export async function allocateBenefits(db: Db, auth: AuthContext, campaignId: string, input: AllocateInput): Promise<AllocationResult> {
  return withTransaction(db, async (tx) => {
    const { c, settings } = await visibleCampaign(tx, auth, campaignId);
    const org = await findOrgInScope(tx, input.orgId, benefitPolicy.readRoots(auth));
    if (!org) throw new AppError(404, 'NOT_FOUND', 'org.notFound', {}, { orgId: { key: 'org.notFound' } });
    if (!benefitPolicy.canWrite(auth, org.path)) throw forbidden();
    assertCampaignInForce(c);
    if (!(await unitInCampaign(tx, c, org.id))) throw invalid('benefit.unitOutsideCampaign', { org: org.name }, 'orgId');
    const kinds = (input.kinds ?? [settings.benefitKinds[0]?.code ?? 'gift']).map((k) => kindOf(settings, k));
    if (kinds.some((k) => k.code === IN_KIND)) throw invalid('benefit.inKindNotAllocated', {}, 'kinds');
    if (input.overrideBudget && !input.overrideReason) throw invalid('benefit.overrideReasonRequired', {}, 'overrideReason');
    const source: FundingSource = input.fundingSource ?? 'unit_funds';
    const sponsorId = await checkFundingSource(tx, { source, sponsorId: input.sponsorId, orgPath: org.path });
    await lockCampaignBenefits(tx, c.id);
    await lockFunds(tx, c.id, org.id);

    if (input.budget !== undefined) {
      const before = await unitBudgetRow(tx, c.id, org.id);
      await tx
        .insert(benefitBudgets)
        .values({ campaignId: c.id, orgId: org.id, amount: input.budget, setBy: auth.user.id })
        .onConflictDoUpdate({ target: [benefitBudgets.campaignId, benefitBudgets.orgId], set: { amount: input.budget, setBy: auth.user.id, updatedAt: sql`now()` } });
      await recordAudit(tx, auth.actor, {
        action: 'benefit.budget_set',
        entityType: 'campaign',
        entityId: c.id,
        orgId: org.id,
        before: before ? { amount: Number(before.amount) } : null,
        after: { amount: input.budget },
      });
    }
    const budget = await budgetOf(tx, c, settings, org.id);
    const limited = budget.amount !== null && !input.overrideBudget;
    let fundsLeft = await balanceOf(tx, { campaignId: c.id, orgId: org.id, source, sponsorId });

    // The unit's own children, in the order of the eligible list.
    const ranked = (await rankEligible(tx, c, settings, org.path)).filter((x) => x.child.orgId === org.id);
    const ids = ranked.map((x) => x.child.id);
    const dups = await duplicatesOf(tx, ids);
    const related = [...new Set([...ids, ...[...dups.values()].flat().map((d) => d.childId)])];

    let spent = budget.spent;
    const rows: (typeof benefits.$inferInsert)[] = [];
    const skipped: AllocationResult['skipped'] = [];
    for (const kind of kinds) {
      const given = await givenOfKind(tx, c.id, kind.code, related);
      for (const { child } of ranked) {
        if (given.has(child.id)) {
          skipped.push({ childId: child.id, kind: kind.code, reason: 'already_given' });
          continue;
        }
        const elsewhere = (dups.get(child.id) ?? []).find((d) => given.has(d.childId));
        if (elsewhere) {
          skipped.push({ childId: child.id, kind: kind.code, reason: 'given_elsewhere', orgName: given.get(elsewhere.childId)! });
          continue;
        }
        if (limited && spent + kind.defaultValue > budget.amount!) {
          skipped.push({ childId: child.id, kind: kind.code, reason: 'over_budget' });
          continue;
        }
        if (kind.defaultValue > fundsLeft) {
          skipped.push({ childId: child.id, kind: kind.code, reason: 'insufficient_funds' });
          continue;
        }
        rows.push({
          campaignId: c.id,
          orgId: org.id,
          childId: child.id,
          kind: kind.code,
          value: kind.defaultValue,
          fundingSource: source,
          sponsorId,
          createdBy: auth.user.id,
        });
        given.set(child.id, org.name);
        spent += kind.defaultValue;
        fundsLeft -= kind.defaultValue;
      }
    }
    const created = rows.length ? await tx.insert(benefits).values(rows).returning({ id: benefits.id }) : [];
    const totalValue = rows.reduce((s, r) => s + r.value, 0);
    await recordAudit(tx, auth.actor, {
      action: 'benefit.allocate',
      entityType: 'campaign',
      entityId: c.id,
      orgId: org.id,
      after: {
        kinds: kinds.map((k) => k.code),
        budget: budget.amount,
        fundingSource: source,
        sponsorId,
        created: created.length,
        totalValue,
        benefitIds: created.map((r) => r.id),
        override: !!input.overrideBudget,
        fundsLeft,
      },
    });
    if (input.overrideBudget && budget.amount !== null && spent > budget.amount)
      await auditOverBudget(tx, auth, c, org.id, budget, totalValue, input.overrideReason!, c.id);
    return {
      createdIds: created.map((r) => r.id),
      totalValue,
      budget: budget.amount,
      remaining: budget.amount === null ? null : Math.max(0, budget.amount - spent),
      fundsLeft,
      skipped,
    };
  });
}

export interface ScanResult {
  status: 'delivered' | 'already_delivered';
  row: BenefitRow;
  settings: CampaignSettings;
  message: { key: 'benefit.scanDelivered' | 'benefit.scanAlready'; params: Record<string, string> };
}

/**
 * Hands over the benefit a voucher code names. One conditional UPDATE does
 * it, so however many phones scan the same voucher at once, one delivers and
 * the others see "already received". An offline scan keeps its own time.
 */
export async function scanVoucher(db: Db, auth: AuthContext, secret: string | undefined, input: ScanInput): Promise<ScanResult> {
  const id = verifyVoucherToken(input.token, secret);
  if (!id) throw new AppError(400, 'BAD_TOKEN', 'benefit.badToken', {}, { token: { key: 'benefit.badToken' } });
  const at = input.deliveredAt ? new Date(input.deliveredAt) : null;
  if (at && at.getTime() > Date.now() + 5 * 60_000) throw invalid('benefit.deliveredInFuture', {}, 'deliveredAt');
  const roots = benefitPolicy.writeRoots(auth);
  return withTransaction(db, async (tx) => {
    const found = await findBenefitInScope(tx, id, roots);
    if (!found) throw notFound('benefit.notFound');
    const [done] = await tx
      .update(benefits)
      .set({
        status: 'delivered',
        deliveredAt: at ?? sql`now()`,
        deliveredBy: auth.user.id,
        receivedBy: input.receivedBy ?? null,
        deliveryClientId: input.clientId ?? null,
        version: sql`${benefits.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(benefits.id, id), eq(benefits.status, 'approved')))
      .returning({ id: benefits.id });
    const row = (await findBenefitInScope(tx, id, roots))!;
    const [c] = await tx.select({ settings: campaigns.settings }).from(campaigns).where(eq(campaigns.id, row.b.campaignId));
    const settings = campaignSettings(c!);
    if (done) {
      await recordAudit(tx, auth.actor, {
        action: 'benefit.deliver',
        entityType: 'benefit',
        entityId: id,
        orgId: row.b.orgId,
        before: { status: found.b.status },
        after: { status: 'delivered', deliveredAt: row.b.deliveredAt?.toISOString(), via: 'scan', clientId: input.clientId ?? null, offline: !!at },
      });
      const result: ScanResult = { status: 'delivered', row, settings, message: { key: 'benefit.scanDelivered', params: { name: row.childName, org: row.orgName } } };
      return result;
    }
    if (row.b.status === 'delivered') {
      const result: ScanResult = { status: 'already_delivered', row, settings, message: { key: 'benefit.scanAlready', params: { at: formatDateTime(row.b.deliveredAt) } } };
      return result;
    }
    if (row.b.status === 'cancelled') throw invalid('benefit.cancelled', { reason: row.b.cancelReason ?? '' });
    throw invalid('benefit.notApproved');
  });
}
