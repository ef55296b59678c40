import type { App } from '../../lib/http/types';

/** Sponsors, pledges, receipts, earmarks, the ledger, transfers, commendations, thank-you letters. */
export async function fundRoutes(_app: App): Promise<void> {}
