import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../../../common/permissions';

export const email = z.string().trim().toLowerCase().pipe(z.email()).describe('E-mail');

export const loginBody = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
});

export const grantOut = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  orgId: z.number().int(),
  orgCode: z.string(),
  orgName: z.string(),
});

export const meOut = z.object({
  id: z.string(),
  email: z.string(),
  fullName: z.string(),
  locale: z.enum(['vi', 'en']),
  grants: z.array(grantOut),
  permissions: z.array(z.enum(PERMISSIONS)),
});

export const sessionOut = z.object({ user: meOut, csrfToken: z.string() });

export const updateMeBody = z
  .object({
    locale: z.enum(['vi', 'en']).optional(),
    fullName: z.string().trim().min(2).max(120).optional(),
  })
  .strict();

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});

export const resetRequestBody = z.object({ email: z.string().trim().min(3).max(254) });
export const resetConfirmBody = z.object({ token: z.string().min(10).max(200), password: z.string().min(1).max(200) });
