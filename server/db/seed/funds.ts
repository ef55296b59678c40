import type { Db } from '../client';
import type { AuthContext } from '../../lib/authorization';

/** Plan 45's money: union funds allocated to the Long Biên unions, sponsors, pledges, receipts, earmarks. */
export async function loadDemoFunds(_db: Db, _admin: AuthContext): Promise<void> {}
