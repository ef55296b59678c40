import { pathWithin, scopePaths, type AuthContext } from '../../lib/authorization';

/**
 * Benefits follow the children register: read within the caller's
 * children.read subtree, written (allocated, approved, delivered) within
 * their children.write subtree. Responses never carry circumstances.
 */
export const benefitPolicy = {
  readRoots: (auth: AuthContext) => scopePaths(auth, 'children.read'),
  writeRoots: (auth: AuthContext) => scopePaths(auth, 'children.write'),
  canRead(auth: AuthContext, orgPath: string): boolean {
    return pathWithin(orgPath, this.readRoots(auth));
  },
  canWrite(auth: AuthContext, orgPath: string): boolean {
    return pathWithin(orgPath, this.writeRoots(auth));
  },
};
