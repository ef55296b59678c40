import { createHash, randomUUID } from 'node:crypto';
import { and, count, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { activities, activityFiles, campaigns, commendations } from '../../db/schema/index';
import { recordAudit } from '../../lib/audit';
import type { AuthContext } from '../../lib/authorization';
import { AppError, conflict, forbidden, invalid, notFound } from '../../lib/errors';
import type { FileStore } from '../../lib/file-store';
import type { UploadedFile } from '../../lib/http/upload';
import { withTransaction } from '../../lib/transaction';
import { assertCampaignInForce, visibleCampaignOr404, type CampaignRow } from '../campaigns/campaigns.queries';
import { unitInCampaign } from '../benefits/benefits.queries';
import { assertCanSpend, checkFundingSource } from '../funds/funds.ledger';
import { findOrgInScope } from '../orgs/orgs.queries';
import { activityPolicy } from './activities.policy';
import { checkAndThumbnail, cleanFileName, extensionOf, MAX_EVIDENCE_BYTES, sniffEvidenceType } from './activities.evidence';
import { findActivityInScope, findCommendationInScope, findSponsorFor, type ActivityRecord } from './activities.queries';
import {
  isCancelled,
  type ActivityChannel,
  type ActivityStatus,
  type CostSource,
  type CreateActivityInput,
  type CreateCommendationInput,
  type UpdateActivityInput,
} from './activities.schemas';

/** Evidence files one activity may hold. */
export const MAX_FILES_PER_ACTIVITY = 30;

export interface EvidenceDeps {
  db: Db;
  store: FileStore;
  /** Told when removing a file from the store fails after its row is gone (the file is then only an orphan). */
  onStoreError?: (err: unknown) => void;
}

async function campaignById(tx: Tx, id: string): Promise<CampaignRow> {
  const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, id));
  return c!;
}

/** A unit the caller may write for, in the campaign's scope. */
async function writableUnit(tx: Tx, auth: AuthContext, c: CampaignRow, orgId: number, outside: 'activity.unitOutsideCampaign' | 'commendation.unitOutsideCampaign') {
  const org = await findOrgInScope(tx, orgId, activityPolicy.readRoots(auth));
  if (!org) throw new AppError(404, 'NOT_FOUND', 'org.notFound', {}, { orgId: { key: 'org.notFound' } });
  if (!activityPolicy.canWrite(auth, org.path)) throw forbidden();
  if (!(await unitInCampaign(tx, c, org.id))) throw invalid(outside, { org: org.name }, 'orgId');
  return org;
}

interface ActivityValues {
  kind: string;
  channel: ActivityChannel;
  title: string;
  heldOn: string;
  place: string | null;
  link: string | null;
  topics: string[];
  description: string | null;
  participantsChildren: number;
  participantsParents: number;
  participantsMembers: number;
  reach: number | null;
  cost: number;
  costSource: CostSource | null;
  costSponsorId: string | null;
  status: ActivityStatus;
  statusNote: string | null;
}

const orNull = (s: string | null | undefined) => (s === undefined || s === null || s === '' ? null : s);

/** Topics without repeats, as written (known codes stay codes). */
const cleanTopics = (topics: string[]) => [...new Set(topics.map((t) => t.trim()).filter(Boolean))];

/** The rules an activity keeps whatever changed; money fields are tidied (no source without a cost). */
async function checkActivity(tx: Tx, v: ActivityValues, orgPath: string): Promise<ActivityValues> {
  const online = v.channel !== 'in_person';
  if (!online && !v.place) throw invalid('activity.placeRequired', {}, 'place');
  if (!online && v.reach !== null) throw invalid('activity.reachOnlineOnly', {}, 'reach');
  if (v.status === 'held_online' && !online) throw invalid('activity.heldOnlineChannel', {}, 'channel');
  if ((v.status === 'postponed' || v.status === 'cancelled_other') && !v.statusNote) throw invalid('activity.statusNoteRequired', {}, 'statusNote');
  if (v.cost === 0) return { ...v, costSource: null, costSponsorId: null };
  if (!v.costSource) throw invalid('activity.costSourceRequired', {}, 'costSource');
  // The same funding rule as a benefit's: a sponsor exactly when the source is 'sponsor', one the unit may use.
  return { ...v, costSponsorId: await checkFundingSource(tx, { source: v.costSource, sponsorId: v.costSponsorId, orgPath, field: 'costSponsorId' }) };
}

