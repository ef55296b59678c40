import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../app';
import { openDatabase, type Database } from '../db/client';
import { loadEnv, type Env } from '../env';
import type { Role } from '../../common/permissions';
import type { AuthContext } from '../lib/authorization';
import type { App } from '../lib/http/types';
import type { Jobs } from '../lib/jobs';
import type { Mailer } from '../lib/mailer';
import { DEMO_PASSWORD } from '../db/seed/demo';
import { withDatabase } from './global-setup';

export { DEMO_PASSWORD };

/** A PostgreSQL database made from the run's template, for this test file. */
export interface TemplateCopy {
  /** postgres://… of the copy, for whatever opens its own connections (a server process). */
  url: string;
  /** Drops the copy, closing any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * PostgreSQL only (TEST_DATABASE_URL): a fresh copy of the migrated, seeded
 * template, by URL. openTestDatabase opens one; a test that starts server
 * processes gives them the URL.
 */
export async function copyTemplateDatabase(): Promise<TemplateCopy> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('copyTemplateDatabase needs TEST_DATABASE_URL');
  const name = `${inject('pgRunPrefix')}${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('pgTemplateDb')}`);
  await admin.end();
  return {
    url: withDatabase(url, name),
    async drop() {
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** A fresh copy of the migrated, seeded template: PGlite, or PostgreSQL when TEST_DATABASE_URL is set. */
export async function openTestDatabase(): Promise<Database> {
  if (process.env.TEST_DATABASE_URL) {
    const copy = await copyTemplateDatabase();
    const database = await openDatabase({ url: copy.url });
    const close = database.close;
    database.close = async () => {
      await close();
      await copy.drop();
    };
    return database;
  }
  const file = inject('pgliteTemplate');
  return openDatabase({ loadDataDir: new Blob([readFileSync(file)]) });
}

export function testEnv(overrides: Record<string, string> = {}): Env {
  return loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '1000', ...overrides });
}

export interface TestContext {
  app: App;
  database: Database;
  env: Env;
  close(): Promise<void>;
  /** Signs in and returns a client that carries the cookie and the CSRF token. */
  signIn(email: string, password?: string): Promise<Client>;
  anonymous(): Client;
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  raw: Buffer;
}

export interface Client {
  csrfToken: string;
  cookie: string;
  get<T = any>(url: string): Promise<Reply<T>>;
  post<T = any>(url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  patch<T = any>(url: string, body?: unknown): Promise<Reply<T>>;
  put<T = any>(url: string, body?: unknown): Promise<Reply<T>>;
  delete<T = any>(url: string): Promise<Reply<T>>;
  upload<T = any>(url: string, filename: string, content: Buffer, contentType?: string): Promise<Reply<T>>;
}

export async function createTestContext(opts: { env?: Record<string, string>; jobs?: Jobs; mailer?: Mailer; database?: Database } = {}): Promise<TestContext> {
  const database = opts.database ?? (await openTestDatabase());
  const env = testEnv(opts.env);
  const app = await buildApp({ database, env, jobs: opts.jobs, mailer: opts.mailer, webRoot: null });
  await app.ready();

  const makeClient = (cookie: string, csrfToken: string): Client => {
    const send = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await app.inject({
        method,
        url,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(csrfToken && method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        payload: body === undefined ? undefined : JSON.stringify(body),
      });
      return toReply(res);
    };
    return {
      csrfToken,
      cookie,
      get: (url) => send('GET', url),
      post: (url, body, headers) => send('POST', url, body, headers),
      patch: (url, body) => send('PATCH', url, body),
      put: (url, body) => send('PUT', url, body),
      delete: (url) => send('DELETE', url),
      async upload(url, filename, content, contentType = 'application/octet-stream') {
        const boundary = `----lantern${Math.random().toString(16).slice(2)}`;
        const payload = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
          content,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        const res = await app.inject({
          method: 'POST',
          url,
          headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload,
        });
        return toReply(res);
      },
    };
  };

  return {
    app,
    database,
    env,
    async close() {
      await app.close();
      await database.close();
    },
    anonymous: () => makeClient('', ''),
    async signIn(email, password = DEMO_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`sign-in failed for ${email}: ${res.statusCode} ${res.body}`);
      const set = res.cookies.find((c) => c.name.endsWith('lantern_session'));
      return makeClient(`${set!.name}=${set!.value}`, res.json().csrfToken as string);
    },
  };
}

function toReply(res: { statusCode: number; body: string; rawPayload: Buffer; headers: Reply['headers'] }): Reply {
  let body: unknown = res.body;
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('application/json') && res.body) body = JSON.parse(res.body);
  return { status: res.statusCode, body, headers: res.headers, raw: res.rawPayload };
}

/** Finds a unit id by code through the API as the given client sees it. */
export async function orgId(client: Client, code: string): Promise<number> {
  const res = await client.get(`/api/v1/orgs?q=${encodeURIComponent(code)}&status=all`);
  const hit = (res.body.items as { id: number; code: string }[]).find((o) => o.code === code);
  if (!hit) throw new Error(`unit ${code} not visible`);
  return hit.id;
}

/** A user's authorization as a request carries it, read from the database: for calling a service directly. */
export async function authContextOf(database: Database, email: string): Promise<AuthContext> {
  const grants = await database.executeSql(
    `select g.id, g.role, g.org_id, o.code, o.name, o.path::text as path, u.id as user_id, u.full_name
       from role_grants g join users u on u.id = g.user_id join orgs o on o.id = g.org_id where u.email = $1`,
    [email],
  );
  const first = grants.rows[0] as { user_id: string; full_name: string };
  return {
    user: { id: first.user_id, email, fullName: first.full_name, locale: 'vi' },
    sessionId: 'test',
    csrfToken: 'test',
    grants: grants.rows.map((g) => ({
      id: g.id as string,
      role: g.role as Role,
      orgId: g.org_id as number,
      orgCode: g.code as string,
      orgName: g.name as string,
      orgPath: g.path as string,
    })),
    actor: { id: first.user_id, email },
  };
}
