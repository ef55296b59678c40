import { z } from 'zod';
import { isoDate, paging, unitId, unitIdParam } from '../../lib/http/schemas';
import { FUNDING_SOURCES } from '../benefits/benefits.schemas';

/*
 * Sponsors and the money of a campaign (issue #5). Money is always whole đồng
 * (integers). A unit holds a campaign's money per source: its own union funds
 * (unit_funds), funds passed down from above (upper_funds), and each sponsor's
 * money apart (sponsor + sponsorId).
 */

export { FUNDING_SOURCES };
export type { FundingSource } from '../benefits/benefits.schemas';
export const SPONSOR_KINDS = ['organization', 'individual'] as const;
export type SponsorKind = (typeof SPONSOR_KINDS)[number];
export const GIFT_FORMS = ['cash', 'in_kind'] as const;
export type GiftForm = (typeof GIFT_FORMS)[number];
export const RECEIPT_METHODS = ['cash', 'bank_transfer', 'other'] as const;
export const PLEDGE_STATUSES = ['open', 'partly_received', 'received', 'cancelled'] as const;
export type PledgeStatus = (typeof PLEDGE_STATUSES)[number];
export const ENTRY_KINDS = ['allocation', 'receipt', 'transfer_in', 'transfer_out', 'event_cost', 'child_sponsorship', 'correction'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Labels of the sources, as screens and documents print them. */
export const FUND_SOURCE_LABELS: Record<(typeof FUNDING_SOURCES)[number], { vi: string; en: string }> = {
  unit_funds: { vi: 'Kinh phí công đoàn của đơn vị', en: 'Unit’s union funds' },
  upper_funds: { vi: 'Kinh phí cấp trên hỗ trợ', en: 'Funds from the level above' },
  sponsor: { vi: 'Tài trợ (xã hội hóa)', en: 'Sponsors' },
};

const text = (max: number) => z.string().trim().max(max);
/** Whole đồng, more than 0 (at most 1,000 billion). */
const amount = z.number().int().positive().max(1_000_000_000_000);
/**
 * A key the client makes once per form submission (e.g. a random UUID) and
 * sends again on a retry: the same key from the same user for the same unit
 * returns the row already written instead of writing it twice.
 */
const requestId = z.string().trim().min(8).max(100).regex(/^[A-Za-z0-9_.:-]+$/);
const orgRef = z.object({ id: z.number().int(), code: z.string(), name: z.string() });

// ---------------------------------------------------------------- sponsors

/** A Vietnamese tax code: 10 digits, or 10 digits, "-" and a 3-digit branch number. */
const taxCode = z.string().trim().regex(/^\d{10}(-\d{3})?$/, 'Mã số thuế gồm 10 chữ số (hoặc 10 chữ số, dấu - và 3 chữ số)');

const sponsorFields = {
  kind: z.enum(SPONSOR_KINDS),
  name: text(200).min(2),
  /** The person to contact (for an organisation). */
  contactName: text(120).nullish(),
  phone: text(40).regex(/^[0-9+().\s-]*$/, 'Số điện thoại chỉ gồm chữ số và các dấu + . - ( )').nullish(),
  email: z.string().trim().toLowerCase().email().max(200).nullish().or(z.literal('')),
  address: text(300).nullish(),
  taxCode: taxCode.nullish().or(z.literal('')),
  notes: text(2000).nullish(),
  /** The sponsor agreed to be named on the public transparency page (default no). */
  publiclyNamed: z.boolean().optional(),
};

/** POST /sponsors: a sponsor recorded by a unit (the caller's, in their funds.write subtree). */
export const createSponsorBody = z.object({ orgId: unitId, ...sponsorFields, requestId: requestId.optional() });
export type CreateSponsorInput = z.infer<typeof createSponsorBody>;

/** PATCH /sponsors/:id: any field; `version` as read, else 409. */
export const updateSponsorBody = z
  .object({
    kind: sponsorFields.kind.optional(),
    name: sponsorFields.name.optional(),
    contactName: sponsorFields.contactName,
    phone: sponsorFields.phone,
    email: sponsorFields.email,
    address: sponsorFields.address,
    taxCode: sponsorFields.taxCode,
    notes: sponsorFields.notes,
    publiclyNamed: sponsorFields.publiclyNamed,
    version: z.number().int().positive(),
  })
  .strict();
export type UpdateSponsorInput = z.infer<typeof updateSponsorBody>;

/** GET /sponsors: search (diacritics ignored) among the sponsors the caller sees; `orgId`: those a unit may record money from. */
export const sponsorListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  kind: z.enum(SPONSOR_KINDS).optional(),
  orgId: unitIdParam.optional(),
  ...paging,
});

