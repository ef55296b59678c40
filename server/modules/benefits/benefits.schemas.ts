import { z } from 'zod';
import { unitId, unitQuery } from '../../lib/http/schemas';

export const BENEFIT_STATUSES = ['planned', 'approved', 'delivered', 'cancelled'] as const;
export type BenefitStatus = (typeof BENEFIT_STATUSES)[number];
export const FUNDING_SOURCES = ['unit_funds', 'upper_funds', 'sponsor'] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];
/** A benefit in kind (an item, not money); every other kind comes from the campaign's settings. */
export const IN_KIND = 'in_kind';

const text = (max: number) => z.string().trim().max(max);
const money = z.number().int().min(0).max(1_000_000_000);
const kindCode = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/);
const override = {
  /** Go over the unit's budget; needs a reason, which is audited. */
  overrideBudget: z.boolean().optional(),
  overrideReason: text(1000).min(3).optional(),
};

export const createBenefitBody = z.object({
  childId: z.string().uuid(),
  kind: kindCode,
  /** Whole đồng; defaults to the kind's default value (0 for an item). */
  value: money.optional(),
  fundingSource: z.enum(FUNDING_SOURCES).optional(),
  /** The sponsor whose money pays: required when fundingSource is 'sponsor', refused otherwise. */
  sponsorId: z.string().uuid().optional(),
  /** What the item is, for kind "in_kind". */
  item: text(300).min(1).optional(),
  note: text(1000).optional(),
  ...override,
});
export type CreateBenefitInput = z.infer<typeof createBenefitBody>;

export const updateBenefitBody = z
  .object({
    status: z.enum(BENEFIT_STATUSES).optional(),
    value: money.optional(),
    fundingSource: z.enum(FUNDING_SOURCES).optional(),
    /** The paying sponsor, when the source is (or becomes) 'sponsor'; cleared when the source becomes union money. */
    sponsorId: z.string().uuid().nullish(),
    item: text(300).min(1).optional(),
    note: text(1000).nullish(),
    cancelReason: text(1000).min(3).optional(),
    /** Who received it, when marking it delivered by hand. */
    receivedBy: text(200).min(1).optional(),
    version: z.number().int().positive().optional(),
    ...override,
  })
  .strict();
export type UpdateBenefitInput = z.infer<typeof updateBenefitBody>;

export const allocateBody = z.object({
  orgId: unitId,
  /** The unit's budget for this campaign, in whole đồng; saved for the unit (else the campaign's settings apply). */
  budget: z.number().int().min(0).max(1_000_000_000_000).optional(),
  /** Kinds to propose, in this order; default the campaign's first kind (the gift). */
  kinds: z.array(kindCode).min(1).max(20).optional(),
  /** Where the money comes from (default unit_funds); proposals also stay within what is left of it. */
  fundingSource: z.enum(FUNDING_SOURCES).optional(),
  /** Required when fundingSource is 'sponsor'. */
  sponsorId: z.string().uuid().optional(),
  ...override,
});
export type AllocateInput = z.infer<typeof allocateBody>;

export const scanBody = z.object({
  token: z.string().trim().min(1).max(200),
  /** When the gift was handed over, for a scan recorded offline and synced later. */
  deliveredAt: z.iso.datetime({ offset: true }).optional(),
  /** The device that recorded the scan. */
  clientId: text(100).min(1).optional(),
  receivedBy: text(200).min(1).optional(),
});
export type ScanInput = z.infer<typeof scanBody>;

export const benefitListQuery = unitQuery.extend({
  status: z.enum(BENEFIT_STATUSES).optional(),
  kind: kindCode.optional(),
});

export const benefitOut = z.object({
  id: z.string(),
  campaignId: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  childId: z.string(),
  childName: z.string(),
  childBirthDate: z.string(),
  kind: z.string(),
  kindName: z.string(),
  item: z.string().nullable(),
  value: z.number().int(),
  fundingSource: z.enum(FUNDING_SOURCES),
  /** The paying sponsor, when fundingSource is 'sponsor'. */
  sponsorId: z.string().nullable(),
  sponsorName: z.string().nullable(),
  status: z.enum(BENEFIT_STATUSES),
  note: z.string().nullable(),
  approvedAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  deliveredByName: z.string().nullable(),
  receivedBy: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type BenefitOut = z.infer<typeof benefitOut>;

const countValue = z.object({ count: z.number().int(), value: z.number().int() });

export const budgetOut = z.object({
  /** Null: no limit. */
  amount: z.number().int().nullable(),
  /** unit: set for the unit; per_unit or total: the campaign's settings; none: no limit. */
  source: z.enum(['unit', 'per_unit', 'total', 'none']),
  /** Non-cancelled benefits counted against it (for "total": the whole campaign). */
  spent: z.number().int(),
  remaining: z.number().int().nullable(),
});
export type BudgetOut = z.infer<typeof budgetOut>;

export const benefitListOut = z.object({
  items: z.array(benefitOut),
  totals: z.object({
    /** Non-cancelled benefits. */
    count: z.number().int(),
    value: z.number().int(),
    byKind: z.array(z.object({ kind: z.string(), name: z.string(), count: z.number().int(), value: z.number().int() })),
    byStatus: z.object({ planned: countValue, approved: countValue, delivered: countValue, cancelled: countValue }),
  }),
  /** The unit's budget; null when the list covers several units. */
  budget: budgetOut.nullable(),
});

export const allocateOut = z.object({
  created: z.array(benefitOut),
  totalValue: z.number().int(),
  /** Null: no limit. */
  budget: z.number().int().nullable(),
  remaining: z.number().int().nullable(),
  /** What is left of the funding source after these proposals. */
  fundsLeft: z.number().int().optional(),
  skipped: z.array(
    z.object({
      childId: z.string(),
      kind: z.string(),
      /**
       * already_given: this record has it; given_elsewhere: the same child in another unit has it;
       * over_budget: the budget ran out; insufficient_funds: the funding source has too little left.
       */
      reason: z.enum(['already_given', 'given_elsewhere', 'over_budget', 'insufficient_funds']),
      orgName: z.string().optional(),
    }),
  ),
});

export const scanOut = z.object({
  status: z.enum(['delivered', 'already_delivered']),
  benefit: z.object({
    id: z.string(),
    kind: z.string(),
    kindName: z.string(),
    value: z.number().int(),
    childName: z.string(),
    orgName: z.string(),
    deliveredAt: z.string(),
    deliveredByName: z.string().nullable(),
  }),
  message: z.string(),
});
