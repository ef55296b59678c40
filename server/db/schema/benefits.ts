import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * What a child receives in a campaign (a gift, a scholarship, a reward, an
 * item): planned → approved → delivered, or cancelled. It belongs to the
 * child's unit; one of each kind per child per campaign.
 */
export const benefits = pgTable(
  'benefits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id').notNull(),
    orgId: integer('org_id').notNull(),
    childId: uuid('child_id').notNull(),
    /** A code of the campaign's benefit kinds, or 'in_kind' with `item`. */
    kind: text('kind').notNull(),
    item: text('item'),
    /** Whole đồng. */
    value: bigint('value', { mode: 'number' }).notNull(),
    fundingSource: text('funding_source').notNull().default('unit_funds'),
    /** The sponsor whose money pays, when the source is 'sponsor'. */
    sponsorId: uuid('sponsor_id'),
    status: text('status').notNull().default('planned'),
    note: text('note'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: uuid('approved_by'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    deliveredBy: uuid('delivered_by'),
    receivedBy: text('received_by'),
    /** The device that recorded the delivery (offline scans synced later). */
    deliveryClientId: text('delivery_client_id'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('benefits_child_kind_key').on(t.campaignId, t.childId, t.kind).where(sql`status <> 'cancelled'`),
    index('benefits_campaign_org_idx').on(t.campaignId, t.orgId),
    index('benefits_child_idx').on(t.childId),
  ],
);

/** A unit's budget for a campaign, when set for that unit (else the campaign's settings apply). */
export const benefitBudgets = pgTable(
  'benefit_budgets',
  {
    campaignId: uuid('campaign_id').notNull(),
    orgId: integer('org_id').notNull(),
    /** Whole đồng. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    setBy: uuid('set_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.orgId] })],
);
