import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { campaigns, reportExceptions, reportReminders, reports, reportTemplates } from '../../db/schema/index';
import { recordAudit, systemActor } from '../../lib/audit';
import type { AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import { AppError, conflict, invalid } from '../../lib/errors';
import type { Jobs } from '../../lib/jobs';
import type { Mailer } from '../../lib/mailer';
import { withTransaction, type UnitOfWork } from '../../lib/transaction';
import { formatDate, formatMoney } from '../../../common/format';
import { checkRules, isNumeric, templateFields, type Figures, type ReportTemplate } from '../../../common/report-template';
import type { CampaignRow } from '../campaigns/campaigns.queries';
import { notifyOrgs } from '../mail/mail.service';
import { composeFigures, deriveFor, entryOpen, templateOf, type Known, type ReportRow, type Unit } from './reports.queries';

export interface ReportDeps {
  db: Db;
  jobs: Jobs;
  mailer: Mailer;
  publicUrl: string;
}

/**
 * Locks (creating when missing) the unit's report row for the rest of the
 * transaction. `readVersion` is the version a caller saw: 0 for a report not
 * started yet.
 */
async function lockReport(tx: Tx, campaignId: string, orgId: number): Promise<ReportRow & { readVersion: number }> {
  const created = await tx.insert(reports).values({ campaignId, orgId }).onConflictDoNothing().returning({ id: reports.id });
  const [row] = await tx
    .select()
    .from(reports)
    .where(and(eq(reports.campaignId, campaignId), eq(reports.orgId, orgId)))
    .for('update');
  return { ...row!, readVersion: created.length ? 0 : row!.version };
}

const auditOf = (r: Pick<ReportRow, 'status' | 'version'>) => ({ status: r.status, version: r.version });

/** Keeps only the template's hand-entered fields, typed; a wrong value is refused with its field named. */
export function cleanManual(t: ReportTemplate, input: Record<string, unknown>): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const f of templateFields(t)) {
    if (f.derived || !(f.code in input)) continue;
    const v = input[f.code];
    if (v === null || v === '') {
      out[f.code] = null;
      continue;
    }
    if (isNumeric(f)) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalid('report.fieldNumber', { field: f.label }, `manual.${f.code}`);
      out[f.code] = v;
    } else {
      if (typeof v !== 'string' || v.length > 5000) throw invalid('report.fieldText', { field: f.label }, `manual.${f.code}`);
      if (f.type === 'choice' && f.options && !f.options.includes(v)) throw invalid('report.fieldChoice', { field: f.label }, `manual.${f.code}`);
      out[f.code] = v.trim();
    }
  }
  return out;
}

/** The unit saves what only it knows, against the version it read. */
export async function saveReport(db: Db, auth: AuthContext, c: CampaignRow, unit: Unit, body: { version: number; manual: Record<string, unknown> }) {
  return withTransaction(db, async (tx) => {
    const t = await templateOf(tx, c.id);
    const row = await lockReport(tx, c.id, unit.id);
    if (body.version !== row.readVersion) throw conflict('report.stale');
    if (row.status === 'submitted' || row.status === 'approved') throw conflict('report.notEditable', { status: row.status });
    const gate = await entryOpen(tx, t, c.id, unit.id);
    if (!gate.open) throw invalid('report.locked', { date: formatDate(gate.lockDate) });
    const manual = { ...(row.manual as Record<string, unknown>), ...cleanManual(t, body.manual) };
    const [next] = await tx
      .update(reports)
      .set({ manual, version: row.version + 1, updatedAt: sql`now()` })
      .where(eq(reports.id, row.id))
      .returning();
    await recordAudit(tx, auth.actor, { action: 'report.save', entityType: 'report', entityId: row.id, orgId: unit.id, before: auditOf(row), after: { ...auditOf(next!), manual } });
    return next!;
  });
}

/**
 * Submits the unit's report: a snapshot of every figure, on time or late
 * against the deadline. Submitting twice (a double click, two officers at
 * once) gives one submission: the row is locked, and a report already
 * submitted is returned as it is.
 */
