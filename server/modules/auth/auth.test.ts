import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, DEMO_PASSWORD, type TestContext } from '../../test/helpers';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ env: { LOGIN_LOCK_THRESHOLD: '3' } });
});
afterAll(() => t.close());

async function latestMailTo(email: string): Promise<string> {
  const res = await t.database.db.execute(sql`select text from outbox where "to" = ${email} order by created_at desc limit 1`);
  return (res.rows[0] as { text: string }).text;
}

describe('sign-in', () => {
  it('returns the user, a CSRF token and an HttpOnly SameSite=Lax cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'longbien@lantern.test', password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user.email).toBe('longbien@lantern.test');
    expect(body.user.fullName).toBe('Lê Văn Đức');
    expect(body.user.grants).toEqual([expect.objectContaining({ role: 'federation_officer', orgCode: 'HN-LB' })]);
    expect(body.user.permissions).toContain('orgs.write');
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('answers 401 with a Vietnamese message on a wrong password, and for an unknown e-mail alike', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'cdcs2@lantern.test', password: 'sai-mat-khau-1' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Email hoặc mật khẩu không đúng.' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'khongco@lantern.test', password: 'x' } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'kiemtra@lantern.test', password: 'sai' } });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'kiemtra@lantern.test', password: DEMO_PASSWORD } });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.message).toMatch(/tạm khóa/);
  });

  it('me answers 401 when signed out and the session after sign-in', async () => {
    const anon = await t.anonymous().get('/api/v1/auth/me');
    expect(anon.status).toBe(401);
    expect(anon.body.error.message).toBe('Bạn cần đăng nhập để tiếp tục.');
    const c = await t.signIn('cdcs1@lantern.test');
    const me = await c.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.csrfToken).toBe(c.csrfToken);
    expect(me.body.user.grants[0].orgCode).toBe('LB-THCS-GT');
  });

  it('refuses a state-changing request without the x-csrf-token header', async () => {
    const c = await t.signIn('longbien@lantern.test');
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: { cookie: c.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ locale: 'en' }),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF');
    const wrong = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: { cookie: c.cookie, 'content-type': 'application/json', 'x-csrf-token': 'x'.repeat(32) },
      payload: JSON.stringify({ locale: 'en' }),
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await c.patch('/api/v1/auth/me', { locale: 'vi' });
    expect(ok.status).toBe(200);
  });

  it('rotates the session at sign-in: the cookie carried in is ended', async () => {
    const first = await t.signIn('cdcs2@lantern.test');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { cookie: first.cookie },
      payload: { email: 'cdcs2@lantern.test', password: DEMO_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect((await first.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('logs out here, or everywhere', async () => {
    const a = await t.signIn('hanoi@lantern.test');
    const b = await t.signIn('hanoi@lantern.test');
    expect((await a.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await a.get('/api/v1/auth/me')).status).toBe(401);
    expect((await b.get('/api/v1/auth/me')).status).toBe(200);
    const c = await t.signIn('hanoi@lantern.test');
    expect((await c.post('/api/v1/auth/logout-all')).status).toBe(204);
    expect((await b.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('ends a session idle for longer than the idle limit', async () => {
    const c = await t.signIn('hoankiem@lantern.test');
    await t.database.db.execute(sql`update sessions set last_seen_at = now() - interval '1 day' where user_id = (select id from users where email = 'hoankiem@lantern.test')`);
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('ends a session past its absolute limit even while it is in use', async () => {
    const c = await t.signIn('hoankiem@lantern.test');
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    // Used a minute ago, but signed in longer ago than SESSION_ABSOLUTE_HOURS allows.
    await t.database.db.execute(sql`update sessions set last_seen_at = now() - interval '1 minute', expires_at = now() - interval '1 second' where user_id = (select id from users where email = 'hoankiem@lantern.test')`);
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('speaks English to a user who chose it', async () => {
    const c = await t.signIn('cdcs1@lantern.test');
    await c.patch('/api/v1/auth/me', { locale: 'en' });
    const res = await c.get('/api/v1/orgs/999999');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('Unit not found.');
    await c.patch('/api/v1/auth/me', { locale: 'vi' });
    expect((await c.get('/api/v1/orgs/999999')).body.error.message).toBe('Không tìm thấy đơn vị.');
  });
});

describe('password reset by e-mailed link', () => {
  it('sets a new password once; the link then stops working', async () => {
    const anon = t.anonymous();
    const req = await anon.post('/api/v1/auth/password-reset/request', { email: 'cdcs1@lantern.test' });
    expect(req.status).toBe(202);
    const text = await latestMailTo('cdcs1@lantern.test');
    expect(text).toMatch(/đặt lại mật khẩu/);
    const token = /token=([\w-]+)/.exec(text)![1]!;

    const weak = await anon.post('/api/v1/auth/password-reset/confirm', { token, password: 'ngan' });
    expect(weak.status).toBe(422);
    expect(weak.body.error.fields.password).toMatch(/ít nhất 10 ký tự/);

    const ok = await anon.post('/api/v1/auth/password-reset/confirm', { token, password: 'TrangRam2026moi' });
    expect(ok.status).toBe(204);
    await t.signIn('cdcs1@lantern.test', 'TrangRam2026moi');
    const again = await anon.post('/api/v1/auth/password-reset/confirm', { token, password: 'KhacNua2026x' });
    expect(again.status).toBe(422);
    expect(again.body.error.message).toMatch(/hết hạn hoặc đã được dùng/);
  });

  it('does not tell whether an e-mail exists, and sends nothing for an unknown one', async () => {
    const before = await t.database.db.execute(sql`select count(*)::int as n from outbox`);
    const res = await t.anonymous().post('/api/v1/auth/password-reset/request', { email: 'nobody@lantern.test' });
    expect(res.status).toBe(202);
    const after = await t.database.db.execute(sql`select count(*)::int as n from outbox`);
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('refuses an expired link', async () => {
    await t.anonymous().post('/api/v1/auth/password-reset/request', { email: 'cdcs2@lantern.test' });
    const token = /token=([\w-]+)/.exec(await latestMailTo('cdcs2@lantern.test'))![1]!;
    await t.database.db.execute(sql`update password_tokens set expires_at = now() - interval '1 minute'`);
    const res = await t.anonymous().post('/api/v1/auth/password-reset/confirm', { token, password: 'TrangRam2026moi' });
    expect(res.status).toBe(422);
  });
});

describe('what the database keeps', () => {
  it('stores neither the cookie token nor the link token, only keyed hashes', async () => {
    const c = await t.signIn('hanoi@lantern.test');
    const token = c.cookie.split('=')[1]!;
    const res = await t.database.db.execute(sql`select id from sessions`);
    const ids = (res.rows as { id: string }[]).map((r) => r.id);
    expect(ids).not.toContain(token);
    const { tokenHash } = await import('../../lib/crypto');
    expect(ids).toContain(tokenHash(token, t.env.SESSION_SECRET));
    expect(tokenHash(token, 'x'.repeat(40))).not.toBe(tokenHash(token, t.env.SESSION_SECRET));
  });
});
