import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

export const ACTIVITY_KINDS = ['festival_night', 'visit_gifts', 'communication', 'parent_training', 'competition', 'other'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ACTIVITY_CHANNELS = ['in_person', 'zoom', 'zalo', 'facebook', 'other_online'] as const;
export type ActivityChannel = (typeof ACTIVITY_CHANNELS)[number];
export const ACTIVITY_STATUSES = ['planned', 'held', 'held_online', 'postponed', 'cancelled_epidemic', 'cancelled_other'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export const COST_SOURCES = ['unit_funds', 'upper_funds', 'sponsor'] as const;
export type CostSource = (typeof COST_SOURCES)[number];
/** The topics the plan names; anything else a unit writes is kept as written. */
export const ACTIVITY_TOPICS = ['child_protection', 'abuse_prevention', 'hotline_111', 'child_rights', 'homemade_toys', 'traditional_culture', 'study_encouragement', 'epidemic_safety'] as const;
/** What the server takes as evidence (checked again there, by content). */
export const EVIDENCE_ACCEPT = 'image/*,application/pdf';
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

export interface ActivityFile {
  id: string;
  activityId: string;
  fileName: string;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  size: number;
  url: string;
  thumbnailUrl: string | null;
  createdAt: string;
}

export interface Participants {
  children: number;
  parents: number;
  members: number;
  total: number;
}

export interface Activity {
  id: string;
  campaignId: string;
  orgId: number;
  orgName: string;
  kind: ActivityKind;
  kindName: string;
  channel: ActivityChannel;
  online: boolean;
  title: string;
  heldOn: string;
  place: string | null;
  link: string | null;
  topics: string[];
  description: string | null;
  participants: Participants;
  reach: number | null;
  cost: number;
  costSource: CostSource | null;
  costSponsorId: string | null;
  costSponsorName: string | null;
  status: ActivityStatus;
  statusName: string;
  statusNote: string | null;
  files: ActivityFile[];
  canWrite: boolean;
  version: number;
}

export interface ActivityTotals {
  count: number;
  held: number;
  heldOnline: number;
  cancelled: number;
  postponed: number;
  participants: Participants;
  reach: number;
  cost: number;
}

export interface ActivityList {
  items: Activity[];
  totals: ActivityTotals;
  org: { id: number; name: string; canCreate: boolean };
}

export interface ActivityInput {
  kind: ActivityKind;
  channel: ActivityChannel;
  title: string;
  heldOn: string;
  place: string | null;
  link: string | null;
  topics: string[];
  description: string | null;
  participants: { children: number; parents: number; members: number };
  reach: number | null;
  cost: number;
  costSource: CostSource | null;
  costSponsorId: string | null;
  status: ActivityStatus;
  statusNote: string | null;
}

export interface Commendation {
  id: string;
  orgId: number;
  orgName: string;
  subjectKind: 'person' | 'sponsor';
  name: string;
  personName: string | null;
  personTitle: string | null;
  sponsorId: string | null;
  reason: string;
  decisionNo: string | null;
  decisionDate: string | null;
  canWrite: boolean;
}

export interface CommendationInput {
  orgId: number;
  subjectKind: 'person' | 'sponsor';
  personName?: string | null;
  personTitle?: string | null;
  sponsorId?: string | null;
  reason: string;
  decisionNo?: string | null;
  decisionDate?: string | null;
}

export interface SponsorOption {
  id: string;
  name: string;
  orgName: string;
}

export const activityKeys = {
  all: ['activities'] as const,
  list: (campaignId: string, orgId: number | null) => ['activities', 'list', campaignId, orgId] as const,
  commendations: (campaignId: string, orgId: number | null) => ['activities', 'commendations', campaignId, orgId] as const,
};

export function useActivities(campaignId: string, orgId: number | null) {
  return useQuery({
    queryKey: activityKeys.list(campaignId, orgId),
    queryFn: ({ signal }) => api<ActivityList>(`/api/v1/campaigns/${campaignId}/activities`, { query: { orgId: orgId ?? undefined }, signal }),
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: activityKeys.all });
}

export function useCreateActivity(campaignId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ActivityInput & { orgId: number }) => api<Activity>(`/api/v1/campaigns/${campaignId}/activities`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateActivity() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: Partial<ActivityInput> & { id: string; version: number }) => api<Activity>(`/api/v1/activities/${id}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

export function useDeleteActivity() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/activities/${id}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

/** One file to an activity (the server reads its type from the content). */
export function uploadActivityFile(activityId: string, file: File): Promise<ActivityFile> {
  const body = new FormData();
  body.append('file', file, file.name);
  return api<ActivityFile>(`/api/v1/activities/${activityId}/files`, { method: 'POST', body });
}

export function useDeleteActivityFile() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/activity-files/${id}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

export function useCommendations(campaignId: string, orgId: number | null) {
  return useQuery({
    queryKey: activityKeys.commendations(campaignId, orgId),
    queryFn: ({ signal }) => api<{ items: Commendation[]; org: { id: number; name: string; canCreate: boolean } }>(`/api/v1/campaigns/${campaignId}/commendations`, { query: { orgId: orgId ?? undefined }, signal }),
  });
}

export function useCreateCommendation(campaignId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: CommendationInput) => api<Commendation>(`/api/v1/campaigns/${campaignId}/commendations`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useDeleteCommendation() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/commendations/${id}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

/** The sponsors a unit may name (those the funds screens keep), for a cost source or a commendation. */
export function useSponsorOptions(orgId: number | null, enabled: boolean) {
  return useQuery({
    queryKey: ['activities', 'sponsors', orgId],
    queryFn: ({ signal }) => api<{ items: SponsorOption[] }>('/api/v1/sponsors', { query: { orgId: orgId ?? undefined, limit: 500 }, signal }),
    enabled: enabled && orgId !== null,
    staleTime: 60_000,
  });
}