export async function submitReport(deps: ReportDeps, auth: AuthContext, c: CampaignRow, unit: Unit, body: { version?: number }) {
  return withTransaction(deps.db, async (tx, uow) => {
    const t = await templateOf(tx, c.id);
    const row = await lockReport(tx, c.id, unit.id);
    if (row.status === 'submitted' || row.status === 'approved') return { report: row, alreadySubmitted: true, known: { template: t } };
    if (body.version !== undefined && body.version !== row.readVersion) throw conflict('report.stale');
    const today = todayInVietnam();
    const gate = await entryOpen(tx, t, c.id, unit.id, today);
    if (!gate.open) throw invalid('report.locked', { date: formatDate(gate.lockDate) });
    const derived = await deriveFor(tx, c, unit);
    // Submitting is what makes a unit "reported"; a district reporting its consolidation already counts its units.
    if (!derived.implementing) derived.figures.units_reported = 1;
    const figures = composeFigures(t, derived.figures, row.manual as Record<string, unknown>);
    const missing = templateFields(t).find((f) => f.required && (figures[f.code] === null || figures[f.code] === ''));
    if (missing) throw invalid('report.fieldRequired', { field: missing.label }, `manual.${missing.code}`);
    const failures = checkRules(t, figures, formatMoney);
    if (failures.length) throw new AppError(422, 'INVALID', 'report.rules', { messages: failures.map((f) => f.message).join(' ') });
    const late = !!c.reportDeadline && today > c.reportDeadline;
    const [next] = await tx
      .update(reports)
      .set({ status: 'submitted', figures, submittedAt: sql`now()`, submittedBy: auth.user.id, late, version: row.version + 1, updatedAt: sql`now()` })
      .where(eq(reports.id, row.id))
      .returning();
    await recordAudit(tx, auth.actor, { action: 'report.submit', entityType: 'report', entityId: row.id, orgId: unit.id, before: auditOf(row), after: { ...auditOf(next!), late } });
    await notifyUpper(tx, uow, deps, c, unit, `Báo cáo đã nộp: ${unit.name}`, `${unit.name} đã nộp báo cáo kết quả Kế hoạch số ${c.docNumber}${late ? ' (quá hạn)' : ''}.`);
    // What the answer shows, as this transaction saw it: the route does not read it again.
    const known: Known = { template: t, report: next!, implementing: derived.implementing, gate };
    return { report: next!, alreadySubmitted: false, known };
  });
}

/** The issuing unit of the plan hears about a submission. */
async function notifyUpper(tx: Tx, uow: UnitOfWork, deps: ReportDeps, c: CampaignRow, _unit: Unit, title: string, body: string) {
  const link = `${deps.publicUrl.replace(/\/$/, '')}/ke-hoach/${c.id}`;
  await notifyOrgs(tx, uow, deps, { orgIds: [c.issuingOrgId], campaignId: c.id, kind: 'report.submitted', title, body: `${body}\nXem tại: ${link}` });
}

async function reviewTransition(
  deps: ReportDeps,
  auth: AuthContext,
  c: CampaignRow,
  unit: Unit,
  from: ReportRow['status'][],
  action: 'return' | 'approve' | 'reopen',
  text?: string,
) {
  return withTransaction(deps.db, async (tx, uow) => {
    const row = await lockReport(tx, c.id, unit.id);
    if (action === 'approve' && row.status === 'approved') return row; // approving twice is one approval
    if (!from.includes(row.status)) throw conflict('report.wrongState', { status: row.status });
    const set =
      action === 'return'
        ? { status: 'returned', returnedAt: sql`now()`, returnedBy: auth.user.id, returnComment: text ?? '' }
        : action === 'approve'
          ? { status: 'approved', approvedAt: sql`now()`, approvedBy: auth.user.id }
          : { status: 'draft', reopenedAt: sql`now()`, reopenReason: text ?? '', approvedAt: null, approvedBy: null };
    const [next] = await tx
      .update(reports)
      .set({ ...set, version: row.version + 1, updatedAt: sql`now()` })
      .where(eq(reports.id, row.id))
      .returning();
    await recordAudit(tx, auth.actor, { action: `report.${action}`, entityType: 'report', entityId: row.id, orgId: unit.id, before: auditOf(row), after: { ...auditOf(next!), text } });
    if (action !== 'approve') {
      const title = action === 'return' ? `Báo cáo bị trả lại: Kế hoạch số ${c.docNumber}` : `Báo cáo được mở lại: Kế hoạch số ${c.docNumber}`;
      const link = `${deps.publicUrl.replace(/\/$/, '')}/ke-hoach/${c.id}`;
      await notifyOrgs(tx, uow, deps, { orgIds: [unit.id], campaignId: c.id, kind: `report.${action}`, title, body: `${text ?? ''}\nXem và sửa báo cáo tại: ${link}` });
    }
    return next!;
  });
}