/** One sponsor. `canEdit`: the caller may change it (its unit is in their funds.write subtree). */
export const sponsorOut = z.object({
  id: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  kind: z.enum(SPONSOR_KINDS),
  name: z.string(),
  contactName: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  taxCode: z.string().nullable(),
  notes: z.string().nullable(),
  publiclyNamed: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  canEdit: z.boolean(),
});
export type SponsorOut = z.infer<typeof sponsorOut>;

export const sponsorListOut = z.object({ items: z.array(sponsorOut), total: z.number().int() });

/** GET /sponsors/:id: the sponsor and what it gave, campaign by campaign (years), in units the caller sees. */
export const sponsorDetailOut = sponsorOut.extend({
  history: z.array(
    z.object({
      campaignId: z.string(),
      docNumber: z.string(),
      year: z.number().int(),
      title: z.string(),
      orgId: z.number().int(),
      orgName: z.string(),
      /** Pledged, not cancelled. */
      pledged: z.number().int(),
      received: z.number().int(),
    }),
  ),
});

/** GET /sponsors/:id/thank-you.docx: the letter from `orgId` for what the sponsor gave in `campaignId`. */
export const thankYouQuery = z.object({
  campaignId: z.string().uuid(),
  orgId: unitIdParam,
  /** The letter's date (default today, Vietnam time). */
  date: isoDate.optional(),
  /** Who signs, when not the signer of the unit's plan. */
  signerName: z.string().trim().min(2).max(120).optional(),
});

// ---------------------------------------------------------------- ledger

/** ?orgId=: the unit whose ledger (default: the caller's own unit, else the issuing unit). */

