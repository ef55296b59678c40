import { AppError, invalid, notFound } from '../../lib/errors';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { campaignAssignments, campaigns, orgs } from '../../db/schema/index';
import { inScope, pathWithin, type AuthContext, type Grant } from '../../lib/authorization';
import { findOrgInScope } from '../orgs/orgs.queries';
import type { CampaignKind, CampaignStatus } from '../../../common/campaigns';
import { campaignPolicy } from './campaigns.policy';

export type CampaignRow = typeof campaigns.$inferSelect;

export async function findVisibleCampaign(db: DbOrTx, auth: AuthContext, id: string): Promise<CampaignRow | null> {
  const [row] = await db.select().from(campaigns).where(and(eq(campaigns.id, id), campaignPolicy.visible(auth))).limit(1);
  return row ?? null;
}

/** Gifts, money and activities are recorded while a plan is in force: issued and not closed. */
export function assertCampaignInForce(c: CampaignRow): void {
  if (c.status === 'draft') throw invalid('campaign.notIssued');
  if (c.status === 'closed') throw new AppError(409, 'CLOSED', 'campaign.closed');
}

/** The plan, when the caller may see it; "not found" otherwise. */
export async function visibleCampaignOr404(db: DbOrTx, auth: AuthContext, id: string): Promise<CampaignRow> {
  const c = await findVisibleCampaign(db, auth, id);
  if (!c) throw notFound('campaign.notFound');
  return c;
}

export async function lockCampaign(db: DbOrTx, auth: AuthContext, id: string): Promise<CampaignRow | null> {
  const [row] = await db.select().from(campaigns).where(and(eq(campaigns.id, id), campaignPolicy.visible(auth))).for('update').limit(1);
  return row ?? null;
}

export async function issuingOrgOf(db: DbOrTx, orgId: number) {
  const [org] = await db
    .select({ id: orgs.id, code: orgs.code, name: orgs.name, path: sql<string>`${orgs.path}::text`, parentId: orgs.parentId, kind: orgs.kind })
    .from(orgs)
    .where(eq(orgs.id, orgId));
  return org!;
}

/**
 * The unit a plan's list or figures are for: the one asked; else, by default,
 * the caller's own unit under the issuing unit (`own`) or the issuing unit
 * itself when the caller may read it (`issuing`); else the issuing unit. It
 * must be inside the caller's `grants` and at or under the issuing unit,
 * else "not found".
 */
export async function unitUnderPlan(db: DbOrTx, c: CampaignRow, grants: Grant[], orgId: number | undefined, prefer: 'own' | 'issuing') {
  const issuing = await issuingOrgOf(db, c.issuingOrgId);
  const roots = grants.map((g) => g.orgPath);
  const own = grants.find((g) => pathWithin(g.orgPath, [issuing.path]))?.orgId;
  const fallback = prefer === 'issuing' && pathWithin(issuing.path, roots) ? issuing.id : (own ?? issuing.id);
  const org = await findOrgInScope(db, orgId ?? fallback, roots);
  if (!org || !pathWithin(org.path, [issuing.path])) throw notFound('org.notFound');
  return { org, issuing };
}

/** The caller's own assignment (their unit is addressed) for each listed campaign. */
async function myAssignments(db: DbOrTx, auth: AuthContext, ids: string[]) {
  const mine = campaignPolicy.ownAckOrgIds(auth);
  const map = new Map<string, { orgId: number; orgName: string; acknowledgedAt: string | null; acknowledgedByName: string | null }>();
  if (ids.length === 0 || mine.length === 0) return map;
  const rows = await db
    .select({
      campaignId: campaignAssignments.campaignId,
      orgId: campaignAssignments.orgId,
      orgName: orgs.name,
      acknowledgedAt: campaignAssignments.acknowledgedAt,
      acknowledgedByName: campaignAssignments.acknowledgedByName,
    })
    .from(campaignAssignments)
    .innerJoin(orgs, eq(orgs.id, campaignAssignments.orgId))
    .where(
      and(
        sql`${campaignAssignments.campaignId} = any(string_to_array(${ids.join(',')}, ',')::uuid[])`,
        sql`${campaignAssignments.orgId} = any(string_to_array(${mine.join(',')}, ',')::int[])`,
        eq(campaignAssignments.status, 'active'),
      ),
    );
  for (const r of rows) {
    if (!map.has(r.campaignId))
      map.set(r.campaignId, { orgId: r.orgId, orgName: r.orgName, acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null, acknowledgedByName: r.acknowledgedByName });
  }
  return map;
}

