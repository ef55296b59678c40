import { pathWithin, scopePaths, type AuthContext } from '../../lib/authorization';

/** Children are read and written within the caller's subtree; sensitive circumstances need their own permission. */
export const childPolicy = {
  readRoots: (auth: AuthContext) => scopePaths(auth, 'children.read'),
  writeRoots: (auth: AuthContext) => scopePaths(auth, 'children.write'),
  canWrite(auth: AuthContext, orgPath: string): boolean {
    return pathWithin(orgPath, this.writeRoots(auth));
  },
  canSeeSensitive(auth: AuthContext, orgPath: string): boolean {
    return pathWithin(orgPath, scopePaths(auth, 'children.sensitive'));
  },
};
