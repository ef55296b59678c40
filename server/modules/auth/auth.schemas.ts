import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../../../common/permissions';

export const email = z.string().trim().toLowerCase().pipe(z.email()).describe('E-mail');

export const loginBody = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
  /** The 6-digit code of the authenticator app, for accounts with two-factor sign-in. */
  code: z.string().trim().max(10).optional(),
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
  /** Two-factor sign-in is on for this account. */
  totpEnabled: z.boolean(),
  /** A role of this account requires two-factor sign-in and it is not set up yet: only account routes answer until it is. */
  totpSetupRequired: z.boolean(),
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

export const totpSetupOut = z.object({
  /** The secret in base32, for typing into the app by hand. */
  secret: z.string(),
  otpauthUrl: z.string(),
  /** The same as a QR code (PNG data URL) to scan with the app. */
  qrDataUrl: z.string(),
});
export const totpCodeBody = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'Mã gồm 6 chữ số') });
export const totpDisableBody = z.object({ password: z.string().min(1).max(200) });
