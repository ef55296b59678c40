import { ApiError } from './api';

/**
 * Field errors from the server, keyed by the form's own field names. A nested
 * path such as "emails.1" is shown under the "emails" input.
 */
export function serverFieldErrors(err: unknown, known: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ApiError)) return out;
  for (const [path, message] of Object.entries(err.fields)) {
    const key = known.includes(path) ? path : (path.split(/[.[]/)[0] ?? path);
    if (known.includes(key) && !out[key]) out[key] = message;
  }
  return out;
}

/** Field errors that no input shows (to list them in the form's alert instead). */
export function unplacedFieldErrors(err: unknown, known: readonly string[]): string[] {
  if (!(err instanceof ApiError)) return [];
  const placed = serverFieldErrors(err, known);
  return Object.entries(err.fields)
    .filter(([path]) => !placed[path] && !placed[path.split(/[.[]/)[0] ?? path])
    .map(([, message]) => message);
}

/** Split "a@x.vn, b@y.vn" into trimmed, non-empty e-mails. */
export function splitEmails(value: string): string[] {
  return value
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function isEmail(value: string): boolean {
  return EMAIL_RE.test(value.trim());
}

/** The server's rule: at least 10 characters, letters and digits. */
export function isStrongPassword(value: string): boolean {
  return value.length >= 10 && /\p{L}/u.test(value) && /\d/.test(value);
}
