import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { campaigns, orgs } from '../../db/schema/index';
import { inScope, type AuthContext } from '../../lib/authorization';
import type { OfficialDocument } from '../../lib/official-document';
import { DEFAULT_CAMPAIGN_SETTINGS, type CampaignKind, type CampaignSettings, type PlanSection, type PlanSigner } from '../../../common/campaigns';
import { campaignPolicy } from './campaigns.policy';
import { coverageBelow, visibleCampaignOr404, issuingOrgOf, myAssignmentFor, summarize, type CampaignRow } from './campaigns.queries';
import type { CampaignOut, PlanTreeNode } from './campaigns.schemas';
import { computedFestivalDate } from './campaigns.service';
import { pdfConverterAvailable } from './campaigns.pdf';

export async function presentCampaign(db: DbOrTx, auth: AuthContext, id: string): Promise<CampaignOut> {
  const c = await visibleCampaignOr404(db, auth, id);
  const org = await issuingOrgOf(db, c.issuingOrgId);
  const [implemented] = c.implementsId
    ? await db
        .select({ id: campaigns.id, docNumber: campaigns.docNumber, title: campaigns.title, issuingOrgName: orgs.name })
        .from(campaigns)
        .innerJoin(orgs, eq(orgs.id, campaigns.issuingOrgId))
        .where(eq(campaigns.id, c.implementsId))
    : [];
  const my = await myAssignmentFor(db, auth, c.id);
  const canWrite = campaignPolicy.canWrite(auth, org.path) && c.status !== 'closed';
  return {
    ...summarize(c, { id: org.id, code: org.code, name: org.name }),
    myAssignment: my,
    place: c.place,
    preamble: c.preamble,
    sections: c.sections as PlanSection[],
    recipients: c.recipients as string[],
    signer: c.signer as PlanSigner,
    festivalDateOverridden: c.festivalDateOverridden,
    computedFestivalDate: computedFestivalDate(c.kind as CampaignKind, c.year),
    entryFrom: c.entryFrom,
    entryTo: c.entryTo,
    settings: { ...DEFAULT_CAMPAIGN_SETTINGS, ...(c.settings as Partial<CampaignSettings>) },
    implements: implemented ?? null,
    issuedAt: c.issuedAt?.toISOString() ?? null,
    closedAt: c.closedAt?.toISOString() ?? null,
    version: c.version,
    pdfAvailable: pdfConverterAvailable(),
    permissions: {
      update: canWrite,
      issue: canWrite && c.status === 'draft',
      close: canWrite && c.status === 'issued',
      copy: campaignPolicy.canWrite(auth, org.path),
      remind: canWrite && c.status === 'issued',
      acknowledge: c.status === 'issued' && my !== null && my.acknowledgedAt === null,
    },
  };
}

/** The document as the official format wants it: parent body over issuing body, in capitals. */
export async function officialDocumentOf(db: DbOrTx, c: CampaignRow): Promise<OfficialDocument> {
  const org = await issuingOrgOf(db, c.issuingOrgId);
  const parent = org.parentId ? await issuingOrgOf(db, org.parentId) : null;
  return {
    parentBody: (parent?.name ?? '').toLocaleUpperCase('vi'),
    issuingBody: org.name.toLocaleUpperCase('vi'),
    number: c.docNumber,
    place: c.place,
    date: c.issueDate,
    kindTitle: 'KẾ HOẠCH',
    subject: c.subject,
    preamble: c.preamble,
    sections: c.sections as PlanSection[],
    recipients: c.recipients as string[],
    signer: c.signer as PlanSigner,
  };
}

/**
 * A plan with the plans that implement it, each with its coverage at its own
 * issuing unit, and the intermediate units in scope that have none yet.
 */
export async function planTree(db: DbOrTx, auth: AuthContext, id: string): Promise<PlanTreeNode> {
  const root = await visibleCampaignOr404(db, auth, id);
  const build = async (c: CampaignRow, depth: number): Promise<PlanTreeNode> => {
    const org = await issuingOrgOf(db, c.issuingOrgId);
    const cov = await coverageBelow(db, c.id, org.path);
    const children = depth > 6 ? [] : await db.select().from(campaigns).where(sql`${campaigns.implementsId} = ${c.id} and ${campaignPolicy.visible(auth)}`);
    const childNodes = await Promise.all(children.map((ch) => build(ch, depth + 1)));
    const withPlan = new Set(childNodes.map((n) => n.issuingOrg.id));
    const intermediates = await db.execute(sql`
      select o.id, o.code, o.name from campaign_assignments a join orgs o on o.id = a.org_id
      where a.campaign_id = ${c.id} and a.status = 'active' and o.kind <> 'grassroots' and o.parent_id = ${org.id}
        and ${inScope(sql`o.path`, campaignPolicy.readRoots(auth))}
      order by o.sort_key collate "C"`);
    return {
      id: c.id,
      docNumber: c.docNumber,
      title: c.title,
      status: c.status as PlanTreeNode['status'],
      issuingOrg: { id: org.id, code: org.code, name: org.name },
      coverage: { inScope: cov.inScope, acknowledged: cov.acknowledged, percent: cov.percent },
      children: childNodes,
      withoutPlan: (intermediates.rows as { id: number; code: string; name: string }[])
        .filter((o) => !withPlan.has(o.id))
        .map((o) => ({ orgId: o.id, code: o.code, name: o.name })),
    };
  };
  return build(root, 0);
}
