import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AchievementLevel, Circumstance } from '../../../../common/children';
import type { PriorityGroup } from '../../../../common/campaigns';
import { ROLE_PERMISSIONS } from '../../../../common/permissions';
import type { Me } from '../auth/api';
import { api, ApiError, buildUrl } from '../../lib/api';
import { currentLocale, i18n } from '../../i18n';

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
  /** The first 1,000 errors (then a line, row 0, saying how many more). */
  errors: ImportIssue[];
  /** All the errors, listed or not. */
  errorCount?: number;
  /** The first 1,000. */
  duplicates: ImportDuplicate[];
  duplicateCount?: number;
  committed: boolean;
}

/** How far the server is with an import (rows read; or checked, or written, of total). */
export interface ChildImportProgress {
  phase: 'waiting' | 'reading' | 'checking' | 'writing' | 'done';
  rows: number;
  total: number | null;
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

/** A fresh id for an import, to follow its progress (also where crypto.randomUUID is not offered: plain http). */
export function newImportId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const FALLBACK: Record<number, string> = { 401: 'errors.unauthorized', 403: 'errors.forbidden', 404: 'errors.notFound', 409: 'errors.conflict', 400: 'errors.validation', 422: 'errors.validation', 429: 'errors.tooMany' };

/**
 * A multipart POST through XMLHttpRequest, which (unlike fetch) tells how
 * much of the body has been sent. Answers as api() does: the parsed body, or
 * an ApiError with the server's message and field errors.
 */
async function postForm<T>(path: string, query: Record<string, string>, form: FormData, onUpload: (fraction: number) => void): Promise<T> {
  // The session's current CSRF token (api() keeps it to itself).
  const { csrfToken } = await api<{ csrfToken: string }>('/api/v1/auth/me');
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl(path, query));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', currentLocale());
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onUpload(e.loaded / e.total);
    };
    xhr.upload.onload = () => onUpload(1);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', i18n.t('errors.network')));
    xhr.onload = () => {
      let data: unknown = undefined;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        // Not JSON (a proxy's error page): the generic message below.
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data as T);
        return;
      }
      const error = (data as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | undefined)?.error;
      const fields: Record<string, string> = {};
      if (error?.fields && typeof error.fields === 'object')
        for (const [k, v] of Object.entries(error.fields as Record<string, unknown>)) if (typeof v === 'string') fields[k] = v;
      reject(
        new ApiError(
          xhr.status,
          typeof error?.code === 'string' ? error.code : `HTTP_${xhr.status}`,
          typeof error?.message === 'string' && error.message ? error.message : i18n.t(FALLBACK[xhr.status] ?? 'errors.generic'),
          fields,
        ),
      );
    };
    xhr.send(form);
  });
}

export interface ChildImportRun {
  file: File;
  dryRun: boolean;
  /** From newImportId(): the server reports this import's progress under it. */
  importId: string;
  /** The share of the file sent so far, 0 to 1. */
  onUpload?: (fraction: number) => void;
}

export function useImportChildren(orgId: number | null) {
  const invalidate = useInvalidateChildren();
  return useMutation({
    mutationFn: ({ file, dryRun, importId, onUpload }: ChildImportRun) => {
      const fd = new FormData();
      fd.append('file', file);
      return postForm<ChildImportResult>(`/api/v1/orgs/${orgId ?? 0}/children/import`, { dryRun: dryRun ? 'true' : 'false', importId }, fd, onUpload ?? (() => {}));
    },
    onSuccess: (res) => (res.committed ? invalidate() : undefined),
  });
}

/** The server's progress on import `importId`, asked every half second while `importId` is set. */
export function useChildImportProgress(orgId: number | null, importId: string | null) {
  return useQuery({
    queryKey: ['childImportProgress', orgId, importId],
    queryFn: ({ signal }) =>
      api<ChildImportProgress>(`/api/v1/orgs/${orgId ?? 0}/children/import/progress`, { query: { id: importId ?? '' }, signal }),
    enabled: orgId !== null && importId !== null,
    refetchInterval: 500,
    refetchIntervalInBackground: true,
    retry: false,
    gcTime: 0,
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
