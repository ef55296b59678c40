import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { campaigns, children, earmarks, fundEntries, fundTransfers, orgs, pledges, receipts, sponsors } from '../../db/schema/index';
import { inScope, pathWithin, type AuthContext } from '../../lib/authorization';
import { matchWords } from '../../lib/search';
import { childPolicy } from '../children/children.policy';
import { ledgerFacts, type FundSource, type LedgerFact } from './funds.ledger';
import { fundPolicy } from './funds.policy';
import {
  FUND_SOURCE_LABELS,
  FUNDING_SOURCES,
  type EarmarkOut,
  type EntryKind,
  type FundEntryOut,
  type LedgerOut,
  type LedgerSourceOut,
  type PledgeOut,
  type PledgeStatus,
  type ReceiptOut,
  type SponsorKind,
  type SponsorOut,
} from './funds.schemas';

export type SponsorRow = typeof sponsors.$inferSelect;
export interface SponsorWithOrg {
  s: SponsorRow;
  orgName: string;
  orgPath: string;
}
export interface OrgRef {
  id: number;
  code: string;
  name: string;
}

const sponsorSelect = { s: sponsors, orgName: orgs.name, orgPath: sql<string>`${orgs.path}::text` };

/** A sponsor the caller may see (see fundPolicy), else null. */
export async function findSponsorVisible(db: DbOrTx, auth: AuthContext, id: string, lock = false): Promise<SponsorWithOrg | null> {
  const q = db
    .select(sponsorSelect)
    .from(sponsors)
    .innerJoin(orgs, eq(orgs.id, sponsors.orgId))
    .where(and(eq(sponsors.id, id), fundPolicy.sponsorVisible(auth, sql`${orgs.path}`)))
    .limit(1);
  const [row] = lock ? await q.for('update', { of: sponsors }) : await q;
  return row ?? null;
}

/** A sponsor by id, whatever the caller's scope (for checks made against a unit, not a caller). */
export async function findSponsor(db: DbOrTx, id: string): Promise<SponsorWithOrg | null> {
  const [row] = await db.select(sponsorSelect).from(sponsors).innerJoin(orgs, eq(orgs.id, sponsors.orgId)).where(eq(sponsors.id, id)).limit(1);
  return row ?? null;
}

export function toSponsorOut(r: SponsorWithOrg, auth: AuthContext): SponsorOut {
  const s = r.s;
  return {
    id: s.id,
    orgId: s.orgId,
    orgName: r.orgName,
    kind: s.kind as SponsorKind,
    name: s.name,
    contactName: s.contactName,
    phone: s.phone,
    email: s.email,
    address: s.address,
    taxCode: s.taxCode,
    notes: s.notes,
    publiclyNamed: s.publiclyNamed,
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    canEdit: fundPolicy.canEditSponsor(auth, r.orgPath),
  };
}

