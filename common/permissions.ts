/**
 * Roles and permissions: the one list shared by the server (route guards,
 * query scopes) and the web app (what to show). A role is granted at a unit
 * and covers that unit's whole subtree.
 */
export const ROLES = ['admin', 'federation_officer', 'unit_officer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'orgs.read',
  'orgs.write',
  'users.read',
  'users.write',
  'audit.read',
  'outbox.read',
  'campaigns.read',
  'campaigns.write',
  'campaigns.acknowledge',
  'children.read',
  'children.write',
  'children.sensitive',
  'funds.read',
  'funds.write',
  'activities.write',
  'reports.write',
  'reports.review',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  federation_officer: ['orgs.read', 'orgs.write', 'users.read', 'users.write', 'campaigns.read', 'campaigns.write', 'campaigns.acknowledge', 'children.read', 'children.write', 'funds.read', 'funds.write', 'activities.write', 'reports.write', 'reports.review'],
  unit_officer: ['orgs.read', 'campaigns.read', 'campaigns.acknowledge', 'children.read', 'children.write', 'children.sensitive', 'funds.read', 'funds.write', 'activities.write', 'reports.write'],
  viewer: ['orgs.read', 'users.read', 'campaigns.read', 'children.read', 'funds.read'],
};

/** Roles a holder of `role` may hand out inside their subtree. */
export const GRANTABLE_ROLES: Record<Role, readonly Role[]> = {
  admin: ROLES,
  federation_officer: ['federation_officer', 'unit_officer', 'viewer'],
  unit_officer: [],
  viewer: [],
};

export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
  federation_officer: { vi: 'Cán bộ LĐLĐ', en: 'Federation officer' },
  unit_officer: { vi: 'Cán bộ CĐCS', en: 'Unit officer' },
  viewer: { vi: 'Xem, kiểm tra', en: 'Viewer / auditor' },
};

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}
