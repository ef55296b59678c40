import { and, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { benefits, campaigns, childParents, children, duplicateDismissals, members } from '../../db/schema/index';
import { recordAudit, systemActor, type Actor } from '../../lib/audit';
import type { AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import { conflict, forbidden, invalid, notFound } from '../../lib/errors';
import { withTransaction } from '../../lib/transaction';
import type { AchievementEntry, CircumstanceEntry } from '../../../common/children';
import { formatDate } from '../../../common/format';
import { foldVietnamese, vietnameseSortKey } from '../../../common/vietnamese';
import { campaignSettings } from './children.eligibility';
import { childPolicy } from './children.policy';
import { findChildInScope, type ChildRow, type ChildWithOrg } from './children.queries';
import { childDupKey, memberMatchKey, type Consent } from './children.service';

/*
 * A child's personal data under Luật Bảo vệ dữ liệu cá nhân 2025 and Nghị định
 * 356/2025: consent withdrawn, erasure on request, and the retention period.
 *
 * Anonymising keeps the row, so that benefits, counts, priority groups and
 * the ages the figures use stay as they were, and replaces everything that
 * names or describes the child:
 * - name → "Trẻ đã ẩn danh 1A2B3C4D" (the first 8 hex digits of the id);
 *   search text, sort key and duplicate key recomputed from it;
 * - date of birth → 1 July of the same year: the age band and the year of
 *   birth stay, the day goes. When 1 July would move the child across the
 *   age limit of a plan on its festival day (a child born in the year of
 *   the festival, or in the year the age limit falls in), the nearest day
 *   to 1 July on the same side of every such limit is taken instead, so the
 *   number of eligible children of every plan stays equal;
 * - school, grade, notes (of circumstances and achievements), disability
 *   level → gone; circumstance codes and the level and school year of each
 *   achievement stay (the priority groups of the figures are made of them);
 * - the consents keep their date, method, who recorded them and the
 *   withdrawal; the name of who gave them is replaced;
 * - the links to the parents go; a parent member left with no child is
 *   anonymised the same way (name, phone, ID number, department);
 * - on its benefits, who received them and the officers' notes go; kind,
 *   value, source, status and dates stay (updated_at is not touched, so no
 *   approved report looks "changed since approval");
 * - `anonymized_at` is set. Such a child is in no eligible list, gets no new
 *   benefit or sponsorship, and its record cannot be edited.
 *
 * - the child's earlier audit rows lose the personal values they recorded
 *   (name, date of birth, school, grade, notes); who did what, when and to
 *   which record stays. The audit log is otherwise append-only: the database
 *   lets only `before` and `after` change, and only in a transaction that
 *   says it is redacting (migration 0018).
 *
 * Not reached: the note of a child sponsorship is also copied into the
 * append-only fund ledger.
 */

export const ANONYMIZED_CHILD = 'Trẻ đã ẩn danh';
export const ANONYMIZED_MEMBER = 'Thành viên đã ẩn danh';
export const ANONYMIZED_CONSENT_GIVER = 'Đã ẩn danh';

const CANCEL_WITHDRAWN = 'Rút lại đồng ý xử lý dữ liệu cá nhân của trẻ';
const CANCEL_ERASED = 'Xóa dữ liệu cá nhân của trẻ theo yêu cầu';

const shortId = (id: string) => id.replace(/-/g, '').slice(0, 8).toUpperCase();
export const anonymizedChildName = (id: string) => `${ANONYMIZED_CHILD} ${shortId(id)}`;
export const anonymizedMemberName = (id: string) => `${ANONYMIZED_MEMBER} ${shortId(id)}`;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const DAY = 86_400_000;

/** `iso` minus whole years, as PostgreSQL computes `date - interval 'n years'` (29/02 → 28/02). */
export function minusYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const year = y - years;
  const daysInMonth = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${pad(year, 4)}-${pad(m)}-${pad(Math.min(d, daysInMonth))}`;
}

/** A plan's age window: eligible when born after `from` and by `to` (the festival day), as eligibleOn() says. */
export interface EligibilityWindow {
  from: string;
  to: string;
}

/** The age windows of every plan in the database (drafts included: they may be issued later). */
export async function eligibilityWindows(db: DbOrTx): Promise<EligibilityWindow[]> {
  const rows = await db.select({ festivalDate: campaigns.festivalDate, settings: campaigns.settings }).from(campaigns);
  const out = new Map<string, EligibilityWindow>();
  for (const r of rows) {
    const w = { from: minusYears(r.festivalDate, campaignSettings(r).ageLimit), to: r.festivalDate };
    out.set(`${w.from}|${w.to}`, w);
  }
  return [...out.values()];
}

/**
 * The date of birth an anonymised child keeps: 1 July of the same year, or,
 * when that would change the child's eligibility under one of `windows`, the
 * day of the same year nearest to 1 July that changes none.
 */
export function anonymizedBirthDate(birthDate: string, windows: EligibilityWindow[]): string {
  const year = Number(birthDate.slice(0, 4));
  const prefix = birthDate.slice(0, 4);
  const relevant = windows.filter((w) => w.from.startsWith(prefix) || w.to.startsWith(prefix));
  const inside = (d: string, w: EligibilityWindow) => d > w.from && d <= w.to;
  const want = relevant.map((w) => inside(birthDate, w));
  const keeps = (d: string) => relevant.every((w, i) => inside(d, w) === want[i]);
  const july = Date.UTC(year, 6, 1);
  for (let k = 0; k <= 366; k++) {
    for (const t of k === 0 ? [july] : [july + k * DAY, july - k * DAY]) {
      const d = new Date(t);
      if (d.getUTCFullYear() !== year) continue;
      const iso = `${prefix}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      if (keeps(iso)) return iso;
    }
  }
  return birthDate; // not reached: the date itself keeps every answer
}

