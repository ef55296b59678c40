import type { App } from '../../lib/http/types';

/** Activities of a campaign and their evidence files. */
export async function activityRoutes(_app: App): Promise<void> {}