/** Sponsors the caller sees, Vietnamese order; `usableAtPath`: only those a unit may record money from. */
export async function listSponsors(
  db: DbOrTx,
  auth: AuthContext,
  q: { q?: string; kind?: SponsorKind; usableAtPath?: string; limit: number; offset: number },
): Promise<{ items: SponsorWithOrg[]; total: number }> {
  const conds: SQL[] = [fundPolicy.sponsorVisible(auth, sql`${orgs.path}`)];
  if (q.kind) conds.push(eq(sponsors.kind, q.kind));
  if (q.usableAtPath) conds.push(sql`(${orgs.path} @> ${q.usableAtPath}::ltree or ${orgs.path} <@ ${q.usableAtPath}::ltree)`);
  const words = matchWords(sponsors.searchText, q.q);
  if (words) conds.push(words);
  const where = and(...conds);
  const [items, [count]] = await Promise.all([
    db
      .select(sponsorSelect)
      .from(sponsors)
      .innerJoin(orgs, eq(orgs.id, sponsors.orgId))
      .where(where)
      .orderBy(sql`${sponsors.sortKey} collate "C"`, asc(sponsors.createdAt))
      .limit(q.limit)
      .offset(q.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(sponsors).innerJoin(orgs, eq(orgs.id, sponsors.orgId)).where(where),
  ]);
  return { items, total: count?.n ?? 0 };
}

/** What a sponsor gave, per campaign and unit, in the units the caller may read; newest campaign first. */
export async function sponsorHistory(db: DbOrTx, auth: AuthContext, sponsorId: string) {
  const roots = fundPolicy.readRoots(auth);
  const res = await db.execute(sql`
    with p as (
      select campaign_id, org_id, sum(amount)::bigint as pledged from pledges
       where sponsor_id = ${sponsorId}::uuid and cancelled_at is null group by 1, 2
    ), r as (
      select campaign_id, org_id, sum(amount)::bigint as received from receipts
       where sponsor_id = ${sponsorId}::uuid group by 1, 2
    ), k as (select campaign_id, org_id from p union select campaign_id, org_id from r)
    select k.campaign_id::text as campaign_id, c.doc_number, c.year, c.title, k.org_id, o.name as org_name,
           coalesce(p.pledged, 0)::bigint as pledged, coalesce(r.received, 0)::bigint as received
      from k join campaigns c on c.id = k.campaign_id join orgs o on o.id = k.org_id
      left join p on p.campaign_id = k.campaign_id and p.org_id = k.org_id
      left join r on r.campaign_id = k.campaign_id and r.org_id = k.org_id
     where ${inScope(sql`o.path`, roots)}
     order by c.year desc, c.issue_date desc, o.sort_key collate "C"`);
  return (res.rows as Record<string, unknown>[]).map((r) => ({
    campaignId: String(r.campaign_id),
    docNumber: String(r.doc_number),
    year: Number(r.year),
    title: String(r.title),
    orgId: Number(r.org_id),
    orgName: String(r.org_name),
    pledged: Number(r.pledged),
    received: Number(r.received),
  }));
}

export async function sponsorNames(db: DbOrTx, ids: (string | null)[]): Promise<Map<string, string>> {
  const list = [...new Set(ids.filter((x): x is string => !!x))];
  if (list.length === 0) return new Map();
  const rows = await db.select({ id: sponsors.id, name: sponsors.name }).from(sponsors).where(inArray(sponsors.id, list));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function orgRefs(db: DbOrTx, ids: (number | null)[]): Promise<Map<number, OrgRef>> {
  const list = [...new Set(ids.filter((x): x is number => x !== null))];
  if (list.length === 0) return new Map();
  const rows = await db.select({ id: orgs.id, code: orgs.code, name: orgs.name }).from(orgs).where(inArray(orgs.id, list));
  return new Map(rows.map((r) => [r.id, r]));
}

// ---------------------------------------------------------------- one unit's ledger

const SOURCE_ORDER: Record<FundSource, number> = { unit_funds: 0, upper_funds: 1, sponsor: 2 };

function emptyIn() {
  return { allocations: 0, receipts: 0, transfersIn: 0, corrections: 0, total: 0 };
}
function emptyOut() {
  return { benefits: 0, eventCosts: 0, transfersDown: 0, childSponsorship: 0, corrections: 0, total: 0 };
}

function addFact(figures: { in: ReturnType<typeof emptyIn>; out: ReturnType<typeof emptyOut> }, f: LedgerFact): void {
  if (f.direction === 'in') {
    const key = f.kind === 'allocation' ? 'allocations' : f.kind === 'receipt' ? 'receipts' : f.kind === 'transfer_in' ? 'transfersIn' : 'corrections';
    figures.in[key] += f.amount;
    figures.in.total += f.amount;
  } else {
    const key =
      f.kind === 'benefits'
        ? 'benefits'
        : f.kind === 'activities' || f.kind === 'event_cost'
          ? 'eventCosts'
          : f.kind === 'transfer_out'
            ? 'transfersDown'
            : f.kind === 'child_sponsorship'
              ? 'childSponsorship'
              : 'corrections';
    figures.out[key] += f.amount;
    figures.out.total += f.amount;
  }
}

export function sourceLabel(source: FundSource, sponsorName: string | null): string {
  return source === 'sponsor' ? `Tài trợ: ${sponsorName ?? ''}` : FUND_SOURCE_LABELS[source].vi;
}

/** The ledger of one unit in a campaign: per source, the entry list and the totals (in − out = balance). */
export async function unitLedger(db: DbOrTx, campaignId: string, org: OrgRef, canWrite: boolean): Promise<LedgerOut> {
  const facts = await ledgerFacts(db, campaignId, { orgId: org.id });
  const entries = await db.select().from(fundEntries).where(and(eq(fundEntries.campaignId, campaignId), eq(fundEntries.orgId, org.id))).orderBy(asc(fundEntries.occurredOn), asc(fundEntries.createdAt));
  const transferIds = entries.map((e) => e.transferId).filter((x): x is string => !!x);
  const transfers = transferIds.length ? await db.select().from(fundTransfers).where(inArray(fundTransfers.id, transferIds)) : [];
  const tById = new Map(transfers.map((t) => [t.id, t]));
  const names = await sponsorNames(db, [...facts.map((f) => f.sponsorId), ...entries.map((e) => e.sponsorId)]);
  const counterpartOf = (e: (typeof entries)[number]) => {
    const t = e.transferId ? tById.get(e.transferId) : undefined;
    if (!t) return null;
    return e.direction === 'in' ? t.fromOrgId : t.toOrgId;
  };
  const refs = await orgRefs(db, entries.map(counterpartOf));

  const bySource = new Map<string, LedgerSourceOut>();
  const totals = { in: emptyIn(), out: emptyOut(), balance: 0 };
  for (const f of facts) {
    const key = `${f.source}:${f.sponsorId ?? ''}`;
    let row = bySource.get(key);
    if (!row) {
      const sponsorName = f.sponsorId ? (names.get(f.sponsorId) ?? null) : null;
      row = { source: f.source, sponsorId: f.sponsorId, sponsorName, label: sourceLabel(f.source, sponsorName), in: emptyIn(), out: emptyOut(), balance: 0 };
      bySource.set(key, row);
    }
    addFact(row, f);
    addFact(totals, f);
  }
  for (const row of bySource.values()) row.balance = row.in.total - row.out.total;
  totals.balance = totals.in.total - totals.out.total;
  const sources = [...bySource.values()].sort((a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] || (a.sponsorName ?? '').localeCompare(b.sponsorName ?? '', 'vi'));

  const pres = await db.execute(sql`
    select coalesce(sum(p.amount), 0)::bigint as pledged, coalesce(sum(rc.received), 0)::bigint as received
      from pledges p left join lateral (select sum(r.amount) as received from receipts r where r.pledge_id = p.id) rc on true
     where p.campaign_id = ${campaignId}::uuid and p.org_id = ${org.id} and p.cancelled_at is null`);
  const p = pres.rows[0] as { pledged: number | string; received: number | string } | undefined;
  const pledged = Number(p?.pledged ?? 0);
  const received = Number(p?.received ?? 0);

  return {
    campaignId,
    org,
    sources,
    entries: entries.map(
      (e): FundEntryOut => ({
        id: e.id,
        campaignId: e.campaignId,
        orgId: e.orgId,
        source: e.source as FundSource,
        sponsorId: e.sponsorId,
        sponsorName: e.sponsorId ? (names.get(e.sponsorId) ?? null) : null,
        direction: e.direction as 'in' | 'out',
        kind: e.kind as EntryKind,
        amount: Number(e.amount),
        occurredOn: e.occurredOn,
        counterpartOrg: refs.get(counterpartOf(e) ?? -1) ?? null,
        receiptId: e.receiptId,
        transferId: e.transferId,
        earmarkId: e.earmarkId,
        activityId: e.activityId,
        note: e.note,
        createdAt: e.createdAt.toISOString(),
      }),
    ),
    totals,
    pledges: { pledged, received, outstanding: Math.max(0, pledged - received) },
    canWrite,
  };
}

// ---------------------------------------------------------------- a subtree

interface SubtreeFigures {
  bySource: { source: FundSource; in: number; out: number; balance: number }[];
  in: number;
  out: number;
  balance: number;
}

/**
 * Figures of the units in `members`: money that entered or left the set
 * (transfers between two members cancel out), and what the members hold.
 */
function figuresOf(facts: LedgerFact[], members: Set<number>): SubtreeFigures {
  const rows = new Map<FundSource, { source: FundSource; in: number; out: number; balance: number }>(FUNDING_SOURCES.map((s) => [s, { source: s, in: 0, out: 0, balance: 0 }]));
  for (const f of facts) {
    if (!members.has(f.orgId)) continue;
    const row = rows.get(f.source)!;
    row.balance += f.direction === 'in' ? f.amount : -f.amount;
    const internal = (f.kind === 'transfer_in' || f.kind === 'transfer_out') && f.counterpartOrgId !== null && members.has(f.counterpartOrgId);
    if (internal) continue;
    if (f.direction === 'in') row.in += f.amount;
    else row.out += f.amount;
  }
  const bySource = [...rows.values()];
  const inSum = bySource.reduce((n, r) => n + r.in, 0);
  const outSum = bySource.reduce((n, r) => n + r.out, 0);
  return { bySource, in: inSum, out: outSum, balance: bySource.reduce((n, r) => n + r.balance, 0) };
}

/** The subtree of `root` by source, its spending by use, and one row per direct child unit (in the campaign or with money). */
export async function subtreeSummary(db: DbOrTx, campaignId: string, root: OrgRef & { path: string }) {
  const facts = await ledgerFacts(db, campaignId, { path: root.path });
  const units = await db
    .select({ id: orgs.id, code: orgs.code, name: orgs.name, path: sql<string>`${orgs.path}::text`, parentId: orgs.parentId, sortKey: orgs.sortKey })
    .from(orgs)
    .where(inScope(orgs.path, [root.path]))
    .orderBy(sql`${orgs.sortKey} collate "C"`);
  const all = new Set(units.map((u) => u.id));
  const spending = { benefits: 0, eventCosts: 0, childSponsorship: 0, corrections: 0 };
  for (const f of facts) {
    if (f.direction !== 'out') continue;
    if (f.kind === 'benefits') spending.benefits += f.amount;
    else if (f.kind === 'activities' || f.kind === 'event_cost') spending.eventCosts += f.amount;
    else if (f.kind === 'child_sponsorship') spending.childSponsorship += f.amount;
    else if (f.kind === 'correction') spending.corrections += f.amount;
  }
  const assigned = await db.execute(sql`select org_id from campaign_assignments where campaign_id = ${campaignId}::uuid and status = 'active'`);
  const inCampaign = new Set((assigned.rows as { org_id: number }[]).map((r) => Number(r.org_id)));
  const withFacts = new Set(facts.map((f) => f.orgId));
  const depth = root.path.split('.').length + 1;
  const direct = units.filter((u) => u.path.split('.').length === depth);
  const childRows = direct
    .map((d) => {
      const members = new Set(units.filter((u) => pathWithin(u.path, [d.path])).map((u) => u.id));
      const relevant = inCampaign.has(d.id) || [...members].some((id) => withFacts.has(id));
      return relevant ? { org: { id: d.id, code: d.code, name: d.name }, ...figuresOf(facts, members) } : null;
    })
    .filter((x) => x !== null);
  return { org: { id: root.id, code: root.code, name: root.name }, totals: figuresOf(facts, all), spending, children: childRows };
}

// ---------------------------------------------------------------- pledges, receipts, earmarks

const pledgeSelect = {
  p: pledges,
  orgName: orgs.name,
  sponsorName: sponsors.name,
  received: sql<number>`(select coalesce(sum(r.amount), 0)::bigint from receipts r where r.pledge_id = "pledges"."id")`,
};

export function pledgeStatus(p: { cancelledAt: Date | null; amount: number }, received: number): PledgeStatus {
  if (p.cancelledAt) return 'cancelled';
  if (received >= Number(p.amount)) return 'received';
  return received > 0 ? 'partly_received' : 'open';
}

type PledgeRow = { p: typeof pledges.$inferSelect; orgName: string; sponsorName: string; received: number };

export function toPledgeOut(r: PledgeRow): PledgeOut {
  const p = r.p;
  const received = Number(r.received);
  const status = pledgeStatus(p, received);
  return {
    id: p.id,
    campaignId: p.campaignId,
    orgId: p.orgId,
    orgName: r.orgName,
    sponsorId: p.sponsorId,
    sponsorName: r.sponsorName,
    form: p.form as 'cash' | 'in_kind',
    item: p.item,
    quantity: p.quantity,
    unitValue: p.unitValue === null ? null : Number(p.unitValue),
    amount: Number(p.amount),
    pledgedOn: p.pledgedOn,
    note: p.note,
    received,
    outstanding: status === 'open' || status === 'partly_received' ? Number(p.amount) - received : 0,
    status,
    cancelledAt: p.cancelledAt?.toISOString() ?? null,
    cancelReason: p.cancelReason,
    createdAt: p.createdAt.toISOString(),
  };
}

export async function listPledges(db: DbOrTx, campaignId: string, orgPath: string, f: { sponsorId?: string; ids?: string[] } = {}): Promise<PledgeOut[]> {
  const conds: SQL[] = [eq(pledges.campaignId, campaignId), inScope(orgs.path, [orgPath])];
  if (f.sponsorId) conds.push(eq(pledges.sponsorId, f.sponsorId));
  if (f.ids) conds.push(f.ids.length ? inArray(pledges.id, f.ids) : sql`false`);
  const rows = await db
    .select(pledgeSelect)
    .from(pledges)
    .innerJoin(orgs, eq(orgs.id, pledges.orgId))
    .innerJoin(sponsors, eq(sponsors.id, pledges.sponsorId))
    .where(and(...conds))
    .orderBy(asc(pledges.pledgedOn), asc(pledges.createdAt));
  return rows.map(toPledgeOut);
}

/** One pledge of a campaign whose unit lies in `roots`. */
export async function findPledgeInScope(db: DbOrTx, campaignId: string, id: string, roots: string[], lock = false) {
  const q = db
    .select({ p: pledges, orgPath: sql<string>`${orgs.path}::text` })
    .from(pledges)
    .innerJoin(orgs, eq(orgs.id, pledges.orgId))
    .where(and(eq(pledges.id, id), eq(pledges.campaignId, campaignId), inScope(orgs.path, roots)))
    .limit(1);
  const [row] = lock ? await q.for('update', { of: pledges }) : await q;
  return row ?? null;
}

export async function receivedOnPledge(db: DbOrTx, pledgeId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`coalesce(sum(${receipts.amount}), 0)::bigint` }).from(receipts).where(eq(receipts.pledgeId, pledgeId));
  return Number(row?.n ?? 0);
}