/** What the ledger counts for an activity: its cost from one source, unless cancelled. */
function spendOf(v: Pick<ActivityValues, 'cost' | 'costSource' | 'costSponsorId' | 'status'>) {
  if (v.cost <= 0 || !v.costSource || isCancelled(v.status)) return null;
  return { source: v.costSource, sponsorId: v.costSource === 'sponsor' ? v.costSponsorId : null, amount: v.cost };
}

/**
 * Holds the unit's money to the new cost: the whole of it when the source
 * changes (or the activity is no longer cancelled), else only the increase.
 * The ledger lock is taken in any case, so two writes never see one balance.
 */
async function assertCostCovered(tx: Tx, campaignId: string, orgId: number, before: ActivityValues | null, after: ActivityValues): Promise<void> {
  const next = spendOf(after);
  if (!next) return;
  const prev = before ? spendOf(before) : null;
  const same = prev && prev.source === next.source && (prev.sponsorId ?? null) === (next.sponsorId ?? null);
  const amount = same ? next.amount - prev.amount : next.amount;
  await assertCanSpend(tx, { campaignId, orgId, source: next.source, sponsorId: next.sponsorId, amount, field: 'cost' });
}

const valuesOf = (a: ActivityRecord): ActivityValues => ({
  kind: a.kind,
  channel: a.channel as ActivityChannel,
  title: a.title,
  heldOn: a.heldOn,
  place: a.place,
  link: a.link,
  topics: a.topics,
  description: a.description,
  participantsChildren: a.participantsChildren,
  participantsParents: a.participantsParents,
  participantsMembers: a.participantsMembers,
  reach: a.reach,
  cost: Number(a.cost),
  costSource: a.costSource as CostSource | null,
  costSponsorId: a.costSponsorId,
  status: a.status as ActivityStatus,
  statusNote: a.statusNote,
});

const auditView = (v: ActivityValues, campaignId: string) => ({ campaignId, ...v });

export async function createActivity(db: Db, auth: AuthContext, campaignId: string, input: CreateActivityInput): Promise<string> {
  return withTransaction(db, async (tx) => {
    const c = await visibleCampaignOr404(tx, auth, campaignId);
    const org = await writableUnit(tx, auth, c, input.orgId, 'activity.unitOutsideCampaign');
    assertCampaignInForce(c);
    const v = await checkActivity(
      tx,
      {
        kind: input.kind,
        channel: input.channel,
        title: input.title,
        heldOn: input.heldOn,
        place: orNull(input.place),
        link: orNull(input.link),
        topics: cleanTopics(input.topics),
        description: orNull(input.description),
        participantsChildren: input.participants.children,
        participantsParents: input.participants.parents,
        participantsMembers: input.participants.members,
        reach: input.reach ?? null,
        cost: input.cost,
        costSource: input.costSource ?? null,
        costSponsorId: input.costSponsorId ?? null,
        status: input.status,
        statusNote: orNull(input.statusNote),
      },
      org.path,
    );
    await assertCostCovered(tx, c.id, org.id, null, v);
    const [row] = await tx
      .insert(activities)
      .values({ campaignId: c.id, orgId: org.id, ...v, createdBy: auth.user.id })
      .returning({ id: activities.id });
    await recordAudit(tx, auth.actor, { action: 'activity.create', entityType: 'activity', entityId: row!.id, orgId: org.id, after: auditView(v, c.id) });
    return row!.id;
  });
}

