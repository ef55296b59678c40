import { and, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { orgs, roleGrants, sessions, users } from '../../db/schema/index';
import { inScope, type Grant } from '../../lib/authorization';
import type { Role } from '../../../common/permissions';

/** Each user's roles with their units (only those inside `roots`, when given), top units first. */
export async function grantsFor(db: DbOrTx, userIds: string[], roots?: string[]): Promise<Map<string, Grant[]>> {
  const map = new Map<string, Grant[]>();
  if (userIds.length === 0) return map;
  const conds: SQL[] = [inArray(roleGrants.userId, userIds)];
  if (roots) conds.push(inScope(orgs.path, roots));
  const rows = await db
    .select({
      userId: roleGrants.userId,
      id: roleGrants.id,
      role: roleGrants.role,
      orgId: roleGrants.orgId,
      orgCode: orgs.code,
      orgName: orgs.name,
      orgPath: sql<string>`${orgs.path}::text`,
    })
    .from(roleGrants)
    .innerJoin(orgs, eq(orgs.id, roleGrants.orgId))
    .where(and(...conds))
    .orderBy(sql`nlevel(${orgs.path})`, orgs.code);
  for (const { userId, ...g } of rows) {
    const list = map.get(userId) ?? [];
    list.push({ ...g, role: g.role as Role });
    map.set(userId, list);
  }
  return map;
}

export async function findGrants(db: DbOrTx, userId: string): Promise<Grant[]> {
  return (await grantsFor(db, [userId])).get(userId) ?? [];
}

/**
 * A live session (not past its absolute expiry) with its user and the user's
 * roles, in one round trip: every authenticated request starts here.
 */
export async function findSession(db: DbOrTx, sessionId: string) {
  const [row] = await db
    .select({
      sessionId: sessions.id,
      csrfToken: sessions.csrfToken,
      lastSeenAt: sessions.lastSeenAt,
      userId: users.id,
      email: users.email,
      fullName: users.fullName,
      locale: users.locale,
      status: users.status,
      totpEnabledAt: users.totpEnabledAt,
      // Same order as grantsFor: top units first.
      grants: sql<Grant[]>`(
        select coalesce(json_agg(json_build_object(
                 'id', g.id, 'role', g.role, 'orgId', o.id, 'orgCode', o.code, 'orgName', o.name, 'orgPath', o.path::text
               ) order by nlevel(o.path), o.code), '[]'::json)
          from ${roleGrants} g join ${orgs} o on o.id = g.org_id
         where g.user_id = ${users.id})`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, sql`now()`)))
    .limit(1);
  return row ?? null;
}

export async function findUserByEmail(db: DbOrTx, email: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
    .limit(1);
  return row ?? null;
}
