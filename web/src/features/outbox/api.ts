import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type MailStatus = 'pending' | 'sent' | 'stored' | 'failed';

export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  status: MailStatus;
  lastError?: string | null;
  createdAt: string;
  sentAt: string | null;
}

export function useOutbox(limit = 200) {
  return useQuery({
    queryKey: ['outbox', limit],
    queryFn: ({ signal }) => api<{ items: OutboxMail[] }>('/api/v1/outbox', { query: { limit }, signal }),
  });
}
