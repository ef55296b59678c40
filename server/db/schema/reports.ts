import { sql } from 'drizzle-orm';
import { boolean, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * A campaign's report template ("báo cáo theo mẫu"): sections of fields, each
 * derived from the registers or entered by hand, and validation rules; plus the
 * campaign's report calendar besides its deadline (lock date, reminders).
 */
export const reportTemplates = pgTable('report_templates', {
  campaignId: uuid('campaign_id').primaryKey(),
  sections: jsonb('sections').notNull(),
  rules: jsonb('rules').notNull().default(sql`'[]'::jsonb`),
  /** Entry closes after this date unless an exception was granted (the deadline only decides "on time"). */
  lockDate: date('lock_date'),
  /** Remind units that have not submitted this many days before the deadline (0: only on the day). */
  remindDaysBefore: integer('remind_days_before').notNull().default(3),
  version: integer('version').notNull().default(1),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One unit's report for one campaign: draft → submitted → returned (draft again) | approved. */
export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id').notNull(),
    orgId: integer('org_id').notNull(),
    /** draft | submitted | returned | approved */
    status: text('status').notNull().default('draft'),
    /** Values entered by hand, by field code. */
    manual: jsonb('manual').notNull().default(sql`'{}'::jsonb`),
    /** Every figure as submitted (derived and manual), by field code; null while in draft. */
    figures: jsonb('figures'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by'),
    late: boolean('late'),
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    returnedBy: uuid('returned_by'),
    returnComment: text('return_comment'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: uuid('approved_by'),
    /**
     * Approved, and the unit recorded benefits or activities since: kept by triggers (migration 0019) equal to
     * `report_changed_since(…)`, so the status board reads a column instead of probing two tables per unit.
     */
    changedSinceApproval: boolean('changed_since_approval').notNull().default(false),
    reopenedAt: timestamp('reopened_at', { withTimezone: true }),
    reopenReason: text('reopen_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('reports_campaign_org_key').on(t.campaignId, t.orgId)],
);

/** An upper level lets one unit enter its report after the lock date, until a date. */
export const reportExceptions = pgTable(
  'report_exceptions',
  {
    campaignId: uuid('campaign_id').notNull(),
    orgId: integer('org_id').notNull(),
    until: date('until').notNull(),
    reason: text('reason').notNull(),
    grantedBy: uuid('granted_by'),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.orgId] })],
);

/**
 * Reminders already sent: the primary key makes each one go out once, however
 * many app processes run the schedule (the first insert wins; the others skip).
 */
export const reportReminders = pgTable(
  'report_reminders',
  {
    campaignId: uuid('campaign_id').notNull(),
    orgId: integer('org_id').notNull(),
    /** before | due | late_list */
    kind: text('kind').notNull(),
    sentOn: date('sent_on').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.orgId, t.kind, t.sentOn] })],
);

/**
 * The sums of the submitted and approved report snapshots of each unit's
 * subtree, per plan: one row per (plan, unit, status), kept equal to the
 * reports by triggers in the same transaction as every change (a report's
 * status or figures, a unit moved in the tree), so the consolidated report
 * of a province or of the whole country reads one row instead of summing
 * thousands of snapshots. `report_totals_recomputed` (a view) is the same
 * from scratch; a test keeps the two equal. See decision 014.
 */
export const reportTotals = pgTable(
  'report_totals',
  {
    campaignId: uuid('campaign_id').notNull(),
    orgId: integer('org_id').notNull(),
    /** submitted | approved */
    status: text('status').notNull(),
    reports: integer('reports').notNull(),
    /** The sum of each numeric figure, by field code. */
    figures: jsonb('figures').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.orgId, t.status] })],
);
