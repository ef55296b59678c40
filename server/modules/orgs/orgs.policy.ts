import { pathStrictlyBelow, pathWithin, scopePaths, type AuthContext } from '../../lib/authorization';

/** Who may do what to a unit. A unit outside every scope is simply not found. */
export const orgPolicy = {
  readRoots: (auth: AuthContext) => scopePaths(auth, 'orgs.read'),
  writeRoots: (auth: AuthContext) => scopePaths(auth, 'orgs.write'),

  /** Rename, change contacts: anywhere in the caller's write scope. */
  canUpdate(auth: AuthContext, org: { path: string; status: string }): boolean {
    return org.status === 'active' && pathWithin(org.path, this.writeRoots(auth));
  },
  /**
   * Move, merge, dissolve: only strictly below the unit where the caller
   * holds the role — a district officer cannot dissolve their own district.
   */
  canRestructure(auth: AuthContext, org: { path: string; status: string }): boolean {
    return org.status === 'active' && pathStrictlyBelow(org.path, this.writeRoots(auth));
  },
  canCreateChild(auth: AuthContext, org: { path: string; status: string; kind: string }): boolean {
    return org.status === 'active' && org.kind !== 'grassroots' && pathWithin(org.path, this.writeRoots(auth));
  },
  permissionsOn(auth: AuthContext, org: { path: string; status: string; kind: string }) {
    const restructure = this.canRestructure(auth, org);
    return {
      update: this.canUpdate(auth, org),
      move: restructure,
      merge: restructure,
      dissolve: restructure,
      createChild: this.canCreateChild(auth, org),
    };
  },
};
