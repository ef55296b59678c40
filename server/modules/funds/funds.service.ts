import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { campaigns, earmarks, fundEntries, fundTransfers, pledges, receipts, sponsors } from '../../db/schema/index';
import { recordAudit } from '../../lib/audit';
import { pathWithin, type AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import { AppError, conflict, forbidden, invalid, notFound } from '../../lib/errors';
import { withTransaction } from '../../lib/transaction';
import { formatMoney } from '../../../common/format';
import { foldVietnamese, normalizeName, vietnameseSortKey } from '../../../common/vietnamese';
import { unitInCampaign } from '../benefits/benefits.queries';
import { assertCampaignInForce, visibleCampaignOr404, issuingOrgOf, type CampaignRow } from '../campaigns/campaigns.queries';
import { childPolicy } from '../children/children.policy';
import { findChildInScope } from '../children/children.queries';
import { findOrgInScope, type OrgRow } from '../orgs/orgs.queries';
import { assertCanSpend, checkFundingSource, lockFunds, type FundSource } from './funds.ledger';
import { fundPolicy, sponsorUsableAt } from './funds.policy';
import { findPledgeInScope, findSponsor, findSponsorVisible, receivedOnPledge } from './funds.queries';
import type { AllocationInput, CreateSponsorInput, EarmarkInput, PledgeInput, ReceiptInput, TransferInput, UpdateSponsorInput } from './funds.schemas';

/*
 * Double submits. Every create accepts an optional client `requestId`. The
 * row's id is then derived from (what, campaign, unit, user, requestId), and
 * the write first takes the unit's funds lock (or a lock on that id) and
 * looks the id up: a retry of the same submission finds its row and returns
 * it without writing again; the same key with other content is refused (409).
 * The primary key backs this up if the lock were ever bypassed. No extra
 * table or column is needed, and the key is private to the user who sent it.
 */
function derivedId(parts: (string | number)[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5 (name-based, SHA-1)
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function requestRowId(kind: string, auth: AuthContext, scope: string | number, orgId: number, requestId: string | undefined): string | undefined {
  return requestId ? derivedId(['lantern-funds', kind, scope, orgId, auth.user.id, requestId]) : undefined;
}

/** A retry with the same key must carry the same content. */
function assertSameRequest(requestId: string, same: boolean): void {
  if (!same) throw conflict('fund.requestReused', { requestId }, 'requestId');
}

const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));

/** The campaign, visible to the caller and in force (issued, not closed). */
async function campaignForWrite(tx: Tx, auth: AuthContext, id: string): Promise<CampaignRow> {
  const c = await visibleCampaignOr404(tx, auth, id);
  assertCampaignInForce(c);
  return c;
}

/** A unit the caller may record money for in this campaign: readable (else 404), writable (else 403), in the campaign (else 422). */
async function unitForWrite(tx: Tx, auth: AuthContext, c: CampaignRow, orgId: number, field = 'orgId'): Promise<OrgRow> {
  const org = await findOrgInScope(tx, orgId, fundPolicy.readRoots(auth));
  const issuing = await issuingOrgOf(tx, c.issuingOrgId);
  if (!org || !pathWithin(org.path, [issuing.path])) throw new AppError(404, 'NOT_FOUND', 'org.notFound', {}, { [field]: { key: 'org.notFound' } });
  if (!fundPolicy.canWrite(auth, org.path)) throw forbidden();
  if (!(await unitInCampaign(tx, c, org.id))) throw invalid('fund.unitOutsideCampaign', { org: org.name }, field);
  return org;
}

/** A sponsor the unit may record money from. */
async function sponsorAt(tx: Tx, sponsorId: string, org: OrgRow, field = 'sponsorId') {
  const s = await findSponsor(tx, sponsorId);
  if (!s || !sponsorUsableAt(s.orgPath, org.path)) throw invalid('fund.sponsorNotVisible', {}, field);
  return s;
}

/** Cash: the amount; in kind: quantity × unit value, which must be more than 0. */
function valueOf(input: { form: 'cash'; amount: number } | { form: 'in_kind'; quantity: number; unitValue: number }): number {
  const v = input.form === 'cash' ? input.amount : input.quantity * input.unitValue;
  if (!Number.isSafeInteger(v) || v <= 0 || v > 1_000_000_000_000) throw invalid('fund.badAmount', {}, input.form === 'cash' ? 'amount' : 'unitValue');
  return v;
}

// ---------------------------------------------------------------- sponsors

function sponsorText(s: { name: string; contactName?: string | null; taxCode?: string | null; phone?: string | null }) {
  return foldVietnamese(`${s.name} ${s.contactName ?? ''} ${s.taxCode ?? ''} ${s.phone ?? ''}`);
}

const sponsorAudit = (s: typeof sponsors.$inferSelect) => ({
  orgId: s.orgId,
  kind: s.kind,
  name: s.name,
  contactName: s.contactName,
  phone: s.phone,
  email: s.email,
  address: s.address,
  taxCode: s.taxCode,
  notes: s.notes,
  publiclyNamed: s.publiclyNamed,
});

const blank = (v: string | null | undefined) => (v ? v : null);

export async function createSponsor(db: Db, auth: AuthContext, input: CreateSponsorInput): Promise<string> {
  return withTransaction(db, async (tx) => {
    const org = await findOrgInScope(tx, input.orgId, fundPolicy.readRoots(auth));
    if (!org) throw new AppError(404, 'NOT_FOUND', 'org.notFound', {}, { orgId: { key: 'org.notFound' } });
    if (!fundPolicy.canWrite(auth, org.path)) throw forbidden();
    const name = normalizeName(input.name);
    const id = requestRowId('sponsor', auth, 'sponsor', org.id, input.requestId);
    if (id) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`funds-request:${id}`}, 0))`);
      const [existing] = await tx.select().from(sponsors).where(eq(sponsors.id, id));
      if (existing) {
        assertSameRequest(input.requestId!, existing.name === name && existing.orgId === org.id);
        return existing.id;
      }
    }
    const values = {
      kind: input.kind,
      name,
      contactName: blank(input.contactName && normalizeName(input.contactName)),
      phone: blank(input.phone),
      email: blank(input.email),
      address: blank(input.address),
      taxCode: blank(input.taxCode),
      notes: blank(input.notes),
      publiclyNamed: input.publiclyNamed ?? false,
    };
    const [row] = await tx
      .insert(sponsors)
      .values({ ...(id ? { id } : {}), orgId: org.id, ...values, searchText: sponsorText(values), sortKey: vietnameseSortKey(name), createdBy: auth.user.id })
      .returning();
    await recordAudit(tx, auth.actor, { action: 'sponsor.create', entityType: 'sponsor', entityId: row!.id, orgId: org.id, after: sponsorAudit(row!) });
    return row!.id;
  });
}

export async function updateSponsor(db: Db, auth: AuthContext, id: string, patch: UpdateSponsorInput): Promise<void> {
  await withTransaction(db, async (tx) => {
    const found = await findSponsorVisible(tx, auth, id, true);
    if (!found) throw notFound('sponsor.notFound');
    if (!fundPolicy.canEditSponsor(auth, found.orgPath)) throw forbidden();
    const s = found.s;
    if (patch.version !== s.version) throw conflict('sponsor.stale');
    const next = {
      kind: patch.kind ?? s.kind,
      name: patch.name !== undefined ? normalizeName(patch.name) : s.name,
      contactName: patch.contactName !== undefined ? blank(patch.contactName && normalizeName(patch.contactName)) : s.contactName,
      phone: patch.phone !== undefined ? blank(patch.phone) : s.phone,
      email: patch.email !== undefined ? blank(patch.email) : s.email,
      address: patch.address !== undefined ? blank(patch.address) : s.address,
      taxCode: patch.taxCode !== undefined ? blank(patch.taxCode) : s.taxCode,
      notes: patch.notes !== undefined ? blank(patch.notes) : s.notes,
      publiclyNamed: patch.publiclyNamed ?? s.publiclyNamed,
    };
    const [updated] = await tx
      .update(sponsors)
      .set({ ...next, searchText: sponsorText(next), sortKey: vietnameseSortKey(next.name), version: s.version + 1, updatedAt: sql`now()` })
      .where(and(eq(sponsors.id, s.id), eq(sponsors.version, s.version)))
      .returning();
    if (!updated) throw conflict('sponsor.stale');
    await recordAudit(tx, auth.actor, { action: 'sponsor.update', entityType: 'sponsor', entityId: s.id, orgId: s.orgId, before: sponsorAudit(s), after: sponsorAudit(updated) });
  });
}

// ---------------------------------------------------------------- union funds and transfers

/** The unit sets aside its own union funds for the campaign. */
export async function recordAllocation(db: Db, auth: AuthContext, campaignId: string, input: AllocationInput): Promise<string> {
  return withTransaction(db, async (tx) => {
    const c = await campaignForWrite(tx, auth, campaignId);
    const org = await unitForWrite(tx, auth, c, input.orgId);
    await lockFunds(tx, c.id, org.id);
    const id = requestRowId('allocation', auth, c.id, org.id, input.requestId);
    if (id) {
      const [existing] = await tx.select().from(fundEntries).where(eq(fundEntries.id, id));
      if (existing) {
        assertSameRequest(input.requestId!, Number(existing.amount) === input.amount && existing.orgId === org.id);
        return existing.id;
      }
    }
    const [row] = await tx
      .insert(fundEntries)
      .values({
        ...(id ? { id } : {}),
        campaignId: c.id,
        orgId: org.id,
        source: 'unit_funds',
        direction: 'in',
        kind: 'allocation',
        amount: input.amount,
        occurredOn: input.occurredOn ?? todayInVietnam(),
        note: input.note || null,
        createdBy: auth.user.id,
      })
      .returning();
    await recordAudit(tx, auth.actor, {
      action: 'fund.allocate',
      entityType: 'fund_entry',
      entityId: row!.id,
      orgId: org.id,
      after: { campaignId: c.id, source: 'unit_funds', amount: input.amount, occurredOn: row!.occurredOn, note: row!.note },
    });
    return row!.id;
  });
}

interface TransferSpec {
  c: CampaignRow;
  from: OrgRow;
  toOrgId: number;
  source: FundSource;
  sponsorId: string | null;
  amount: number;
  on: string;
  note: string | null;
  id?: string;
  earmarkId?: string;
  field?: string;
}

/**
 * Money passed down: a fund_transfers row, out at the sender (from its
 * source), in at the receiver (union money as upper_funds, a sponsor's money
 * as that sponsor's). Only to a unit below the sender, in the campaign, and
 * only what the sender has left.
 */
async function transferDown(tx: Tx, auth: AuthContext, t: TransferSpec) {
  const field = t.field ?? 'toOrgId';
  const to = await findOrgInScope(tx, t.toOrgId, [t.from.path]);
  if (!to || to.id === t.from.id) throw invalid('fund.transferNotBelow', { org: t.from.name }, field);
  if (!(await unitInCampaign(tx, t.c, to.id))) throw invalid('fund.unitOutsideCampaign', { org: to.name }, field);
  await assertCanSpend(tx, { campaignId: t.c.id, orgId: t.from.id, source: t.source, sponsorId: t.sponsorId, amount: t.amount });
  const [row] = await tx
    .insert(fundTransfers)
    .values({
      ...(t.id ? { id: t.id } : {}),
      campaignId: t.c.id,
      fromOrgId: t.from.id,
      toOrgId: to.id,
      source: t.source,
      sponsorId: t.sponsorId,
      amount: t.amount,
      transferredOn: t.on,
      note: t.note,
      createdBy: auth.user.id,
    })
    .returning();
  const common = { campaignId: t.c.id, amount: t.amount, occurredOn: t.on, transferId: row!.id, earmarkId: t.earmarkId ?? null, note: t.note, createdBy: auth.user.id };
  await tx.insert(fundEntries).values([
    { ...common, orgId: t.from.id, source: t.source, sponsorId: t.sponsorId, direction: 'out', kind: 'transfer_out' },
    { ...common, orgId: to.id, source: t.source === 'sponsor' ? 'sponsor' : 'upper_funds', sponsorId: t.sponsorId, direction: 'in', kind: 'transfer_in' },
  ]);
  return { row: row!, to };
}

export async function recordTransfer(db: Db, auth: AuthContext, campaignId: string, input: TransferInput): Promise<string> {
  return withTransaction(db, async (tx) => {
    const c = await campaignForWrite(tx, auth, campaignId);
    const from = await unitForWrite(tx, auth, c, input.fromOrgId, 'fromOrgId');
    const sponsorId = await checkFundingSource(tx, { source: input.source, sponsorId: input.sponsorId, orgPath: from.path });
    await lockFunds(tx, c.id, from.id);
    const id = requestRowId('transfer', auth, c.id, from.id, input.requestId);
    if (id) {
      const [existing] = await tx.select().from(fundTransfers).where(eq(fundTransfers.id, id));
      if (existing) {
        assertSameRequest(input.requestId!, Number(existing.amount) === input.amount && existing.toOrgId === input.toOrgId && existing.source === input.source);
        return existing.id;
      }
    }
    const { row, to } = await transferDown(tx, auth, {
      c,
      from,
      toOrgId: input.toOrgId,
      source: input.source,
      sponsorId,
      amount: input.amount,
      on: input.transferredOn ?? todayInVietnam(),
      note: input.note || null,
      id,
    });
    await recordAudit(tx, auth.actor, {
      action: 'fund.transfer',
      entityType: 'fund_transfer',
      entityId: row.id,
      orgId: from.id,
      after: { campaignId: c.id, fromOrgId: from.id, toOrgId: to.id, source: input.source, sponsorId, amount: input.amount, transferredOn: row.transferredOn },
    });
    return row.id;
  });
}

// ---------------------------------------------------------------- pledges and receipts

export async function createPledge(db: Db, auth: AuthContext, campaignId: string, input: PledgeInput): Promise<string> {
  return withTransaction(db, async (tx) => {
    const c = await campaignForWrite(tx, auth, campaignId);
    const org = await unitForWrite(tx, auth, c, input.orgId);
    const sponsor = await sponsorAt(tx, input.sponsorId, org);
    const amount = valueOf(input);
    await lockFunds(tx, c.id, org.id);
    const id = requestRowId('pledge', auth, c.id, org.id, input.requestId);
    if (id) {
      const [existing] = await tx.select().from(pledges).where(eq(pledges.id, id));
      if (existing) {
        assertSameRequest(input.requestId!, Number(existing.amount) === amount && existing.sponsorId === sponsor.s.id);
        return existing.id;
      }
    }
    const inKind = input.form === 'in_kind' ? input : null;
    const [row] = await tx
      .insert(pledges)
      .values({
        ...(id ? { id } : {}),
        campaignId: c.id,
        orgId: org.id,
        sponsorId: sponsor.s.id,
        form: input.form,
        item: inKind?.item ?? null,
        quantity: inKind?.quantity ?? null,
        unitValue: inKind?.unitValue ?? null,
        amount,
        pledgedOn: input.pledgedOn,
        note: input.note || null,
        createdBy: auth.user.id,
      })
      .returning();
    await recordAudit(tx, auth.actor, {
      action: 'fund.pledge',
      entityType: 'pledge',
      entityId: row!.id,
      orgId: org.id,
      after: { campaignId: c.id, sponsorId: sponsor.s.id, form: input.form, item: row!.item, quantity: row!.quantity, unitValue: num(row!.unitValue), amount, pledgedOn: row!.pledgedOn },
    });
    return row!.id;
  });
}

/** The part not yet received is no longer expected; what was received stays. */
export async function cancelPledge(db: Db, auth: AuthContext, campaignId: string, pledgeId: string, reason: string): Promise<void> {
  await withTransaction(db, async (tx) => {
    const c = await campaignForWrite(tx, auth, campaignId);
    const found = await findPledgeInScope(tx, c.id, pledgeId, fundPolicy.readRoots(auth), true);
    if (!found) throw notFound('fund.pledgeNotFound');
    if (!fundPolicy.canWrite(auth, found.orgPath)) throw forbidden();
    const p = found.p;
    await lockFunds(tx, c.id, p.orgId);
    if (p.cancelledAt) throw conflict('fund.pledgeCancelled');
    const received = await receivedOnPledge(tx, p.id);
    if (received >= Number(p.amount)) throw conflict('fund.pledgeAlreadyReceived');
    await tx.update(pledges).set({ cancelledAt: sql`now()`, cancelReason: reason }).where(eq(pledges.id, p.id));
    await recordAudit(tx, auth.actor, {
      action: 'fund.pledge_cancel',
      entityType: 'pledge',
      entityId: p.id,
      orgId: p.orgId,
      before: { status: received > 0 ? 'partly_received' : 'open', received },
      after: { status: 'cancelled', reason, notReceived: Number(p.amount) - received },
    });
  });
}

/** Money or goods received: a receipts row and the ledger line (in, sponsor money); may settle part of a pledge. */
export async function recordReceipt(db: Db, auth: AuthContext, campaignId: string, input: ReceiptInput): Promise<string> {
  return withTransaction(db, async (tx) => {
    const c = await campaignForWrite(tx, auth, campaignId);
    const org = await unitForWrite(tx, auth, c, input.orgId);
    const amount = valueOf(input);
    await lockFunds(tx, c.id, org.id);
    const id = requestRowId('receipt', auth, c.id, org.id, input.requestId);
    if (id) {
      const [existing] = await tx.select().from(receipts).where(eq(receipts.id, id));
      if (existing) {
        assertSameRequest(input.requestId!, Number(existing.amount) === amount && (input.sponsorId ?? existing.sponsorId) === existing.sponsorId && (input.pledgeId ?? null) === existing.pledgeId);
        return existing.id;
      }
    }
    let sponsorId: string;
    if (input.pledgeId) {
      const found = await findPledgeInScope(tx, c.id, input.pledgeId, [org.path], true);
      if (!found) throw new AppError(404, 'NOT_FOUND', 'fund.pledgeNotFound', {}, { pledgeId: { key: 'fund.pledgeNotFound' } });
      const p = found.p;
      if (p.orgId !== org.id) throw invalid('fund.pledgeOtherUnit', {}, 'pledgeId');
      if (p.cancelledAt) throw conflict('fund.pledgeCancelled', {}, 'pledgeId');
      if (input.sponsorId && input.sponsorId !== p.sponsorId) throw invalid('fund.pledgeOtherSponsor', {}, 'sponsorId');
      if (input.form !== p.form) throw invalid('fund.pledgeFormMismatch', {}, 'form');
      const left = Number(p.amount) - (await receivedOnPledge(tx, p.id));
      if (amount > left) throw invalid('fund.pledgeOverReceived', { left: formatMoney(Math.max(0, left)), amount: formatMoney(amount) }, input.form === 'cash' ? 'amount' : 'quantity');
      sponsorId = p.sponsorId;
    } else {
      if (!input.sponsorId) throw invalid('fund.sponsorRequired', {}, 'sponsorId');
      sponsorId = (await sponsorAt(tx, input.sponsorId, org)).s.id;
    }
    const inKind = input.form === 'in_kind' ? input : null;
    const [row] = await tx
      .insert(receipts)
      .values({
        ...(id ? { id } : {}),
        campaignId: c.id,
        orgId: org.id,
        sponsorId,
        pledgeId: input.pledgeId ?? null,
        form: input.form,
        item: inKind?.item ?? null,
        quantity: inKind?.quantity ?? null,
        unitValue: inKind?.unitValue ?? null,
        amount,
        receivedOn: input.receivedOn,
        receiptNo: input.receiptNo || null,
        method: input.form === 'cash' ? input.method : null,
        note: input.note || null,
        createdBy: auth.user.id,
      })
      .returning();
    await tx.insert(fundEntries).values({
      campaignId: c.id,
      orgId: org.id,
      source: 'sponsor',
      sponsorId,
      direction: 'in',
      kind: 'receipt',
      amount,
      occurredOn: input.receivedOn,
      receiptId: row!.id,
      note: input.note || null,
      createdBy: auth.user.id,
    });
    await recordAudit(tx, auth.actor, {
      action: 'fund.receipt',
      entityType: 'receipt',
      entityId: row!.id,
      orgId: org.id,
      after: { campaignId: c.id, sponsorId, pledgeId: row!.pledgeId, form: input.form, item: row!.item, quantity: row!.quantity, unitValue: num(row!.unitValue), amount, receivedOn: row!.receivedOn, receiptNo: row!.receiptNo, method: row!.method },
    });
    return row!.id;
  });
}

// ---------------------------------------------------------------- earmarks

/**
 * A sponsor's money held by a unit, set aside for a unit below it (passed
 * down to it: a transfer) or for a child of its subtree (paid out as a
 * direct sponsorship). Either way only what the unit has left of that sponsor.
 */
export async function createEarmark(db: Db, auth: AuthContext, campaignId: string, input: EarmarkInput): Promise<string> {
  return withTransaction(db, async (tx) => {
    const c = await campaignForWrite(tx, auth, campaignId);
    const org = await unitForWrite(tx, auth, c, input.orgId);
    const sponsor = await sponsorAt(tx, input.sponsorId, org);
    await lockFunds(tx, c.id, org.id);
    const id = requestRowId('earmark', auth, c.id, org.id, input.requestId);
    if (id) {
      const [existing] = await tx.select().from(earmarks).where(eq(earmarks.id, id));
      if (existing) {
        assertSameRequest(
          input.requestId!,
          Number(existing.amount) === input.amount && existing.sponsorId === input.sponsorId && existing.childId === (input.childId ?? null) && existing.targetOrgId === (input.targetOrgId ?? null),
        );
        return existing.id;
      }
    }
    if (input.receiptId) {
      const [r] = await tx
        .select({ id: receipts.id })
        .from(receipts)
        .where(and(eq(receipts.id, input.receiptId), eq(receipts.campaignId, c.id), eq(receipts.orgId, org.id), eq(receipts.sponsorId, sponsor.s.id)));
      if (!r) throw invalid('fund.receiptNotFound', {}, 'receiptId');
    }
    const on = input.occurredOn ?? todayInVietnam();
    const note = input.note || null;
    let childId: string | null = null;
    if (input.childId) {
      const child = await findChildInScope(tx, input.childId, [org.path]);
      if (!child || !pathWithin(child.orgPath, childPolicy.readRoots(auth))) throw invalid('fund.earmarkChildOutside', { org: org.name }, 'childId');
      if (child.anonymizedAt) throw invalid('privacy.noNewBenefits', {}, 'childId');
      await assertCanSpend(tx, { campaignId: c.id, orgId: org.id, source: 'sponsor', sponsorId: sponsor.s.id, amount: input.amount });
      childId = child.id;
    }
    const [row] = await tx
      .insert(earmarks)
      .values({
        ...(id ? { id } : {}),
        campaignId: c.id,
        orgId: org.id,
        sponsorId: sponsor.s.id,
        receiptId: input.receiptId ?? null,
        targetOrgId: input.targetOrgId ?? null,
        childId,
        amount: input.amount,
        periodFrom: input.periodFrom ?? null,
        periodTo: input.periodTo ?? null,
        note,
        createdBy: auth.user.id,
      })
      .returning();
    let transferId: string | null = null;
    if (input.targetOrgId !== undefined) {
      const t = await transferDown(tx, auth, {
        c,
        from: org,
        toOrgId: input.targetOrgId,
        source: 'sponsor',
        sponsorId: sponsor.s.id,
        amount: input.amount,
        on,
        note,
        earmarkId: row!.id,
        field: 'targetOrgId',
      });
      transferId = t.row.id;
    } else {
      await tx.insert(fundEntries).values({
        campaignId: c.id,
        orgId: org.id,
        source: 'sponsor',
        sponsorId: sponsor.s.id,
        direction: 'out',
        kind: 'child_sponsorship',
        amount: input.amount,
        occurredOn: on,
        earmarkId: row!.id,
        receiptId: input.receiptId ?? null,
        note,
        createdBy: auth.user.id,
      });
    }
    await recordAudit(tx, auth.actor, {
      action: 'fund.earmark',
      entityType: 'earmark',
      entityId: row!.id,
      orgId: org.id,
      after: {
        campaignId: c.id,
        sponsorId: sponsor.s.id,
        target: childId ? 'child' : 'unit',
        targetOrgId: row!.targetOrgId,
        childId,
        amount: input.amount,
        periodFrom: row!.periodFrom,
        periodTo: row!.periodTo,
        transferId,
      },
    });
    return row!.id;
  });
}

// ---------------------------------------------------------------- transparency

/** Turns the campaign's public funds page on or off; only funds.write at the issuing unit. */
export async function setPublicFunds(db: Db, auth: AuthContext, campaignId: string, enabled: boolean): Promise<void> {
  await withTransaction(db, async (tx) => {
    const c = await visibleCampaignOr404(tx, auth, campaignId);
    const issuing = await issuingOrgOf(tx, c.issuingOrgId);
    if (!fundPolicy.canWrite(auth, issuing.path)) throw forbidden('fund.publicNotAllowed');
    if (c.publicFunds === enabled) return;
    await tx.update(campaigns).set({ publicFunds: enabled }).where(eq(campaigns.id, c.id));
    await recordAudit(tx, auth.actor, { action: 'campaign.public_funds', entityType: 'campaign', entityId: c.id, orgId: c.issuingOrgId, before: { enabled: c.publicFunds }, after: { enabled } });
  });
}
