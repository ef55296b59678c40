import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, buildUrl } from '../../lib/api';

/*
 * Sponsors and the money of a campaign (server/modules/funds/funds.schemas.ts).
 * Money is whole đồng. A unit holds a campaign's money per source: its own
 * union funds, funds passed down from above, and each sponsor's money apart.
 */

export const FUND_SOURCES = ['unit_funds', 'upper_funds', 'sponsor'] as const;
export type FundSource = (typeof FUND_SOURCES)[number];
export const SPONSOR_KINDS = ['organization', 'individual'] as const;
export type SponsorKind = (typeof SPONSOR_KINDS)[number];
export type GiftForm = 'cash' | 'in_kind';
export const RECEIPT_METHODS = ['cash', 'bank_transfer', 'other'] as const;
export type ReceiptMethod = (typeof RECEIPT_METHODS)[number];
export type PledgeStatus = 'open' | 'partly_received' | 'received' | 'cancelled';
export type EntryKind = 'allocation' | 'receipt' | 'transfer_in' | 'transfer_out' | 'event_cost' | 'child_sponsorship' | 'correction';

export interface OrgRef {
  id: number;
  code: string;
  name: string;
}

// ---------------------------------------------------------------- sponsors

export interface Sponsor {
  id: string;
  orgId: number;
  orgName: string;
  kind: SponsorKind;
  name: string;
  contactName: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  taxCode: string | null;
  notes: string | null;
  publiclyNamed: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  canEdit: boolean;
}

export interface SponsorHistoryItem {
  campaignId: string;
  docNumber: string;
  year: number;
  title: string;
  orgId: number;
  orgName: string;
  pledged: number;
  received: number;
}

export interface SponsorDetail extends Sponsor {
  history: SponsorHistoryItem[];
}

export interface SponsorFields {
  kind: SponsorKind;
  name: string;
  contactName?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  taxCode?: string | null;
  notes?: string | null;
  publiclyNamed?: boolean;
}

// ---------------------------------------------------------------- ledger

export interface InFigures {
  allocations: number;
  receipts: number;
  transfersIn: number;
  corrections: number;
  total: number;
}

export interface OutFigures {
  benefits: number;
  eventCosts: number;
  transfersDown: number;
  childSponsorship: number;
  corrections: number;
  total: number;
}

export interface LedgerSource {
  source: FundSource;
  sponsorId: string | null;
  sponsorName: string | null;
  label: string;
  in: InFigures;
  out: OutFigures;
  balance: number;
}

export interface FundEntry {
  id: string;
  campaignId: string;
  orgId: number;
  source: FundSource;
  sponsorId: string | null;
  sponsorName: string | null;
  direction: 'in' | 'out';
  kind: EntryKind;
  amount: number;
  occurredOn: string;
  counterpartOrg: OrgRef | null;
  receiptId: string | null;
  transferId: string | null;
  earmarkId: string | null;
  activityId: string | null;
  note: string | null;
  createdAt: string;
}

export interface Ledger {
  campaignId: string;
  org: OrgRef;
  sources: LedgerSource[];
  entries: FundEntry[];
  totals: { in: InFigures; out: OutFigures; balance: number };
  pledges: { pledged: number; received: number; outstanding: number };
  canWrite: boolean;
}

export interface SubtreeSource {
  source: FundSource;
  in: number;
  out: number;
  balance: number;
}

export interface SubtreeFigures {
  bySource: SubtreeSource[];
  in: number;
  out: number;
  balance: number;
}

export interface FundSummary {
  campaignId: string;
  org: OrgRef;
  totals: SubtreeFigures;
  spending: { benefits: number; eventCosts: number; childSponsorship: number; corrections: number };
  children: (SubtreeFigures & { org: OrgRef })[];
}

// ---------------------------------------------------------------- pledges, receipts, earmarks

export interface Pledge {
  id: string;
  campaignId: string;
  orgId: number;
  orgName: string;
  sponsorId: string;
  sponsorName: string;
  form: GiftForm;
  item: string | null;
  quantity: number | null;
  unitValue: number | null;
  amount: number;
  pledgedOn: string;
  note: string | null;
  received: number;
  outstanding: number;
  status: PledgeStatus;
  cancelledAt: string | null;
  cancelReason: string | null;
  createdAt: string;
}

export interface PledgeList {
  items: Pledge[];
  totals: { count: number; pledged: number; received: number; outstanding: number };
}

export interface Receipt {
  id: string;
  campaignId: string;
  orgId: number;
  orgName: string;
  sponsorId: string;
  sponsorName: string;
  pledgeId: string | null;
  form: GiftForm;
  item: string | null;
  quantity: number | null;
  unitValue: number | null;
  amount: number;
  receivedOn: string;
  receiptNo: string | null;
  method: ReceiptMethod | null;
  note: string | null;
  createdAt: string;
}

export interface ReceiptList {
  items: Receipt[];
  totals: { count: number; amount: number; cash: number; inKind: number };
}

