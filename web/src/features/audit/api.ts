import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

export interface AuditEntry {
  id: number;
  at: string;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string;
  orgId: number | null;
  before: unknown;
  after: unknown;
}

const PAGE = 50;

/** Newest first; each further page asks for entries before the last one shown. */
export function useAuditLog() {
  return useInfiniteQuery({
    queryKey: ['audit'],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam, signal }) =>
      api<{ items: AuditEntry[] }>('/api/v1/audit', { query: { limit: PAGE, before: pageParam }, signal }),
    getNextPageParam: (last) => (last.items.length < PAGE ? undefined : last.items[last.items.length - 1]?.id),
  });
}
