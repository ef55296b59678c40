import { currentLocale, i18n } from '../i18n';

/** An error the server (or the network) reported, with a message ready to show. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Field path (e.g. "code", "emails.1") → message to show under that input. */
  readonly fields: Record<string, string>;

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

/** A message to show for any error thrown by a query or mutation. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return i18n.t('errors.generic');
}

let csrfToken: string | null = null;

/** Remember the CSRF token from the latest login / me response. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  /** A plain object is sent as JSON; FormData is sent as multipart. */
  body?: unknown;
  signal?: AbortSignal;
}

const UNSAFE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function fallbackMessage(status: number): string {
  if (status === 401) return i18n.t('errors.unauthorized');
  if (status === 403) return i18n.t('errors.forbidden');
  if (status === 404) return i18n.t('errors.notFound');
  if (status === 409) return i18n.t('errors.conflict');
  if (status === 400 || status === 422) return i18n.t('errors.validation');
  if (status === 429) return i18n.t('errors.tooMany');
  return i18n.t('errors.generic');
}

function toFields(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v === 'string') out[k] = v;
      else if (v && typeof v === 'object' && 'message' in v && typeof v.message === 'string') out[k] = v.message;
    }
  }
  return out;
}

async function toApiError(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = fallbackMessage(res.status);
  let fields: Record<string, string> = {};
  try {
    const data = (await res.json()) as { error?: { code?: unknown; message?: unknown; fields?: unknown } };
    if (data.error) {
      if (typeof data.error.code === 'string') code = data.error.code;
      if (typeof data.error.message === 'string' && data.error.message) message = data.error.message;
      fields = toFields(data.error.fields);
    }
  } catch {
    // Not JSON (a proxy error page, say): keep the generic message.
  }
  return new ApiError(res.status, code, message, fields);
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': currentLocale(),
  };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', i18n.t('errors.network'));
  }
}

function isCsrfFailure(err: ApiError): boolean {
  return err.status === 403 && /csrf/i.test(err.code + ' ' + err.message);
}

/** Fetch the latest CSRF token (e.g. after the session was renewed elsewhere). */
async function refreshCsrfToken(): Promise<boolean> {
  const res = await send('/api/v1/auth/me', {});
  if (!res.ok) return false;
  const data = (await res.json()) as { csrfToken?: unknown };
  if (typeof data.csrfToken !== 'string') return false;
  setCsrfToken(data.csrfToken);
  return true;
}

/**
 * Call the JSON API. Resolves with the parsed body (undefined for 204),
 * rejects with an ApiError carrying the server's message and field errors.
 */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  let res = await send(path, opts);
  if (!res.ok) {
    let err = await toApiError(res);
    // A stale CSRF token: fetch a fresh one and try once more.
    if (isCsrfFailure(err) && (await refreshCsrfToken().catch(() => false))) {
      res = await send(path, opts);
      if (!res.ok) err = await toApiError(res);
    }
    if (!res.ok) throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined as T;
  const data = (await res.json()) as unknown;
  if (data && typeof data === 'object' && 'csrfToken' in data && typeof data.csrfToken === 'string') {
    setCsrfToken(data.csrfToken);
  }
  return data as T;
}