export interface Earmark {
  id: string;
  campaignId: string;
  orgId: number;
  orgName: string;
  sponsorId: string;
  sponsorName: string;
  receiptId: string | null;
  target: 'unit' | 'child';
  targetOrg: OrgRef | null;
  childId: string | null;
  childName: string | null;
  amount: number;
  periodFrom: string | null;
  periodTo: string | null;
  note: string | null;
  createdAt: string;
}

export interface EarmarkList {
  items: Earmark[];
  totals: { count: number; amount: number };
}

export interface ChildSponsorship {
  earmarkId: string;
  campaignId: string;
  docNumber: string;
  campaignTitle: string;
  year: number;
  orgId: number;
  orgName: string;
  sponsorId: string;
  sponsorName: string;
  amount: number;
  periodFrom: string | null;
  periodTo: string | null;
  note: string | null;
  createdAt: string;
}

export interface PublicFunds {
  campaign: { id: string; docNumber: string; title: string; year: number; issuingOrgName: string };
  bySource: { source: FundSource; label: string; in: number; out: number; balance: number }[];
  totals: { in: number; out: number; balance: number };
  sponsors: { name: string; kind: SponsorKind; received: number; inKindItems: string[] }[];
  otherSponsors: { count: number; received: number };
  updatedAt: string;
}

// ---------------------------------------------------------------- write bodies

interface InKind {
  form: 'in_kind';
  item: string;
  quantity: number;
  unitValue: number;
}

export interface AllocationInput {
  orgId: number;
  amount: number;
  occurredOn?: string;
  note?: string;
  requestId?: string;
}

export interface TransferInput {
  fromOrgId: number;
  toOrgId: number;
  source: FundSource;
  sponsorId?: string;
  amount: number;
  transferredOn?: string;
  note?: string;
  requestId?: string;
}

interface PledgeCommon {
  orgId: number;
  sponsorId: string;
  pledgedOn: string;
  note?: string;
  requestId?: string;
}
export type PledgeInput = PledgeCommon & ({ form: 'cash'; amount: number } | InKind);

interface ReceiptCommon {
  orgId: number;
  sponsorId?: string;
  pledgeId?: string;
  receivedOn: string;
  receiptNo?: string;
  note?: string;
  requestId?: string;
}
export type ReceiptInput = ReceiptCommon & ({ form: 'cash'; amount: number; method: ReceiptMethod } | InKind);

export interface EarmarkInput {
  orgId: number;
  sponsorId: string;
  receiptId?: string;
  amount: number;
  targetOrgId?: number;
  childId?: string;
  periodFrom?: string;
  periodTo?: string;
  occurredOn?: string;
  note?: string;
  requestId?: string;
}

/** A key made once per opened form and sent with each try, so a retried submit is not recorded twice. */
export function newRequestId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

// ---------------------------------------------------------------- queries

export const fundKeys = {
  all: ['funds'] as const,
  sponsors: (q: string, orgId: number | null, limit: number, offset: number) => ['funds', 'sponsors', q, orgId, limit, offset] as const,
  sponsor: (id: string) => ['funds', 'sponsor', id] as const,
  ledger: (campaignId: string, orgId: number) => ['funds', 'ledger', campaignId, orgId] as const,
  summary: (campaignId: string, orgId: number) => ['funds', 'summary', campaignId, orgId] as const,
  pledges: (campaignId: string, orgId: number) => ['funds', 'pledges', campaignId, orgId] as const,
  receipts: (campaignId: string, orgId: number) => ['funds', 'receipts', campaignId, orgId] as const,
  earmarks: (campaignId: string, orgId: number) => ['funds', 'earmarks', campaignId, orgId] as const,
  child: (childId: string) => ['funds', 'child', childId] as const,
  publicPage: (campaignId: string) => ['funds', 'public', campaignId] as const,
};

export const SPONSOR_PAGE_SIZE = 50;

export function useSponsors(q: string, opts: { orgId?: number | null; page?: number; limit?: number; enabled?: boolean } = {}) {
  const limit = opts.limit ?? SPONSOR_PAGE_SIZE;
  const offset = ((opts.page ?? 1) - 1) * limit;
  const orgId = opts.orgId ?? null;
  return useQuery({
    queryKey: fundKeys.sponsors(q, orgId, limit, offset),
    queryFn: ({ signal }) =>
      api<{ items: Sponsor[]; total: number }>('/api/v1/sponsors', {
        query: { q: q.trim() || undefined, orgId: orgId ?? undefined, limit, offset },
        signal,
      }),
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });
}

export function useSponsor(id: string | null) {
  return useQuery({
    queryKey: fundKeys.sponsor(id ?? ''),
    queryFn: ({ signal }) => api<SponsorDetail>(`/api/v1/sponsors/${id}`, { signal }),
    enabled: id !== null,
  });
}

export function useLedger(campaignId: string, orgId: number, enabled = true) {
  return useQuery({
    queryKey: fundKeys.ledger(campaignId, orgId),
    queryFn: ({ signal }) => api<Ledger>(`/api/v1/campaigns/${campaignId}/funds`, { query: { orgId }, signal }),
    enabled,
  });
}

