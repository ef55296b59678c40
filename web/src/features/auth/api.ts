import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { GRANTABLE_ROLES, ROLES, type Permission, type Role } from '../../../../common/permissions';
import { api, ApiError, setCsrfToken } from '../../lib/api';
import { applyLocale, type Locale } from '../../i18n';

export interface Grant {
  id: string;
  role: Role;
  orgId: number;
  orgCode: string;
  orgName: string;
}

export interface Me {
  id: string;
  email: string;
  fullName: string;
  locale: Locale;
  grants: Grant[];
  permissions: string[];
  totpEnabled: boolean;
  totpSetupRequired: boolean;
}

interface MeResponse {
  user: Me;
  csrfToken: string;
}

export const meKey = ['auth', 'me'] as const;

/** The signed-in user, or null when signed out. */
async function fetchMe(): Promise<Me | null> {
  try {
    const res = await api<MeResponse>('/api/v1/auth/me');
    return res.user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export const meQueryOptions = queryOptions({
  queryKey: meKey,
  queryFn: fetchMe,
  staleTime: 5 * 60_000,
});

export function useMe(): Me | null {
  return useQuery(meQueryOptions).data ?? null;
}

export function can(me: Me | null, permission: Permission): boolean {
  return !!me && me.permissions.includes(permission);
}

/** Roles the user may hand out: those of their highest role. */
export function grantableRoles(me: Me | null): readonly Role[] {
  if (!me) return [];
  const best = ROLES.find((r) => me.grants.some((g) => g.role === r));
  return best ? GRANTABLE_ROLES[best] : [];
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    meta: { credentialForm: true },
    mutationFn: (body: { email: string; password: string; code?: string }) =>
      api<MeResponse>('/api/v1/auth/login', { method: 'POST', body }),
    onSuccess: async (res) => {
      qc.clear();
      qc.setQueryData(meKey, res.user);
      await applyLocale(res.user.locale);
    },
  });
}

function useSignOut(path: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>(path, { method: 'POST' }),
    onSettled: () => {
      setCsrfToken(null);
      qc.clear();
      qc.setQueryData(meKey, null);
    },
  });
}

export const useLogout = () => useSignOut('/api/v1/auth/logout');
export const useLogoutAll = () => useSignOut('/api/v1/auth/logout-all');

export function useUpdateMe() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { locale?: Locale; fullName?: string }) =>
      api<MeResponse>('/api/v1/auth/me', { method: 'PATCH', body }),
    onSuccess: (res) => qc.setQueryData(meKey, res.user),
  });
}

export function useChangePassword() {
  return useMutation({
    meta: { credentialForm: true },
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api<void>('/api/v1/auth/password', { method: 'POST', body }),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    meta: { credentialForm: true },
    mutationFn: (body: { email: string }) =>
      api<void>('/api/v1/auth/password-reset/request', { method: 'POST', body }),
  });
}

export function useConfirmPasswordReset() {
  return useMutation({
    meta: { credentialForm: true },
    mutationFn: (body: { token: string; password: string }) =>
      api<void>('/api/v1/auth/password-reset/confirm', { method: 'POST', body }),
  });
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

export function useTotpSetup() {
  return useMutation({ mutationFn: () => api<TotpSetup>('/api/v1/auth/totp/setup', { method: 'POST' }) });
}

/** Turns two-factor sign-in on (with a code) or off (with the password); the answer is the new "me". */
export function useTotpChange() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { enable: true; code: string } | { enable: false; password: string }) =>
      body.enable
        ? api<MeResponse>('/api/v1/auth/totp/enable', { method: 'POST', body: { code: body.code } })
        : api<MeResponse>('/api/v1/auth/totp/disable', { method: 'POST', body: { password: body.password } }),
    onSuccess: (res) => {
      qc.setQueryData(meKey, res.user);
      void qc.invalidateQueries();
    },
  });
}
