import { and, eq, sql } from 'drizzle-orm';
import { roleGrants, sessions, users } from '../../db/schema/index';
import { recordAudit } from '../../lib/audit';
import type { AuthContext } from '../../lib/authorization';
import { AppError, conflict, forbidden, invalid, isUniqueViolation, notFound } from '../../lib/errors';
import { withTransaction } from '../../lib/transaction';
import { foldVietnamese, normalizeName } from '../../../common/vietnamese';
import type { Role } from '../../../common/permissions';
import { issuePasswordLink, type AuthDeps } from '../auth/auth.service';
import { findUserByEmail, grantsFor } from '../auth/auth.queries';
import { orgPolicy } from '../orgs/orgs.policy';
import { findOrgInScope } from '../orgs/orgs.queries';
import { userPolicy } from './users.policy';
import { findUserInScope } from './users.queries';
import type { UserOut } from './users.schemas';

export async function presentUser(db: AuthDeps['db'], auth: AuthContext, id: string): Promise<UserOut> {
  const roots = userPolicy.readRoots(auth);
  const u = await findUserInScope(db, id, roots);
  if (!u) throw notFound('user.notFound');
  const grants = (await grantsFor(db, [u.id], roots)).get(u.id) ?? [];
  return { id: u.id, email: u.email, fullName: u.fullName, status: u.status as UserOut['status'], grants: grants.map(({ orgPath: _p, ...g }) => g) };
}

async function grantableOrg(db: AuthDeps['db'], auth: AuthContext, orgId: number, role: Role) {
  const org = await findOrgInScope(db, orgId, orgPolicy.readRoots(auth));
  if (!org) throw new AppError(404, 'NOT_FOUND', 'org.notFound', {}, { orgId: { key: 'org.notFound' } });
  if (!userPolicy.canGrant(auth, role, org.path)) throw new AppError(403, 'FORBIDDEN', 'user.roleNotAllowed', {}, { role: { key: 'user.roleNotAllowed' } });
  return org;
}

/** Creates the account with its first role and e-mails an invitation to set a password. */
export async function createUser(
  deps: AuthDeps,
  auth: AuthContext,
  input: { email: string; fullName: string; role: Role; orgId: number },
): Promise<string> {
  const org = await grantableOrg(deps.db, auth, input.orgId, input.role);
  if (await findUserByEmail(deps.db, input.email)) throw conflict('user.emailTaken', { email: input.email }, 'email');
  const fullName = normalizeName(input.fullName);
  try {
    return await withTransaction(deps.db, async (tx, uow) => {
      const [user] = await tx
        .insert(users)
        .values({ email: input.email, fullName, searchText: foldVietnamese(`${fullName} ${input.email}`) })
        .returning();
      await tx.insert(roleGrants).values({ userId: user!.id, orgId: org.id, role: input.role });
      await issuePasswordLink(tx, uow, deps, user!, 'invite');
      await recordAudit(tx, auth.actor, {
        action: 'user.create',
        entityType: 'user',
        entityId: user!.id,
        orgId: org.id,
        after: { email: user!.email, fullName, role: input.role, orgId: org.id },
      });
      return user!.id;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_key')) throw conflict('user.emailTaken', { email: input.email }, 'email');
    throw err;
  }
}

async function manageable(deps: AuthDeps, auth: AuthContext, id: string) {
  const u = await findUserInScope(deps.db, id, userPolicy.readRoots(auth));
  if (!u) throw notFound('user.notFound');
  const all = (await grantsFor(deps.db, [u.id])).get(u.id) ?? [];
  if (!userPolicy.canManage(auth, all.map((g) => g.orgPath))) throw forbidden();
  return { user: u, grants: all };
}

export async function updateUser(deps: AuthDeps, auth: AuthContext, id: string, patch: { fullName?: string; status?: 'active' | 'disabled' }) {
  const { user } = await manageable(deps, auth, id);
  if (patch.status === 'disabled' && id === auth.user.id) throw invalid('user.self', {}, 'status');
  const fullName = patch.fullName ? normalizeName(patch.fullName) : user.fullName;
  await withTransaction(deps.db, async (tx) => {
    await tx
      .update(users)
      .set({
        fullName,
        status: patch.status ?? user.status,
        searchText: foldVietnamese(`${fullName} ${user.email}`),
        updatedAt: sql`now()`,
        ...(patch.status === 'active' ? { failedLogins: 0, lockedUntil: null } : {}),
      })
      .where(eq(users.id, id));
    if (patch.status === 'disabled') await tx.delete(sessions).where(eq(sessions.userId, id));
    await recordAudit(tx, auth.actor, {
      action: 'user.update',
      entityType: 'user',
      entityId: id,
      before: { fullName: user.fullName, status: user.status },
      after: { fullName, status: patch.status ?? user.status },
    });
  });
}

export async function addGrant(deps: AuthDeps, auth: AuthContext, id: string, input: { role: Role; orgId: number }): Promise<string> {
  const u = await findUserInScope(deps.db, id, userPolicy.readRoots(auth));
  if (!u) throw notFound('user.notFound');
  const org = await grantableOrg(deps.db, auth, input.orgId, input.role);
  try {
    return await withTransaction(deps.db, async (tx) => {
      const [g] = await tx.insert(roleGrants).values({ userId: id, orgId: org.id, role: input.role }).returning();
      await recordAudit(tx, auth.actor, { action: 'user.grant', entityType: 'user', entityId: id, orgId: org.id, after: { role: input.role, orgId: org.id } });
      return g!.id;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'role_grants_unique')) throw conflict('user.grantExists');
    throw err;
  }
}

export async function removeGrant(deps: AuthDeps, auth: AuthContext, id: string, grantId: string): Promise<void> {
  const u = await findUserInScope(deps.db, id, userPolicy.readRoots(auth));
  if (!u) throw notFound('user.notFound');
  if (id === auth.user.id) throw invalid('user.self');
  const all = (await grantsFor(deps.db, [id])).get(id) ?? [];
  const grant = all.find((g) => g.id === grantId);
  if (!grant) throw notFound();
  if (!userPolicy.canGrant(auth, grant.role, grant.orgPath)) throw forbidden('user.roleNotAllowed');
  if (all.length === 1) throw invalid('user.lastGrant');
  await withTransaction(deps.db, async (tx) => {
    await tx.delete(roleGrants).where(and(eq(roleGrants.id, grantId), eq(roleGrants.userId, id)));
    await recordAudit(tx, auth.actor, { action: 'user.revoke', entityType: 'user', entityId: id, orgId: grant.orgId, before: { role: grant.role, orgId: grant.orgId } });
  });
}
