import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../../common/permissions';
import type { Actor } from './audit';
import type { Locale } from './i18n';

/** A role held at a unit, with the unit's path so scope checks need no query. */
export interface Grant {
  id: string;
  role: Role;
  orgId: number;
  orgCode: string;
  orgName: string;
  orgPath: string;
}

export interface AuthContext {
  user: { id: string; email: string; fullName: string; locale: Locale };
  sessionId: string;
  csrfToken: string;
  grants: Grant[];
  actor: Actor;
  /** A role requires two-factor sign-in and the account has not set it up: only 'signed-in' routes answer. */
  totpSetupRequired?: boolean;
}

/** What a route needs: a permission, any signed-in user, or nobody. */
export type RouteAccess = Permission | 'signed-in' | 'public';

export function grantsWith(auth: AuthContext, permission: Permission): Grant[] {
  return auth.grants.filter((g) => ROLE_PERMISSIONS[g.role].includes(permission));
}

export function can(auth: AuthContext, permission: Permission): boolean {
  return grantsWith(auth, permission).length > 0;
}

/** The union of the caller's permission: every path whose subtree they may act on. */
export function scopePaths(auth: AuthContext, permission: Permission): string[] {
  return grantsWith(auth, permission).map((g) => g.orgPath);
}

export function permissionsOf(auth: AuthContext): Permission[] {
  const set = new Set<Permission>();
  for (const g of auth.grants) for (const p of ROLE_PERMISSIONS[g.role]) set.add(p);
  return [...set].sort();
}

/** `path` is inside (or equal to) one of `roots`. */
export function pathWithin(path: string, roots: string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(`${r}.`));
}

/** `path` is strictly below one of `roots` (not a root itself). */
export function pathStrictlyBelow(path: string, roots: string[]): boolean {
  return roots.some((r) => path.startsWith(`${r}.`));
}

/**
 * The SQL condition "this row's path is in the caller's subtree": one indexed
 * ltree test. An empty scope matches nothing.
 */
export function inScope(pathColumn: AnyPgColumn | SQL, roots: string[]): SQL {
  if (roots.length === 0) return sql`false`;
  return sql`${pathColumn} <@ string_to_array(${roots.join(',')}, ',')::ltree[]`;
}

/** Whether a role the user holds requires two-factor sign-in that is not set up yet. */
export function needsTotpSetup(grants: Grant[], requiredRoles: readonly string[], totpEnabled: boolean): boolean {
  return !totpEnabled && grants.some((g) => requiredRoles.includes(g.role));
}
