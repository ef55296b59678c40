import { z } from 'zod';
import { ROLES } from '../../../common/permissions';
import { paging, unitId } from '../../lib/http/schemas';
import { grantOut } from '../auth/auth.schemas';

export const userOut = z.object({
  id: z.string(),
  email: z.string(),
  fullName: z.string(),
  status: z.enum(['active', 'disabled']),
  grants: z.array(grantOut),
});
export type UserOut = z.infer<typeof userOut>;

export const userListQuery = z.object({ q: z.string().max(200).optional(), ...paging });
export const userListOut = z.object({ items: z.array(userOut), total: z.number().int() });

export const createUserBody = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  fullName: z.string().trim().min(2).max(120),
  role: z.enum(ROLES),
  orgId: unitId,
});

export const updateUserBody = z
  .object({
    fullName: z.string().trim().min(2).max(120).optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .strict();

export const grantBody = z.object({ role: z.enum(ROLES), orgId: unitId });
export const grantParams = z.object({ id: z.string().uuid(), grantId: z.string().uuid() });
