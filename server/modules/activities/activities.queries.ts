import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { activities, activityFiles, commendations, orgs, sponsors } from '../../db/schema/index';
import { inScope } from '../../lib/authorization';
import { sponsorUsableAt } from '../funds/funds.policy';
import {
  ACTIVITY_KIND_LABELS,
  ACTIVITY_KINDS,
  ACTIVITY_STATUS_LABELS,
  isCancelled,
  isOnline,
  type ActivityChannel,
  type ActivityFileOut,
  type ActivityKind,
  type ActivityOut,
  type ActivityStatus,
  type CommendationOut,
  type CostSource,
  type EvidenceType,
} from './activities.schemas';

export type ActivityRecord = typeof activities.$inferSelect;
export type ActivityFileRecord = typeof activityFiles.$inferSelect;
export type CommendationRecord = typeof commendations.$inferSelect;

export interface ActivityRow {
  a: ActivityRecord;
  orgName: string;
  orgPath: string;
  sponsorName: string | null;
}

const activitySelect = {
  a: activities,
  orgName: orgs.name,
  orgPath: sql<string>`${orgs.path}::text`,
  sponsorName: sponsors.name,
};

function selectActivities(db: DbOrTx) {
  return db
    .select(activitySelect)
    .from(activities)
    .innerJoin(orgs, eq(orgs.id, activities.orgId))
    .leftJoin(sponsors, eq(sponsors.id, activities.costSponsorId));
}

/** One activity, only if its unit lies in `roots` (else null: "not found"). */
export async function findActivityInScope(db: DbOrTx, id: string, roots: string[], lock = false): Promise<ActivityRow | null> {
  const q = selectActivities(db)
    .where(and(eq(activities.id, id), inScope(orgs.path, roots)))
    .limit(1);
  const [row] = lock ? await q.for('update', { of: activities }) : await q;
  return row ?? null;
}

/** The activities of a campaign at or below a unit, newest first. */
export async function listActivities(db: DbOrTx, campaignId: string, orgPath: string, f: { kind?: ActivityKind; status?: ActivityStatus } = {}): Promise<ActivityRow[]> {
  const conds: SQL[] = [eq(activities.campaignId, campaignId), inScope(orgs.path, [orgPath])];
  if (f.kind) conds.push(eq(activities.kind, f.kind));
  if (f.status) conds.push(eq(activities.status, f.status));
  return selectActivities(db)
    .where(and(...conds))
    .orderBy(desc(activities.heldOn), sql`${orgs.sortKey} collate "C"`, desc(activities.createdAt));
}

/** The files of each listed activity, oldest first. */
export async function filesOf(db: DbOrTx, activityIds: string[]): Promise<Map<string, ActivityFileRecord[]>> {
  const map = new Map<string, ActivityFileRecord[]>();
  if (activityIds.length === 0) return map;
  const rows = await db
    .select()
    .from(activityFiles)
    .where(sql`${activityFiles.activityId} = any(string_to_array(${activityIds.join(',')}, ',')::uuid[])`)
    .orderBy(asc(activityFiles.createdAt), asc(activityFiles.id));
  for (const r of rows) map.set(r.activityId, [...(map.get(r.activityId) ?? []), r]);
  return map;
}

export interface ActivityFileRow {
  f: ActivityFileRecord;
  orgPath: string;
  campaignId: string;
}

/** One evidence file, only if its activity's unit lies in `roots`. */
export async function findFileInScope(db: DbOrTx, id: string, roots: string[]): Promise<ActivityFileRow | null> {
  const [row] = await db
    .select({ f: activityFiles, orgPath: sql<string>`${orgs.path}::text`, campaignId: activities.campaignId })
    .from(activityFiles)
    .innerJoin(activities, eq(activities.id, activityFiles.activityId))
    .innerJoin(orgs, eq(orgs.id, activities.orgId))
    .where(and(eq(activityFiles.id, id), inScope(orgs.path, roots)))
    .limit(1);
  return row ?? null;
}

export function toFileOut(f: ActivityFileRecord): ActivityFileOut {
  return {
    id: f.id,
    activityId: f.activityId,
    fileName: f.fileName,
    contentType: f.contentType as EvidenceType,
    size: f.size,
    sha256: f.sha256,
    url: `/api/v1/activity-files/${f.id}`,
    thumbnailUrl: f.thumbnailKey ? `/api/v1/activity-files/${f.id}/thumbnail` : null,
    createdAt: f.createdAt.toISOString(),
  };
}

