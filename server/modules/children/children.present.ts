import type { DbOrTx } from '../../db/client';
import { recordAudit } from '../../lib/audit';
import type { AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import { ageOn, SENSITIVE_CIRCUMSTANCES, type AchievementEntry, type CircumstanceEntry } from '../../../common/children';
import { childPolicy } from './children.policy';
import { duplicatesOf, parentsOf, type ChildWithOrg } from './children.queries';
import type { ChildOut } from './children.schemas';
import type { Consent } from './children.service';

/**
 * Children as a caller may see them: sensitive circumstances only with the
 * sensitive-data permission; otherwise just the fact that one applies.
 */
export async function presentChildren(db: DbOrTx, auth: AuthContext, rows: ChildWithOrg[]): Promise<ChildOut[]> {
  const ids = rows.map((r) => r.id);
  const [parents, dups] = await Promise.all([parentsOf(db, ids), duplicatesOf(db, ids)]);
  const today = todayInVietnam();
  await logSensitiveReads(db, auth, rows);
  return rows.map((r) => {
    const all = (r.circumstances as CircumstanceEntry[]) ?? [];
    const sensitive = childPolicy.canSeeSensitive(auth, r.orgPath);
    const visible = sensitive ? all : all.filter((c) => !SENSITIVE_CIRCUMSTANCES.has(c.code));
    return {
      id: r.id,
      orgId: r.orgId,
      orgName: r.orgName,
      fullName: r.fullName,
      birthDate: r.birthDate,
      age: ageOn(r.birthDate, today),
      sex: r.sex as 'male' | 'female',
      school: r.school,
      grade: r.grade,
      parents: parents.get(r.id) ?? [],
      circumstances: visible,
      sensitiveHidden: visible.length < all.length,
      hasPriority: all.length > 0,
      achievements: (r.achievements as AchievementEntry[]) ?? [],
      parentConsent: (r.parentConsent as Consent | null) ?? null,
      childConsent: (r.childConsent as Consent | null) ?? null,
      duplicates: dups.get(r.id) ?? [],
      anonymizedAt: r.anonymizedAt?.toISOString() ?? null,
      version: r.version,
    };
  });
}

/**
 * Every read of a child's sensitive circumstances (health, disability,
 * poverty) by a user allowed to see them is written to the audit log: who,
 * which children, when. One row per answer, listing the children.
 */
export async function logSensitiveReads(
  db: DbOrTx,
  auth: AuthContext,
  rows: Pick<ChildWithOrg, 'id' | 'orgId' | 'orgPath' | 'circumstances'>[],
  via = 'api',
): Promise<void> {
  const shown = rows.filter(
    (r) => childPolicy.canSeeSensitive(auth, r.orgPath) && ((r.circumstances as CircumstanceEntry[]) ?? []).some((c) => SENSITIVE_CIRCUMSTANCES.has(c.code)),
  );
  if (shown.length === 0) return;
  await recordAudit(db, auth.actor, {
    action: 'child.sensitive_read',
    entityType: 'child',
    entityId: shown.length === 1 ? shown[0]!.id : `${shown.length}`,
    orgId: shown.length === 1 ? shown[0]!.orgId : null,
    after: { via, childIds: shown.map((r) => r.id) },
  });
}
