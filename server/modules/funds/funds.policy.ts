import { sql, type SQL } from 'drizzle-orm';
import { pathWithin, scopePaths, type AuthContext } from '../../lib/authorization';

/**
 * Money is read within the caller's funds.read subtree and written within
 * their funds.write subtree. A sponsor is seen from its recording unit's
 * subtree and from the levels above it, and also from below (a union sees
 * the district's sponsors, so it can record what it received from them); it
 * is changed only within the funds.write subtree.
 */
export const fundPolicy = {
  readRoots: (auth: AuthContext) => scopePaths(auth, 'funds.read'),
  writeRoots: (auth: AuthContext) => scopePaths(auth, 'funds.write'),
  canRead(auth: AuthContext, orgPath: string): boolean {
    return pathWithin(orgPath, this.readRoots(auth));
  },
  canWrite(auth: AuthContext, orgPath: string): boolean {
    return pathWithin(orgPath, this.writeRoots(auth));
  },
  /** SQL: a unit path (of a sponsor's recording unit) is in the caller's read subtree or above one of their units. */
  sponsorVisible(auth: AuthContext, orgPath: SQL): SQL {
    const roots = this.readRoots(auth);
    if (roots.length === 0) return sql`false`;
    const arr = sql`string_to_array(${roots.join(',')}, ',')::ltree[]`;
    return sql`(${orgPath} <@ ${arr} or ${orgPath} @> ${arr})`;
  },
  canEditSponsor(auth: AuthContext, sponsorOrgPath: string): boolean {
    return pathWithin(sponsorOrgPath, this.writeRoots(auth));
  },
};

/** A sponsor recorded at `sponsorOrgPath` may give to the unit at `unitPath`: the unit is below it, or it is below the unit. */
export function sponsorUsableAt(sponsorOrgPath: string, unitPath: string): boolean {
  return pathWithin(unitPath, [sponsorOrgPath]) || pathWithin(sponsorOrgPath, [unitPath]);
}