export const returnReport = (deps: ReportDeps, auth: AuthContext, c: CampaignRow, unit: Unit, comment: string) =>
  reviewTransition(deps, auth, c, unit, ['submitted'], 'return', comment);
export const approveReport = (deps: ReportDeps, auth: AuthContext, c: CampaignRow, unit: Unit) =>
  reviewTransition(deps, auth, c, unit, ['submitted'], 'approve');
export const reopenReport = (deps: ReportDeps, auth: AuthContext, c: CampaignRow, unit: Unit, reason: string) =>
  reviewTransition(deps, auth, c, unit, ['approved'], 'reopen', reason);

/** An upper level lets one unit enter its report after the lock date, until a date. */
export async function grantException(db: Db, auth: AuthContext, c: CampaignRow, unit: Unit, body: { until: string; reason: string }) {
  await withTransaction(db, async (tx) => {
    await tx
      .insert(reportExceptions)
      .values({ campaignId: c.id, orgId: unit.id, until: body.until, reason: body.reason, grantedBy: auth.user.id })
      .onConflictDoUpdate({
        target: [reportExceptions.campaignId, reportExceptions.orgId],
        set: { until: body.until, reason: body.reason, grantedBy: auth.user.id, grantedAt: sql`now()` },
      });
    await recordAudit(tx, auth.actor, { action: 'report.exception', entityType: 'campaign', entityId: c.id, orgId: unit.id, after: body });
  });
}

/** Saves the campaign's template and report calendar; only before the plan is issued (the calendar may change later). */
export async function saveTemplate(
  db: Db,
  auth: AuthContext,
  c: CampaignRow,
  body: { version: number; sections?: ReportTemplate['sections']; rules?: ReportTemplate['rules']; lockDate?: string | null; remindDaysBefore?: number },
) {
  return withTransaction(db, async (tx) => {
    const current = await templateOf(tx, c.id);
    if (body.version !== current.version) throw conflict('report.stale');
    if ((body.sections || body.rules) && c.status !== 'draft') throw invalid('report.templateIssued');
    const sections = body.sections ?? current.sections;
    const rules = body.rules ?? current.rules;
    const codes = new Set<string>();
    for (const f of sections.flatMap((s) => s.fields)) {
      if (codes.has(f.code)) throw invalid('report.templateDuplicate', { code: f.code });
      codes.add(f.code);
    }
    for (const r of rules) for (const code of [...r.left, ...r.right]) if (!codes.has(code)) throw invalid('report.templateRule', { code });
    if (body.lockDate && c.reportDeadline && body.lockDate < c.reportDeadline) throw invalid('report.lockBeforeDeadline');
    const values = {
      sections,
      rules,
      lockDate: body.lockDate === undefined ? current.lockDate : body.lockDate,
      remindDaysBefore: body.remindDaysBefore ?? current.remindDaysBefore,
      version: current.version + 1,
      updatedBy: auth.user.id,
      updatedAt: sql`now()`,
    };
    await tx
      .insert(reportTemplates)
      .values({ campaignId: c.id, ...values })
      .onConflictDoUpdate({ target: reportTemplates.campaignId, set: values });
    await recordAudit(tx, auth.actor, { action: 'report.template', entityType: 'campaign', entityId: c.id, orgId: c.issuingOrgId, after: { version: values.version, lockDate: values.lockDate } });
    return templateOf(tx, c.id);
  });
}

/** Reminds the given units that their report is due; returns how many were told. */
export async function remindUnits(deps: ReportDeps, auth: AuthContext, c: CampaignRow, orgIds: number[]) {
  return withTransaction(deps.db, async (tx, uow) => {
    const pending = await unsubmitted(tx, c.id, orgIds);
    await sendReminder(tx, uow, deps, c, pending, 'before');
    await recordAudit(tx, auth.actor, { action: 'report.remind', entityType: 'campaign', entityId: c.id, orgId: c.issuingOrgId, after: { units: pending.length } });
    return pending.length;
  });
}

async function unsubmitted(db: DbOrTx, campaignId: string, only?: number[]): Promise<number[]> {
  const rows = (
    await db.execute(sql`
      select a.org_id from campaign_assignments a
      left join reports r on r.campaign_id = a.campaign_id and r.org_id = a.org_id
      where a.campaign_id = ${campaignId} and a.status = 'active'
        and coalesce(r.status, 'draft') in ('draft', 'returned')
        ${only ? sql`and a.org_id = any(string_to_array(${only.join(',') || '0'}, ',')::int[])` : sql``}`)
  ).rows as { org_id: number }[];
  return rows.map((r) => Number(r.org_id));
}

