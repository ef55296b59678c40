import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildUrl } from '../../lib/api';

export type BenefitStatus = 'planned' | 'approved' | 'delivered' | 'cancelled';

export interface Benefit {
  id: string;
  campaignId: string;
  orgId: number;
  orgName: string;
  childId: string;
  childName: string;
  childBirthDate: string;
  kind: string;
  kindName: string;
  item: string | null;
  value: number;
  fundingSource?: 'unit_funds' | 'upper_funds' | 'sponsor';
  /** The paying sponsor, when fundingSource is 'sponsor'. */
  sponsorName?: string | null;
  status: BenefitStatus;
  note: string | null;
  approvedAt: string | null;
  deliveredAt: string | null;
  deliveredByName: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  createdAt: string;
  version: number;
}

interface CountValue {
  count: number;
  value: number;
}

export interface BenefitBudget {
  amount: number | null;
  source: 'unit' | 'per_unit' | 'total' | 'none';
  spent: number;
  remaining: number | null;
}

export interface BenefitList {
  items: Benefit[];
  totals: {
    count: number;
    value: number;
    byKind?: { kind: string; name: string; count: number; value: number }[];
    byStatus?: Partial<Record<BenefitStatus, CountValue>>;
  };
  budget?: BenefitBudget | null;
}

export interface AllocateResult {
  created: Benefit[];
  totalValue: number;
  budget: number | null;
  remaining: number | null;
  /** What is left of the funding source after these proposals. */
  fundsLeft?: number;
  skipped: { childId: string; kind: string; reason: 'already_given' | 'given_elsewhere' | 'over_budget' | 'insufficient_funds'; orgName?: string }[];
}

export interface ScanResult {
  status: 'delivered' | 'already_delivered';
  benefit: {
    id: string;
    kind: string;
    kindName: string;
    value: number;
    childName: string;
    orgName: string;
    deliveredAt: string;
    deliveredByName: string | null;
  };
  message: string;
}

export const benefitKeys = {
  all: ['benefits'] as const,
  list: (campaignId: string, orgId: number | null) => ['benefits', 'list', campaignId, orgId] as const,
};

export function useBenefits(campaignId: string, orgId: number | null, enabled = true) {
  return useQuery({
    queryKey: benefitKeys.list(campaignId, orgId),
    queryFn: ({ signal }) => api<BenefitList>(`/api/v1/campaigns/${campaignId}/benefits`, { query: { orgId: orgId ?? undefined }, signal }),
    enabled,
  });
}

function useInvalidateBenefits() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: benefitKeys.all });
}

export interface AllocateInput {
  orgId: number;
  budget?: number;
  kinds?: string[];
  /** Where the gifts are paid from (default the unit's union funds); a sponsor's money needs sponsorId. */
  fundingSource?: 'unit_funds' | 'upper_funds' | 'sponsor';
  sponsorId?: string;
}

export function useAllocate(campaignId: string) {
  const invalidate = useInvalidateBenefits();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AllocateInput) => api<AllocateResult>(`/api/v1/campaigns/${campaignId}/allocate`, { method: 'POST', body }),
    // Gifts spend the unit's funds: the funds screens read them too.
    onSuccess: () => Promise.all([invalidate(), qc.invalidateQueries({ queryKey: ['funds'] })]),
  });
}

export function useUpdateBenefit() {
  const invalidate = useInvalidateBenefits();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; status: 'approved' | 'delivered' | 'cancelled'; cancelReason?: string; version?: number }) =>
      api<Benefit>(`/api/v1/benefits/${id}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

export function postScan(body: { token: string; deliveredAt?: string; clientId?: string }): Promise<ScanResult> {
  return api<ScanResult>('/api/v1/deliveries/scan', { method: 'POST', body });
}

export const vouchersUrl = (campaignId: string, orgId: number | null) =>
  buildUrl(`/api/v1/campaigns/${campaignId}/vouchers.html`, { orgId: orgId ?? undefined });
export const signatureListUrl = (campaignId: string, orgId: number | null) =>
  buildUrl(`/api/v1/campaigns/${campaignId}/signature-list.xlsx`, { orgId: orgId ?? undefined });

export const countOf = (x: readonly unknown[] | number): number => (typeof x === 'number' ? x : x.length);
