import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AchievementLevel, Circumstance } from '../../../../common/children';
import type { PriorityGroup } from '../../../../common/campaigns';
import { ROLE_PERMISSIONS } from '../../../../common/permissions';
import type { Me } from '../auth/api';
import { api } from '../../lib/api';

export type ConsentMethod = 'paper' | 'app';
export type DisabilityLevel = 'mild' | 'severe' | 'especially_severe';

export interface ChildParent {
  memberId: string;
  fullName: string;
  orgId: number;
  orgName: string;
  phone: string | null;
  department: string | null;
  isUnionMember: boolean;
}

export interface CircumstanceItem {
  code: Circumstance;
  level?: DisabilityLevel;
  note?: string;
}

export interface AchievementItem {
  schoolYear: string;
  level: AchievementLevel;
  note?: string;
}

export interface ConsentIn {
  givenBy: string;
  date: string;
  method: ConsentMethod;
}

export interface Consent extends ConsentIn {
  recordedBy: string;
  recordedAt: string;
}

export interface DuplicateRef {
  childId: string;
  orgId: number;
  orgName: string;
}

export interface Child {
  id: string;
  orgId: number;
  orgName: string;
  fullName: string;
  birthDate: string;
  age: number;
  sex: 'male' | 'female';
  school: string | null;
  grade: string | null;
  parents: ChildParent[];
  circumstances: CircumstanceItem[];
  sensitiveHidden: boolean;
  hasPriority: boolean;
  achievements: AchievementItem[];
  parentConsent: Consent | null;
  childConsent: Consent | null;
  duplicates: DuplicateRef[];
  version: number;
}

export type ParentIn =
  | { memberId: string }
  | { fullName: string; phone?: string; department?: string; isUnionMember?: boolean; idNumber?: string };

export interface ChildInput {
  fullName: string;
  birthDate: string;
  sex: 'male' | 'female';
  school?: string | null;
  grade?: string | null;
  parents: ParentIn[];
  circumstances?: CircumstanceItem[];
  achievements?: AchievementItem[];
  parentConsent?: ConsentIn | null;
  childConsent?: ConsentIn | null;
}

export interface EligibleItem {
  rank: number;
  childId: string;
  fullName: string;
  birthDate: string;
  ageOnFestival: number;
  orgId: number;
  orgName: string;
  priorityGroup: PriorityGroup | null;
  duplicates: DuplicateRef[];
}

export interface EligibleList {
  festivalDate: string;
  ageLimit: number;
  items: EligibleItem[];
}

export interface ImportIssue {
  row: number;
  column: string;
  message: string;
}

/** The same child already registered by another unit. */
export interface ImportDuplicate {
  row: number;
  fullName: string;
  birthDate: string;
  otherOrgName: string;
}

export interface ChildImportResult {
  total: number;
  valid: number;
  created: number;
  updated: number;
  /** Children already exactly as in the file. */
  unchanged?: number;
  errors: ImportIssue[];
  duplicates: ImportDuplicate[];
  committed: boolean;
}

export interface ChildListFilters {
  orgId: number;
  q: string;
  limit: number;
  offset: number;
}

export const childKeys = {
  all: ['children'] as const,
  list: (f: ChildListFilters) => ['children', 'list', f] as const,
  detail: (id: string) => ['children', 'detail', id] as const,
  eligible: (campaignId: string, orgId: number | null) => ['children', 'eligible', campaignId, orgId] as const,
};

export function useChildren(f: ChildListFilters, enabled = true) {
  return useQuery({
    queryKey: childKeys.list(f),
    queryFn: ({ signal }) =>
      api<{ items: Child[]; total: number }>(`/api/v1/orgs/${f.orgId}/children`, {
        query: { q: f.q.trim() || undefined, limit: f.limit, offset: f.offset },
        signal,
      }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useChild(id: string) {
  return useQuery({
    queryKey: childKeys.detail(id),
    queryFn: ({ signal }) => api<Child>(`/api/v1/children/${id}`, { signal }),
  });
}

export function useEligible(campaignId: string, orgId: number | null, enabled = true) {
  return useQuery({
    queryKey: childKeys.eligible(campaignId, orgId),
    queryFn: ({ signal }) =>
      api<EligibleList>(`/api/v1/campaigns/${campaignId}/eligible`, { query: { orgId: orgId ?? undefined }, signal }),
    enabled,
  });
}

function useInvalidateChildren() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: childKeys.all });
}

export function useCreateChild() {
  const invalidate = useInvalidateChildren();
  return useMutation({
    mutationFn: (body: ChildInput & { orgId: number }) => api<Child>('/api/v1/children', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateChild(id: string) {
  const invalidate = useInvalidateChildren();
  return useMutation({
    mutationFn: (body: Partial<ChildInput> & { version?: number }) => api<Child>(`/api/v1/children/${id}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

export function useNotDuplicate(id: string) {
  const invalidate = useInvalidateChildren();
  return useMutation({
    mutationFn: (body: { otherChildId: string; reason: string }) =>
      api<void>(`/api/v1/children/${id}/not-duplicate`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useImportChildren(orgId: number | null) {
  const invalidate = useInvalidateChildren();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) => {
      const fd = new FormData();
      fd.append('file', file);
      return api<ChildImportResult>(`/api/v1/orgs/${orgId ?? 0}/children/import`, {
        method: 'POST',
        query: { dryRun: dryRun ? 'true' : 'false' },
        body: fd,
      });
    },
    onSuccess: (res) => (res.committed ? invalidate() : undefined),
  });
}

export const childTemplateUrl = (orgId: number) => `/api/v1/orgs/${orgId}/children/template.xlsx`;
export const childExportUrl = (orgId: number, q: string) =>
  `/api/v1/orgs/${orgId}/children/export.xlsx${q.trim() ? `?q=${encodeURIComponent(q.trim())}` : ''}`;

/** The unit a user works for by default: the first unit where they may read the register. */
export function homeOrgId(me: Me | null): number | null {
  if (!me) return null;
  const g = me.grants.find((x) => ROLE_PERMISSIONS[x.role].includes('children.read')) ?? me.grants[0];
  return g?.orgId ?? null;
}

/** The unit last looked at in the register, per user and browser tab (a federation officer moves between units). */
const unitKey = (me: Me | null) => `lantern.children.orgId.${me?.id ?? ''}`;

export function storedUnit(me: Me | null): number | null {
  try {
    const v = Number(window.sessionStorage.getItem(unitKey(me)));
    return Number.isInteger(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

export function rememberUnit(me: Me | null, id: number | null): void {
  try {
    if (id) window.sessionStorage.setItem(unitKey(me), String(id));
    else window.sessionStorage.removeItem(unitKey(me));
  } catch {
    // Storage unavailable: the choice lasts for this page only.
  }
}
