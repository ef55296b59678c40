import { sql, type SQL } from 'drizzle-orm';
import { grantsWith, inScope, pathWithin, scopePaths, type AuthContext } from '../../lib/authorization';

/**
 * A plan is visible to whoever may read its issuing unit, and to the units it
 * is addressed to. It is written by federation officers of the issuing unit's
 * subtree, and acknowledged by the officers of an addressed unit.
 */
export const campaignPolicy = {
  readRoots: (auth: AuthContext) => scopePaths(auth, 'campaigns.read'),
  writeRoots: (auth: AuthContext) => scopePaths(auth, 'campaigns.write'),
  ackRoots: (auth: AuthContext) => scopePaths(auth, 'campaigns.acknowledge'),

  /** SQL: the campaign row (aliased `campaigns`) is visible to the caller. */
  visible(auth: AuthContext): SQL {
    const roots = this.readRoots(auth);
    return sql`(exists (select 1 from orgs io where io.id = "campaigns"."issuing_org_id" and ${inScope(sql`io.path`, roots)})
      or exists (select 1 from campaign_assignments va join orgs vo on vo.id = va.org_id
                 where va.campaign_id = "campaigns"."id" and va.status = 'active' and ${inScope(sql`vo.path`, roots)}))`;
  },

  canWrite(auth: AuthContext, issuingOrgPath: string): boolean {
    return pathWithin(issuingOrgPath, this.writeRoots(auth));
  },

  /** The units whose acknowledgement the caller may record: those where they hold the role themselves. */
  ownAckOrgIds(auth: AuthContext): number[] {
    return grantsWith(auth, 'campaigns.acknowledge').map((g) => g.orgId);
  },
};
