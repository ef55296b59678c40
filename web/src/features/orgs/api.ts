import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrgKind } from '../../../../common/org-kinds';
import { api } from '../../lib/api';

export type OrgStatus = 'active' | 'dissolved' | 'merged';

export interface OrgNode {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  kind: OrgKind;
  status: OrgStatus;
  children: OrgNode[];
  additionalRoots?: OrgNode[];
}

export interface OrgSummary {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  kind: OrgKind;
  status: OrgStatus;
  parentId: number | null;
  parentName: string | null;
}

export interface OrgPermissions {
  update: boolean;
  move: boolean;
  merge: boolean;
  dissolve: boolean;
  createChild: boolean;
}

export interface Org {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  kind: OrgKind;
  status: OrgStatus;
  parentId: number | null;
  ancestors: { id: number; code: string; name: string }[];
  emails: string[];
  phone: string | null;
  validFrom: string;
  validTo: string | null;
  mergedIntoId: number | null;
  children: OrgSummary[];
  version: number;
  permissions: OrgPermissions;
}

export type OrgEvent = 'created' | 'updated' | 'moved' | 'merged' | 'dissolved' | 'absorbed';

export interface OrgHistoryItem {
  validFrom: string;
  validTo: string | null;
  code: string;
  name: string;
  kind: OrgKind;
  parentId: number | null;
  parentName: string | null;
  event: OrgEvent;
}

export interface ImportResult {
  total: number;
  valid: number;
  errors: { row: number; column: string; message: string }[];
  created: number;
  committed: boolean;
}

export type ImportMode = 'dry-run' | 'all' | 'valid-only';

export interface OrgInput {
  code: string;
  name: string;
  kind: OrgKind;
  shortName?: string | null;
  emails?: string[];
  phone?: string | null;
}

export const orgKeys = {
  all: ['orgs'] as const,
  tree: (date?: string) => ['orgs', 'tree', date ?? 'today'] as const,
  search: (q: string) => ['orgs', 'search', q] as const,
  detail: (id: number) => ['orgs', 'detail', id] as const,
  history: (id: number) => ['orgs', 'history', id] as const,
};

/** Every root the caller can see: the top unit and any disjoint extra roots. */
export function treeRoots(tree: OrgNode | undefined | null): OrgNode[] {
  if (!tree) return [];
  return [tree, ...(tree.additionalRoots ?? [])];
}

export const orgTreeQuery = (date?: string) =>
  queryOptions({
    queryKey: orgKeys.tree(date),
    queryFn: ({ signal }) => api<OrgNode | null>('/api/v1/orgs/tree', { query: { date }, signal }),
  });

export function useOrgTree(date?: string) {
  return useQuery({ ...orgTreeQuery(date), placeholderData: keepPreviousData });
}

export function useOrgSearch(q: string) {
  return useQuery({
    queryKey: orgKeys.search(q),
    queryFn: ({ signal }) =>
      api<{ items: OrgSummary[]; total: number }>('/api/v1/orgs', { query: { q, limit: 50 }, signal }),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });
}

export function useOrg(id: number) {
  return useQuery({
    queryKey: orgKeys.detail(id),
    queryFn: ({ signal }) => api<Org>(`/api/v1/orgs/${id}`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useOrgHistory(id: number) {
  return useQuery({
    queryKey: orgKeys.history(id),
    queryFn: ({ signal }) => api<{ items: OrgHistoryItem[] }>(`/api/v1/orgs/${id}/history`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

/** After any change to the tree, every org query may be stale. */
function useInvalidateOrgs() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: orgKeys.all });
}

export function useCreateOrg() {
  const invalidate = useInvalidateOrgs();
  return useMutation({
    mutationFn: (body: OrgInput & { parentId: number }) => api<Org>('/api/v1/orgs', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateOrg(id: number) {
  const invalidate = useInvalidateOrgs();
  return useMutation({
    mutationFn: (body: Partial<OrgInput> & { version?: number }) => api<Org>(`/api/v1/orgs/${id}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

export function useMoveOrg(id: number) {
  const invalidate = useInvalidateOrgs();
  return useMutation({
    mutationFn: (body: { newParentId: number; effectiveDate?: string }) =>
      api<Org>(`/api/v1/orgs/${id}/move`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useMergeOrg(id: number) {
  const invalidate = useInvalidateOrgs();
  return useMutation({
    mutationFn: (body: { survivorId: number; effectiveDate?: string }) =>
      api<Org>(`/api/v1/orgs/${id}/merge`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useDissolveOrg(id: number) {
  const invalidate = useInvalidateOrgs();
  return useMutation({
    mutationFn: (body: { effectiveDate?: string; reason?: string }) =>
      api<Org>(`/api/v1/orgs/${id}/dissolve`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useImportOrgs() {
  const invalidate = useInvalidateOrgs();
  return useMutation({
    mutationFn: ({ file, mode }: { file: File; mode: ImportMode }) => {
      const fd = new FormData();
      fd.append('file', file);
      return api<ImportResult>('/api/v1/orgs/import', { method: 'POST', query: { mode }, body: fd });
    },
    onSuccess: (res) => {
      if (res.committed) void invalidate();
    },
  });
}

export const IMPORT_TEMPLATE_URL = '/api/v1/orgs/import/template';