export function useFundSummary(campaignId: string, orgId: number) {
  return useQuery({
    queryKey: fundKeys.summary(campaignId, orgId),
    queryFn: ({ signal }) => api<FundSummary>(`/api/v1/campaigns/${campaignId}/funds/summary`, { query: { orgId }, signal }),
  });
}

export function usePledges(campaignId: string, orgId: number) {
  return useQuery({
    queryKey: fundKeys.pledges(campaignId, orgId),
    queryFn: ({ signal }) => api<PledgeList>(`/api/v1/campaigns/${campaignId}/funds/pledges`, { query: { orgId }, signal }),
  });
}

export function useReceipts(campaignId: string, orgId: number) {
  return useQuery({
    queryKey: fundKeys.receipts(campaignId, orgId),
    queryFn: ({ signal }) => api<ReceiptList>(`/api/v1/campaigns/${campaignId}/funds/receipts`, { query: { orgId }, signal }),
  });
}

export function useEarmarks(campaignId: string, orgId: number) {
  return useQuery({
    queryKey: fundKeys.earmarks(campaignId, orgId),
    queryFn: ({ signal }) => api<EarmarkList>(`/api/v1/campaigns/${campaignId}/funds/earmarks`, { query: { orgId }, signal }),
  });
}

export function useChildSponsorships(childId: string, enabled = true) {
  return useQuery({
    queryKey: fundKeys.child(childId),
    queryFn: ({ signal }) => api<{ items: ChildSponsorship[]; total: number }>(`/api/v1/children/${childId}/sponsorships`, { signal }),
    enabled,
  });
}

export function publicFundsPath(campaignId: string): string {
  return `/api/v1/public/campaigns/${campaignId}/funds`;
}

/**
 * The public page's figures; null when the page is off (the server answers 404).
 * `fresh` skips the browser's cache of the public answer (the officer's switch
 * must show the state just set, not one cached minutes ago).
 */
export function usePublicFunds(campaignId: string, fresh = false) {
  return useQuery({
    queryKey: [...fundKeys.publicPage(campaignId), fresh] as const,
    queryFn: async ({ signal }) => {
      try {
        return await api<PublicFunds>(publicFundsPath(campaignId), { query: fresh ? { fresh: Date.now() } : undefined, signal });
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
  });
}

/** The address of a campaign's public page in this app. */
export function publicPageUrl(campaignId: string): string {
  return `${window.location.origin}/cong-khai/${campaignId}`;
}

export const thankYouUrl = (sponsorId: string, campaignId: string, orgId: number) =>
  buildUrl(`/api/v1/sponsors/${sponsorId}/thank-you.docx`, { campaignId, orgId });

// ---------------------------------------------------------------- mutations

function useInvalidateFunds() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: fundKeys.all });
}

export function useCreateSponsor() {
  const invalidate = useInvalidateFunds();
  return useMutation({
    mutationFn: (body: SponsorFields & { orgId: number; requestId?: string }) => api<Sponsor>('/api/v1/sponsors', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateSponsor() {
  const invalidate = useInvalidateFunds();
  return useMutation({
    mutationFn: ({ id, ...body }: Partial<SponsorFields> & { id: string; version: number }) =>
      api<Sponsor>(`/api/v1/sponsors/${id}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

function useFundWrite<TBody, TOut = unknown>(path: (campaignId: string) => string, campaignId: string, method: 'POST' | 'PUT' = 'POST') {
  const invalidate = useInvalidateFunds();
  return useMutation({
    mutationFn: (body: TBody) => api<TOut>(path(campaignId), { method, body }),
    onSuccess: invalidate,
  });
}

const fundsBase = (campaignId: string) => `/api/v1/campaigns/${campaignId}/funds`;

export const useRecordAllocation = (campaignId: string) => useFundWrite<AllocationInput>((id) => `${fundsBase(id)}/allocations`, campaignId);
export const useRecordTransfer = (campaignId: string) => useFundWrite<TransferInput>((id) => `${fundsBase(id)}/transfers`, campaignId);
export const useRecordPledge = (campaignId: string) => useFundWrite<PledgeInput, Pledge>((id) => `${fundsBase(id)}/pledges`, campaignId);
export const useRecordReceipt = (campaignId: string) => useFundWrite<ReceiptInput, Receipt>((id) => `${fundsBase(id)}/receipts`, campaignId);
export const useRecordEarmark = (campaignId: string) => useFundWrite<EarmarkInput, Earmark>((id) => `${fundsBase(id)}/earmarks`, campaignId);
export const useSetPublicFunds = (campaignId: string) => useFundWrite<{ enabled: boolean }, { enabled: boolean }>((id) => `${fundsBase(id)}/public`, campaignId, 'PUT');

export function useCancelPledge(campaignId: string) {
  const invalidate = useInvalidateFunds();
  return useMutation({
    mutationFn: ({ pledgeId, reason }: { pledgeId: string; reason: string }) =>
      api<Pledge>(`${fundsBase(campaignId)}/pledges/${pledgeId}/cancel`, { method: 'POST', body: { reason } }),
    onSuccess: invalidate,
  });
}
