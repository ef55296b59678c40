import { pathStrictlyBelow, pathWithin, scopePaths, type AuthContext } from '../../lib/authorization';

/**
 * Reports are read by whoever may read the unit's plan scope; written and
 * submitted by the unit's own officers (or above); returned, approved and
 * reopened only by an upper level of the unit.
 */
export const reportPolicy = {
  readRoots: (auth: AuthContext) => scopePaths(auth, 'campaigns.read'),
  canRead: (auth: AuthContext, unitPath: string) => pathWithin(unitPath, scopePaths(auth, 'campaigns.read')),
  canWrite: (auth: AuthContext, unitPath: string) => pathWithin(unitPath, scopePaths(auth, 'reports.write')),
  reviewRoots: (auth: AuthContext) => scopePaths(auth, 'reports.review'),
  canReview: (auth: AuthContext, unitPath: string) => pathStrictlyBelow(unitPath, scopePaths(auth, 'reports.review')),
};
