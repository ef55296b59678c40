import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { campaignAssignments, campaigns, orgs } from '../../db/schema/index';
import { recordAudit, systemActor } from '../../lib/audit';
import { pathStrictlyBelow, pathWithin, type AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import { AppError, conflict, forbidden, invalid, isUniqueViolation, notFound } from '../../lib/errors';
import type { Jobs } from '../../lib/jobs';
import type { Mailer } from '../../lib/mailer';
import { withTransaction, type UnitOfWork } from '../../lib/transaction';
import { formatDate } from '../../../common/format';
import { festivalDate } from '../../../common/lunar';
import {
  CAMPAIGN_KIND_LABELS,
  DEFAULT_CAMPAIGN_SETTINGS,
  DEFAULT_SECTIONS,
  type CampaignKind,
  type CampaignSettings,
  type PlanSection,
  type PlanSigner,
} from '../../../common/campaigns';
import { notifyOrgs } from '../mail/mail.service';
import { unitsOnDate } from '../orgs/orgs.queries';
import { campaignPolicy } from './campaigns.policy';
import { issuingOrgOf, lockCampaign, type CampaignRow } from './campaigns.queries';
import type { CreateCampaignInput, UpdateCampaignInput } from './campaigns.schemas';

export interface CampaignDeps {
  db: Db;
  jobs: Jobs;
  mailer: Mailer;
  publicUrl: string;
}

/** The festival's solar date for kinds that have one (lunar 15/8, lunar 1/1, 1 June). */
export function computedFestivalDate(kind: CampaignKind, year: number): string | null {
  if (kind === 'trung_thu' || kind === 'tet_nguyen_dan' || kind === 'tet_thieu_nhi') return festivalDate(kind, year);
  return null;
}

function settingsOf(row: { settings: unknown }): CampaignSettings {
  return { ...DEFAULT_CAMPAIGN_SETTINGS, ...(row.settings as Partial<CampaignSettings>) };
}

interface Fields {
  kind: CampaignKind;
  year: number;
  docNumber: string;
  issueDate: string;
  festivalDate: string;
  reportDeadline: string | null;
  entryFrom: string | null;
  entryTo: string | null;
}

/** The rules a plan's fields must keep, with a Vietnamese message on the field at fault. */
function validateFields(f: Fields): void {
  if (f.reportDeadline && f.reportDeadline < f.issueDate)
    throw invalid('campaign.deadlineBeforeIssue', { deadline: formatDate(f.reportDeadline), issue: formatDate(f.issueDate) }, 'reportDeadline');
  if (!f.festivalDate.startsWith(`${f.year}-`))
    throw invalid('campaign.festivalOutsideYear', { date: formatDate(f.festivalDate), year: f.year }, 'festivalDate');
  if (f.entryFrom && f.entryTo && f.entryTo < f.entryFrom) throw invalid('campaign.entryWindow', {}, 'entryTo');
}

/**
 * The implemented plan must belong to a unit strictly above the issuing unit,
 * and be one the caller can see (else its number and title would show
 * through the link).
 */
async function assertImplementsAncestor(tx: DbOrTx, auth: AuthContext, implementsId: string, issuingPath: string): Promise<void> {
  const [parent] = await tx
    .select({ path: sql<string>`o.path::text` })
    .from(campaigns)
    .innerJoin(sql`orgs o`, sql`o.id = ${campaigns.issuingOrgId}`)
    .where(and(eq(campaigns.id, implementsId), campaignPolicy.visible(auth)));
  if (!parent || !pathStrictlyBelow(issuingPath, [parent.path])) throw invalid('campaign.implementsNotAncestor', {}, 'implementsId');
}

function docNumberTaken(input: { docNumber: string; year: number }) {
  return conflict('campaign.docNumberTaken', { number: input.docNumber, year: input.year }, 'docNumber');
}

export async function createCampaign(db: Db, auth: AuthContext, input: CreateCampaignInput): Promise<string> {
  const org = await issuingOrgOf(db, input.issuingOrgId).catch(() => null);
  if (!org || !pathWithin(org.path, campaignPolicy.readRoots(auth)))
    throw new AppError(404, 'NOT_FOUND', 'org.notFound', {}, { issuingOrgId: { key: 'org.notFound' } });
  if (!campaignPolicy.canWrite(auth, org.path)) throw new AppError(403, 'FORBIDDEN', 'campaign.issuerNotAllowed');
  const computed = computedFestivalDate(input.kind, input.year);
  const festival = input.festivalDate ?? computed;
  if (!festival) throw invalid('campaign.festivalRequired', {}, 'festivalDate');
  const fields: Fields = {
    kind: input.kind,
    year: input.year,
    docNumber: input.docNumber,
    issueDate: input.issueDate,
    festivalDate: festival,
    reportDeadline: input.reportDeadline ?? null,
    entryFrom: input.entryFrom ?? null,
    entryTo: input.entryTo ?? null,
  };
  validateFields(fields);
  try {
    return await withTransaction(db, async (tx) => {
      if (input.implementsId) await assertImplementsAncestor(tx, auth, input.implementsId, org.path);
      const [row] = await tx
        .insert(campaigns)
        .values({
          ...fields,
          place: input.place,
          title: input.title,
          subject: input.subject,
          issuingOrgId: org.id,
          implementsId: input.implementsId ?? null,
          preamble: input.preamble ?? '',
          sections: (input.sections ?? DEFAULT_SECTIONS) satisfies PlanSection[],
          recipients: input.recipients ?? [],
          signer: (input.signer ?? { onBehalfOf: 'TM. BAN THƯỜNG VỤ', position: 'CHỦ TỊCH', name: '' }) satisfies PlanSigner,
          festivalDateOverridden: computed !== null && festival !== computed,
          settings: { ...DEFAULT_CAMPAIGN_SETTINGS, ...input.settings },
          createdBy: auth.user.id,
        })
        .returning();
      await recordAudit(tx, auth.actor, { action: 'campaign.create', entityType: 'campaign', entityId: row!.id, orgId: org.id, after: { docNumber: row!.docNumber, year: row!.year, title: row!.title } });
      return row!.id;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'campaigns_doc_number_key')) throw docNumberTaken(input);
    throw err;
  }
}

async function writableCampaign(tx: Tx, auth: AuthContext, id: string): Promise<{ row: CampaignRow; org: Awaited<ReturnType<typeof issuingOrgOf>> }> {
  const row = await lockCampaign(tx, auth, id);
  if (!row) throw notFound('campaign.notFound');
  const org = await issuingOrgOf(tx, row.issuingOrgId);
  if (!campaignPolicy.canWrite(auth, org.path)) throw forbidden();
  if (row.status === 'closed') throw new AppError(409, 'CLOSED', 'campaign.closed');
  return { row, org };
}

export async function updateCampaign(db: Db, auth: AuthContext, id: string, patch: UpdateCampaignInput): Promise<void> {
  try {
    await withTransaction(db, async (tx) => {
      const { row, org } = await writableCampaign(tx, auth, id);
      if (patch.version !== undefined && patch.version !== row.version) throw conflict('campaign.stale');
      const kind = patch.kind ?? (row.kind as CampaignKind);
      const year = patch.year ?? row.year;
      const computed = computedFestivalDate(kind, year);
      // A change of kind or year moves a computed festival date with it, unless the officer set one.
      let festival = patch.festivalDate ?? row.festivalDate;
      if (patch.festivalDate === undefined && (patch.kind || patch.year) && !row.festivalDateOverridden && computed) festival = computed;
      const fields: Fields = {
        kind,
        year,
        docNumber: patch.docNumber ?? row.docNumber,
        issueDate: patch.issueDate ?? row.issueDate,
        festivalDate: festival,
        reportDeadline: patch.reportDeadline !== undefined ? patch.reportDeadline : row.reportDeadline,
        entryFrom: patch.entryFrom !== undefined ? patch.entryFrom : row.entryFrom,
        entryTo: patch.entryTo !== undefined ? patch.entryTo : row.entryTo,
      };
      validateFields(fields);
      const implementsId = patch.implementsId !== undefined ? patch.implementsId : row.implementsId;
      if (implementsId && implementsId !== row.implementsId) await assertImplementsAncestor(tx, auth, implementsId, org.path);
      const [updated] = await tx
        .update(campaigns)
        .set({
          ...fields,
          place: patch.place ?? row.place,
          title: patch.title ?? row.title,
          subject: patch.subject ?? row.subject,
          implementsId: implementsId ?? null,
          preamble: patch.preamble ?? row.preamble,
          sections: patch.sections ?? row.sections,
          recipients: patch.recipients ?? row.recipients,
          signer: patch.signer ?? row.signer,
          festivalDateOverridden: computed !== null && festival !== computed,
          settings: patch.settings ? { ...settingsOf(row), ...patch.settings } : row.settings,
          version: row.version + 1,
          updatedAt: sql`now()`,
        })
        .where(eq(campaigns.id, row.id))
        .returning();
      const changed = Object.keys(patch).filter((k) => k !== 'version');
      await recordAudit(tx, auth.actor, {
        action: 'campaign.update',
        entityType: 'campaign',
        entityId: row.id,
        orgId: org.id,
        before: Object.fromEntries(changed.map((k) => [k, (row as Record<string, unknown>)[k]])),
        after: Object.fromEntries(changed.map((k) => [k, (updated as Record<string, unknown>)[k]])),
      });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'campaigns_doc_number_key')) throw conflict('campaign.docNumberTaken', { number: patch.docNumber ?? '', year: patch.year ?? '' }, 'docNumber');
    throw err;
  }
}

/**
 * Writes a notice to each listed unit and queues one e-mail per unit to its
 * contact addresses, set-based, inside the caller's transaction.
 */
async function notifyUnits(
  tx: Tx,
  uow: UnitOfWork,
  deps: CampaignDeps,
  campaign: CampaignRow,
  orgIds: number[],
  kind: 'campaign.issued' | 'campaign.reminder',
  issuerName: string,
  extra?: string,
): Promise<void> {
  if (orgIds.length === 0) return;
  const link = `${deps.publicUrl.replace(/\/$/, '')}/ke-hoach/${campaign.id}`;
  const kindLabel = CAMPAIGN_KIND_LABELS[campaign.kind as CampaignKind].vi;
  const title =
    kind === 'campaign.issued'
      ? `Kế hoạch mới: ${campaign.docNumber} – ${campaign.title}`
      : `Nhắc nhận kế hoạch: ${campaign.docNumber} – ${campaign.title}`;
  const body = [
    kind === 'campaign.issued'
      ? `${issuerName} đã ban hành Kế hoạch số ${campaign.docNumber} ngày ${formatDate(campaign.issueDate)} (${kindLabel} năm ${campaign.year}).`
      : `${issuerName} nhắc đơn vị xác nhận đã nhận Kế hoạch số ${campaign.docNumber} ngày ${formatDate(campaign.issueDate)}.`,
    campaign.reportDeadline ? `Hạn báo cáo kết quả: ${formatDate(campaign.reportDeadline)}.` : '',
    extra ?? '',
    `Xem kế hoạch và bấm "Đã nhận kế hoạch" tại: ${link}`,
  ]
    .filter(Boolean)
    .join('\n');
  await notifyOrgs(tx, uow, deps, { orgIds, campaignId: campaign.id, kind, title, body });
}

/**
 * Issues the plan: every unit in the issuing unit's subtree on the issue day
 * gets an assignment, a notice and an e-mail. Issuing an issued plan again
 * changes nothing.
 */
export async function issueCampaign(deps: CampaignDeps, auth: AuthContext, id: string, opts: { asOf?: string } = {}): Promise<void> {
  await withTransaction(deps.db, async (tx, uow) => {
    const { row, org } = await writableCampaign(tx, auth, id);
    if (row.status !== 'draft') return;
    const asOf = opts.asOf ?? todayInVietnam();
    const units = (await unitsOnDate(tx, [org.id], asOf)).filter((u) => u.id !== org.id);
    for (let i = 0; i < units.length; i += 5000) {
      await tx.insert(campaignAssignments).values(units.slice(i, i + 5000).map((u) => ({ campaignId: row.id, orgId: u.id }))).onConflictDoNothing();
    }
    await tx.update(campaigns).set({ status: 'issued', issuedAt: sql`now()`, issuedBy: auth.user.id, version: row.version + 1 }).where(eq(campaigns.id, row.id));
    await notifyUnits(tx, uow, deps, row, units.map((u) => u.id), 'campaign.issued', org.name);
    await recordAudit(tx, auth.actor, { action: 'campaign.issue', entityType: 'campaign', entityId: row.id, orgId: org.id, after: { status: 'issued', units: units.length, asOf } });
  });
}

export async function closeCampaign(db: Db, auth: AuthContext, id: string): Promise<void> {
  await withTransaction(db, async (tx) => {
    const { row, org } = await writableCampaign(tx, auth, id);
    if (row.status !== 'issued') throw invalid('campaign.notIssued');
    await tx.update(campaigns).set({ status: 'closed', closedAt: sql`now()`, version: row.version + 1 }).where(eq(campaigns.id, row.id));
    await recordAudit(tx, auth.actor, { action: 'campaign.close', entityType: 'campaign', entityId: row.id, orgId: org.id, before: { status: row.status }, after: { status: 'closed' } });
  });
}

/** The unit officer's "Đã nhận kế hoạch": once per unit; a second click changes nothing. */
export async function acknowledgeCampaign(
  db: Db,
  auth: AuthContext,
  id: string,
  orgId?: number,
): Promise<{ orgId: number; acknowledgedAt: string; acknowledgedByName: string | null }> {
  return withTransaction(db, async (tx) => {
    const row = await lockCampaign(tx, auth, id);
    if (!row) throw notFound('campaign.notFound');
    if (row.status === 'draft') throw invalid('campaign.notIssued');
    if (row.status === 'closed') throw new AppError(409, 'CLOSED', 'campaign.closed');
    const own = campaignPolicy.ownAckOrgIds(auth);
    const ackRoots = campaignPolicy.ackRoots(auth);
    const candidates = await tx
      .select({ orgId: campaignAssignments.orgId, path: sql<string>`${orgs.path}::text`, ackAt: campaignAssignments.acknowledgedAt, ackBy: campaignAssignments.acknowledgedByName })
      .from(campaignAssignments)
      .innerJoin(orgs, eq(orgs.id, campaignAssignments.orgId))
      .where(and(eq(campaignAssignments.campaignId, row.id), eq(campaignAssignments.status, 'active')));
    const target = orgId
      ? candidates.find((c) => c.orgId === orgId && pathWithin(c.path, ackRoots))
      : candidates.find((c) => own.includes(c.orgId));
    if (!target) throw new AppError(403, 'NOT_ADDRESSED', 'campaign.notAddressed');
    if (target.ackAt) return { orgId: target.orgId, acknowledgedAt: target.ackAt.toISOString(), acknowledgedByName: target.ackBy };
    const [done] = await tx
      .update(campaignAssignments)
      .set({ acknowledgedAt: sql`now()`, acknowledgedBy: auth.user.id, acknowledgedByName: auth.user.fullName })
      .where(and(eq(campaignAssignments.campaignId, row.id), eq(campaignAssignments.orgId, target.orgId), isNull(campaignAssignments.acknowledgedAt)))
      .returning();
    await recordAudit(tx, auth.actor, { action: 'campaign.acknowledge', entityType: 'campaign', entityId: row.id, orgId: target.orgId, after: { orgId: target.orgId } });
    return { orgId: target.orgId, acknowledgedAt: done!.acknowledgedAt!.toISOString(), acknowledgedByName: done!.acknowledgedByName };
  });
}

/** Reminds the units that have not acknowledged (only those never reminded, when `onlyFirst`). */
async function remindPending(
  tx: Tx,
  uow: UnitOfWork,
  deps: CampaignDeps,
  row: CampaignRow,
  issuerName: string,
  opts: { message?: string; onlyFirst?: boolean },
): Promise<number> {
  const pending = await tx
    .update(campaignAssignments)
    .set({ lastRemindedAt: sql`now()`, reminders: sql`${campaignAssignments.reminders} + 1` })
    .where(
      and(
        eq(campaignAssignments.campaignId, row.id),
        eq(campaignAssignments.status, 'active'),
        isNull(campaignAssignments.acknowledgedAt),
        opts.onlyFirst ? eq(campaignAssignments.reminders, 0) : undefined,
      ),
    )
    .returning({ orgId: campaignAssignments.orgId });
  await notifyUnits(tx, uow, deps, row, pending.map((p) => p.orgId), 'campaign.reminder', issuerName, opts.message);
  return pending.length;
}

/** An officer's reminder to every unit that has not acknowledged. Returns how many. */
export async function remindCampaign(deps: CampaignDeps, auth: AuthContext, id: string, message?: string): Promise<number> {
  return withTransaction(deps.db, async (tx, uow) => {
    const { row, org } = await writableCampaign(tx, auth, id);
    if (row.status !== 'issued') throw invalid('campaign.notIssued');
    const count = await remindPending(tx, uow, deps, row, org.name, { message });
    await recordAudit(tx, auth.actor, { action: 'campaign.remind', entityType: 'campaign', entityId: row.id, orgId: org.id, after: { units: count } });
    return count;
  });
}

/**
 * The scheduled reminder: for each issued plan whose settings ask for it, the
 * units still silent the set number of days after issue get one reminder.
 */
export async function sendDueReminders(deps: CampaignDeps): Promise<number> {
  const due = await deps.db
    .select()
    .from(campaigns)
    .where(
      sql`${campaigns.status} = 'issued' and coalesce((${campaigns.settings}->>'autoRemindAfterDays')::int, 0) > 0
          and ${campaigns.issuedAt} + make_interval(days => (${campaigns.settings}->>'autoRemindAfterDays')::int) <= now()`,
    );
  let total = 0;
  for (const row of due) {
    total += await withTransaction(deps.db, async (tx, uow) => {
      const org = await issuingOrgOf(tx, row.issuingOrgId);
      const count = await remindPending(tx, uow, deps, row, org.name, { onlyFirst: true });
      if (count > 0)
        await recordAudit(tx, systemActor, { action: 'campaign.auto_remind', entityType: 'campaign', entityId: row.id, orgId: org.id, after: { units: count } });
      return count;
    });
  }
  return total;
}

export async function addAssignment(deps: CampaignDeps, auth: AuthContext, id: string, orgId: number, reason: string): Promise<void> {
  await withTransaction(deps.db, async (tx, uow) => {
    const { row, org } = await writableCampaign(tx, auth, id);
    if (row.status !== 'issued') throw invalid('campaign.notIssued');
    const [unit] = await tx.select({ id: orgs.id, path: sql<string>`${orgs.path}::text`, status: orgs.status }).from(orgs).where(eq(orgs.id, orgId));
    if (!unit || !pathWithin(unit.path, campaignPolicy.readRoots(auth))) throw new AppError(404, 'NOT_FOUND', 'org.notFound', {}, { orgId: { key: 'org.notFound' } });
    if (!pathStrictlyBelow(unit.path, [org.path])) throw invalid('campaign.outsideIssuer', {}, 'orgId');
    const [existing] = await tx
      .select()
      .from(campaignAssignments)
      .where(and(eq(campaignAssignments.campaignId, row.id), eq(campaignAssignments.orgId, orgId)));
    if (existing?.status === 'active') throw conflict('campaign.alreadyAssigned', {}, 'orgId');
    if (existing)
      await tx
        .update(campaignAssignments)
        .set({ status: 'active', addedReason: reason, addedAt: sql`now()`, excludedAt: null, excludedReason: null })
        .where(and(eq(campaignAssignments.campaignId, row.id), eq(campaignAssignments.orgId, orgId)));
    else await tx.insert(campaignAssignments).values({ campaignId: row.id, orgId, addedReason: reason });
    await notifyUnits(tx, uow, deps, row, [orgId], 'campaign.issued', org.name);
    await recordAudit(tx, auth.actor, { action: 'campaign.assign', entityType: 'campaign', entityId: row.id, orgId, after: { orgId, reason } });
  });
}

export async function excludeAssignment(db: Db, auth: AuthContext, id: string, orgId: number, reason: string): Promise<void> {
  await withTransaction(db, async (tx) => {
    const { row } = await writableCampaign(tx, auth, id);
    const [existing] = await tx
      .update(campaignAssignments)
      .set({ status: 'excluded', excludedAt: sql`now()`, excludedReason: reason })
      .where(and(eq(campaignAssignments.campaignId, row.id), eq(campaignAssignments.orgId, orgId), eq(campaignAssignments.status, 'active')))
      .returning();
    if (!existing) throw notFound('org.notFound');
    await recordAudit(tx, auth.actor, { action: 'campaign.exclude', entityType: 'campaign', entityId: row.id, orgId, after: { orgId, reason } });
  });
}

/** Next year's plan from this one: every field carried over, dates moved to the new festival, a draft. */
export async function copyCampaign(db: Db, auth: AuthContext, id: string, year: number): Promise<string> {
  const source = await withTransaction(db, (tx) => lockCampaign(tx, auth, id));
  if (!source) throw notFound('campaign.notFound');
  const org = await issuingOrgOf(db, source.issuingOrgId);
  if (!campaignPolicy.canWrite(auth, org.path)) throw forbidden();
  const newFestival = computedFestivalDate(source.kind as CampaignKind, year) ?? shiftYears(source.festivalDate, year - source.year);
  const days = daysBetween(source.festivalDate, newFestival);
  const move = (d: string | null) => (d ? addDays(d, days) : null);
  const replaceYear = (s: string) => s.replaceAll(String(source.year), String(year));
  return createCampaign(db, auth, {
    issuingOrgId: source.issuingOrgId,
    kind: source.kind as CampaignKind,
    year,
    docNumber: source.docNumber,
    place: source.place,
    issueDate: move(source.issueDate)!,
    title: replaceYear(source.title),
    subject: replaceYear(source.subject),
    implementsId: null,
    preamble: source.preamble,
    sections: source.sections as PlanSection[],
    recipients: source.recipients as string[],
    signer: source.signer as PlanSigner,
    festivalDate: newFestival,
    reportDeadline: move(source.reportDeadline),
    entryFrom: move(source.entryFrom),
    entryTo: move(source.entryTo),
    settings: settingsOf(source),
  });
}

function toUtc(d: string): number {
  return Date.parse(`${d}T00:00:00Z`);
}
function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / 86_400_000);
}
function addDays(d: string, n: number): string {
  return new Date(toUtc(d) + n * 86_400_000).toISOString().slice(0, 10);
}
function shiftYears(d: string, n: number): string {
  const y = Number(d.slice(0, 4)) + n;
  const md = d.slice(5) === '02-29' ? '02-28' : d.slice(5);
  return `${y}-${md}`;
}
