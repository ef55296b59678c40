import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CampaignKind,
  CampaignSettings,
  CampaignStatus,
  PlanSection,
  PlanSigner,
} from '../../../../common/campaigns';
import { api } from '../../lib/api';

export interface OrgRef {
  id: number;
  code: string;
  name: string;
}

export interface MyAssignment {
  orgId: number;
  orgName: string;
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
}

export interface CampaignSummary {
  id: string;
  kind: CampaignKind;
  year: number;
  docNumber: string;
  title: string;
  subject: string;
  issueDate: string;
  festivalDate: string;
  reportDeadline: string | null;
  status: CampaignStatus;
  issuingOrg: OrgRef;
  implementsId: string | null;
  myAssignment: MyAssignment | null;
}

export interface CampaignPermissions {
  update: boolean;
  issue: boolean;
  close: boolean;
  copy: boolean;
  remind: boolean;
  acknowledge: boolean;
}

export interface Campaign extends CampaignSummary {
  place: string;
  preamble: string;
  sections: PlanSection[];
  recipients: string[];
  signer: PlanSigner;
  festivalDateOverridden: boolean;
  computedFestivalDate: string | null;
  entryFrom: string | null;
  entryTo: string | null;
  settings: CampaignSettings;
  implements: { id: string; docNumber: string; title: string; issuingOrgName: string } | null;
  issuedAt: string | null;
  closedAt: string | null;
  version: number;
  pdfAvailable: boolean;
  permissions: CampaignPermissions;
}

export interface CampaignInput {
  kind: CampaignKind;
  year: number;
  docNumber: string;
  place: string;
  issueDate: string;
  title: string;
  subject: string;
  implementsId?: string | null;
  preamble?: string;
  sections?: PlanSection[];
  recipients?: string[];
  signer?: PlanSigner;
  festivalDate?: string | null;
  reportDeadline?: string | null;
  entryFrom?: string | null;
  entryTo?: string | null;
  settings?: Partial<CampaignSettings>;
}

export interface Coverage {
  orgId: number;
  inScope: number;
  acknowledged: number;
  notAcknowledged: number;
  percent: number;
  missing: { orgId: number; code: string; name: string }[];
}

export interface Assignment {
  orgId: number;
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
  status: 'active' | 'excluded';
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
  lastRemindedAt: string | null;
  reminders: number;
  excludedReason: string | null;
  addedReason: string | null;
}

export interface PlanTreeNode {
  id: string;
  docNumber: string;
  title: string;
  status: CampaignStatus;
  issuingOrg: OrgRef;
  coverage: { inScope: number; acknowledged: number; percent: number };
  children: PlanTreeNode[];
  withoutPlan: { orgId: number; code: string; name: string }[];
}

export interface Notice {
  id: string;
  orgId: number;
  orgName: string;
  campaignId: string | null;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
}

export interface ListFilters {
  year?: number | null;
  status?: CampaignStatus | null;
  kind?: CampaignKind | null;
  box: 'all' | 'inbox';
}

export const campaignKeys = {
  all: ['campaigns'] as const,
  list: (f: ListFilters) => ['campaigns', 'list', f] as const,
  detail: (id: string) => ['campaigns', 'detail', id] as const,
  coverage: (id: string) => ['campaigns', 'coverage', id] as const,
  assignments: (id: string) => ['campaigns', 'assignments', id] as const,
  tree: (id: string) => ['campaigns', 'tree', id] as const,
  notices: ['notices'] as const,
  lunar: (year: number, month: number, day: number) => ['calendar', 'lunar', year, month, day] as const,
};

const base = '/api/v1/campaigns';