async function sendReminder(tx: Tx, uow: UnitOfWork, deps: ReportDeps, c: CampaignRow, orgIds: number[], kind: 'before' | 'due') {
  const link = `${deps.publicUrl.replace(/\/$/, '')}/ke-hoach/${c.id}`;
  const title = kind === 'due' ? `Hôm nay là hạn nộp báo cáo: Kế hoạch số ${c.docNumber}` : `Nhắc nộp báo cáo: Kế hoạch số ${c.docNumber}`;
  const body = `Đơn vị chưa nộp báo cáo kết quả Kế hoạch số ${c.docNumber} (${c.title}). Hạn nộp: ${formatDate(c.reportDeadline)}.\nMở báo cáo (số liệu đã được tính sẵn) tại: ${link}`;
  await notifyOrgs(tx, uow, deps, { orgIds, campaignId: c.id, kind: 'report.reminder', title, body });
}

/**
 * The daily schedule: units that have not submitted hear N days before the
 * deadline and on the day; the issuing unit gets the list of late units the
 * day after. Each reminder is claimed by inserting its key first, so several
 * app processes on one database send it once.
 */
export async function sendReportReminders(deps: ReportDeps, today = todayInVietnam()): Promise<number> {
  const due = await deps.db
    .select()
    .from(campaigns)
    .where(sql`${campaigns.status} = 'issued' and ${campaigns.reportDeadline} is not null
      and ${campaigns.reportDeadline} between (${today}::date - 1) and (${today}::date + 60)`);
  let sent = 0;
  for (const c of due) {
    const t = await templateOf(deps.db, c.id);
    const deadline = c.reportDeadline!;
    const days = Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
    const kind = days === 0 ? 'due' : days === t.remindDaysBefore && days > 0 ? 'before' : days === -1 ? 'late_list' : null;
    if (!kind) continue;
    sent += await withTransaction(deps.db, async (tx, uow) => {
      const pending = await unsubmitted(tx, c.id);
      if (kind === 'late_list') {
        if (pending.length === 0) return 0;
        const claimed = await claim(tx, c.id, [c.issuingOrgId], kind, today);
        if (claimed.length === 0) return 0;
        const names = (await tx.execute(sql`select name from orgs where id = any(string_to_array(${pending.join(',')}, ',')::int[]) order by sort_key collate "C"`)).rows as { name: string }[];
        const link = `${deps.publicUrl.replace(/\/$/, '')}/ke-hoach/${c.id}`;
        await notifyOrgs(tx, uow, deps, {
          orgIds: claimed,
          campaignId: c.id,
          kind: 'report.late_list',
          title: `Đơn vị chưa nộp báo cáo: Kế hoạch số ${c.docNumber}`,
          body: `Đến hết ngày ${formatDate(deadline)}, ${names.length} đơn vị chưa nộp báo cáo:\n${names.map((n) => `- ${n.name}`).join('\n')}\nBảng theo dõi: ${link}`,
        });
        await recordAudit(tx, systemActor, { action: 'report.late_list', entityType: 'campaign', entityId: c.id, orgId: c.issuingOrgId, after: { units: names.length } });
        return 1;
      }
      const claimed = await claim(tx, c.id, pending, kind, today);
      if (claimed.length) {
        await sendReminder(tx, uow, deps, c, claimed, kind);
        await recordAudit(tx, systemActor, { action: 'report.auto_remind', entityType: 'campaign', entityId: c.id, orgId: c.issuingOrgId, after: { units: claimed.length, kind } });
      }
      return claimed.length;
    });
  }
  return sent;
}

/** Inserts the reminder keys; returns the units this process won (the others were sent already). */
async function claim(tx: Tx, campaignId: string, orgIds: number[], kind: 'before' | 'due' | 'late_list', today: string): Promise<number[]> {
  if (orgIds.length === 0) return [];
  const rows = await tx
    .insert(reportReminders)
    .values(orgIds.map((orgId) => ({ campaignId, orgId, kind, sentOn: today })))
    .onConflictDoNothing()
    .returning({ orgId: reportReminders.orgId });
  return rows.map((r) => r.orgId);
}

export type { Figures };
