import { pathWithin, scopePaths, type AuthContext } from '../../lib/authorization';

/**
 * Activities, their evidence and commendations are part of a plan's record:
 * read by whoever reads plans in the unit's subtree (campaigns.read), written
 * by officers holding activities.write over the unit.
 */
export const activityPolicy = {
  readRoots: (auth: AuthContext) => scopePaths(auth, 'campaigns.read'),
  writeRoots: (auth: AuthContext) => scopePaths(auth, 'activities.write'),
  canRead(auth: AuthContext, orgPath: string): boolean {
    return pathWithin(orgPath, this.readRoots(auth));
  },
  canWrite(auth: AuthContext, orgPath: string): boolean {
    return pathWithin(orgPath, this.writeRoots(auth));
  },
};