export function useCampaigns(f: ListFilters, enabled = true) {
  return useQuery({
    queryKey: campaignKeys.list(f),
    queryFn: ({ signal }) =>
      api<{ items: CampaignSummary[] }>(base, {
        query: { year: f.year ?? undefined, status: f.status ?? undefined, kind: f.kind ?? undefined, box: f.box },
        signal,
      }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCampaign(id: string) {
  return useQuery({
    queryKey: campaignKeys.detail(id),
    queryFn: ({ signal }) => api<Campaign>(`${base}/${id}`, { signal }),
  });
}

export function useCoverage(id: string, enabled = true) {
  return useQuery({
    queryKey: campaignKeys.coverage(id),
    queryFn: ({ signal }) => api<Coverage>(`${base}/${id}/coverage`, { signal }),
    enabled,
  });
}

export function useAssignments(id: string, enabled = true) {
  return useQuery({
    queryKey: campaignKeys.assignments(id),
    queryFn: ({ signal }) => api<{ items: Assignment[] }>(`${base}/${id}/assignments`, { signal }),
    enabled,
  });
}

export function usePlanTree(id: string, enabled = true) {
  return useQuery({
    queryKey: campaignKeys.tree(id),
    queryFn: ({ signal }) => api<PlanTreeNode>(`${base}/${id}/plan-tree`, { signal }),
    enabled,
  });
}

export function useNotices(enabled = true) {
  return useQuery({
    queryKey: campaignKeys.notices,
    queryFn: ({ signal }) => api<{ items: Notice[] }>('/api/v1/notices', { query: { limit: 5 }, signal }),
    enabled,
  });
}

/** The solar date of a lunar date (the festival of a plan kind), or null when none. */
export function useLunarDate(q: { year: number; month: number; day: number } | null) {
  return useQuery({
    queryKey: campaignKeys.lunar(q?.year ?? 0, q?.month ?? 0, q?.day ?? 0),
    queryFn: ({ signal }) =>
      api<{ solar: string }>('/api/v1/calendar/lunar', { query: { year: q!.year, month: q!.month, day: q!.day }, signal }),
    enabled: q !== null && q.year >= 1900 && q.year <= 2199,
    staleTime: Infinity,
  });
}

function useInvalidateCampaigns() {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: campaignKeys.all }), qc.invalidateQueries({ queryKey: campaignKeys.notices })]);
}

export function useCreateCampaign() {
  const invalidate = useInvalidateCampaigns();
  return useMutation({
    mutationFn: (body: CampaignInput & { issuingOrgId: number }) => api<Campaign>(base, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateCampaign(id: string) {
  const invalidate = useInvalidateCampaigns();
  return useMutation({
    mutationFn: (body: Partial<CampaignInput> & { version?: number }) => api<Campaign>(`${base}/${id}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

/** issue / close: a POST without a body that answers the campaign. */
export function useCampaignAction(id: string, action: 'issue' | 'close') {
  const invalidate = useInvalidateCampaigns();
  return useMutation({
    mutationFn: () => api<Campaign>(`${base}/${id}/${action}`, { method: 'POST', body: {} }),
    onSuccess: invalidate,
  });
}

export function useCopyCampaign(id: string) {
  const invalidate = useInvalidateCampaigns();
  return useMutation({
    mutationFn: (year: number) => api<Campaign>(`${base}/${id}/copy`, { method: 'POST', body: { year } }),
    onSuccess: invalidate,
  });
}

export function useAcknowledge() {
  const invalidate = useInvalidateCampaigns();
  return useMutation({
    mutationFn: (id: string) =>
      api<{ orgId: number; acknowledgedAt: string; acknowledgedByName: string | null }>(`${base}/${id}/acknowledgements`, {
        method: 'POST',
        body: {},
      }),
    onSuccess: invalidate,
  });
}

export function useRemind(id: string) {
  const invalidate = useInvalidateCampaigns();
  return useMutation({
    mutationFn: (message?: string) => api<{ reminded: number }>(`${base}/${id}/reminders`, { method: 'POST', body: message ? { message } : {} }),
    onSuccess: invalidate,
  });
}

export function useExcludeAssignment(id: string) {
  const invalidate = useInvalidateCampaigns();
  return useMutation({
    mutationFn: ({ orgId, reason }: { orgId: number; reason: string }) =>
      api<{ orgId: number }>(`${base}/${id}/assignments/${orgId}/exclude`, { method: 'POST', body: { reason } }),
    onSuccess: invalidate,
  });
}

export const docxUrl = (id: string) => `${base}/${id}/document.docx`;
export const pdfUrl = (id: string) => `${base}/${id}/document.pdf`;

/** The lunar date of each kind's festival (Tết Thiếu nhi is solar 1/6: no lunar look-up). */
export const LUNAR_FESTIVAL: Partial<Record<CampaignKind, { month: number; day: number }>> = {
  trung_thu: { month: 8, day: 15 },
  tet_nguyen_dan: { month: 1, day: 1 },
};

/** "85.7" → "85,7"; whole numbers without decimals. */
export function formatPercent(p: number): string {
  const rounded = Math.round(p * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1).replace('.', ',');
}
