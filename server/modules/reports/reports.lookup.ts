import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { campaigns, orgs } from '../../db/schema/index';
import { grantsWith, type AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import { notFound } from '../../lib/errors';
import type { Figures } from '../../../common/report-template';
import { unitUnderPlan, visibleCampaignOr404, type CampaignRow } from '../campaigns/campaigns.queries';
import { implementingPlanOf } from './reports.derive';
import { consolidate, templateOf, unitFigures, type Consolidated, type Include, type ReportStatus, type TemplateWithCalendar, type Unit } from './reports.queries';

/**
 * The lookups every report route starts with, shared by the JSON routes and
 * the exports so that the same query selects the same plan and unit.
 */
export function reportLookups(db: DbOrTx) {
  const campaignOf = (auth: AuthContext, id: string) => visibleCampaignOr404(db, auth, id);

  /** A unit the caller may read, inside the plan's issuing unit (or the issuing unit itself). */
  const unitOf = async (auth: AuthContext, c: CampaignRow, orgId: number | undefined): Promise<Unit> => {
    const { org } = await unitUnderPlan(db, c, grantsWith(auth, 'campaigns.read'), orgId, 'issuing');
    return { id: org.id, code: org.code, name: org.name, shortName: org.shortName, path: org.path };
  };

  /** A unit the plan addresses (it has a report). */
  const reportingUnitOf = async (auth: AuthContext, c: CampaignRow, orgId: number): Promise<Unit> => {
    const unit = await unitOf(auth, c, orgId);
    const assigned = await db.execute(
      sql`select 1 from campaign_assignments where campaign_id = ${c.id} and org_id = ${unit.id} and status = 'active'`,
    );
    if (assigned.rows.length === 0) throw notFound('report.notAssigned');
    return unit;
  };

  return { campaignOf, unitOf, reportingUnitOf };
}

interface OrgName {
  id: number;
  name: string;
  shortName: string | null;
  kind: string;
  parentId: number | null;
}

/** A unit in scope of the consolidation, with its report's snapshot when one is submitted or approved. */
export interface ExportUnitRow {
  orgId: number;
  code: string;
  name: string;
  status: ReportStatus | null;
  /** Counted in the consolidation: approved, or submitted when the selection includes submitted reports. */
  included: boolean;
  figures: Figures | null;
}

/** Everything the Excel and Word exports of a consolidated report print; the figures are consolidate()'s. */
export interface ConsolidatedExport {
  campaign: CampaignRow;
  template: TemplateWithCalendar;
  unit: Unit & { kind: string };
  parent: { name: string; shortName: string | null } | null;
  /** The unit that issued the plan. */
  issuer: { id: number; name: string; shortName: string | null };
  /** The upper plan this one carries out (41/KH-LĐLĐ of the city for the district's 45/KH-LĐLĐ). */
  upperPlan: { docNumber: string; issueDate: string; issuerName: string } | null;
  include: Include;
  consolidated: Consolidated;
  units: ExportUnitRow[];
  /**
   * The unit's own plan: this one when the unit issued it, its plan carrying
   * this one out, else the last plan it issued. Its signer, place and
   * document code serve the report; null when the unit issues no plans.
   */
  ownPlan: CampaignRow | null;
  /** The report's date (today in Vietnam). */
  date: string;
}

/** The same consolidation as GET /campaigns/:id/consolidated, with what the documents print around it. */
export async function consolidatedExportOf(db: DbOrTx, c: CampaignRow, unit: Unit, include: Include, today = todayInVietnam()): Promise<ConsolidatedExport> {
  const template = await templateOf(db, c.id);
  const consolidated = await consolidate(db, c, template, unit, include);
  const rows = await unitFigures(db, c, unit, 'submitted');

  const ids = [unit.id, c.issuingOrgId];
  const found = await db
    .select({ id: orgs.id, name: orgs.name, shortName: orgs.shortName, kind: orgs.kind, parentId: orgs.parentId })
    .from(orgs)
    .where(inArray(orgs.id, ids));
  const byId = new Map<number, OrgName>(found.map((o) => [o.id, o]));
  const self = byId.get(unit.id)!;
  const issuer = byId.get(c.issuingOrgId)!;
  const [parent] = self.parentId
    ? await db.select({ name: orgs.name, shortName: orgs.shortName }).from(orgs).where(eq(orgs.id, self.parentId))
    : [];

  let upperPlan: ConsolidatedExport['upperPlan'] = null;
  if (c.implementsId) {
    const [upper] = await db
      .select({ docNumber: campaigns.docNumber, issueDate: campaigns.issueDate, issuerName: sql<string>`coalesce(${orgs.shortName}, ${orgs.name})` })
      .from(campaigns)
      .innerJoin(orgs, eq(orgs.id, campaigns.issuingOrgId))
      .where(eq(campaigns.id, c.implementsId));
    upperPlan = upper ?? null;
  }

  let ownPlan: CampaignRow | null = c.issuingOrgId === unit.id ? c : await implementingPlanOf(db, c.id, unit.id);
  if (!ownPlan) {
    const [last] = await db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.issuingOrgId, unit.id), ne(campaigns.status, 'draft')))
      .orderBy(desc(campaigns.issueDate))
      .limit(1);
    ownPlan = last ?? null;
  }

  return {
    campaign: c,
    template,
    unit: { ...unit, kind: self.kind },
    parent: parent ?? null,
    issuer: { id: issuer.id, name: issuer.name, shortName: issuer.shortName },
    upperPlan,
    include,
    consolidated,
    units: rows.map((r) => {
      const included = r.status === 'approved' || (include === 'submitted' && r.status === 'submitted');
      return { ...r, included, figures: included ? r.figures : null };
    }),
    ownPlan,
    date: today,
  };
}