/** One line of the ledger (fund_entries; append-only). Benefits and event costs are summed per source instead. */
export const fundEntryOut = z.object({
  id: z.string(),
  campaignId: z.string(),
  orgId: z.number().int(),
  source: z.enum(FUNDING_SOURCES),
  sponsorId: z.string().nullable(),
  sponsorName: z.string().nullable(),
  direction: z.enum(['in', 'out']),
  kind: z.enum(ENTRY_KINDS),
  amount: z.number().int(),
  occurredOn: z.string(),
  /** The unit on the other side of a transfer (from, for transfer_in; to, for transfer_out). */
  counterpartOrg: orgRef.nullable(),
  receiptId: z.string().nullable(),
  transferId: z.string().nullable(),
  earmarkId: z.string().nullable(),
  activityId: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type FundEntryOut = z.infer<typeof fundEntryOut>;

/** Money in by origin. */
const inFigures = z.object({
  /** Union funds allocated by the unit itself. */
  allocations: z.number().int(),
  /** Sponsor receipts (in kind at their total value). */
  receipts: z.number().int(),
  /** Passed down from the level above. */
  transfersIn: z.number().int(),
  corrections: z.number().int(),
  total: z.number().int(),
});
/** Money out by use. */
const outFigures = z.object({
  /** Non-cancelled benefits (gifts, scholarships…) paid from the source. */
  benefits: z.number().int(),
  /** Costs of activities not cancelled. */
  eventCosts: z.number().int(),
  /** Passed down to units below. */
  transfersDown: z.number().int(),
  /** Direct sponsorship of children (nhận đỡ đầu). */
  childSponsorship: z.number().int(),
  corrections: z.number().int(),
  total: z.number().int(),
});

/** One source of a unit (a sponsor's money is a source of its own): in − out = balance. */
export const ledgerSourceOut = z.object({
  source: z.enum(FUNDING_SOURCES),
  sponsorId: z.string().nullable(),
  sponsorName: z.string().nullable(),
  /** "Kinh phí công đoàn của đơn vị", or "Tài trợ: <name>". */
  label: z.string(),
  in: inFigures,
  out: outFigures,
  balance: z.number().int(),
});
export type LedgerSourceOut = z.infer<typeof ledgerSourceOut>;

/** GET /campaigns/:id/funds: one unit's ledger for the campaign. */
export const ledgerOut = z.object({
  campaignId: z.string(),
  org: orgRef,
  sources: z.array(ledgerSourceOut),
  /** The ledger lines, oldest first. */
  entries: z.array(fundEntryOut),
  totals: z.object({ in: inFigures, out: outFigures, balance: z.number().int() }),
  /** Pledges recorded by the unit (not cancelled): promised, received so far, still to come. */
  pledges: z.object({ pledged: z.number().int(), received: z.number().int(), outstanding: z.number().int() }),
  /** The caller may record money for this unit. */
  canWrite: z.boolean(),
});
export type LedgerOut = z.infer<typeof ledgerOut>;

/**
 * Money of a subtree for one source: `in` entered the subtree (allocations,
 * receipts, transfers from a unit outside it); `out` left it (spent, or passed
 * outside); `balance` is what its units hold. Transfers inside the subtree
 * cancel out. A source row's in − out may differ from its balance, since
 * union money passed down changes from unit_funds to upper_funds; the totals
 * always balance.
 */
export const subtreeSourceOut = z.object({
  source: z.enum(FUNDING_SOURCES),
  in: z.number().int(),
  out: z.number().int(),
  balance: z.number().int(),
});
const subtreeFigures = z.object({
  bySource: z.array(subtreeSourceOut),
  in: z.number().int(),
  out: z.number().int(),
  balance: z.number().int(),
});

/** GET /campaigns/:id/funds/summary: the unit's subtree by source, and one row per direct child unit (for a chart). */
export const fundSummaryOut = z.object({
  campaignId: z.string(),
  org: orgRef,
  totals: subtreeFigures,
  /** Spending of the whole subtree by use. */
  spending: z.object({ benefits: z.number().int(), eventCosts: z.number().int(), childSponsorship: z.number().int(), corrections: z.number().int() }),
  children: z.array(subtreeFigures.extend({ org: orgRef })),
});

// ---------------------------------------------------------------- writes

/** POST /campaigns/:id/funds/allocations: the unit sets aside its own union funds for the campaign. */
export const allocationBody = z.object({
  orgId: unitId,
  amount,
  /** Default today. */
  occurredOn: isoDate.optional(),
  note: text(1000).optional(),
  requestId: requestId.optional(),
});
export type AllocationInput = z.infer<typeof allocationBody>;

/**
 * POST /campaigns/:id/funds/transfers: pass money down to a unit of the
 * sender's subtree. Union money arrives as upper_funds; a sponsor's money as
 * that sponsor's money.
 */
export const transferBody = z.object({
  fromOrgId: unitId,
  toOrgId: unitId,
  source: z.enum(FUNDING_SOURCES),
  /** Required when source is 'sponsor'. */
  sponsorId: z.string().uuid().optional(),
  amount,
  /** Default today. */
  transferredOn: isoDate.optional(),
  note: text(1000).optional(),
  requestId: requestId.optional(),
});
export type TransferInput = z.infer<typeof transferBody>;

export const transferOut = z.object({
  id: z.string(),
  campaignId: z.string(),
  fromOrg: orgRef,
  toOrg: orgRef,
  source: z.enum(FUNDING_SOURCES),
  sponsorId: z.string().nullable(),
  sponsorName: z.string().nullable(),
  amount: z.number().int(),
  transferredOn: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
});

/** In kind: item, quantity and unit value (whole đồng); the total is quantity × unit value. */
const inKindFields = {
  form: z.literal('in_kind'),
  item: text(300).min(1),
  quantity: z.number().int().positive().max(10_000_000),
  unitValue: z.number().int().min(0).max(1_000_000_000),
};

const pledgeCommon = {
  /** The unit the pledge is made to. */
  orgId: unitId,
  sponsorId: z.string().uuid(),
  pledgedOn: isoDate,
  note: text(1000).optional(),
  requestId: requestId.optional(),
};
/** POST /campaigns/:id/funds/pledges: what a sponsor promised, cash (amount) or in kind. */
export const pledgeBody = z.discriminatedUnion('form', [
  z.object({ ...pledgeCommon, form: z.literal('cash'), amount }),
  z.object({ ...pledgeCommon, ...inKindFields }),
]);
export type PledgeInput = z.infer<typeof pledgeBody>;

/** POST …/pledges/:pledgeId/cancel: the part not received is no longer expected. */
export const cancelPledgeBody = z.object({ reason: text(1000).min(3) });
export const pledgeParams = z.object({ id: z.string().uuid(), pledgeId: z.string().uuid() });

export const pledgeListQuery = z.object({
  orgId: unitIdParam.optional(),
  sponsorId: z.string().uuid().optional(),
  status: z.enum(PLEDGE_STATUSES).optional(),
});

/** A pledge with what has been received on it. */
export const pledgeOut = z.object({
  id: z.string(),
  campaignId: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  sponsorId: z.string(),
  sponsorName: z.string(),
  form: z.enum(GIFT_FORMS),
  item: z.string().nullable(),
  quantity: z.number().int().nullable(),
  unitValue: z.number().int().nullable(),
  /** Cash amount, or quantity × unit value. */
  amount: z.number().int(),
  pledgedOn: z.string(),
  note: z.string().nullable(),
  /** Σ receipts on this pledge. */
  received: z.number().int(),
  /** Still to receive (0 once cancelled or received). */
  outstanding: z.number().int(),
  status: z.enum(PLEDGE_STATUSES),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
});
export type PledgeOut = z.infer<typeof pledgeOut>;

/** Pledges of the unit and its subtree; totals leave cancelled pledges out (but keep what they received). */
export const pledgeListOut = z.object({
  items: z.array(pledgeOut),
  totals: z.object({ count: z.number().int(), pledged: z.number().int(), received: z.number().int(), outstanding: z.number().int() }),
});

const receiptCommon = {
  /** The unit that received. */
  orgId: unitId,
  /** Required unless pledgeId is given (then it must be the pledge's sponsor). */
  sponsorId: z.string().uuid().optional(),
  /** The pledge this receipt settles (in part or in full). */
  pledgeId: z.string().uuid().optional(),
  receivedOn: isoDate,
  /** The receipt voucher number (số phiếu thu / biên nhận). */
  receiptNo: text(60).optional(),
  note: text(1000).optional(),
  requestId: requestId.optional(),
};
/** POST /campaigns/:id/funds/receipts: money or goods received, cash (amount, method) or in kind. */
export const receiptBody = z.discriminatedUnion('form', [
  z.object({ ...receiptCommon, form: z.literal('cash'), amount, method: z.enum(RECEIPT_METHODS).default('cash') }),
  z.object({ ...receiptCommon, ...inKindFields }),
]);
export type ReceiptInput = z.infer<typeof receiptBody>;

export const receiptListQuery = z.object({
  orgId: unitIdParam.optional(),
  sponsorId: z.string().uuid().optional(),
});

export const receiptOut = z.object({
  id: z.string(),
  campaignId: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  sponsorId: z.string(),
  sponsorName: z.string(),
  pledgeId: z.string().nullable(),
  form: z.enum(GIFT_FORMS),
  item: z.string().nullable(),
  quantity: z.number().int().nullable(),
  unitValue: z.number().int().nullable(),
  amount: z.number().int(),
  receivedOn: z.string(),
  receiptNo: z.string().nullable(),
  method: z.enum(RECEIPT_METHODS).nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type ReceiptOut = z.infer<typeof receiptOut>;

export const receiptListOut = z.object({
  items: z.array(receiptOut),
  totals: z.object({ count: z.number().int(), amount: z.number().int(), cash: z.number().int(), inKind: z.number().int() }),
});

/**
 * POST /campaigns/:id/funds/earmarks: a sponsor's money held by `orgId` set
 * aside for one target: a unit of its subtree (the money is passed down to
 * it) or a child of its subtree (nhận đỡ đầu, for a period such as a school year).
 */
export const earmarkBody = z
  .object({
    orgId: unitId,
    sponsorId: z.string().uuid(),
    /** The receipt the money came from, when known. */
    receiptId: z.string().uuid().optional(),
    amount,
    targetOrgId: unitId.optional(),
    childId: z.string().uuid().optional(),
    periodFrom: isoDate.optional(),
    periodTo: isoDate.optional(),
    /** Default today. */
    occurredOn: isoDate.optional(),
    note: text(1000).optional(),
    requestId: requestId.optional(),
  })
  .refine((b) => (b.targetOrgId === undefined) !== (b.childId === undefined), { message: 'Chọn một đích: một đơn vị hoặc một trẻ', path: ['targetOrgId'] })
  .refine((b) => !b.periodFrom || !b.periodTo || b.periodFrom <= b.periodTo, { message: 'Ngày bắt đầu phải trước ngày kết thúc', path: ['periodTo'] });
export type EarmarkInput = z.infer<typeof earmarkBody>;

export const earmarkListQuery = z.object({
  orgId: unitIdParam.optional(),
  target: z.enum(['unit', 'child']).optional(),
});

/** An earmark. `childName` is null when the caller may not read the child's record. */
export const earmarkOut = z.object({
  id: z.string(),
  campaignId: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  sponsorId: z.string(),
  sponsorName: z.string(),
  receiptId: z.string().nullable(),
  target: z.enum(['unit', 'child']),
  targetOrg: orgRef.nullable(),
  childId: z.string().nullable(),
  childName: z.string().nullable(),
  amount: z.number().int(),
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type EarmarkOut = z.infer<typeof earmarkOut>;
export const earmarkListOut = z.object({ items: z.array(earmarkOut), totals: z.object({ count: z.number().int(), amount: z.number().int() }) });

/** GET /children/:id/sponsorships: the child's sponsorships (earmarks to the child), newest first. */
export const childSponsorshipsOut = z.object({
  items: z.array(
    z.object({
      earmarkId: z.string(),
      campaignId: z.string(),
      docNumber: z.string(),
      campaignTitle: z.string(),
      year: z.number().int(),
      orgId: z.number().int(),
      orgName: z.string(),
      sponsorId: z.string(),
      sponsorName: z.string(),
      amount: z.number().int(),
      periodFrom: z.string().nullable(),
      periodTo: z.string().nullable(),
      note: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  total: z.number().int(),
});

// ---------------------------------------------------------------- transparency

/** PUT /campaigns/:id/funds/public: turn the public page on or off (the issuing unit only). */
export const publicFundsBody = z.object({ enabled: z.boolean() });
/** `apiPath`: where the public page's data is read without signing in. */
export const publicFundsOut = z.object({ enabled: z.boolean(), apiPath: z.string() });

/**
 * GET /public/campaigns/:id/funds (no sign-in): the whole campaign's money by
 * source and the sponsors who agreed to be named. Never a child, never an
 * unnamed sponsor's name.
 */
export const publicFundsPageOut = z.object({
  campaign: z.object({ id: z.string(), docNumber: z.string(), title: z.string(), year: z.number().int(), issuingOrgName: z.string() }),
  bySource: z.array(z.object({ source: z.enum(FUNDING_SOURCES), label: z.string(), in: z.number().int(), out: z.number().int(), balance: z.number().int() })),
  totals: z.object({ in: z.number().int(), out: z.number().int(), balance: z.number().int() }),
  /** Named sponsors with what they gave (received, cash and in kind), largest first. */
  sponsors: z.array(z.object({ name: z.string(), kind: z.enum(SPONSOR_KINDS), received: z.number().int(), inKindItems: z.array(z.string()) })),
  /** Sponsors who did not agree to be named: how many and how much, together. */
  otherSponsors: z.object({ count: z.number().int(), received: z.number().int() }),
  updatedAt: z.string(),
});