export function toReceiptOut(r: { r: typeof receipts.$inferSelect; orgName: string; sponsorName: string }): ReceiptOut {
  const x = r.r;
  return {
    id: x.id,
    campaignId: x.campaignId,
    orgId: x.orgId,
    orgName: r.orgName,
    sponsorId: x.sponsorId,
    sponsorName: r.sponsorName,
    pledgeId: x.pledgeId,
    form: x.form as 'cash' | 'in_kind',
    item: x.item,
    quantity: x.quantity,
    unitValue: x.unitValue === null ? null : Number(x.unitValue),
    amount: Number(x.amount),
    receivedOn: x.receivedOn,
    receiptNo: x.receiptNo,
    method: x.method as ReceiptOut['method'],
    note: x.note,
    createdAt: x.createdAt.toISOString(),
  };
}

export async function listReceipts(db: DbOrTx, campaignId: string, orgPath: string, f: { sponsorId?: string; ids?: string[] } = {}): Promise<ReceiptOut[]> {
  const conds: SQL[] = [eq(receipts.campaignId, campaignId), inScope(orgs.path, [orgPath])];
  if (f.sponsorId) conds.push(eq(receipts.sponsorId, f.sponsorId));
  if (f.ids) conds.push(f.ids.length ? inArray(receipts.id, f.ids) : sql`false`);
  const rows = await db
    .select({ r: receipts, orgName: orgs.name, sponsorName: sponsors.name })
    .from(receipts)
    .innerJoin(orgs, eq(orgs.id, receipts.orgId))
    .innerJoin(sponsors, eq(sponsors.id, receipts.sponsorId))
    .where(and(...conds))
    .orderBy(asc(receipts.receivedOn), asc(receipts.createdAt));
  return rows.map(toReceiptOut);
}

