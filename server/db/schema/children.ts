import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { CIRCUMSTANCES_CIPHER, encryptedJson, encryptedText, ID_NUMBER_CIPHER } from './encrypted';

/** Members (CNVCLĐ) of a unit: the parents through whom children are cared for. */
export const members = pgTable(
  'members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: integer('org_id').notNull(),
    fullName: text('full_name').notNull(),
    searchText: text('search_text').notNull(),
    sortKey: text('sort_key').notNull(),
    department: text('department'),
    phone: text('phone'),
    isUnionMember: boolean('is_union_member').notNull().default(true),
    /** Encrypted at rest (deterministically: duplicates are still found by it), see encrypted.ts. */
    idNumber: encryptedText('id_number', ID_NUMBER_CIPHER),
    /** Folded name + phone: how a re-import finds the same member. */
    matchKey: text('match_key').notNull(),
    /** Set when the member's personal data was replaced (no child of theirs left to care for). */
    anonymizedAt: timestamp('anonymized_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('members_org_idx').on(t.orgId), index('members_match_idx').on(t.orgId, t.matchKey)],
);

/** A member's child registered by a unit. */
export const children = pgTable(
  'children',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: integer('org_id').notNull(),
    fullName: text('full_name').notNull(),
    searchText: text('search_text').notNull(),
    sortKey: text('sort_key').notNull(),
    birthDate: date('birth_date').notNull(),
    sex: text('sex').notNull(),
    school: text('school'),
    grade: text('grade'),
    /** Encrypted at rest (health, disability, poverty), see encrypted.ts. */
    circumstances: encryptedJson('circumstances', CIRCUMSTANCES_CIPHER).notNull().default(sql`'[]'::jsonb`),
    achievements: jsonb('achievements').notNull().default(sql`'[]'::jsonb`),
    parentConsent: jsonb('parent_consent'),
    childConsent: jsonb('child_consent'),
    /** Folded name + date of birth: the key duplicates are looked up by. */
    dupKey: text('dup_key').notNull(),
    /**
     * Set when the child's personal data was replaced (consent withdrawn, an
     * erasure request, or the retention period over): the row stays so that
     * benefits and figures keep adding up; see children.privacy.ts.
     */
    anonymizedAt: timestamp('anonymized_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('children_org_idx').on(t.orgId),
    index('children_dup_idx').on(t.dupKey),
    index('children_search_trgm').using('gin', sql`${t.searchText} gin_trgm_ops`),
  ],
);

export const childParents = pgTable(
  'child_parents',
  {
    childId: uuid('child_id').notNull(),
    memberId: uuid('member_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.childId, t.memberId] }), index('child_parents_member_idx').on(t.memberId)],
);

/** An officer's ruling that two look-alike records are not the same child. */
export const duplicateDismissals = pgTable(
  'duplicate_dismissals',
  {
    childA: uuid('child_a').notNull(),
    childB: uuid('child_b').notNull(),
    dismissedBy: uuid('dismissed_by'),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.childA, t.childB] })],
);
