import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from '../../../../common/permissions';
import { api } from '../../lib/api';
import type { Grant } from '../auth/api';

export type UserStatus = 'active' | 'disabled';

export interface User {
  id: string;
  email: string;
  fullName: string;
  status: UserStatus;
  grants: Grant[];
}

export const PAGE_SIZE = 20;

const usersKey = ['users'] as const;

export function useUsers(q: string, page: number) {
  return useQuery({
    queryKey: [...usersKey, 'list', q, page],
    queryFn: ({ signal }) =>
      api<{ items: User[]; total: number }>('/api/v1/users', {
        query: { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

function useInvalidateUsers() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: usersKey });
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (body: { email: string; fullName: string; role: Role; orgId: number }) =>
      api<User>('/api/v1/users', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useAddGrant() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ userId, ...body }: { userId: string; role: Role; orgId: number }) =>
      api<Grant>(`/api/v1/users/${userId}/grants`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useRemoveGrant() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ userId, grantId }: { userId: string; grantId: string }) =>
      api<void>(`/api/v1/users/${userId}/grants/${grantId}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

export function useSetUserStatus() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ userId, status }: { userId: string; status: UserStatus }) =>
      api<User>(`/api/v1/users/${userId}`, { method: 'PATCH', body: { status } }),
    onSuccess: invalidate,
  });
}