/** Earmarks recorded by units in `orgPath`; a child's name only when the caller may read that child's record. */
export async function listEarmarks(db: DbOrTx, auth: AuthContext, campaignId: string, orgPath: string, f: { target?: 'unit' | 'child'; ids?: string[] } = {}): Promise<EarmarkOut[]> {
  const conds: SQL[] = [eq(earmarks.campaignId, campaignId), inScope(orgs.path, [orgPath])];
  if (f.target === 'unit') conds.push(sql`${earmarks.targetOrgId} is not null`);
  if (f.target === 'child') conds.push(sql`${earmarks.childId} is not null`);
  if (f.ids) conds.push(f.ids.length ? inArray(earmarks.id, f.ids) : sql`false`);
  const rows = await db
    .select({
      e: earmarks,
      orgName: orgs.name,
      sponsorName: sponsors.name,
      childName: children.fullName,
      childPath: sql<string | null>`(select co.path::text from orgs co where co.id = ${children.orgId})`,
    })
    .from(earmarks)
    .innerJoin(orgs, eq(orgs.id, earmarks.orgId))
    .innerJoin(sponsors, eq(sponsors.id, earmarks.sponsorId))
    .leftJoin(children, eq(children.id, earmarks.childId))
    .where(and(...conds))
    .orderBy(asc(earmarks.createdAt));
  const targets = await orgRefs(db, rows.map((r) => r.e.targetOrgId));
  const childRoots = childPolicy.readRoots(auth);
  return rows.map(({ e, orgName, sponsorName, childName, childPath }) => ({
    id: e.id,
    campaignId: e.campaignId,
    orgId: e.orgId,
    orgName,
    sponsorId: e.sponsorId,
    sponsorName,
    receiptId: e.receiptId,
    target: e.childId ? 'child' : 'unit',
    targetOrg: e.targetOrgId ? (targets.get(e.targetOrgId) ?? null) : null,
    childId: e.childId,
    childName: childName && childPath && pathWithin(childPath, childRoots) ? childName : null,
    amount: Number(e.amount),
    periodFrom: e.periodFrom,
    periodTo: e.periodTo,
    note: e.note,
    createdAt: e.createdAt.toISOString(),
  }));
}

