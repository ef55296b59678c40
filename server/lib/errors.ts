import type { MessageKey } from './i18n';

/**
 * An error a user should read. The message is looked up in the caller's
 * language when the response is written; `fields` maps an input path to a key
 * or a ready message.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
    readonly fields?: Record<string, { key: MessageKey; params?: Record<string, string | number> } | string>,
  ) {
    super(key);
  }
}

export const notFound = (key: MessageKey = 'request.notFound') => new AppError(404, 'NOT_FOUND', key);
export const forbidden = (key: MessageKey = 'auth.forbidden') => new AppError(403, 'FORBIDDEN', key);
export const unauthorized = (key: MessageKey = 'auth.required') => new AppError(401, 'UNAUTHORIZED', key);
export const conflict = (key: MessageKey, params?: Record<string, string | number>, field?: string) =>
  new AppError(409, 'CONFLICT', key, params, field ? { [field]: { key, params } } : undefined);
export const invalid = (key: MessageKey, params?: Record<string, string | number>, field?: string) =>
  new AppError(422, 'INVALID', key, params, field ? { [field]: { key, params } } : undefined);

/** PostgreSQL unique violation on a named constraint. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; cause?: unknown; message?: string };
  if (e?.code === '23505') return !constraint || e.constraint === constraint || !!e.message?.includes(constraint);
  if (e?.cause) return isUniqueViolation(e.cause, constraint);
  return false;
}
