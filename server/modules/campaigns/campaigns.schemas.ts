import { z } from 'zod';
import { CAMPAIGN_KINDS, CAMPAIGN_STATUSES, PRIORITY_GROUPS } from '../../../common/campaigns';
import { isoDate, unitId, unitIdParam } from '../../lib/http/schemas';

const text = (max: number) => z.string().trim().max(max);

export const sectionIn = z.object({ heading: text(300).min(1), body: text(50_000) });
export const signerIn = z.object({ onBehalfOf: text(200), position: text(200).min(1), name: text(200).min(1) });

export const settingsIn = z.object({
  ageLimit: z.number().int().min(1).max(18),
  priorityOrder: z.array(z.enum(PRIORITY_GROUPS)).max(PRIORITY_GROUPS.length),
  requiredGroups: z.array(z.enum(PRIORITY_GROUPS)).max(PRIORITY_GROUPS.length),
  benefitKinds: z
    .array(z.object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), name: text(200).min(1), defaultValue: z.number().int().min(0).max(1_000_000_000) }))
    .max(20),
  budget: z.object({ mode: z.enum(['none', 'per_unit', 'total']), amount: z.number().int().min(0).max(1_000_000_000_000) }),
  autoRemindAfterDays: z.number().int().min(0).max(60),
});

const campaignFields = {
  kind: z.enum(CAMPAIGN_KINDS),
  year: z.number().int().min(2000).max(2100),
  docNumber: text(60).min(1),
  place: text(100).min(1),
  issueDate: isoDate,
  title: text(500).min(1),
  subject: text(500).min(1),
  implementsId: z.string().uuid().nullish(),
  preamble: text(20_000).optional(),
  sections: z.array(sectionIn).max(20).optional(),
  recipients: z.array(text(300).min(1)).max(40).optional(),
  signer: signerIn.optional(),
  festivalDate: isoDate.nullish(),
  reportDeadline: isoDate.nullish(),
  entryFrom: isoDate.nullish(),
  entryTo: isoDate.nullish(),
  settings: settingsIn.partial().optional(),
};

export const createCampaignBody = z.object({ issuingOrgId: unitId, ...campaignFields });
export type CreateCampaignInput = z.infer<typeof createCampaignBody>;

export const updateCampaignBody = z
  .object({
    ...Object.fromEntries(Object.entries(campaignFields).map(([k, v]) => [k, (v as z.ZodType).optional()])),
    version: z.number().int().positive().optional(),
  })
  .strict() as unknown as z.ZodType<Partial<CreateCampaignInput> & { version?: number }>;
export type UpdateCampaignInput = Partial<Omit<CreateCampaignInput, 'issuingOrgId'>> & { version?: number };

export const listQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  kind: z.enum(CAMPAIGN_KINDS).optional(),
  /** "mine": plans addressed to the caller's own unit(s) — the officer's inbox. */
  box: z.enum(['all', 'inbox']).default('all'),
});

const orgRef = z.object({ id: z.number().int(), code: z.string(), name: z.string() });

export const campaignSummary = z.object({
  id: z.string(),
  kind: z.enum(CAMPAIGN_KINDS),
  year: z.number().int(),
  docNumber: z.string(),
  title: z.string(),
  subject: z.string(),
  issueDate: z.string(),
  festivalDate: z.string(),
  reportDeadline: z.string().nullable(),
  status: z.enum(CAMPAIGN_STATUSES),
  issuingOrg: orgRef,
  implementsId: z.string().nullable(),
  /** For the caller's own unit when the plan is addressed to it. */
  myAssignment: z
    .object({ orgId: z.number().int(), orgName: z.string(), acknowledgedAt: z.string().nullable(), acknowledgedByName: z.string().nullable() })
    .nullable(),
});

export const campaignOut = campaignSummary.extend({
  place: z.string(),
  preamble: z.string(),
  sections: z.array(z.object({ heading: z.string(), body: z.string() })),
  recipients: z.array(z.string()),
  signer: z.object({ onBehalfOf: z.string(), position: z.string(), name: z.string() }),
  festivalDateOverridden: z.boolean(),
  computedFestivalDate: z.string().nullable(),
  entryFrom: z.string().nullable(),
  entryTo: z.string().nullable(),
  settings: settingsIn,
  implements: z.object({ id: z.string(), docNumber: z.string(), title: z.string(), issuingOrgName: z.string() }).nullable(),
  issuedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  version: z.number().int(),
  pdfAvailable: z.boolean(),
  permissions: z.object({ update: z.boolean(), issue: z.boolean(), close: z.boolean(), copy: z.boolean(), remind: z.boolean(), acknowledge: z.boolean() }),
});
export type CampaignOut = z.infer<typeof campaignOut>;

export const coverageQuery = z.object({ orgId: unitIdParam.optional() });
export const coverageOut = z.object({
  orgId: z.number().int(),
  inScope: z.number().int(),
  acknowledged: z.number().int(),
  notAcknowledged: z.number().int(),
  percent: z.number(),
  missing: z.array(z.object({ orgId: z.number().int(), code: z.string(), name: z.string() })),
});

export const assignmentsOut = z.object({
  items: z.array(
    z.object({
      orgId: z.number().int(),
      code: z.string(),
      name: z.string(),
      kind: z.string(),
      parentId: z.number().int().nullable(),
      status: z.enum(['active', 'excluded']),
      acknowledgedAt: z.string().nullable(),
      acknowledgedByName: z.string().nullable(),
      lastRemindedAt: z.string().nullable(),
      reminders: z.number().int(),
      excludedReason: z.string().nullable(),
      addedReason: z.string().nullable(),
    }),
  ),
});

export interface PlanTreeNode {
  id: string;
  docNumber: string;
  title: string;
  status: (typeof CAMPAIGN_STATUSES)[number];
  issuingOrg: { id: number; code: string; name: string };
  coverage: { inScope: number; acknowledged: number; percent: number };
  children: PlanTreeNode[];
  /** Intermediate units in scope that have not issued an implementing plan yet. */
  withoutPlan: { orgId: number; code: string; name: string }[];
}
export const planTreeOut: z.ZodType<PlanTreeNode> = z.lazy(() =>
  z.object({
    id: z.string(),
    docNumber: z.string(),
    title: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    issuingOrg: orgRef,
    coverage: z.object({ inScope: z.number().int(), acknowledged: z.number().int(), percent: z.number() }),
    children: z.array(planTreeOut),
    withoutPlan: z.array(z.object({ orgId: z.number().int(), code: z.string(), name: z.string() })),
  }),
).meta({ id: 'PlanTreeNode' });

export const acknowledgeBody = z.object({ orgId: unitId.optional() }).nullish();
export const copyBody = z.object({ year: z.number().int().min(2000).max(2100) });
export const remindBody = z.object({ message: text(2000).optional() }).nullish();
export const addAssignmentBody = z.object({ orgId: unitId, reason: text(1000).min(3) });
export const excludeAssignmentBody = z.object({ reason: text(1000).min(3) });
export const lunarQuery = z.object({
  year: z.coerce.number().int().min(1900).max(2199),
  month: z.coerce.number().int().min(1).max(12),
  day: z.coerce.number().int().min(1).max(30),
  leap: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});
export const solarQuery = z.object({ date: isoDate });
export const calendarOut = z.object({
  solar: z.string(),
  lunar: z.object({ day: z.number().int(), month: z.number().int(), year: z.number().int(), leap: z.boolean() }),
});
