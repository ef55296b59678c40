import { bigint, boolean, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * A sponsor (nhà tài trợ): an organisation or a person, recorded by a unit and
 * seen by that unit's subtree and the levels above; the same sponsor across years.
 */
export const sponsors = pgTable(
  'sponsors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: integer('org_id').notNull(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    searchText: text('search_text').notNull(),
    sortKey: text('sort_key').notNull(),
    contactName: text('contact_name'),
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    taxCode: text('tax_code'),
    notes: text('notes'),
    /** The sponsor agreed to be named on the public transparency page. */
    publiclyNamed: boolean('publicly_named').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sponsors_org_idx').on(t.orgId)],
);

/** What a sponsor promised for a campaign: cash or in kind; open until received in full. */
export const pledges = pgTable(
  'pledges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id').notNull(),
    orgId: integer('org_id').notNull(),
    sponsorId: uuid('sponsor_id').notNull(),
    form: text('form').notNull(),
    item: text('item'),
    quantity: integer('quantity'),
    /** Whole đồng per item (in kind). */
    unitValue: bigint('unit_value', { mode: 'number' }),
    /** Whole đồng: the cash amount, or quantity × unit value. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    pledgedOn: date('pledged_on').notNull(),
    note: text('note'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('pledges_campaign_org_idx').on(t.campaignId, t.orgId), index('pledges_sponsor_idx').on(t.sponsorId)],
);

/** Money or goods actually received; may settle part of a pledge. */
export const receipts = pgTable(
  'receipts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id').notNull(),
    orgId: integer('org_id').notNull(),
    sponsorId: uuid('sponsor_id').notNull(),
    pledgeId: uuid('pledge_id'),
    form: text('form').notNull(),
    item: text('item'),
    quantity: integer('quantity'),
    unitValue: bigint('unit_value', { mode: 'number' }),
    /** Whole đồng: the cash amount, or quantity × unit value. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    receivedOn: date('received_on').notNull(),
    receiptNo: text('receipt_no'),
    /** cash | bank_transfer | other (cash form only). */
    method: text('method'),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('receipts_campaign_org_idx').on(t.campaignId, t.orgId), index('receipts_sponsor_idx').on(t.sponsorId), index('receipts_pledge_idx').on(t.pledgeId)],
);

/**
 * The ledger of a campaign per unit and source, besides benefits (which are
 * read from their own table): money in (union funds allocated by the unit,
 * sponsor receipts, transfers from above) and out (transfers down, event
 * costs, direct sponsorship of a child). Append-only; a correction is a new entry.
 */
export const fundEntries = pgTable(
  'fund_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id').notNull(),
    orgId: integer('org_id').notNull(),
    /** unit_funds | upper_funds | sponsor */
    source: text('source').notNull(),
    sponsorId: uuid('sponsor_id'),
    /** in | out */
    direction: text('direction').notNull(),
    /** allocation | receipt | transfer_in | transfer_out | event_cost | child_sponsorship | correction */
    kind: text('kind').notNull(),
    /** Whole đồng, > 0. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    occurredOn: date('occurred_on').notNull(),
    receiptId: uuid('receipt_id'),
    transferId: uuid('transfer_id'),
    activityId: uuid('activity_id'),
    earmarkId: uuid('earmark_id'),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('fund_entries_campaign_org_idx').on(t.campaignId, t.orgId), index('fund_entries_activity_idx').on(t.activityId)],
);

/** Money passed down the tree (the district passes sponsor money to a union). */
export const fundTransfers = pgTable(
  'fund_transfers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id').notNull(),
    fromOrgId: integer('from_org_id').notNull(),
    toOrgId: integer('to_org_id').notNull(),
    /** The source at the sender; the receiver holds it as upper_funds (union money) or sponsor (same sponsor). */
    source: text('source').notNull(),
    sponsorId: uuid('sponsor_id'),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    transferredOn: date('transferred_on').notNull(),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('fund_transfers_campaign_idx').on(t.campaignId)],
);

/**
 * Sponsor money set aside for a purpose: a unit (and so its subtree; carried out
 * as a transfer) or a child (nhận đỡ đầu, for a period such as a school year).
 */
export const earmarks = pgTable(
  'earmarks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id').notNull(),
    /** The unit whose sponsor money is earmarked. */
    orgId: integer('org_id').notNull(),
    sponsorId: uuid('sponsor_id').notNull(),
    receiptId: uuid('receipt_id'),
    targetOrgId: integer('target_org_id'),
    childId: uuid('child_id'),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    periodFrom: date('period_from'),
    periodTo: date('period_to'),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('earmarks_campaign_org_idx').on(t.campaignId, t.orgId), index('earmarks_child_idx').on(t.childId)],
);

/** A commendation (biểu dương): a person or a sponsor, why, and the decision. */
export const commendations = pgTable(
  'commendations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id').notNull(),
    orgId: integer('org_id').notNull(),
    /** person | sponsor */
    subjectKind: text('subject_kind').notNull(),
    personName: text('person_name'),
    personTitle: text('person_title'),
    sponsorId: uuid('sponsor_id'),
    reason: text('reason').notNull(),
    decisionNo: text('decision_no'),
    decisionDate: date('decision_date'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('commendations_campaign_org_idx').on(t.campaignId, t.orgId)],
);