/** Every sponsorship (earmark) of a child, newest first. */
export async function childSponsorships(db: DbOrTx, childId: string) {
  const rows = await db
    .select({ e: earmarks, orgName: orgs.name, sponsorName: sponsors.name, docNumber: campaigns.docNumber, campaignTitle: campaigns.title, year: campaigns.year })
    .from(earmarks)
    .innerJoin(orgs, eq(orgs.id, earmarks.orgId))
    .innerJoin(sponsors, eq(sponsors.id, earmarks.sponsorId))
    .innerJoin(campaigns, eq(campaigns.id, earmarks.campaignId))
    .where(eq(earmarks.childId, childId))
    .orderBy(desc(earmarks.createdAt));
  return rows.map((r) => ({
    earmarkId: r.e.id,
    campaignId: r.e.campaignId,
    docNumber: r.docNumber,
    campaignTitle: r.campaignTitle,
    year: r.year,
    orgId: r.e.orgId,
    orgName: r.orgName,
    sponsorId: r.e.sponsorId,
    sponsorName: r.sponsorName,
    amount: Number(r.e.amount),
    periodFrom: r.e.periodFrom,
    periodTo: r.e.periodTo,
    note: r.e.note,
    createdAt: r.e.createdAt.toISOString(),
  }));
}

