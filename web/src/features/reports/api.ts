import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { BOARD_STATES, type BoardState, type Figures, type FigureValue, type ReportRule, type ReportSection } from '../../../../common/report-template';
import { api, buildUrl } from '../../lib/api';

export type ReportStatus = 'not_started' | 'draft' | 'submitted' | 'returned' | 'approved';

export { BOARD_STATES, type BoardState };

export type Include = 'approved' | 'submitted';

export interface ReportTemplateInfo {
  sections: ReportSection[];
  rules: ReportRule[];
  deadline: string | null;
  lockDate: string | null;
  remindDaysBefore: number;
  version: number;
  isDefault: boolean;
  derivations: string[];
}

export interface Report {
  campaignId: string;
  orgId: number;
  orgCode: string;
  orgName: string;
  status: ReportStatus;
  version: number;
  figures: Figures;
  manual: Figures;
  ruleFailures: { code: string; message: string }[];
  deadline: string | null;
  lockDate: string | null;
  entryOpen: boolean;
  exceptionUntil: string | null;
  submittedAt: string | null;
  late: boolean | null;
  returnedAt: string | null;
  returnComment: string | null;
  approvedAt: string | null;
  reopenedAt: string | null;
  reopenReason: string | null;
  fromImplementingPlan: { id: string; docNumber: string } | null;
  can: { edit: boolean; submit: boolean; review: boolean };
  alreadySubmitted?: boolean;
}

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

export interface StatusBoard {
  org: { id: number; code: string; name: string };
  deadline: string | null;
  lockDate: string | null;
  /** Units in scope; `counts`, the percentages, `acknowledged`, `submitted` and `approved` also cover the whole subtree. */
  total: number;
  counts: Record<BoardState, number>;
  percentSubmitted: number;
  percentApproved: number;
  acknowledged: number;
  /** Submitted or approved. */
  submitted: number;
  approved: number;
  /** Rows matching the state filter and the search; `rows` is the page asked for. */
  matching: number;
  rows: BoardRow[];
}

/** Rows per page of the status board (the first page is shared by the board, the dashboard and the scope picker). */
export const BOARD_PAGE = 100;

/** Which rows of the board: states (any of them), words of a unit's name or code, a page. */
export interface BoardParams {
  states?: readonly BoardState[];
  q?: string;
  limit?: number;
  offset?: number;
}

/** The query string of a board request, in one normal form (also its cache key). */
function boardQuery(orgId: number | null, p: BoardParams) {
  return {
    orgId: orgId ?? undefined,
    state: p.states && p.states.length ? [...p.states].sort().join(',') : undefined,
    q: p.q?.trim() || undefined,
    limit: p.limit,
    offset: p.offset || undefined,
  };
}

export interface Consolidated {
  campaignId: string;
  org: { id: number; code: string; name: string };
  include: Include;
  figures: Figures;
  pending: Figures;
  units: { inScope: number; included: number; approved: number; submittedPending: number };
  sections: ReportSection[];
}

export interface BulkResult {
  done: number;
  skipped: { orgId: number; message: string }[];
}

export const reportKeys = {
  all: ['reports'] as const,
  template: (campaignId: string) => ['reports', 'template', campaignId] as const,
  report: (campaignId: string, orgId: number) => ['reports', 'unit', campaignId, orgId] as const,
  board: (campaignId: string, query: ReturnType<typeof boardQuery>) => ['reports', 'board', campaignId, query] as const,
  consolidated: (campaignId: string, orgId: number | null, include: Include) => ['reports', 'consolidated', campaignId, orgId, include] as const,
  years: (campaignId: string, orgId: number | null, include: Include) => ['reports', 'years', campaignId, orgId, include] as const,
};

export interface YearOverYear {
  org: { id: number; code: string; name: string };
  include: Include;
  sections: Consolidated['sections'];
  years: { campaignId: string; year: number; docNumber: string; title: string; figures: Figures; unitsIncluded: number }[];
}

/** The same unit's figures in this plan and the earlier plans of the same kind, newest first. */
export function useYearOverYear(campaignId: string, orgId: number | null, include: Include) {
  return useQuery({
    queryKey: reportKeys.years(campaignId, orgId, include),
    queryFn: ({ signal }) => api<YearOverYear>(`${base(campaignId)}/year-over-year`, { query: { orgId: orgId ?? undefined, include }, signal }),
    placeholderData: keepPreviousData,
  });
}

const base = (campaignId: string) => `/api/v1/campaigns/${campaignId}`;

