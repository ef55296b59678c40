import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { ltree } from './types';

/** Union units, live and ended. `path` is the chain of ids from the top unit. */
export const orgs = pgTable(
  'orgs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    kind: text('kind').notNull(),
    parentId: integer('parent_id'),
    path: ltree('path').notNull(),
    emails: text('emails').array().notNull().default(sql`'{}'::text[]`),
    phone: text('phone'),
    status: text('status').notNull().default('active'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    mergedIntoId: integer('merged_into_id'),
    searchText: text('search_text').notNull(),
    sortKey: text('sort_key').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orgs_live_code_key').on(t.code).where(sql`status = 'active'`),
    index('orgs_path_gist').using('gist', t.path),
    index('orgs_parent_idx').on(t.parentId),
    index('orgs_search_trgm').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('orgs_sort_idx').on(sql`${t.sortKey} collate "C"`),
  ],
);

/**
 * One row per period in which a unit had the same code, name, kind and
 * parent: [valid_from, valid_to). The tree on any date is read from here.
 */
export const orgVersions = pgTable(
  'org_versions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: integer('org_id').notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    code: text('code').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    kind: text('kind').notNull(),
    parentId: integer('parent_id'),
    event: text('event').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('org_versions_org_idx').on(t.orgId, t.validFrom),
    index('org_versions_parent_idx').on(t.parentId, t.validFrom),
  ],
);