export function toActivityOut(r: ActivityRow, files: ActivityFileRecord[], canWrite: boolean): ActivityOut {
  const a = r.a;
  const p = { children: a.participantsChildren, parents: a.participantsParents, members: a.participantsMembers };
  return {
    id: a.id,
    campaignId: a.campaignId,
    orgId: a.orgId,
    orgName: r.orgName,
    kind: a.kind as ActivityKind,
    kindName: ACTIVITY_KIND_LABELS[a.kind as ActivityKind] ?? a.kind,
    channel: a.channel as ActivityChannel,
    online: isOnline(a.channel as ActivityChannel),
    title: a.title,
    heldOn: a.heldOn,
    place: a.place,
    link: a.link,
    topics: a.topics,
    description: a.description,
    participants: { ...p, total: p.children + p.parents + p.members },
    reach: a.reach,
    cost: Number(a.cost),
    costSource: (a.costSource as CostSource | null) ?? null,
    costSponsorId: a.costSponsorId,
    costSponsorName: a.costSponsorId ? r.sponsorName : null,
    status: a.status as ActivityStatus,
    statusName: ACTIVITY_STATUS_LABELS[a.status as ActivityStatus] ?? a.status,
    statusNote: a.statusNote,
    files: files.map(toFileOut),
    canWrite,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    version: a.version,
  };
}

/** What a report counts: held (in person or online), cancelled, participants and reach of those held, cost of those not cancelled. */
export function activityTotals(items: ActivityOut[]) {
  const held = items.filter((a) => a.status === 'held' || a.status === 'held_online');
  const sum = (xs: ActivityOut[], f: (a: ActivityOut) => number) => xs.reduce((n, a) => n + f(a), 0);
  const participants = {
    children: sum(held, (a) => a.participants.children),
    parents: sum(held, (a) => a.participants.parents),
    members: sum(held, (a) => a.participants.members),
    total: 0,
  };
  participants.total = participants.children + participants.parents + participants.members;
  return {
    count: items.length,
    held: held.length,
    heldOnline: held.filter((a) => a.online).length,
    cancelled: items.filter((a) => isCancelled(a.status)).length,
    postponed: items.filter((a) => a.status === 'postponed').length,
    participants,
    reach: sum(
      held.filter((a) => a.online),
      (a) => a.reach ?? 0,
    ),
    cost: sum(
      items.filter((a) => !isCancelled(a.status)),
      (a) => a.cost,
    ),
    byKind: ACTIVITY_KINDS.map((kind) => {
      const of = items.filter((a) => a.kind === kind);
      return { kind, name: ACTIVITY_KIND_LABELS[kind], count: of.length, held: of.filter((a) => a.status === 'held' || a.status === 'held_online').length };
    }).filter((k) => k.count > 0),
  };
}

/** A sponsor the unit may name (funds' rule: recorded at or above the unit, or below it). */
export async function findSponsorFor(db: DbOrTx, sponsorId: string, orgPath: string): Promise<{ id: string; name: string } | null> {
  const [row] = await db
    .select({ id: sponsors.id, name: sponsors.name, orgPath: sql<string>`${orgs.path}::text` })
    .from(sponsors)
    .innerJoin(orgs, eq(orgs.id, sponsors.orgId))
    .where(eq(sponsors.id, sponsorId))
    .limit(1);
  return row && sponsorUsableAt(row.orgPath, orgPath) ? { id: row.id, name: row.name } : null;
}

export interface CommendationRow {
  c: CommendationRecord;
  orgName: string;
  orgPath: string;
  sponsorName: string | null;
}

function selectCommendations(db: DbOrTx) {
  return db
    .select({ c: commendations, orgName: orgs.name, orgPath: sql<string>`${orgs.path}::text`, sponsorName: sponsors.name })
    .from(commendations)
    .innerJoin(orgs, eq(orgs.id, commendations.orgId))
    .leftJoin(sponsors, eq(sponsors.id, commendations.sponsorId));
}

/** The commendations of a campaign made at or below a unit, by decision date then name. */
export async function listCommendations(db: DbOrTx, campaignId: string, orgPath: string): Promise<CommendationRow[]> {
  return selectCommendations(db)
    .where(and(eq(commendations.campaignId, campaignId), inScope(orgs.path, [orgPath])))
    .orderBy(sql`${commendations.decisionDate} desc nulls last`, desc(commendations.createdAt));
}

export async function findCommendationInScope(db: DbOrTx, id: string, roots: string[]): Promise<CommendationRow | null> {
  const [row] = await selectCommendations(db)
    .where(and(eq(commendations.id, id), inScope(orgs.path, roots)))
    .limit(1);
  return row ?? null;
}

export function toCommendationOut(r: CommendationRow, canWrite: boolean): CommendationOut {
  const c = r.c;
  const kind = c.subjectKind as 'person' | 'sponsor';
  return {
    id: c.id,
    campaignId: c.campaignId,
    orgId: c.orgId,
    orgName: r.orgName,
    subjectKind: kind,
    name: kind === 'sponsor' ? (r.sponsorName ?? '') : (c.personName ?? ''),
    personName: c.personName,
    personTitle: c.personTitle,
    sponsorId: c.sponsorId,
    reason: c.reason,
    decisionNo: c.decisionNo,
    decisionDate: c.decisionDate,
    canWrite,
    createdAt: c.createdAt.toISOString(),
  };
}