export async function listCampaigns(
  db: DbOrTx,
  auth: AuthContext,
  q: { year?: number; status?: CampaignStatus; kind?: CampaignKind; box: 'all' | 'inbox' },
) {
  const conds: SQL[] = [campaignPolicy.visible(auth)];
  if (q.year) conds.push(eq(campaigns.year, q.year));
  if (q.status) conds.push(eq(campaigns.status, q.status));
  if (q.kind) conds.push(eq(campaigns.kind, q.kind));
  if (q.box === 'inbox') {
    const mine = campaignPolicy.ownAckOrgIds(auth);
    if (mine.length === 0) return [];
    conds.push(
      sql`exists (select 1 from campaign_assignments ia where ia.campaign_id = "campaigns"."id" and ia.status = 'active'
          and ia.org_id = any(string_to_array(${mine.join(',')}, ',')::int[]))`,
    );
  }
  const rows = await db
    .select({ c: campaigns, org: { id: orgs.id, code: orgs.code, name: orgs.name } })
    .from(campaigns)
    .innerJoin(orgs, eq(orgs.id, campaigns.issuingOrgId))
    .where(and(...conds))
    .orderBy(desc(campaigns.year), desc(campaigns.issueDate), asc(campaigns.docNumber));
  const mine = await myAssignments(db, auth, rows.map((r) => r.c.id));
  return rows.map(({ c, org }) => ({ ...summarize(c, org), myAssignment: mine.get(c.id) ?? null }));
}

export function summarize(c: CampaignRow, org: { id: number; code: string; name: string }) {
  return {
    id: c.id,
    kind: c.kind as CampaignKind,
    year: c.year,
    docNumber: c.docNumber,
    title: c.title,
    subject: c.subject,
    issueDate: c.issueDate,
    festivalDate: c.festivalDate,
    reportDeadline: c.reportDeadline,
    status: c.status as CampaignStatus,
    issuingOrg: org,
    implementsId: c.implementsId,
  };
}

export async function myAssignmentFor(db: DbOrTx, auth: AuthContext, id: string) {
  return (await myAssignments(db, auth, [id])).get(id) ?? null;
}

/**
 * Coverage of a campaign below one unit: assigned units (not excluded) in that
 * unit's subtree, and which of them acknowledged.
 */
export async function coverageBelow(db: DbOrTx, campaignId: string, orgPath: string) {
  const rows = await db
    .select({ orgId: orgs.id, code: orgs.code, name: orgs.name, ack: sql<boolean>`${campaignAssignments.acknowledgedAt} is not null`, sortKey: orgs.sortKey })
    .from(campaignAssignments)
    .innerJoin(orgs, eq(orgs.id, campaignAssignments.orgId))
    .where(and(eq(campaignAssignments.campaignId, campaignId), eq(campaignAssignments.status, 'active'), inScope(orgs.path, [orgPath])))
    .orderBy(sql`${orgs.sortKey} collate "C"`);
  const acknowledged = rows.filter((r) => r.ack).length;
  const inScopeCount = rows.length;
  return {
    inScope: inScopeCount,
    acknowledged,
    notAcknowledged: inScopeCount - acknowledged,
    percent: inScopeCount === 0 ? 0 : Math.round((acknowledged / inScopeCount) * 1000) / 10,
    missing: rows.filter((r) => !r.ack).map(({ orgId, code, name }) => ({ orgId, code, name })),
  };
}

export async function listAssignments(db: DbOrTx, campaignId: string, roots: string[]) {
  const rows = await db
    .select({
      orgId: orgs.id,
      code: orgs.code,
      name: orgs.name,
      kind: orgs.kind,
      parentId: orgs.parentId,
      status: campaignAssignments.status,
      acknowledgedAt: campaignAssignments.acknowledgedAt,
      acknowledgedByName: campaignAssignments.acknowledgedByName,
      lastRemindedAt: campaignAssignments.lastRemindedAt,
      reminders: campaignAssignments.reminders,
      excludedReason: campaignAssignments.excludedReason,
      addedReason: campaignAssignments.addedReason,
    })
    .from(campaignAssignments)
    .innerJoin(orgs, eq(orgs.id, campaignAssignments.orgId))
    .where(and(eq(campaignAssignments.campaignId, campaignId), inScope(orgs.path, roots)))
    .orderBy(sql`nlevel(${orgs.path})`, sql`${orgs.sortKey} collate "C"`);
  return rows.map((r) => ({
    ...r,
    status: r.status as 'active' | 'excluded',
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
    lastRemindedAt: r.lastRemindedAt?.toISOString() ?? null,
  }));
}
