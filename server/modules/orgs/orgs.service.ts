import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { children, members, orgs, orgVersions, roleGrants } from '../../db/schema/index';
import { recordAudit, type Actor } from '../../lib/audit';
import type { AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import { AppError, conflict, forbidden, invalid, isUniqueViolation, notFound } from '../../lib/errors';
import { withTransaction } from '../../lib/transaction';
import { normalizeName, vietnameseSortKey } from '../../../common/vietnamese';
import type { OrgKind } from '../../../common/org-kinds';
import { balanceOf, lockFunds, type FundSource } from '../funds/funds.ledger';
import { orgPolicy } from './orgs.policy';
import {
  countLiveChildren,
  findLiveOrgByCode,
  findOrgInScope,
  listAncestors,
  listChildren,
  lockOrgInScope,
  searchTextOf,
  type OrgRow,
} from './orgs.queries';
import type { CreateOrgInput, OrgOut, UpdateOrgInput } from './orgs.schemas';

type VersionEvent = 'created' | 'updated' | 'moved' | 'absorbed';

function snapshot(o: OrgRow) {
  return {
    code: o.code,
    name: o.name,
    shortName: o.shortName,
    kind: o.kind,
    parentId: o.parentId,
    emails: o.emails,
    phone: o.phone,
    status: o.status,
    validFrom: o.validFrom,
    validTo: o.validTo,
  };
}

/**
 * Starts a new period in the unit's history from `date`. A second change on
 * the same day amends that day's period instead of leaving an empty one.
 */
async function openVersion(tx: Tx, org: OrgRow, event: VersionEvent, date: string): Promise<void> {
  const [current] = await tx
    .select()
    .from(orgVersions)
    .where(and(eq(orgVersions.orgId, org.id), isNull(orgVersions.validTo)))
    .for('update');
  const attrs = { code: org.code, name: org.name, shortName: org.shortName, kind: org.kind, parentId: org.parentId };
  if (current && current.validFrom === date) {
    await tx
      .update(orgVersions)
      .set({ ...attrs, event: current.event === 'created' ? 'created' : event })
      .where(eq(orgVersions.id, current.id));
    return;
  }
  if (current) await tx.update(orgVersions).set({ validTo: date }).where(eq(orgVersions.id, current.id));
  await tx.insert(orgVersions).values({ orgId: org.id, validFrom: date, event, ...attrs });
}

async function closeVersion(tx: Tx, orgId: number, date: string): Promise<void> {
  await tx
    .update(orgVersions)
    .set({ validTo: date })
    .where(and(eq(orgVersions.orgId, orgId), isNull(orgVersions.validTo)));
}

async function lastChangeDate(tx: DbOrTx, orgId: number): Promise<string | null> {
  const [row] = await tx
    .select({ d: sql<string | null>`max(${orgVersions.validFrom})::text` })
    .from(orgVersions)
    .where(eq(orgVersions.orgId, orgId));
  return row?.d ?? null;
}

/** A change takes effect today or on a past day after the unit's (and its new parent's) last change. */
async function effectiveDate(tx: DbOrTx, requested: string | undefined, orgIds: number[]): Promise<string> {
  const today = todayInVietnam();
  const date = requested ?? today;
  if (date > today) throw invalid('org.dateInFuture', {}, 'effectiveDate');
  for (const id of orgIds) {
    const last = await lastChangeDate(tx, id);
    if (last && date < last) {
      const [y, m, d] = last.split('-');
      throw invalid('org.dateBeforeHistory', { date: `${d}/${m}/${y}` }, 'effectiveDate');
    }
  }
  return date;
}

async function assertCodeFree(tx: DbOrTx, code: string, exceptId?: number): Promise<void> {
  const existing = await findLiveOrgByCode(tx, code);
  if (existing && existing.id !== exceptId) throw conflict('org.codeTaken', { code }, 'code');
}

export interface NewOrg {
  code: string;
  name: string;
  kind: OrgKind;
  shortName?: string | null;
  emails?: string[];
  phone?: string | null;
  validFrom: string;
}

/**
 * Inserts a unit under `parent` (or as a top unit) with its first history
 * period and audit row. The caller has checked scope and dates.
 */
export async function insertOrg(tx: Tx, actor: Actor, parent: OrgRow | null, input: NewOrg): Promise<OrgRow> {
  if (parent && parent.kind === 'grassroots') throw invalid('org.kindUnderGrassroots', {}, 'parentId');
  const name = normalizeName(input.name);
  const shortName = input.shortName ? normalizeName(input.shortName) : null;
  const code = input.code.trim();
  await assertCodeFree(tx, code);
  let row: OrgRow | undefined;
  try {
    [row] = await tx
      .insert(orgs)
      .values({
        code,
        name,
        shortName,
        kind: input.kind,
        parentId: parent?.id ?? null,
        path: parent?.path ?? '0',
        emails: input.emails ?? [],
        phone: input.phone?.trim() || null,
        validFrom: input.validFrom,
        searchText: searchTextOf({ code, name, shortName }),
        sortKey: vietnameseSortKey(name),
      })
      .returning();
  } catch (err) {
    if (isUniqueViolation(err, 'orgs_live_code_key')) throw conflict('org.codeTaken', { code }, 'code');
    throw err;
  }
  const path = parent ? `${parent.path}.${row!.id}` : String(row!.id);
  const [created] = await tx.update(orgs).set({ path }).where(eq(orgs.id, row!.id)).returning();
  await tx.insert(orgVersions).values({
    orgId: created!.id,
    validFrom: input.validFrom,
    event: 'created',
    code,
    name,
    shortName,
    kind: input.kind,
    parentId: parent?.id ?? null,
  });
  await recordAudit(tx, actor, { action: 'org.create', entityType: 'org', entityId: created!.id, orgId: created!.id, after: snapshot(created!) });
  return created!;
}

export async function createOrg(db: Db, auth: AuthContext, input: CreateOrgInput): Promise<number> {
  return withTransaction(db, async (tx) => {
    const parent = await lockOrgInScope(tx, input.parentId, orgPolicy.readRoots(auth));
    if (!parent) throw new AppError(404, 'NOT_FOUND', 'org.parentNotFound', {}, { parentId: { key: 'org.parentNotFound' } });
    if (!orgPolicy.canCreateChild(auth, parent)) {
      if (parent.status !== 'active') throw invalid('org.notActive', {}, 'parentId');
      if (parent.kind === 'grassroots') throw invalid('org.kindUnderGrassroots', {}, 'parentId');
      throw forbidden();
    }
    const validFrom = await effectiveDate(tx, input.validFrom, [parent.id]);
    const created = await insertOrg(tx, auth.actor, parent, { ...input, validFrom });
    return created.id;
  });
}

export async function updateOrg(db: Db, auth: AuthContext, id: number, patch: UpdateOrgInput): Promise<void> {
  await withTransaction(db, async (tx) => {
    const org = await lockOrgInScope(tx, id, orgPolicy.readRoots(auth));
    if (!org) throw notFound('org.notFound');
    if (org.status !== 'active') throw invalid('org.notActive');
    if (!orgPolicy.canUpdate(auth, org)) throw forbidden();
    if (patch.version !== undefined && patch.version !== org.version) throw conflict('org.stale');
    const next = {
      code: patch.code?.trim() ?? org.code,
      name: patch.name !== undefined ? normalizeName(patch.name) : org.name,
      shortName: patch.shortName !== undefined ? (patch.shortName ? normalizeName(patch.shortName) : null) : org.shortName,
      kind: patch.kind ?? org.kind,
      emails: patch.emails ?? org.emails,
      phone: patch.phone !== undefined ? patch.phone?.trim() || null : org.phone,
    };
    if (next.code !== org.code) await assertCodeFree(tx, next.code, org.id);
    if (next.kind === 'grassroots' && org.kind !== 'grassroots' && (await countLiveChildren(tx, org.id)) > 0)
      throw invalid('org.kindUnderGrassroots', {}, 'kind');
    let updated: OrgRow | undefined;
    try {
      [updated] = await tx
        .update(orgs)
        .set({
          ...next,
          searchText: searchTextOf(next),
          sortKey: vietnameseSortKey(next.name),
          version: org.version + 1,
          updatedAt: sql`now()`,
        })
        .where(eq(orgs.id, org.id))
        .returning();
    } catch (err) {
      if (isUniqueViolation(err, 'orgs_live_code_key')) throw conflict('org.codeTaken', { code: next.code }, 'code');
      throw err;
    }
    const historic = ['code', 'name', 'shortName', 'kind'] as const;
    if (historic.some((k) => next[k] !== org[k])) await openVersion(tx, updated!, 'updated', todayInVietnam());
    await recordAudit(tx, auth.actor, { action: 'org.update', entityType: 'org', entityId: org.id, orgId: org.id, before: snapshot(org), after: snapshot(updated!) });
  });
}

/** Re-roots a unit and its whole subtree under `newParent`. */
async function reparent(tx: Tx, org: OrgRow, newParent: OrgRow, date: string, event: VersionEvent): Promise<OrgRow> {
  const newPath = `${newParent.path}.${org.id}`;
  await tx.execute(sql`
    update orgs set path = ${newPath}::ltree || subpath(path, nlevel(${org.path}::ltree))
    where path <@ ${org.path}::ltree and id <> ${org.id}`);
  const [moved] = await tx
    .update(orgs)
    .set({ parentId: newParent.id, path: newPath, version: org.version + 1, updatedAt: sql`now()` })
    .where(eq(orgs.id, org.id))
    .returning();
  await openVersion(tx, moved!, event, date);
  return moved!;
}

export async function moveOrg(db: Db, auth: AuthContext, id: number, input: { newParentId: number; effectiveDate?: string }): Promise<void> {
  await withTransaction(db, async (tx) => {
    const readRoots = orgPolicy.readRoots(auth);
    const org = await lockOrgInScope(tx, id, readRoots);
    if (!org) throw notFound('org.notFound');
    if (org.status !== 'active') throw invalid('org.notActive');
    if (!orgPolicy.canRestructure(auth, org)) throw new AppError(403, 'FORBIDDEN', 'org.rootProtected');
    const target = await lockOrgInScope(tx, input.newParentId, readRoots);
    if (!target) throw new AppError(404, 'NOT_FOUND', 'org.parentNotFound', {}, { newParentId: { key: 'org.parentNotFound' } });
    if (!orgPolicy.canCreateChild(auth, target)) {
      if (target.status !== 'active') throw invalid('org.notActive', {}, 'newParentId');
      if (target.kind === 'grassroots') throw invalid('org.kindUnderGrassroots', {}, 'newParentId');
      throw forbidden();
    }
    if (target.id === org.id || target.path.startsWith(`${org.path}.`)) throw invalid('org.cycle', {}, 'newParentId');
    if (target.id === org.parentId) throw invalid('org.sameParent', {}, 'newParentId');
    const date = await effectiveDate(tx, input.effectiveDate, [org.id, target.id]);
    const moved = await reparent(tx, org, target, date, 'moved');
    await recordAudit(tx, auth.actor, {
      action: 'org.move',
      entityType: 'org',
      entityId: org.id,
      orgId: org.id,
      before: { parentId: org.parentId, path: org.path },
      after: { parentId: moved.parentId, path: moved.path, effectiveDate: date },
    });
  });
}

/**
 * A merge in the middle of a campaign: the merged unit's benefits of every
 * issued plan whose festival is on or after the merge date go with their
 * children to the survivor (it delivers them now), and so does what is left
 * of the merged unit's money for those plans, source by source, as a transfer
 * in the ledger. Earlier campaigns stay as they were: that is history.
 */
async function carryOpenCampaigns(tx: Tx, fromId: number, toId: number, date: string): Promise<{ benefits: number; funds: number }> {
  const open = (
    await tx.execute(sql`select id from campaigns where status = 'issued' and festival_date >= ${date}::date`)
  ).rows as { id: string }[];
  let benefits = 0;
  let funds = 0;
  for (const { id } of open) {
    const moved = await tx.execute(sql`
      update benefits set org_id = ${toId} where campaign_id = ${id}::uuid and org_id = ${fromId} and status <> 'cancelled' returning id`);
    benefits += moved.rows.length;
    const sources = (
      await tx.execute(sql`select distinct source, sponsor_id::text as sponsor_id from fund_entries where campaign_id = ${id}::uuid and org_id = ${fromId}`)
    ).rows as { source: FundSource; sponsor_id: string | null }[];
    for (const s of sources) {
      await lockFunds(tx, id, fromId);
      const left = await balanceOf(tx, { campaignId: id, orgId: fromId, source: s.source, sponsorId: s.sponsor_id });
      if (left <= 0) continue;
      const [t] = (
        await tx.execute(sql`
          insert into fund_transfers (campaign_id, from_org_id, to_org_id, source, sponsor_id, amount, transferred_on, note)
          values (${id}::uuid, ${fromId}, ${toId}, ${s.source}, ${s.sponsor_id}::uuid, ${left}, ${date}::date, 'Chuyển khi sáp nhập đơn vị')
          returning id`)
      ).rows as { id: string }[];
      await tx.execute(sql`
        insert into fund_entries (campaign_id, org_id, source, sponsor_id, direction, kind, amount, occurred_on, transfer_id, note)
        values (${id}::uuid, ${fromId}, ${s.source}, ${s.sponsor_id}::uuid, 'out', 'transfer_out', ${left}, ${date}::date, ${t!.id}::uuid, 'Chuyển khi sáp nhập đơn vị'),
               (${id}::uuid, ${toId}, ${s.source}, ${s.sponsor_id}::uuid, 'in', 'transfer_in', ${left}, ${date}::date, ${t!.id}::uuid, 'Nhận khi sáp nhập đơn vị')`);
      funds += left;
    }
  }
  return { benefits, funds };
}

/**
 * Merges `id` into the survivor: its live child units, its people's roles, its
 * register and its open campaigns' benefits and money go to the survivor, and
 * the merged unit ends on the effective date.
 */
export async function mergeOrg(db: Db, auth: AuthContext, id: number, input: { survivorId: number; effectiveDate?: string }): Promise<number> {
  return withTransaction(db, async (tx) => {
    const readRoots = orgPolicy.readRoots(auth);
    const org = await lockOrgInScope(tx, id, readRoots);
    if (!org) throw notFound('org.notFound');
    if (org.status !== 'active') throw invalid('org.notActive');
    if (!orgPolicy.canRestructure(auth, org)) throw new AppError(403, 'FORBIDDEN', 'org.rootProtected');
    const survivor = await lockOrgInScope(tx, input.survivorId, readRoots);
    if (!survivor) throw new AppError(404, 'NOT_FOUND', 'org.notFound', {}, { survivorId: { key: 'org.notFound' } });
    if (survivor.id === org.id || survivor.path.startsWith(`${org.path}.`)) throw invalid('org.mergeSelf', {}, 'survivorId');
    if (!orgPolicy.canUpdate(auth, survivor)) {
      if (survivor.status !== 'active') throw invalid('org.notActive', {}, 'survivorId');
      throw forbidden();
    }
    const childUnits = await tx.select().from(orgs).where(and(eq(orgs.parentId, org.id), eq(orgs.status, 'active'))).for('update');
    if (childUnits.length > 0 && survivor.kind === 'grassroots') throw invalid('org.kindUnderGrassroots', {}, 'survivorId');
    const date = await effectiveDate(tx, input.effectiveDate, [org.id, survivor.id, ...childUnits.map((c) => c.id)]);

    for (const unit of childUnits) await reparent(tx, unit, survivor, date, 'moved');
    // People of the merged unit keep working, now at the survivor.
    const grants = await tx.select().from(roleGrants).where(eq(roleGrants.orgId, org.id));
    for (const g of grants) {
      const [dup] = await tx
        .select({ id: roleGrants.id })
        .from(roleGrants)
        .where(and(eq(roleGrants.userId, g.userId), eq(roleGrants.orgId, survivor.id), eq(roleGrants.role, g.role)));
      if (dup) await tx.delete(roleGrants).where(eq(roleGrants.id, g.id));
      else await tx.update(roleGrants).set({ orgId: survivor.id }).where(eq(roleGrants.id, g.id));
    }
    // Its register (members and their children) goes to the survivor too.
    const movedMembers = await tx.update(members).set({ orgId: survivor.id, updatedAt: sql`now()` }).where(eq(members.orgId, org.id)).returning({ id: members.id });
    const movedChildren = await tx.update(children).set({ orgId: survivor.id, updatedAt: sql`now()` }).where(eq(children.orgId, org.id)).returning({ id: children.id });
    const carried = await carryOpenCampaigns(tx, org.id, survivor.id, date);
    const [ended] = await tx
      .update(orgs)
      .set({ status: 'merged', validTo: date, mergedIntoId: survivor.id, version: org.version + 1, updatedAt: sql`now()` })
      .where(eq(orgs.id, org.id))
      .returning();
    await closeVersion(tx, org.id, date);
    await openVersion(tx, survivor, 'absorbed', date);
    await recordAudit(tx, auth.actor, {
      action: 'org.merge',
      entityType: 'org',
      entityId: org.id,
      orgId: org.id,
      before: snapshot(org),
      after: {
        ...snapshot(ended!),
        mergedIntoId: survivor.id,
        movedUnits: childUnits.map((c) => c.id),
        movedGrants: grants.length,
        movedMembers: movedMembers.length,
        movedChildren: movedChildren.length,
        movedBenefits: carried.benefits,
        movedFunds: carried.funds,
      },
    });
    return survivor.id;
  });
}

export async function dissolveOrg(db: Db, auth: AuthContext, id: number, input: { effectiveDate?: string; reason?: string }): Promise<void> {
  await withTransaction(db, async (tx) => {
    const org = await lockOrgInScope(tx, id, orgPolicy.readRoots(auth));
    if (!org) throw notFound('org.notFound');
    if (org.status !== 'active') throw invalid('org.notActive');
    if (!orgPolicy.canRestructure(auth, org)) throw new AppError(403, 'FORBIDDEN', 'org.rootProtected');
    const live = await countLiveChildren(tx, org.id);
    if (live > 0) throw conflict('org.hasChildren', { count: live });
    const date = await effectiveDate(tx, input.effectiveDate, [org.id]);
    const [ended] = await tx
      .update(orgs)
      .set({ status: 'dissolved', validTo: date, version: org.version + 1, updatedAt: sql`now()` })
      .where(eq(orgs.id, org.id))
      .returning();
    await closeVersion(tx, org.id, date);
    await recordAudit(tx, auth.actor, {
      action: 'org.dissolve',
      entityType: 'org',
      entityId: org.id,
      orgId: org.id,
      before: snapshot(org),
      after: { ...snapshot(ended!), reason: input.reason ?? null },
    });
  });
}

export async function getOrgDetail(db: DbOrTx, auth: AuthContext, id: number): Promise<OrgOut> {
  const org = await findOrgInScope(db, id, orgPolicy.readRoots(auth));
  if (!org) throw notFound('org.notFound');
  const [ancestors, childUnits] = await Promise.all([listAncestors(db, org.path), listChildren(db, org.id)]);
  return {
    id: org.id,
    code: org.code,
    name: org.name,
    shortName: org.shortName,
    kind: org.kind as OrgKind,
    status: org.status as OrgOut['status'],
    parentId: org.parentId,
    ancestors,
    emails: org.emails,
    phone: org.phone,
    validFrom: org.validFrom,
    validTo: org.validTo,
    mergedIntoId: org.mergedIntoId,
    children: childUnits,
    version: org.version,
    permissions: orgPolicy.permissionsOn(auth, org),
  };
}