export function useReportTemplate(campaignId: string) {
  return useQuery({
    queryKey: reportKeys.template(campaignId),
    queryFn: ({ signal }) => api<ReportTemplateInfo>(`${base(campaignId)}/report-template`, { signal }),
    staleTime: 60_000,
  });
}

export function useReport(campaignId: string, orgId: number) {
  return useQuery({
    queryKey: reportKeys.report(campaignId, orgId),
    queryFn: ({ signal }) => api<Report>(`${base(campaignId)}/reports/${orgId}`, { signal }),
  });
}

/** The status board: the counts of the whole subtree and the rows asked for (filtered, searched and paged by the server). */
export function useStatusBoard(campaignId: string, orgId: number | null, params: BoardParams, enabled = true) {
  const query = boardQuery(orgId, params);
  return useQuery({
    queryKey: reportKeys.board(campaignId, query),
    queryFn: ({ signal }) => api<StatusBoard>(`${base(campaignId)}/status-board`, { query, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useConsolidated(campaignId: string, orgId: number | null, include: Include, enabled = true) {
  return useQuery({
    queryKey: reportKeys.consolidated(campaignId, orgId, include),
    queryFn: ({ signal }) => api<Consolidated>(`${base(campaignId)}/consolidated`, { query: { orgId: orgId ?? undefined, include }, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** After a change: the answer is the unit's report; every board and consolidation may have moved. */
function useReportChanged(campaignId: string) {
  const qc = useQueryClient();
  return (r: Report) => {
    qc.setQueryData(reportKeys.report(campaignId, r.orgId), r);
    void qc.invalidateQueries({
      queryKey: reportKeys.all,
      predicate: (q) => !(q.queryKey[1] === 'unit' && q.queryKey[3] === r.orgId && q.queryKey[2] === campaignId),
    });
  };
}

function useReportMutation<V>(campaignId: string, send: (v: V) => Promise<Report>) {
  const changed = useReportChanged(campaignId);
  return useMutation({ mutationFn: send, onSuccess: changed });
}

const reportUrl = (campaignId: string, orgId: number, tail = '') => `${base(campaignId)}/reports/${orgId}${tail}`;

export function useSaveReport(campaignId: string, orgId: number) {
  return useReportMutation(campaignId, (body: { version: number; manual: Record<string, FigureValue> }) =>
    api<Report>(reportUrl(campaignId, orgId), { method: 'PUT', body }),
  );
}

export function useSubmitReport(campaignId: string, orgId: number) {
  return useReportMutation(campaignId, (body: { version?: number }) =>
    api<Report>(reportUrl(campaignId, orgId, '/submit'), { method: 'POST', body }),
  );
}

export function useReturnReport(campaignId: string, orgId: number) {
  return useReportMutation(campaignId, (body: { comment: string }) =>
    api<Report>(reportUrl(campaignId, orgId, '/return'), { method: 'POST', body }),
  );
}

export function useApproveReport(campaignId: string, orgId: number) {
  return useReportMutation<void>(campaignId, () => api<Report>(reportUrl(campaignId, orgId, '/approve'), { method: 'POST', body: {} }));
}

export function useReopenReport(campaignId: string, orgId: number) {
  return useReportMutation(campaignId, (body: { reason: string }) =>
    api<Report>(reportUrl(campaignId, orgId, '/reopen'), { method: 'POST', body }),
  );
}

export function useGrantException(campaignId: string, orgId: number) {
  return useReportMutation(campaignId, (body: { until: string; reason: string }) =>
    api<Report>(reportUrl(campaignId, orgId, '/exception'), { method: 'POST', body }),
  );
}

export function useBulkApprove(campaignId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (orgIds: number[]) => api<BulkResult>(`${base(campaignId)}/reports/approve`, { method: 'POST', body: { orgIds } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: reportKeys.all }),
  });
}

export function useRemind(campaignId: string) {
  return useMutation({
    mutationFn: (orgIds: number[] | null) =>
      api<{ count: number }>(`${base(campaignId)}/reports/remind`, { method: 'POST', body: orgIds ? { orgIds } : {} }),
  });
}

export const consolidatedXlsxUrl = (campaignId: string, orgId: number | null, include: Include) =>
  buildUrl(`${base(campaignId)}/consolidated.xlsx`, { orgId: orgId ?? undefined, include });
export const consolidatedDocxUrl = (campaignId: string, orgId: number | null, include: Include) =>
  buildUrl(`${base(campaignId)}/consolidated.docx`, { orgId: orgId ?? undefined, include });
