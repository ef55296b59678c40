import type { Campaign } from '../campaigns/api';

/** The plan's "Hoạt động" tab: activities, their photos, commendations. */
export function ActivitiesTab(_props: { c: Campaign }) {
  return null;
}
