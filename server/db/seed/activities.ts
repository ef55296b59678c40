import type { Db } from '../client';
import type { AuthContext } from '../../lib/authorization';

/** Plan 45's activities across the Long Biên unions, and its commendations. */
export async function loadDemoActivities(_db: Db, _admin: AuthContext): Promise<void> {}
