import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** What a unit did for a campaign besides gifts: a festival night, a talk, a competition… */
export const activities = pgTable(
  'activities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id').notNull(),
    orgId: integer('org_id').notNull(),
    /** festival_night | visit_gifts | communication | parent_training | competition | other */
    kind: text('kind').notNull(),
    /** in_person | zoom | zalo | facebook | other_online */
    channel: text('channel').notNull(),
    title: text('title').notNull(),
    heldOn: date('held_on').notNull(),
    place: text('place'),
    link: text('link'),
    topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
    description: text('description'),
    participantsChildren: integer('participants_children').notNull().default(0),
    participantsParents: integer('participants_parents').notNull().default(0),
    participantsMembers: integer('participants_members').notNull().default(0),
    /** Views, for online activities. */
    reach: integer('reach'),
    /** Whole đồng. */
    cost: bigint('cost', { mode: 'number' }).notNull().default(0),
    /** unit_funds | upper_funds | sponsor, when cost > 0. */
    costSource: text('cost_source'),
    costSponsorId: uuid('cost_sponsor_id'),
    /** planned | held | held_online | postponed | cancelled_epidemic | cancelled_other */
    status: text('status').notNull(),
    statusNote: text('status_note'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('activities_campaign_org_idx').on(t.campaignId, t.orgId)],
);

/** Evidence for an activity: a photo or a document, stored by key in the file store. */
export const activityFiles = pgTable(
  'activity_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    activityId: uuid('activity_id').notNull(),
    orgId: integer('org_id').notNull(),
    fileName: text('file_name').notNull(),
    /** Detected from the content: image/jpeg | image/png | image/webp | application/pdf */
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    thumbnailKey: text('thumbnail_key'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('activity_files_activity_idx').on(t.activityId)],
);
