import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api';

let onUnauthorized: (() => void) | null = null;

/** Called when any request answers 401: the session ended (expired, signed out elsewhere). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

function handleError(err: unknown): void {
  if (err instanceof ApiError && err.status === 401) onUnauthorized?.();
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: handleError }),
  mutationCache: new MutationCache({
    // Sign-in and password forms answer 401 for a wrong password: not a lost session.
    onError: (err, _vars, _ctx, mutation) => {
      if (!mutation.meta?.['credentialForm']) handleError(err);
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => {
        if (err instanceof ApiError && err.status > 0 && err.status < 500) return false;
        return count < 2;
      },
    },
    mutations: { retry: false },
  },
});
