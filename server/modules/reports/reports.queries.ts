import { and, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client';
import { campaigns, orgs, reportExceptions, reports, reportTemplates } from '../../db/schema/index';
import { todayInVietnam } from '../../lib/dates';
import { matchWords } from '../../lib/search';
import { BOARD_STATES, DEFAULT_REPORT_TEMPLATE, isNumeric, templateFields, type BoardState, type Figures, type ReportTemplate } from '../../../common/report-template';
import type { CampaignRow } from '../campaigns/campaigns.queries';
import { deriveOwn, emptyDerived, implementingPlanOf, type DerivedFigures } from './reports.derive';

export type ReportRow = typeof reports.$inferSelect;
export type ReportStatus = 'not_started' | 'draft' | 'submitted' | 'returned' | 'approved';
export type Include = 'approved' | 'submitted';

export interface Unit {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  path: string;
}

export interface TemplateWithCalendar extends ReportTemplate {
  lockDate: string | null;
  remindDaysBefore: number;
  version: number;
  isDefault: boolean;
}

/** The campaign's template, or the default Trung thu template until one is saved. */
export async function templateOf(db: DbOrTx, campaignId: string): Promise<TemplateWithCalendar> {
  const [row] = await db.select().from(reportTemplates).where(eq(reportTemplates.campaignId, campaignId));
  if (!row) return { ...DEFAULT_REPORT_TEMPLATE, lockDate: null, remindDaysBefore: 3, version: 0, isDefault: true };
  return {
    sections: row.sections as ReportTemplate['sections'],
    rules: row.rules as ReportTemplate['rules'],
    lockDate: row.lockDate,
    remindDaysBefore: row.remindDaysBefore,
    version: row.version,
    isDefault: false,
  };
}

/** What a report's answer is made of, when a write has it in hand already. */
export interface Known {
  template: TemplateWithCalendar;
  report: ReportRow;
  implementing: CampaignRow | null;
  gate: Awaited<ReturnType<typeof entryOpen>>;
}

export async function findReport(db: DbOrTx, campaignId: string, orgId: number): Promise<ReportRow | null> {
  const [row] = await db.select().from(reports).where(and(eq(reports.campaignId, campaignId), eq(reports.orgId, orgId)));
  return row ?? null;
}

export async function exceptionOf(db: DbOrTx, campaignId: string, orgId: number) {
  const [row] = await db
    .select()
    .from(reportExceptions)
    .where(and(eq(reportExceptions.campaignId, campaignId), eq(reportExceptions.orgId, orgId)));
  return row ?? null;
}

/** Whether the unit may still enter its report today: before the lock date, or within a granted exception. */
export async function entryOpen(db: DbOrTx, t: TemplateWithCalendar, campaignId: string, orgId: number, today = todayInVietnam()) {
  const ex = await exceptionOf(db, campaignId, orgId);
  const exceptionUntil = ex?.until ?? null;
  const open = !t.lockDate || today <= t.lockDate || (!!exceptionUntil && today <= exceptionUntil);
  return { open, lockDate: t.lockDate, exceptionUntil };
}

/**
 * The live derived figures of a unit's report. A unit that issued its own plan
 * to carry out this one (a district under the city's plan) reports the
 * approved consolidation of that plan: the city sees every district without
 * re-typing.
 */
export async function deriveFor(db: DbOrTx, c: CampaignRow, unit: Unit): Promise<{ figures: DerivedFigures; implementing: CampaignRow | null }> {
  const implementing = await implementingPlanOf(db, c.id, unit.id);
  if (!implementing) return { figures: await deriveOwn(db, c, unit.id), implementing };
  const cons = await consolidate(db, implementing, await templateOf(db, implementing.id), unit, 'approved');
  const figures = emptyDerived();
  for (const k of Object.keys(figures) as (keyof DerivedFigures)[]) {
    const v = cons.figures[k];
    figures[k] = typeof v === 'number' ? v : 0;
  }
  return { figures, implementing };
}

/** Derived figures under the template's field codes, plus the manual values. */
export function composeFigures(t: ReportTemplate, derived: DerivedFigures, manual: Record<string, unknown>): Figures {
  const out: Figures = {};
  for (const f of templateFields(t)) {
    if (f.derived) out[f.code] = derived[f.derived];
    else {
      const v = manual[f.code];
      out[f.code] = v === undefined || v === null || v === '' ? null : isNumeric(f) ? Number(v) : String(v);
    }
  }
  return out;
}

export interface Consolidated {
  include: Include;
  figures: Figures;
  /** What reports submitted but not yet approved would add (zero when include = 'submitted'). */
  pending: Figures;
  units: { inScope: number; included: number; approved: number; submittedPending: number };
}

/**
 * A unit's consolidated report: the sum of the reports in its subtree
 * (approved only, or submitted too) plus, when the unit does not itself report
 * in this campaign, its own live figures (its own activities and funds).
 * The sums of the snapshots are kept by triggers in the same transaction as
 * every report change (report_totals, decision 014): no batch, never stale.
 */
export async function consolidate(db: DbOrTx, c: CampaignRow, t: ReportTemplate, unit: Unit, include: Include): Promise<Consolidated> {
  const fields = templateFields(t);
  const numeric = fields.filter(isNumeric).map((f) => f.code);
  // The subtree's submitted and approved snapshots, summed as they change (report_totals, kept by triggers).
  const totals = (
    await db.execute(sql`
      select status, reports, figures from report_totals where campaign_id = ${c.id} and org_id = ${unit.id}`)
  ).rows as { status: 'approved' | 'submitted'; reports: number; figures: Record<string, number | string> }[];
  const [scope] = (
    await db.execute(sql`
      select count(*)::int as n from campaign_assignments a join orgs ao on ao.id = a.org_id
      where a.campaign_id = ${c.id} and a.status = 'active' and ao.path <@ ${unit.path}::ltree`)
  ).rows as { n: number }[];
  const approvedTotals = totals.find((x) => x.status === 'approved');
  const submittedTotals = totals.find((x) => x.status === 'submitted');
  const counts = { approved: Number(approvedTotals?.reports ?? 0), submitted: Number(submittedTotals?.reports ?? 0), in_scope: Number(scope?.n ?? 0) };

  const figures: Figures = {};
  const pending: Figures = {};
  for (const code of numeric) {
    const approved = Number(approvedTotals?.figures[code] ?? 0);
    const submitted = Number(submittedTotals?.figures[code] ?? 0);
    figures[code] = include === 'submitted' ? approved + submitted : approved;
    pending[code] = include === 'submitted' ? 0 : submitted;
  }

  // The unit's own part, when it is not a reporting unit of this campaign itself.
  const [assigned] = (
    await db.execute(sql`select 1 as x from campaign_assignments where campaign_id = ${c.id} and org_id = ${unit.id} and status = 'active'`)
  ).rows;
  if (!assigned) {
    const own = await deriveOwn(db, c, unit.id);
    own.units_in_scope = 0;
    for (const f of fields) if (f.derived && f.derived !== 'units_in_scope') figures[f.code] = (figures[f.code] as number) + own[f.derived];
  }

  const { approved, submitted, in_scope: inScope } = counts;
  const included = include === 'approved' ? approved : approved + submitted;
  // Units that have not reported still count in scope: the sum of the reports
  // counts those below them; each silent unit counts once.
  for (const f of fields) {
    if (f.derived === 'units_in_scope') figures[f.code] = (figures[f.code] as number) + Math.max(0, inScope - included);
  }

  // Text answers: each unit's own words, labelled with its name.
  for (const f of fields.filter((x) => !isNumeric(x))) {
    const rows = (
      await db.execute(sql`
        select coalesce(o.short_name, o.name) as name, r.figures ->> ${f.code} as v
        from reports r join orgs o on o.id = r.org_id
        where r.campaign_id = ${c.id} and o.path <@ ${unit.path}::ltree
          and r.status in ${include === 'approved' ? sql`('approved')` : sql`('approved', 'submitted')`}
          and coalesce(r.figures ->> ${f.code}, '') <> ''
        order by o.sort_key collate "C" limit 200`)
    ).rows as { name: string; v: string }[];
    figures[f.code] = rows.length ? rows.map((r) => `${r.name}: ${r.v}`).join('\n') : null;
  }
  return { include, figures, pending, units: { inScope, included, approved, submittedPending: include === 'approved' ? submitted : 0 } };
}

export type { BoardState };

export interface BoardRow {
  orgId: number;
  code: string;
  name: string;
  acknowledgedAt: string | null;
  status: ReportStatus;
  state: BoardState;
  submittedAt: string | null;
  late: boolean | null;
  returnedAt: string | null;
  returnComment: string | null;
  approvedAt: string | null;
  changedSinceApproval: boolean;
  exceptionUntil: string | null;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

/** Which rows of the board: states (any of them), a unit name or code (diacritics ignored), and a page. */
export interface BoardQuery {
  states?: readonly BoardState[];
  q?: string;
  limit?: number;
  offset?: number;
}

/** The board's figures over the whole subtree, and how many rows match the query. */
export interface BoardCounts {
  total: number;
  counts: Record<BoardState, number>;
  acknowledged: number;
  /** Submitted or approved. */
  submitted: number;
  approved: number;
  matching: number;
}


/** The units' table under the alias the board's SQL gives it (for the search words). */
const o = alias(orgs, 'o');

/**
 * The SQL pieces of the board. The state is one CASE with the rules of the
 * plan's calendar: an approved report, then a submitted one (late or on
 * time), a returned one; otherwise, once the deadline has passed, "not
 * submitted"; before it, a draft, a report not started, or a plan not yet
 * acknowledged. "Changed since approval" (the unit recorded benefits or
 * activities after its report was approved) is a column of the report, kept
 * by triggers (migration 0019): asking two tables per approved unit cost the
 * board of a city 85% of its time.
 */
function boardSql(c: CampaignRow, unit: Unit, today: string) {
  const deadlinePassed = !!c.reportDeadline && today > c.reportDeadline;
  const changed = sql`r.changed_since_approval`;
  /** The state with "approved" and "changed since approval" not told apart. */
  const baseState = sql`(case
      when r.status = 'approved' then 'approved'
      when r.status = 'submitted' then (case when r.late then 'submitted_late' else 'submitted_on_time' end)
      when r.status = 'returned' then 'returned'
      when ${sql.raw(deadlinePassed ? 'true' : 'false')} then 'not_submitted'
      when r.status = 'draft' then 'draft'
      when a.acknowledged_at is not null then 'not_started'
      else 'not_acknowledged' end)`;
  const state = sql`(case when r.status = 'approved' then (case when ${changed} then 'changed_since_approval' else 'approved' end) else ${baseState} end)`;
  const from = sql`from campaign_assignments a
      join orgs o on o.id = a.org_id
      left join reports r on r.campaign_id = a.campaign_id and r.org_id = a.org_id
      left join report_exceptions x on x.campaign_id = a.campaign_id and x.org_id = a.org_id
      where a.campaign_id = ${c.id} and a.status = 'active' and o.path <@ ${unit.path}::ltree`;
  return { changed, baseState, state, from };
}

const inList = (states: readonly string[]) => sql`(${sql.join(
  states.map((s) => sql`${s}`),
  sql`, `,
)})`;

/** The rows' condition of a query: its states and its words. */
function boardWhere(parts: ReturnType<typeof boardSql>, q: BoardQuery): SQL[] {
  const conds: SQL[] = [];
  const states = q.states && q.states.length ? [...new Set(q.states)] : null;
  if (states && states.length < BOARD_STATES.length) conds.push(sql`${parts.state} in ${inList(states)}`);
  const words = matchWords(o.searchText, q.q);
  if (words) conds.push(words);
  return conds;
}

/**
 * One row per unit the campaign addresses in the subtree of `unit`, with its
 * report's state, in the Vietnamese order of the units' names: those matching
 * the query, the page asked for (all of them without a limit). Filtering and
 * paging happen in the database.
 */
export async function statusBoard(db: DbOrTx, c: CampaignRow, unit: Unit, q: BoardQuery = {}, today = todayInVietnam()): Promise<BoardRow[]> {
  const parts = boardSql(c, unit, today);
  const conds = boardWhere(parts, q);
  const rows = (
    await db.execute(sql`
      select o.id, o.code, o.name, a.acknowledged_at, r.status, r.submitted_at, r.late, r.returned_at, r.return_comment,
        r.approved_at, coalesce(${parts.changed}, false) as changed, x.until as exception_until, ${parts.state} as state
      ${parts.from}
      ${conds.length ? sql`and ${sql.join(conds, sql` and `)}` : sql``}
      order by o.sort_key collate "C", o.id
      ${q.limit !== undefined ? sql`limit ${q.limit}` : sql``}
      ${q.offset ? sql`offset ${q.offset}` : sql``}`)
  ).rows as Record<string, unknown>[];
  return rows.map((r) => ({
    orgId: Number(r['id']),
    code: String(r['code']),
    name: String(r['name']),
    acknowledgedAt: iso(r['acknowledged_at']),
    status: (r['status'] as ReportStatus | null) ?? 'not_started',
    state: r['state'] as BoardState,
    submittedAt: iso(r['submitted_at']),
    late: (r['late'] as boolean | null) ?? null,
    returnedAt: iso(r['returned_at']),
    returnComment: (r['return_comment'] as string | null) ?? null,
    approvedAt: iso(r['approved_at']),
    changedSinceApproval: r['changed'] === true,
    exceptionUntil: r['exception_until'] ? String(r['exception_until']).slice(0, 10) : null,
  }));
}

/**
 * The board's counts over the whole subtree, by state, and the rows matching
 * the query: one aggregate query. ("offset 0" keeps the state a column of the
 * sub-query, computed once per unit, rather than its CASE copied into every
 * place that reads it.)
 */
export async function statusBoardCounts(db: DbOrTx, c: CampaignRow, unit: Unit, q: BoardQuery = {}, today = todayInVietnam()): Promise<BoardCounts> {
  const parts = boardSql(c, unit, today);
  const states = q.states && q.states.length ? [...new Set(q.states)] : null;
  const words = matchWords(o.searchText, q.q);
  const matches = [...(states ? [sql`s.state in ${inList(states)}`] : []), ...(words ? [sql`s.words`] : [])];
  const rows = (
    await db.execute(sql`
      select s.state, count(*)::int as n,
        count(*) filter (where s.acknowledged)::int as acknowledged,
        count(*) filter (where s.status in ('submitted', 'approved'))::int as submitted,
        count(*) filter (where s.status = 'approved')::int as approved,
        ${matches.length ? sql`count(*) filter (where ${sql.join(matches, sql` and `)})::int` : sql`count(*)::int`} as matching
      from (
        select ${parts.state} as state, a.acknowledged_at is not null as acknowledged, r.status, ${words ?? sql`true`} as words
        ${parts.from}
        offset 0
      ) s
      group by s.state`)
  ).rows as Record<string, unknown>[];
  const out: BoardCounts = {
    total: 0,
    counts: Object.fromEntries(BOARD_STATES.map((s) => [s, 0])) as Record<BoardState, number>,
    acknowledged: 0,
    submitted: 0,
    approved: 0,
    matching: 0,
  };
  for (const r of rows) {
    const n = Number(r['n']);
    out.total += n;
    out.counts[r['state'] as BoardState] += n;
    out.acknowledged += Number(r['acknowledged']);
    out.submitted += Number(r['submitted']);
    out.approved += Number(r['approved']);
    out.matching += Number(r['matching']);
  }
  return out;
}

/** One row per unit in scope with its report's figures (for the per-unit sheet and drill-down). */
export async function unitFigures(db: DbOrTx, c: CampaignRow, unit: Unit, include: Include) {
  const rows = (
    await db.execute(sql`
      select o.id, o.code, o.name, r.status, r.figures
      from campaign_assignments a
      join orgs o on o.id = a.org_id
      left join reports r on r.campaign_id = a.campaign_id and r.org_id = a.org_id
        and r.status in ${include === 'approved' ? sql`('approved')` : sql`('approved', 'submitted')`}
      where a.campaign_id = ${c.id} and a.status = 'active' and o.path <@ ${unit.path}::ltree
      order by o.sort_key collate "C", o.id`)
  ).rows as { id: number; code: string; name: string; status: string | null; figures: Figures | null }[];
  return rows.map((r) => ({ orgId: Number(r.id), code: r.code, name: r.name, status: (r.status ?? null) as ReportStatus | null, figures: r.figures }));
}

/** Earlier plans of the same kind issued by the same unit (the years before), newest first, at most four. */
export async function sameKindPlans(db: DbOrTx, c: CampaignRow): Promise<CampaignRow[]> {
  return db
    .select()
    .from(campaigns)
    .where(
      and(
        eq(campaigns.issuingOrgId, c.issuingOrgId),
        eq(campaigns.kind, c.kind),
        sql`${campaigns.year} < ${c.year}`,
        sql`${campaigns.status} <> 'draft'`,
      ),
    )
    .orderBy(sql`${campaigns.year} desc`)
    .limit(4);
}

/**
 * The units of a campaign an upper level may review: addressed by the plan and
 * strictly below one of `roots` (optionally only those asked for).
 */
export async function reviewableUnits(db: DbOrTx, campaignId: string, roots: string[], only?: number[]): Promise<number[]> {
  if (roots.length === 0) return [];
  const rows = (
    await db.execute(sql`
      select a.org_id from campaign_assignments a join orgs o on o.id = a.org_id
      where a.campaign_id = ${campaignId} and a.status = 'active'
        and exists (select 1 from unnest(string_to_array(${roots.join(',')}, ',')::ltree[]) r where o.path <@ r and o.path <> r)
        ${only ? sql`and a.org_id = any(string_to_array(${only.join(',') || '0'}, ',')::int[])` : sql``}`)
  ).rows as { org_id: number }[];
  return rows.map((r) => Number(r.org_id));
}
