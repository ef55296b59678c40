import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { childParents, children, duplicateDismissals, members, orgs } from '../../db/schema/index';
import { recordAudit, type Actor } from '../../lib/audit';
import { pathWithin, type AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import { AppError, conflict, forbidden, invalid, notFound } from '../../lib/errors';
import { withTransaction } from '../../lib/transaction';
import { ageOn, SENSITIVE_CIRCUMSTANCES, type CircumstanceEntry } from '../../../common/children';
import { formatDate } from '../../../common/format';
import { foldVietnamese, normalizeName, vietnameseSortKey } from '../../../common/vietnamese';
import { orgPolicy } from '../orgs/orgs.policy';
import { findOrgInScope } from '../orgs/orgs.queries';
import { childPolicy } from './children.policy';
import { findChildInScope } from './children.queries';
import type { CreateChildInput, ParentInput, UpdateChildInput } from './children.schemas';

export interface Consent {
  givenBy: string;
  date: string;
  method: 'paper' | 'app';
  recordedBy: string;
  recordedAt: string;
  /** When the consent was withdrawn (see children.privacy.ts), by whom, recorded by which officer. */
  withdrawnAt?: string;
  withdrawnBy?: 'parent' | 'child';
  withdrawalRecordedBy?: string;
  withdrawalNote?: string;
}

export const childDupKey = (fullName: string, birthDate: string) => `${foldVietnamese(fullName)}|${birthDate}`;
export const memberMatchKey = (fullName: string, phone?: string | null) => `${foldVietnamese(fullName)}|${(phone ?? '').replace(/\D/g, '')}`;

const isSensitive = (c: { code: string }) => SENSITIVE_CIRCUMSTANCES.has(c.code as never);

/** A member of `orgId` found by name and phone, or created. */
export async function findOrCreateMember(
  tx: Tx,
  orgId: number,
  p: { fullName: string; phone?: string | null; department?: string | null; isUnionMember?: boolean; idNumber?: string | null },
): Promise<string> {
  const fullName = normalizeName(p.fullName);
  const matchKey = memberMatchKey(fullName, p.phone);
  const [existing] = await tx
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.matchKey, matchKey)))
    .limit(1);
  if (existing) {
    await tx
      .update(members)
      .set({
        ...(p.department ? { department: p.department } : {}),
        ...(p.isUnionMember !== undefined ? { isUnionMember: p.isUnionMember } : {}),
        ...(p.idNumber ? { idNumber: p.idNumber } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(members.id, existing.id));
    return existing.id;
  }
  const [row] = await tx
    .insert(members)
    .values({
      orgId,
      fullName,
      searchText: foldVietnamese(fullName),
      sortKey: vietnameseSortKey(fullName),
      department: p.department ?? null,
      phone: p.phone?.trim() || null,
      isUnionMember: p.isUnionMember ?? true,
      idNumber: p.idNumber ?? null,
      matchKey,
    })
    .returning({ id: members.id });
  return row!.id;
}

async function resolveParents(tx: Tx, auth: AuthContext, orgId: number, parents: ParentInput[]): Promise<string[]> {
  const ids: string[] = [];
  for (const p of parents) {
    if ('memberId' in p) {
      const [m] = await tx
        .select({ id: members.id, path: sql<string>`${orgs.path}::text` })
        .from(members)
        .innerJoin(orgs, eq(orgs.id, members.orgId))
        .where(eq(members.id, p.memberId));
      if (!m || !pathWithin(m.path, childPolicy.readRoots(auth))) throw new AppError(404, 'NOT_FOUND', 'child.memberNotFound', {}, { parents: { key: 'child.memberNotFound' } });
      ids.push(m.id);
    } else ids.push(await findOrCreateMember(tx, orgId, p));
  }
  return [...new Set(ids)];
}

/** Sensitive circumstances need a parent's consent, and the child's own from age 7. */
export function checkConsent(circumstances: CircumstanceEntry[], birthDate: string, parentConsent: unknown, childConsent: unknown): void {
  if (!circumstances.some(isSensitive)) return;
  if (!parentConsent) throw invalid('child.consentRequired', {}, 'parentConsent');
  if (ageOn(birthDate, todayInVietnam()) >= 7 && !childConsent) throw invalid('child.childConsentRequired', {}, 'childConsent');
}

function checkBirthDate(birthDate: string): void {
  const today = todayInVietnam();
  if (birthDate > today) throw invalid('child.birthInFuture', {}, 'birthDate');
  if (ageOn(birthDate, today) >= 18) throw invalid('child.tooOld', {}, 'birthDate');
}

function consentRecord(actor: Actor, c: { givenBy: string; date: string; method: 'paper' | 'app' } | null | undefined, previous: unknown): Consent | null {
  if (c === undefined) return (previous as Consent | null) ?? null;
  if (c === null) return null;
  const prev = previous as Consent | null;
  if (prev && prev.givenBy === c.givenBy && prev.date === c.date && prev.method === c.method) return prev;
  return { ...c, givenBy: normalizeName(c.givenBy), recordedBy: actor.email, recordedAt: new Date().toISOString() };
}

/** What the audit log keeps of a child: never the sensitive circumstances themselves. */
function auditView(c: { fullName: string; birthDate: string; orgId: number; circumstances: unknown }) {
  const list = (c.circumstances as CircumstanceEntry[]) ?? [];
  return { fullName: c.fullName, birthDate: c.birthDate, orgId: c.orgId, circumstances: list.filter((x) => !isSensitive(x)).map((x) => x.code), sensitive: list.some(isSensitive) };
}

export interface ChildWrite {
  orgId: number;
  fullName: string;
  birthDate: string;
  sex: 'male' | 'female';
  school?: string | null;
  grade?: string | null;
  circumstances: CircumstanceEntry[];
  achievements: { schoolYear: string; level: string; note?: string }[];
  parentConsent: Consent | null;
  childConsent: Consent | null;
}

/** Inserts a checked child with its parents and audit row; used by the form and by the import. */
export async function insertChild(tx: Tx, actor: Actor, input: ChildWrite, parentIds: string[]): Promise<string> {
  const fullName = normalizeName(input.fullName);
  const [row] = await tx
    .insert(children)
    .values({
      orgId: input.orgId,
      fullName,
      searchText: foldVietnamese(fullName),
      sortKey: vietnameseSortKey(fullName),
      birthDate: input.birthDate,
      sex: input.sex,
      school: input.school ?? null,
      grade: input.grade ?? null,
      circumstances: input.circumstances,
      achievements: input.achievements,
      parentConsent: input.parentConsent,
      childConsent: input.childConsent,
      dupKey: childDupKey(fullName, input.birthDate),
    })
    .returning();
  if (parentIds.length) await tx.insert(childParents).values(parentIds.map((memberId) => ({ childId: row!.id, memberId })));
  await recordAudit(tx, actor, { action: 'child.create', entityType: 'child', entityId: row!.id, orgId: input.orgId, after: auditView(row!) });
  return row!.id;
}

export async function findChildByKey(tx: DbOrTx, orgId: number, fullName: string, birthDate: string) {
  const [row] = await tx
    .select()
    .from(children)
    .where(and(eq(children.orgId, orgId), eq(children.dupKey, childDupKey(fullName, birthDate))))
    .limit(1);
  return row ?? null;
}

export async function createChild(db: Db, auth: AuthContext, input: CreateChildInput): Promise<string> {
  const org = await findOrgInScope(db, input.orgId, orgPolicy.readRoots(auth));
  if (!org || !pathWithin(org.path, childPolicy.readRoots(auth))) throw new AppError(404, 'NOT_FOUND', 'org.notFound', {}, { orgId: { key: 'org.notFound' } });
  if (!childPolicy.canWrite(auth, org.path)) throw forbidden();
  const circumstances = input.circumstances ?? [];
  if (circumstances.some(isSensitive) && !childPolicy.canSeeSensitive(auth, org.path)) throw new AppError(403, 'FORBIDDEN', 'child.sensitiveForbidden');
  checkBirthDate(input.birthDate);
  const parentConsent = consentRecord(auth.actor, input.parentConsent, null);
  const childConsent = consentRecord(auth.actor, input.childConsent, null);
  checkConsent(circumstances, input.birthDate, parentConsent, childConsent);
  return withTransaction(db, async (tx) => {
    if (await findChildByKey(tx, org.id, input.fullName, input.birthDate))
      throw conflict('child.duplicateInUnit', { name: normalizeName(input.fullName), date: formatDate(input.birthDate) }, 'fullName');
    const parentIds = await resolveParents(tx, auth, org.id, input.parents);
    return insertChild(tx, auth.actor, { ...input, circumstances, achievements: input.achievements ?? [], parentConsent, childConsent }, parentIds);
  });
}

export async function updateChild(db: Db, auth: AuthContext, id: string, patch: UpdateChildInput): Promise<void> {
  await withTransaction(db, async (tx) => {
    const row = await findChildInScope(tx, id, childPolicy.readRoots(auth), true);
    if (!row) throw notFound('child.notFound');
    if (!childPolicy.canWrite(auth, row.orgPath)) throw forbidden();
    // An anonymised record takes no personal data again.
    if (row.anonymizedAt) throw conflict('privacy.anonymized');
    if (patch.version !== undefined && patch.version !== row.version) throw conflict('child.stale');
    const sensitiveAllowed = childPolicy.canSeeSensitive(auth, row.orgPath);
    const before = (row.circumstances as CircumstanceEntry[]) ?? [];
    let circumstances = before;
    if (patch.circumstances) {
      if (!sensitiveAllowed && patch.circumstances.some(isSensitive)) throw new AppError(403, 'FORBIDDEN', 'child.sensitiveForbidden');
      // A caller who cannot see sensitive circumstances cannot erase them either.
      circumstances = sensitiveAllowed ? patch.circumstances : [...before.filter(isSensitive), ...patch.circumstances];
    }
    const birthDate = patch.birthDate ?? row.birthDate;
    if (patch.birthDate) checkBirthDate(patch.birthDate);
    const parentConsent = consentRecord(auth.actor, patch.parentConsent, row.parentConsent);
    const childConsent = consentRecord(auth.actor, patch.childConsent, row.childConsent);
    checkConsent(circumstances, birthDate, parentConsent, childConsent);
    const fullName = patch.fullName ? normalizeName(patch.fullName) : row.fullName;
    if (fullName !== row.fullName || birthDate !== row.birthDate) {
      const other = await findChildByKey(tx, row.orgId, fullName, birthDate);
      if (other && other.id !== row.id) throw conflict('child.duplicateInUnit', { name: fullName, date: formatDate(birthDate) }, 'fullName');
    }
    const [updated] = await tx
      .update(children)
      .set({
        fullName,
        searchText: foldVietnamese(fullName),
        sortKey: vietnameseSortKey(fullName),
        birthDate,
        sex: patch.sex ?? row.sex,
        school: patch.school !== undefined ? patch.school : row.school,
        grade: patch.grade !== undefined ? patch.grade : row.grade,
        circumstances,
        achievements: patch.achievements ?? row.achievements,
        parentConsent,
        childConsent,
        dupKey: childDupKey(fullName, birthDate),
        version: row.version + 1,
        updatedAt: sql`now()`,
      })
      .where(eq(children.id, row.id))
      .returning();
    if (patch.parents) {
      const ids = await resolveParents(tx, auth, row.orgId, patch.parents);
      await tx.delete(childParents).where(eq(childParents.childId, row.id));
      await tx.insert(childParents).values(ids.map((memberId) => ({ childId: row.id, memberId })));
    }
    await recordAudit(tx, auth.actor, { action: 'child.update', entityType: 'child', entityId: row.id, orgId: row.orgId, before: auditView(row), after: auditView(updated!) });
  });
}

/** "Not the same child": the pair stops being flagged; audited. */
export async function dismissDuplicate(db: Db, auth: AuthContext, id: string, otherId: string, reason: string): Promise<void> {
  await withTransaction(db, async (tx) => {
    const row = await findChildInScope(tx, id, childPolicy.readRoots(auth));
    if (!row) throw notFound('child.notFound');
    if (!childPolicy.canWrite(auth, row.orgPath)) throw forbidden();
    // The other record must be one that can be the same child (another record, same folded name and
    // date of birth): an unknown id, the child itself or an unrelated child is not found.
    const [other] =
      otherId === id
        ? []
        : await tx.select({ id: children.id }).from(children).where(and(eq(children.id, otherId), eq(children.dupKey, row.dupKey))).limit(1);
    if (!other) throw new AppError(404, 'NOT_FOUND', 'child.notFound', {}, { otherChildId: { key: 'child.notFound' } });
    const [a, b] = id < otherId ? [id, otherId] : [otherId, id];
    await tx.insert(duplicateDismissals).values({ childA: a, childB: b, dismissedBy: auth.user.id, reason }).onConflictDoNothing();
    await recordAudit(tx, auth.actor, { action: 'child.not_duplicate', entityType: 'child', entityId: id, orgId: row.orgId, after: { otherChildId: otherId, reason } });
  });
}