function anonymizedConsent(value: unknown): Consent | null {
  if (!value) return null;
  const c = value as Consent;
  return {
    givenBy: ANONYMIZED_CONSENT_GIVER,
    date: c.date,
    method: c.method,
    recordedBy: c.recordedBy,
    recordedAt: c.recordedAt,
    ...(c.withdrawnAt ? { withdrawnAt: c.withdrawnAt, withdrawnBy: c.withdrawnBy, withdrawalRecordedBy: c.withdrawalRecordedBy } : {}),
  };
}

/** What an audit row of a child may hold that names or describes the child or a parent. */
const PERSONAL_AUDIT_KEYS = ['fullName', 'birthDate', 'school', 'grade', 'parents', 'note', 'receivedBy'];

/** Removes the personal values the earlier audit rows of these children recorded (see the top of this file). */
async function redactAuditOf(tx: Tx, childIds: string[]): Promise<void> {
  if (childIds.length === 0) return;
  const keys = sql`string_to_array(${PERSONAL_AUDIT_KEYS.join(',')}, ',')`;
  const redact = (column: SQL) =>
    sql`case when jsonb_typeof(${column}) = 'object' and ${column} ?| ${keys} then (${column} - ${keys}) || '{"redacted": true}'::jsonb else ${column} end`;
  await tx.execute(sql`select set_config('lantern.audit_redaction', 'on', true)`);
  await tx.execute(sql`
    update audit_log set before = ${redact(sql.raw('before'))}, after = ${redact(sql.raw('after'))}
    where entity_type = 'child' and entity_id = any(string_to_array(${childIds.join(',')}, ','))
      and ((jsonb_typeof(before) = 'object' and before ?| ${keys}) or (jsonb_typeof(after) = 'object' and after ?| ${keys}))`);
  await tx.execute(sql`select set_config('lantern.audit_redaction', 'off', true)`);
}