export async function findTransfer(db: DbOrTx, id: string) {
  const [t] = await db.select().from(fundTransfers).where(eq(fundTransfers.id, id)).limit(1);
  if (!t) return null;
  const refs = await orgRefs(db, [t.fromOrgId, t.toOrgId]);
  const names = await sponsorNames(db, [t.sponsorId]);
  return {
    id: t.id,
    campaignId: t.campaignId,
    fromOrg: refs.get(t.fromOrgId)!,
    toOrg: refs.get(t.toOrgId)!,
    source: t.source as FundSource,
    sponsorId: t.sponsorId,
    sponsorName: t.sponsorId ? (names.get(t.sponsorId) ?? null) : null,
    amount: Number(t.amount),
    transferredOn: t.transferredOn,
    note: t.note,
    createdAt: t.createdAt.toISOString(),
  };
}

export async function findEntry(db: DbOrTx, id: string): Promise<FundEntryOut | null> {
  const [e] = await db.select().from(fundEntries).where(eq(fundEntries.id, id)).limit(1);
  if (!e) return null;
  const names = await sponsorNames(db, [e.sponsorId]);
  return {
    id: e.id,
    campaignId: e.campaignId,
    orgId: e.orgId,
    source: e.source as FundSource,
    sponsorId: e.sponsorId,
    sponsorName: e.sponsorId ? (names.get(e.sponsorId) ?? null) : null,
    direction: e.direction as 'in' | 'out',
    kind: e.kind as EntryKind,
    amount: Number(e.amount),
    occurredOn: e.occurredOn,
    counterpartOrg: null,
    receiptId: e.receiptId,
    transferId: e.transferId,
    earmarkId: e.earmarkId,
    activityId: e.activityId,
    note: e.note,
    createdAt: e.createdAt.toISOString(),
  };
}

/** The whole campaign, for the public page: by source and named sponsors only. */
export async function publicSponsors(db: DbOrTx, campaignId: string) {
  const res = await db.execute(sql`
    select s.id::text as id, s.name, s.kind, s.publicly_named, sum(r.amount)::bigint as received,
           coalesce(array_agg(r.item || ' (' || r.quantity || ')' order by r.received_on) filter (where r.form = 'in_kind'), '{}') as items
      from receipts r join sponsors s on s.id = r.sponsor_id
     where r.campaign_id = ${campaignId}::uuid
     group by s.id, s.name, s.kind, s.publicly_named, s.sort_key
     order by sum(r.amount) desc, s.sort_key collate "C"`);
  const rows = res.rows as { id: string; name: string; kind: SponsorKind; publicly_named: boolean; received: number | string; items: string[] }[];
  const named = rows.filter((r) => r.publicly_named).map((r) => ({ name: r.name, kind: r.kind, received: Number(r.received), inKindItems: r.items }));
  const others = rows.filter((r) => !r.publicly_named);
  return { named, others: { count: others.length, received: others.reduce((n, r) => n + Number(r.received), 0) } };
}
