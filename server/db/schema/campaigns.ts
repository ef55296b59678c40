import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** A care campaign: the plan (KH) a unit issues down its subtree. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    year: integer('year').notNull(),
    docNumber: text('doc_number').notNull(),
    place: text('place').notNull(),
    issueDate: date('issue_date').notNull(),
    title: text('title').notNull(),
    subject: text('subject').notNull(),
    issuingOrgId: integer('issuing_org_id').notNull(),
    implementsId: uuid('implements_id'),
    preamble: text('preamble').notNull().default(''),
    sections: jsonb('sections').notNull().default(sql`'[]'::jsonb`),
    recipients: jsonb('recipients').notNull().default(sql`'[]'::jsonb`),
    signer: jsonb('signer').notNull(),
    festivalDate: date('festival_date').notNull(),
    festivalDateOverridden: boolean('festival_date_overridden').notNull().default(false),
    reportDeadline: date('report_deadline'),
    entryFrom: date('entry_from'),
    entryTo: date('entry_to'),
    settings: jsonb('settings').notNull(),
    status: text('status').notNull().default('draft'),
    /** The public transparency page (totals by source, named sponsors; no child's data). Off by default. */
    publicFunds: boolean('public_funds').notNull().default(false),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    issuedBy: uuid('issued_by'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('campaigns_doc_number_key').on(t.issuingOrgId, t.year, t.docNumber),
    index('campaigns_issuing_idx').on(t.issuingOrgId, t.year),
    index('campaigns_implements_idx').on(t.implementsId),
  ],
);

/** A unit in a campaign's scope, fixed when the plan is issued; acknowledgement recorded here. */
export const campaignAssignments = pgTable(
  'campaign_assignments',
  {
    campaignId: uuid('campaign_id').notNull(),
    orgId: integer('org_id').notNull(),
    status: text('status').notNull().default('active'),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    addedReason: text('added_reason'),
    excludedAt: timestamp('excluded_at', { withTimezone: true }),
    excludedReason: text('excluded_reason'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: uuid('acknowledged_by'),
    acknowledgedByName: text('acknowledged_by_name'),
    lastRemindedAt: timestamp('last_reminded_at', { withTimezone: true }),
    reminders: integer('reminders').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.orgId] }), index('campaign_assignments_org_idx').on(t.orgId)],
);

/** In-app notices to a unit (a plan issued, a reminder). */
export const notices = pgTable(
  'notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: integer('org_id').notNull(),
    campaignId: uuid('campaign_id'),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notices_org_idx').on(t.orgId, t.createdAt)],
);