/** Replaces one child's personal data (see the top of this file); returns the parent members it was linked to. */
async function anonymizeChildRow(tx: Tx, row: ChildRow, windows: EligibilityWindow[]): Promise<string[]> {
  const fullName = anonymizedChildName(row.id);
  const birthDate = anonymizedBirthDate(row.birthDate, windows);
  const codes = [...new Set(((row.circumstances as CircumstanceEntry[]) ?? []).map((c) => c.code))];
  const achievements = ((row.achievements as AchievementEntry[]) ?? []).map((a) => ({ schoolYear: a.schoolYear, level: a.level }));
  await tx
    .update(children)
    .set({
      fullName,
      searchText: foldVietnamese(fullName),
      sortKey: vietnameseSortKey(fullName),
      birthDate,
      school: null,
      grade: null,
      circumstances: codes.map((code) => ({ code })),
      achievements,
      parentConsent: anonymizedConsent(row.parentConsent),
      childConsent: anonymizedConsent(row.childConsent),
      dupKey: childDupKey(fullName, birthDate),
      anonymizedAt: sql`now()`,
      version: row.version + 1,
      updatedAt: sql`now()`,
    })
    .where(eq(children.id, row.id));
  await tx
    .update(benefits)
    .set({ receivedBy: null, note: null })
    .where(and(eq(benefits.childId, row.id), or(isNotNull(benefits.receivedBy), isNotNull(benefits.note))));
  await tx.delete(duplicateDismissals).where(or(eq(duplicateDismissals.childA, row.id), eq(duplicateDismissals.childB, row.id)));
  const links = await tx.delete(childParents).where(eq(childParents.childId, row.id)).returning({ memberId: childParents.memberId });
  await redactAuditOf(tx, [row.id]);
  return links.map((l) => l.memberId);
}

