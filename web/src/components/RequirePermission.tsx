import type { ReactNode } from 'react';
import type { Permission } from '../../../common/permissions';
import { can, useMe } from '../features/auth/api';
import { NoPermission } from './PageState';

/** Renders the page only for users holding `permission`. The server checks again. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const me = useMe();
  return can(me, permission) ? <>{children}</> : <NoPermission />;
}
