import type { Campaign } from '../campaigns/api';

/** The plan's "Quỹ, tài trợ" tab: the unit's ledger, sponsors, pledges, receipts, earmarks. */
export function FundsTab(_props: { c: Campaign }) {
  return null;
}
