import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { PERMISSIONS } from '../common/permissions';
import { assertRouteDeclaresAccess } from './lib/http/guard';
import { buildApp } from './app';
import { createTestContext, testEnv, type TestContext } from './test/helpers';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('route table', () => {
  it('every API route declares who may call it', () => {
    const table = t.app.routeTable;
    expect(table.length).toBeGreaterThan(20);
    for (const r of table) {
      expect(['public', 'signed-in', ...PERMISSIONS], `${r.method} ${r.url}`).toContain(r.access);
    }
    const publicRoutes = table.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`).sort();
    expect(publicRoutes).toEqual([
      'GET /api/v1/health',
      'GET /api/v1/openapi.json',
      'GET /api/v1/public/campaigns/:id/funds',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/password-reset/confirm',
      'POST /api/v1/auth/password-reset/request',
    ]);
  });

  it('a route without a declaration cannot be registered', () => {
    const app = Fastify();
    app.addHook('onRoute', assertRouteDeclaresAccess);
    expect(() => app.get('/api/v1/secret', async () => 'x')).toThrow(/does not declare config.access/);
    expect(() => app.get('/api/v1/open', { config: { access: 'public' } }, async () => 'x')).not.toThrow();
  });

  it('every non-public route answers 401 to an anonymous caller', async () => {
    for (const r of t.app.routeTable.filter((x) => x.access !== 'public')) {
      const url = r.url.replace(':grantId', '00000000-0000-0000-0000-000000000001').replace(':id', r.url.startsWith('/api/v1/users') ? '00000000-0000-0000-0000-000000000001' : '1');
      const res = await t.app.inject({ method: r.method as 'GET', url });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
    }
  });
});

describe('platform', () => {
  it('serves an OpenAPI document generated from the schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/orgs/tree', '/api/v1/orgs/{id}', '/api/v1/orgs/', '/api/v1/campaigns/{id}/coverage', '/api/v1/campaigns/{id}/plan-tree', '/api/v1/calendar/lunar']));
    expect(doc.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema.required).toEqual(['email', 'password']);
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
  });

  it('answers unknown API paths with the one error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/khong-co' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Không tìm thấy.' } });
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('BAD_REQUEST');
  });

  it("answers the router's own refusals (a path parameter too long, a malformed URL) in the one error shape", async () => {
    const long = await t.app.inject({ method: 'GET', url: `/api/v1/public/campaigns/${'ắ'.repeat(101)}/funds` });
    expect(long.statusCode).toBe(414);
    expect(long.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'Dữ liệu gửi lên chưa hợp lệ.' } });
    const malformed = await t.app.inject({ method: 'GET', url: '/api/v1/public/campaigns/%E0%A4%A/funds' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'Dữ liệu gửi lên chưa hợp lệ.' } });
  });

  it('refuses a NUL character in a path, a querystring or a body as invalid input, not as a database failure', async () => {
    const admin = await t.signIn('admin@lantern.test');
    const nul = 'tên\u0000ẩn';
    const search = await admin.get('/api/v1/orgs?q=%00');
    expect(search.status).toBe(400);
    expect(search.body.error).toMatchObject({ code: 'VALIDATION', fields: { q: expect.stringContaining('NUL') } });
    for (const url of ['/api/v1/users?q=a%00', '/api/v1/sponsors?q=%00', '/api/v1/orgs/1/children?q=%00', '/api/v1/orgs/%00']) {
      expect((await admin.get(url)).status, url).toBe(400);
    }
    const before = (await admin.get('/api/v1/orgs/2')).body;
    const rename = await admin.patch('/api/v1/orgs/2', { name: nul });
    expect(rename.status).toBe(400);
    expect(rename.body.error.fields).toEqual({ name: expect.stringContaining('NUL') });
    expect((await admin.get('/api/v1/orgs/2')).body).toEqual(before);
    const nested = await admin.put(`/api/v1/campaigns/00000000-0000-4000-8000-000000000000/reports/1`, { version: 0, manual: { [`a${nul}`]: 1 } });
    expect(nested.status).toBe(400);
    expect(Object.keys(nested.body.error.fields)).toEqual([`manual.a${nul}`]);
    const login = await t.anonymous().post('/api/v1/auth/login', { email: `admin${nul}@lantern.test`, password: 'x' });
    expect(login.status).toBe(400);
    expect(login.body.error.code).toBe('VALIDATION');
  });

  it('sends security headers: CSP without inline scripts, no framing', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends HSTS in production only', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/health' })).headers['strict-transport-security']).toBeUndefined();
    const env = testEnv({ NODE_ENV: 'production', SESSION_SECRET: 'a-production-secret-of-enough-length-1234567890', PUBLIC_URL: 'https://lantern.example.vn', DATA_KEY: Buffer.alloc(32, 7).toString('base64') });
    const prod = await buildApp({ database: t.database, env, webRoot: null });
    try {
      const res = await prod.inject({ method: 'GET', url: '/api/v1/health' });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(String(res.headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
    } finally {
      await prod.close();
    }
  });

  it('keeps an append-only audit log that administrators read', async () => {
    const lb = await t.signIn('longbien@lantern.test');
    await lb.patch('/api/v1/orgs/2', { phone: '024 3872 9999' });
    const admin = await t.signIn('admin@lantern.test');
    const log = await admin.get('/api/v1/audit?limit=20');
    expect(log.status).toBe(200);
    const entry = log.body.items.find((e: { action: string }) => e.action === 'org.update');
    expect(entry).toMatchObject({ actorEmail: 'longbien@lantern.test', entityType: 'org', entityId: '2' });
    expect(entry.before.phone).toBe('024 3872 5131');
    expect(entry.after.phone).toBe('024 3872 9999');
    expect((await lb.get('/api/v1/audit')).status).toBe(403);
    await expect(t.database.db.execute(sql`update audit_log set action = 'x'`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`delete from audit_log`)).rejects.toThrow();
  });

  it('administrators read the outbox; others may not', async () => {
    await t.anonymous().post('/api/v1/auth/password-reset/request', { email: 'cdcs1@lantern.test' });
    const admin = await t.signIn('admin@lantern.test');
    const res = await admin.get('/api/v1/outbox');
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ to: 'cdcs1@lantern.test', subject: 'Lantern: đặt lại mật khẩu', status: 'stored' });
    expect((await (await t.signIn('hanoi@lantern.test')).get('/api/v1/outbox')).status).toBe(403);
  });
});
