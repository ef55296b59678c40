import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';

let t: TestContext;
let longbien: Client;
beforeAll(async () => {
  t = await createTestContext();
  longbien = await t.signIn('longbien@lantern.test');
});
afterAll(() => t.close());

async function inviteLink(email: string): Promise<string> {
  const res = await t.database.db.execute(sql`select text, status from outbox where "to" = ${email} order by created_at desc limit 1`);
  const row = res.rows[0] as { text: string; status: string };
  expect(row.status).toBe('stored'); // no SMTP in this test: the mail waits in the outbox
  return /token=([\w-]+)/.exec(row.text)![1]!;
}

describe('accounts', () => {
  it('a district officer gives a union officer an account; the invitee sets a password and sees only their union', async () => {
    const unit = await orgId(longbien, 'LB-MN-HS');
    const res = await longbien.post('/api/v1/users', { email: 'Nhung.MNHoaSua@Gmail.com', fullName: '  Trịnh   Thị Nhung ', role: 'unit_officer', orgId: unit });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: 'nhung.mnhoasua@gmail.com', fullName: 'Trịnh Thị Nhung', status: 'active' });
    expect(res.body.grants).toEqual([expect.objectContaining({ role: 'unit_officer', orgCode: 'LB-MN-HS' })]);

    const token = await inviteLink('nhung.mnhoasua@gmail.com');
    expect((await t.anonymous().post('/api/v1/auth/password-reset/confirm', { token, password: 'HoaSua2026trungthu' })).status).toBe(204);
    const invitee = await t.signIn('nhung.mnhoasua@gmail.com', 'HoaSua2026trungthu');
    const tree = (await invitee.get('/api/v1/orgs/tree')).body;
    expect(tree.code).toBe('LB-MN-HS');
    expect(tree.children).toEqual([]);

    const dup = await longbien.post('/api/v1/users', { email: 'nhung.mnhoasua@gmail.com', fullName: 'Ai đó', role: 'viewer', orgId: unit });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('Email nhung.mnhoasua@gmail.com đã có tài khoản.');
  });

  it('a federation officer cannot grant administrator, nor grant outside their district', async () => {
    const lb = await orgId(longbien, 'HN-LB');
    const admin = await longbien.post('/api/v1/users', { email: 'x1@lantern.test', fullName: 'Người Thử', role: 'admin', orgId: lb });
    expect(admin.status).toBe(403);
    expect(admin.body.error.message).toBe('Bạn không thể cấp vai trò này.');
    const hk = await orgId(await t.signIn('admin@lantern.test'), 'HN-HK');
    const outside = await longbien.post('/api/v1/users', { email: 'x2@lantern.test', fullName: 'Người Thử', role: 'viewer', orgId: hk });
    expect(outside.status).toBe(404);
  });

  it('lists only accounts whose roles lie in the caller’s subtree, searchable without diacritics', async () => {
    const list = (await longbien.get('/api/v1/users?limit=100')).body;
    const emails = list.items.map((u: { email: string }) => u.email);
    expect(emails).toEqual(expect.arrayContaining(['longbien@lantern.test', 'cdcs1@lantern.test', 'cdcs2@lantern.test', 'kiemtra@lantern.test']));
    expect(emails).not.toContain('hoankiem@lantern.test');
    expect(emails).not.toContain('admin@lantern.test');
    const found = (await longbien.get(`/api/v1/users?q=${encodeURIComponent('pham thi hong')}`)).body;
    expect(found.items.map((u: { email: string }) => u.email)).toEqual(['cdcs1@lantern.test']);
    const hk = (await longbien.get('/api/v1/users?q=hoankiem')).body;
    expect(hk.total).toBe(0);
    const viewer = await t.signIn('kiemtra@lantern.test');
    expect((await viewer.get('/api/v1/users')).status).toBe(200);
    expect((await (await t.signIn('cdcs1@lantern.test')).get('/api/v1/users')).status).toBe(403);
  });

  it('disabling an account ends its sessions; a disabled account cannot sign in', async () => {
    const cdcs2 = await t.signIn('cdcs2@lantern.test');
    const id = (await cdcs2.get('/api/v1/auth/me')).body.user.id;
    const res = await longbien.patch(`/api/v1/users/${id}`, { status: 'disabled' });
    expect(res.status).toBe(200);
    expect((await cdcs2.get('/api/v1/auth/me')).status).toBe(401);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'cdcs2@lantern.test', password: 'TrungThu@2021' } });
    expect(login.statusCode).toBe(403);
    expect(login.json().error.message).toBe('Tài khoản đã bị khóa. Vui lòng liên hệ quản trị viên.');
    expect((await longbien.patch(`/api/v1/users/${id}`, { status: 'active' })).status).toBe(200);
    await t.signIn('cdcs2@lantern.test');
  });

  it('adds and removes a role; the last role stays', async () => {
    const viewerId = (await (await t.signIn('kiemtra@lantern.test')).get('/api/v1/auth/me')).body.user.id;
    const unit = await orgId(longbien, 'LB-TTYT');
    const g = await longbien.post(`/api/v1/users/${viewerId}/grants`, { role: 'unit_officer', orgId: unit });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ role: 'unit_officer', orgCode: 'LB-TTYT' });
    expect((await longbien.post(`/api/v1/users/${viewerId}/grants`, { role: 'unit_officer', orgId: unit })).status).toBe(409);
    expect((await longbien.delete(`/api/v1/users/${viewerId}/grants/${g.body.id}`)).status).toBe(204);
    const only = (await longbien.get(`/api/v1/users/${viewerId}`)).body.grants;
    expect(only).toHaveLength(1);
    const last = await longbien.delete(`/api/v1/users/${viewerId}/grants/${only[0].id}`);
    expect(last.status).toBe(422);
  });
});