export async function updateActivity(db: Db, auth: AuthContext, id: string, patch: UpdateActivityInput): Promise<void> {
  await withTransaction(db, async (tx) => {
    const row = await findActivityInScope(tx, id, activityPolicy.readRoots(auth), true);
    if (!row) throw notFound('activity.notFound');
    if (!activityPolicy.canWrite(auth, row.orgPath)) throw forbidden();
    const a = row.a;
    if (patch.version !== a.version) throw conflict('activity.stale');
    assertCampaignInForce(await campaignById(tx, a.campaignId));
    const before = valuesOf(a);
    const pick = <T>(next: T | undefined, prev: T) => (next === undefined ? prev : next);
    const merged: ActivityValues = {
      kind: pick(patch.kind, before.kind),
      channel: pick(patch.channel, before.channel),
      title: pick(patch.title, before.title),
      heldOn: pick(patch.heldOn, before.heldOn),
      place: patch.place === undefined ? before.place : orNull(patch.place),
      link: patch.link === undefined ? before.link : orNull(patch.link),
      topics: patch.topics === undefined ? before.topics : cleanTopics(patch.topics),
      description: patch.description === undefined ? before.description : orNull(patch.description),
      participantsChildren: pick(patch.participants?.children, before.participantsChildren),
      participantsParents: pick(patch.participants?.parents, before.participantsParents),
      participantsMembers: pick(patch.participants?.members, before.participantsMembers),
      reach: patch.reach === undefined ? before.reach : patch.reach,
      cost: pick(patch.cost, before.cost),
      costSource: patch.costSource === undefined ? before.costSource : patch.costSource,
      costSponsorId: patch.costSponsorId === undefined ? before.costSponsorId : patch.costSponsorId,
      status: pick(patch.status, before.status),
      statusNote: patch.statusNote === undefined ? before.statusNote : orNull(patch.statusNote),
    };
    // Online again → no place needed; in person → no views. Leave what the caller did not touch consistent.
    if (merged.channel === 'in_person' && patch.reach === undefined) merged.reach = null;
    const after = await checkActivity(tx, merged, row.orgPath);
    await assertCostCovered(tx, a.campaignId, a.orgId, before, after);
    await tx
      .update(activities)
      .set({ ...after, version: a.version + 1, updatedAt: sql`now()` })
      .where(eq(activities.id, a.id));
    await recordAudit(tx, auth.actor, {
      action: 'activity.update',
      entityType: 'activity',
      entityId: a.id,
      orgId: a.orgId,
      before: auditView(before, a.campaignId),
      after: auditView(after, a.campaignId),
    });
  });
}

/** Removes an activity, its files' rows with it; the files leave the store after the commit. */
export async function deleteActivity(deps: EvidenceDeps, auth: AuthContext, id: string): Promise<void> {
  await withTransaction(
    deps.db,
    async (tx, uow) => {
      const row = await findActivityInScope(tx, id, activityPolicy.readRoots(auth), true);
      if (!row) throw notFound('activity.notFound');
      if (!activityPolicy.canWrite(auth, row.orgPath)) throw forbidden();
      assertCampaignInForce(await campaignById(tx, row.a.campaignId));
      const files = await tx.select().from(activityFiles).where(eq(activityFiles.activityId, id));
      await tx.delete(activityFiles).where(eq(activityFiles.activityId, id));
      await tx.delete(activities).where(eq(activities.id, id));
      await recordAudit(tx, auth.actor, {
        action: 'activity.delete',
        entityType: 'activity',
        entityId: id,
        orgId: row.a.orgId,
        before: { ...auditView(valuesOf(row.a), row.a.campaignId), files: files.map((f) => ({ id: f.id, fileName: f.fileName, sha256: f.sha256 })) },
      });
      uow.afterCommit(() => removeKeys(deps.store, files.flatMap((f) => [f.storageKey, ...(f.thumbnailKey ? [f.thumbnailKey] : [])])));
    },
    deps.onStoreError,
  );
}

