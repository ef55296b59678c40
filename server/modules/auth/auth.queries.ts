import { and, eq, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { orgs, roleGrants, sessions, users } from '../../db/schema/index';
import type { Grant } from '../../lib/authorization';
import type { Role } from '../../../common/permissions';

export async function findGrants(db: DbOrTx, userId: string): Promise<Grant[]> {
  const rows = await db
    .select({
      id: roleGrants.id,
      role: roleGrants.role,
      orgId: roleGrants.orgId,
      orgCode: orgs.code,
      orgName: orgs.name,
      orgPath: sql<string>`${orgs.path}::text`,
    })
    .from(roleGrants)
    .innerJoin(orgs, eq(orgs.id, roleGrants.orgId))
    .where(eq(roleGrants.userId, userId))
    .orderBy(sql`nlevel(${orgs.path})`, orgs.code);
  return rows.map((r) => ({ ...r, role: r.role as Role }));
}

/** A live session (not past its absolute expiry) with its user. */
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