/** Members among `ids` left with no child: their personal data replaced the same way. Returns their ids. */
async function anonymizeOrphanMembers(tx: Tx, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const orphans = await tx
    .select({ id: members.id })
    .from(members)
    .where(and(inArray(members.id, unique), isNull(members.anonymizedAt), sql`not exists (select 1 from child_parents p where p.member_id = ${members.id})`));
  for (const { id } of orphans) {
    const fullName = anonymizedMemberName(id);
    await tx
      .update(members)
      .set({
        fullName,
        searchText: foldVietnamese(fullName),
        sortKey: vietnameseSortKey(fullName),
        department: null,
        phone: null,
        idNumber: null,
        matchKey: memberMatchKey(fullName, null),
        anonymizedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(members.id, id));
  }
  return orphans.map((o) => o.id);
}

/** Processing stops: the child's planned and approved benefits of plans still running are cancelled (vouchers then say so). */
async function cancelOpenBenefits(tx: Tx, actor: Actor, childId: string, reason: string): Promise<string[]> {
  const open = await tx
    .select({ id: benefits.id, orgId: benefits.orgId, status: benefits.status, version: benefits.version })
    .from(benefits)
    .innerJoin(campaigns, eq(campaigns.id, benefits.campaignId))
    .where(and(eq(benefits.childId, childId), inArray(benefits.status, ['planned', 'approved']), ne(campaigns.status, 'closed')));
  for (const b of open) {
    await tx
      .update(benefits)
      .set({ status: 'cancelled', cancelledAt: sql`now()`, cancelReason: reason, version: b.version + 1, updatedAt: sql`now()` })
      .where(eq(benefits.id, b.id));
    await recordAudit(tx, actor, { action: 'benefit.cancel', entityType: 'benefit', entityId: b.id, orgId: b.orgId, before: { status: b.status }, after: { status: 'cancelled', cancelReason: reason } });
  }
  return open.map((b) => b.id);
}

/** A child whose data protection acts need the sensitive-data permission and the write permission for its unit. */
async function childForPrivacyWrite(tx: Tx, auth: AuthContext, id: string): Promise<ChildWithOrg> {
  const row = await findChildInScope(tx, id, childPolicy.readRoots(auth), true);
  if (!row) throw notFound('child.notFound');
  if (!childPolicy.canWrite(auth, row.orgPath) || !childPolicy.canSeeSensitive(auth, row.orgPath)) throw forbidden();
  return row;
}

export interface WithdrawInput {
  by: 'parent' | 'child';
  note?: string;
}

/**
 * The parent (or guardian) or the child withdraws consent: the withdrawal is
 * written into that consent record, the child's open benefits of running
 * plans are cancelled, and the child is anonymised. Audited.
 */
export async function withdrawConsent(db: Db, auth: AuthContext, id: string, input: WithdrawInput): Promise<void> {
  await withTransaction(db, async (tx) => {
    const row = await childForPrivacyWrite(tx, auth, id);
    const field = input.by === 'parent' ? 'parentConsent' : 'childConsent';
    const consent = row[field] as Consent | null;
    if (consent?.withdrawnAt) throw conflict('privacy.alreadyWithdrawn', { date: formatDate(consent.withdrawnAt.slice(0, 10)) }, 'by');
    if (row.anonymizedAt) throw conflict('privacy.anonymized');
    if (!consent) throw invalid(input.by === 'parent' ? 'privacy.noParentConsent' : 'privacy.noChildConsent', {}, 'by');
    const withdrawn: Consent = { ...consent, withdrawnAt: new Date().toISOString(), withdrawnBy: input.by, withdrawalRecordedBy: auth.actor.email };
    const cancelled = await cancelOpenBenefits(tx, auth.actor, row.id, CANCEL_WITHDRAWN);
    const parents = await anonymizeChildRow(tx, { ...row, [field]: withdrawn }, await eligibilityWindows(tx));
    const anonymizedMembers = await anonymizeOrphanMembers(tx, parents);
    await recordAudit(tx, auth.actor, {
      action: 'child.consent_withdraw',
      entityType: 'child',
      entityId: row.id,
      orgId: row.orgId,
      after: { by: input.by, note: input.note ?? null, outcome: 'anonymized', cancelledBenefitIds: cancelled, anonymizedMemberIds: anonymizedMembers },
    });
  });
}

export interface EraseResult {
  outcome: 'deleted' | 'anonymized';
  cancelledBenefits: number;
  anonymizedMembers: number;
}

/**
 * Whether anything that must keep adding up holds the child: a benefit (any
 * status), a sponsorship, or a report submitted by its unit (or a unit merged
 * into it) after the child was registered, whose snapshot counts it.
 */
async function heldByFigures(tx: Tx, row: ChildRow): Promise<boolean> {
  const res = await tx.execute(sql`
    with recursive lineage(id) as (
      select ${row.orgId}::int
      union
      select o.id from orgs o join lineage l on o.merged_into_id = l.id
    )
    select (exists (select 1 from benefits where child_id = ${row.id})
         or exists (select 1 from earmarks where child_id = ${row.id})
         or exists (select 1 from reports r where r.org_id in (select id from lineage)
                      and r.status in ('submitted', 'approved') and r.submitted_at >= ${row.createdAt.toISOString()}::timestamptz)) as held`);
  return (res.rows[0] as { held: boolean } | undefined)?.held === true;
}

/**
 * Erasure on request: the row and its parent links are deleted when nothing
 * that must keep adding up holds the child; otherwise the child is
 * anonymised (the aggregates of closed reports must not move). Audited with
 * the outcome and the reason, never the erased data.
 */
export async function eraseChild(db: Db, auth: AuthContext, id: string, reason: string): Promise<EraseResult> {
  return withTransaction(db, async (tx) => {
    const row = await childForPrivacyWrite(tx, auth, id);
    if (!(await heldByFigures(tx, row))) {
      const links = await tx.delete(childParents).where(eq(childParents.childId, row.id)).returning({ memberId: childParents.memberId });
      await tx.delete(children).where(eq(children.id, row.id)); // duplicate rulings go with it (on delete cascade)
      await redactAuditOf(tx, [row.id]);
      const anonymizedMembers = await anonymizeOrphanMembers(tx, links.map((l) => l.memberId));
      await recordAudit(tx, auth.actor, {
        action: 'child.erase',
        entityType: 'child',
        entityId: row.id,
        orgId: row.orgId,
        after: { outcome: 'deleted', reason, anonymizedMemberIds: anonymizedMembers },
      });
      return { outcome: 'deleted' as const, cancelledBenefits: 0, anonymizedMembers: anonymizedMembers.length };
    }
    if (row.anonymizedAt) throw conflict('privacy.anonymized');
    const cancelled = await cancelOpenBenefits(tx, auth.actor, row.id, CANCEL_ERASED);
    const parents = await anonymizeChildRow(tx, row, await eligibilityWindows(tx));
    const anonymizedMembers = await anonymizeOrphanMembers(tx, parents);
    await recordAudit(tx, auth.actor, {
      action: 'child.erase',
      entityType: 'child',
      entityId: row.id,
      orgId: row.orgId,
      after: { outcome: 'anonymized', reason, cancelledBenefitIds: cancelled, anonymizedMemberIds: anonymizedMembers },
    });
    return { outcome: 'anonymized' as const, cancelledBenefits: cancelled.length, anonymizedMembers: anonymizedMembers.length };
  });
}

export interface RetentionResult {
  /** Plans closed before `cutoff` (the day `years` before `today`). */
  cutoff: string;
  children: number;
  members: number;
}

/**
 * The children a plan cared for: those with a benefit in it, and those its
 * units registered (the unit, or a unit since merged into it, in the plan's
 * scope) who were in its age window and registered before it closed.
 */
const childrenOf = (plans: SQL) => sql`
  select b.child_id as id from benefits b join ${plans} p on p.id = b.campaign_id
  union
  select c.id from ${plans} p
    join campaign_assignments a on a.campaign_id = p.id and a.status = 'active'
    join lineage l on l.id = a.org_id
    join children c on c.org_id = l.root
  where c.birth_date <= p.festival_date and c.birth_date > p.festival_date - make_interval(years => p.age_limit)
    and c.created_at <= coalesce(p.closed_at, 'infinity'::timestamptz)`;

/**
 * The retention job: anonymises the children of plans closed more than
 * `years` years before `today`, unless a plan still within its period (open,
 * or closed more recently) holds the same child. Runs in batches, each its
 * own transaction, one audit row per batch; safe to run again.
 */
export async function runChildrenRetention(
  db: Db,
  opts: { years: number; today?: string; batchSize?: number; actor?: Actor },
): Promise<RetentionResult> {
  const today = opts.today ?? todayInVietnam();
  const cutoff = minusYears(today, opts.years);
  const before = `${cutoff}T00:00:00+07:00`;
  const actor = opts.actor ?? systemActor;
  const batch = opts.batchSize ?? 500;
  const result: RetentionResult = { cutoff, children: 0, members: 0 };
  const ageLimit = sql`coalesce((settings ->> 'ageLimit')::int, 16)`;
  const expired = sql`(select id, festival_date, ${ageLimit} as age_limit, closed_at from campaigns
    where status = 'closed' and closed_at < ${before}::timestamptz)`;
  const kept = sql`(select id, festival_date, ${ageLimit} as age_limit, closed_at from campaigns
    where status <> 'draft' and (status <> 'closed' or closed_at >= ${before}::timestamptz))`;
  const windows = await eligibilityWindows(db);
  for (;;) {
    const found = await db.execute(sql`
      with recursive lineage(id, root) as (
        select id, id from orgs
        union all
        select o.id, l.root from orgs o join lineage l on o.merged_into_id = l.id
      )
      select c.id from children c
      where c.anonymized_at is null
        and c.id in (${childrenOf(expired)})
        and c.id not in (${childrenOf(kept)})
      order by c.id
      limit ${batch}`);
    const ids = (found.rows as { id: string }[]).map((r) => r.id);
    if (ids.length === 0) break;
    await withTransaction(db, async (tx) => {
      const rows = await tx.select().from(children).where(and(inArray(children.id, ids), isNull(children.anonymizedAt))).for('update');
      const parents: string[] = [];
      for (const row of rows) parents.push(...(await anonymizeChildRow(tx, row, windows)));
      const anonymizedMembers = await anonymizeOrphanMembers(tx, parents);
      await recordAudit(tx, actor, {
        action: 'child.retention_anonymize',
        entityType: 'child',
        entityId: rows.length === 1 ? rows[0]!.id : `${rows.length}`,
        orgId: null,
        after: { years: opts.years, today, closedBefore: cutoff, childIds: rows.map((r) => r.id), anonymizedMemberIds: anonymizedMembers },
      });
      result.children += rows.length;
      result.members += anonymizedMembers.length;
    });
    if (ids.length < batch) break;
  }
  return result;
}
