import { GRANTABLE_ROLES, type Role } from '../../../common/permissions';
import { grantsWith, pathWithin, scopePaths, type AuthContext } from '../../lib/authorization';

export const userPolicy = {
  readRoots: (auth: AuthContext) => scopePaths(auth, 'users.read'),
  writeRoots: (auth: AuthContext) => scopePaths(auth, 'users.write'),

  /** A role can be granted at a unit when one of the caller's grants covering that unit may hand it out. */
  canGrant(auth: AuthContext, role: Role, orgPath: string): boolean {
    return grantsWith(auth, 'users.write').some((g) => pathWithin(orgPath, [g.orgPath]) && GRANTABLE_ROLES[g.role].includes(role));
  },

  /** A user may be managed when every one of their grants lies in the caller's write scope. */
  canManage(auth: AuthContext, grantPaths: string[]): boolean {
    const roots = this.writeRoots(auth);
    return grantPaths.length > 0 && grantPaths.every((p) => pathWithin(p, roots));
  },
};