async function removeKeys(store: FileStore, keys: string[]): Promise<void> {
  const results = await Promise.allSettled(keys.map((k) => store.delete(k)));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

/** The activity a file goes to: in scope, writable, its plan open. Checked before the upload is read, and again inside the write. */
export async function writableActivity(db: Db | Tx, auth: AuthContext, id: string, lock = false) {
  const row = await findActivityInScope(db, id, activityPolicy.readRoots(auth), lock);
  if (!row) throw notFound('activity.notFound');
  if (!activityPolicy.canWrite(auth, row.orgPath)) throw forbidden();
  return row;
}

export const tooLarge = () => new AppError(413, 'TOO_LARGE', 'activityFile.tooLarge', { max: MAX_EVIDENCE_BYTES / (1024 * 1024) }, { file: { key: 'activityFile.tooLarge', params: { max: MAX_EVIDENCE_BYTES / (1024 * 1024) } } });

/**
 * Keeps a photo or document as evidence of an activity. Its type is read
 * from its content; anything but JPEG, PNG, WebP or PDF is refused before
 * anything is written. The row and the bytes go together: the bytes are put
 * inside the row's transaction, and removed again if it does not commit.
 * The same file sent twice (a retry from a phone) is kept once (`sha256` is
 * of the upload; an image is kept re-encoded without its metadata).
 */
export async function addActivityFile(deps: EvidenceDeps, auth: AuthContext, activityId: string, file: UploadedFile): Promise<{ id: string; created: boolean }> {
  const buf = file.buffer;
  if (buf.length === 0) throw invalid('activityFile.empty', {}, 'file');
  if (buf.length > MAX_EVIDENCE_BYTES) throw tooLarge();
  const type = sniffEvidenceType(buf);
  const shownName = (file.filename || '').split(/[\\/]/).pop()?.slice(0, 200) ?? '';
  if (!type) throw invalid('activityFile.badType', { name: shownName }, 'file');
  const image = await checkAndThumbnail(buf, type);
  if (!image.ok) throw invalid('activityFile.unreadable', { name: shownName }, 'file');
  const sha256 = createHash('sha256').update(buf).digest('hex');

  const put: string[] = [];
  try {
    return await withTransaction(deps.db, async (tx) => {
      const row = await writableActivity(tx, auth, activityId, true);
      assertCampaignInForce(await campaignById(tx, row.a.campaignId));
      const [same] = await tx
        .select({ id: activityFiles.id })
        .from(activityFiles)
        .where(and(eq(activityFiles.activityId, activityId), eq(activityFiles.sha256, sha256)))
        .limit(1);
      if (same) return { id: same.id, created: false };
      const [n] = await tx.select({ n: count() }).from(activityFiles).where(eq(activityFiles.activityId, activityId));
      if ((n?.n ?? 0) >= MAX_FILES_PER_ACTIVITY) throw invalid('activityFile.tooMany', { max: MAX_FILES_PER_ACTIVITY }, 'file');

      const id = randomUUID();
      const storageKey = `activities/${activityId}/${id}.${extensionOf[type]}`;
      const thumbnailKey = image.thumbnail ? `activities/${activityId}/${id}-thumb.webp` : null;
      const fileName = cleanFileName(file.filename, type);
      await tx.insert(activityFiles).values({
        id,
        activityId,
        orgId: row.a.orgId,
        fileName,
        contentType: type,
        size: image.stored.length,
        sha256,
        storageKey,
        thumbnailKey,
        createdBy: auth.user.id,
      });
      await recordAudit(tx, auth.actor, {
        action: 'activity.file_add',
        entityType: 'activity',
        entityId: activityId,
        orgId: row.a.orgId,
        after: { fileId: id, fileName, contentType: type, size: buf.length, sha256 },
      });
      put.push(storageKey);
      await deps.store.put(storageKey, image.stored, type);
      if (thumbnailKey && image.thumbnail) {
        put.push(thumbnailKey);
        await deps.store.put(thumbnailKey, image.thumbnail, 'image/webp');
      }
      return { id, created: true };
    });
  } catch (err) {
    // The row did not commit: take back whatever bytes were put.
    if (put.length) await removeKeys(deps.store, put).catch((e: unknown) => deps.onStoreError?.(e));
    throw err;
  }
}

export async function deleteActivityFile(deps: EvidenceDeps, auth: AuthContext, fileId: string): Promise<void> {
  await withTransaction(
    deps.db,
    async (tx, uow) => {
      const [f] = await tx.select().from(activityFiles).where(eq(activityFiles.id, fileId)).limit(1);
      if (!f) throw notFound('activityFile.notFound');
      const row = await findActivityInScope(tx, f.activityId, activityPolicy.readRoots(auth), true);
      if (!row) throw notFound('activityFile.notFound');
      if (!activityPolicy.canWrite(auth, row.orgPath)) throw forbidden();
      assertCampaignInForce(await campaignById(tx, row.a.campaignId));
      await tx.delete(activityFiles).where(eq(activityFiles.id, fileId));
      await recordAudit(tx, auth.actor, {
        action: 'activity.file_delete',
        entityType: 'activity',
        entityId: f.activityId,
        orgId: row.a.orgId,
        before: { fileId: f.id, fileName: f.fileName, contentType: f.contentType, size: f.size, sha256: f.sha256 },
      });
      uow.afterCommit(() => removeKeys(deps.store, [f.storageKey, ...(f.thumbnailKey ? [f.thumbnailKey] : [])]));
    },
    deps.onStoreError,
  );
}

export async function createCommendation(db: Db, auth: AuthContext, campaignId: string, input: CreateCommendationInput): Promise<string> {
  return withTransaction(db, async (tx) => {
    const c = await visibleCampaignOr404(tx, auth, campaignId);
    const org = await writableUnit(tx, auth, c, input.orgId, 'commendation.unitOutsideCampaign');
    assertCampaignInForce(c);
    const person = input.subjectKind === 'person';
    if (person && !input.personName) throw invalid('commendation.personNameRequired', {}, 'personName');
    if (!person) {
      if (!input.sponsorId) throw invalid('commendation.sponsorRequired', {}, 'sponsorId');
      if (!(await findSponsorFor(tx, input.sponsorId, org.path))) throw invalid('activity.sponsorNotFound', {}, 'sponsorId');
    }
    const values = {
      campaignId: c.id,
      orgId: org.id,
      subjectKind: input.subjectKind,
      personName: person ? input.personName! : null,
      personTitle: person ? orNull(input.personTitle) : null,
      sponsorId: person ? null : input.sponsorId!,
      reason: input.reason,
      decisionNo: orNull(input.decisionNo),
      decisionDate: input.decisionDate ?? null,
    };
    const [row] = await tx
      .insert(commendations)
      .values({ ...values, createdBy: auth.user.id })
      .returning({ id: commendations.id });
    await recordAudit(tx, auth.actor, { action: 'commendation.create', entityType: 'commendation', entityId: row!.id, orgId: org.id, after: values });
    return row!.id;
  });
}

export async function deleteCommendation(db: Db, auth: AuthContext, id: string): Promise<void> {
  await withTransaction(db, async (tx) => {
    const row = await findCommendationInScope(tx, id, activityPolicy.readRoots(auth));
    if (!row) throw notFound('commendation.notFound');
    if (!activityPolicy.canWrite(auth, row.orgPath)) throw forbidden();
    assertCampaignInForce(await campaignById(tx, row.c.campaignId));
    await tx.delete(commendations).where(eq(commendations.id, id));
    await recordAudit(tx, auth.actor, { action: 'commendation.delete', entityType: 'commendation', entityId: id, orgId: row.c.orgId, before: row.c });
  });
}
