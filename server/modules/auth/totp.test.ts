import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, DEMO_PASSWORD, type TestContext } from '../../test/helpers';
import { base32Decode, base32Encode, stepAt, totpCode } from '../../lib/totp';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ env: { TOTP_REQUIRED_ROLES: 'federation_officer' } });
});
afterAll(() => t.close());

const login = (email: string, code?: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD, ...(code ? { code } : {}) } });

describe('TOTP codes', () => {
  it('match the RFC 6238 test vector (SHA-1, 8 digits truncated to the last 6)', () => {
    // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082.
    const secret = base32Encode(Buffer.from('12345678901234567890'));
    expect(totpCode(secret, stepAt(59_000))).toBe('287082');
    expect(base32Decode(secret).toString()).toBe('12345678901234567890');
  });
});

describe('two-factor sign-in', () => {
  it('is set up with a code from the app, stored encrypted, and then asked for at every sign-in, each code once', async () => {
    const cdcs1 = await t.signIn('cdcs1@lantern.test');
    const setup = await cdcs1.post('/api/v1/auth/totp/setup');
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUrl).toContain('otpauth://totp/Lantern:cdcs1%40lantern.test');
    expect(setup.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const secret = setup.body.secret as string;

    expect((await cdcs1.post('/api/v1/auth/totp/enable', { code: '000000' === totpCode(secret, stepAt(Date.now())) ? '111111' : '000000' })).status).toBe(422);
    const enabled = await cdcs1.post('/api/v1/auth/totp/enable', { code: totpCode(secret, stepAt(Date.now())) });
    expect(enabled.status).toBe(200);
    expect(enabled.body.user.totpEnabled).toBe(true);

    const stored = await t.database.db.execute(sql`select totp_secret from users where email = 'cdcs1@lantern.test'`);
    const cipher = (stored.rows[0] as { totp_secret: string }).totp_secret;
    expect(cipher).toMatch(/^v1\./);
    expect(cipher).not.toContain(secret);

    const noCode = await login('cdcs1@lantern.test');
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error.code).toBe('TOTP_REQUIRED');
    expect(noCode.headers['set-cookie']).toBeUndefined();
    expect((await login('cdcs1@lantern.test', '12345')).statusCode).toBe(401);
    const next = totpCode(secret, stepAt(Date.now()) + 1);
    const ok = await login('cdcs1@lantern.test', next);
    expect(ok.statusCode).toBe(200);
    // The same code a second time is refused (replay).
    const replay = await login('cdcs1@lantern.test', next);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('UNAUTHORIZED');
  });

  it('is required by the setting for federation officers: until set up, only account routes answer', async () => {
    const longbien = await t.signIn('longbien@lantern.test');
    const me = await longbien.get('/api/v1/auth/me');
    expect(me.body.user.totpSetupRequired).toBe(true);
    const blocked = await longbien.get('/api/v1/campaigns');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('TOTP_SETUP_REQUIRED');
    expect(blocked.body.error.message).toMatch(/xác thực hai lớp/);
    // A unit officer is not bound by it.
    const cdcs2 = await t.signIn('cdcs2@lantern.test');
    expect((await cdcs2.get('/api/v1/campaigns')).status).toBe(200);

    const secret = (await longbien.post('/api/v1/auth/totp/setup')).body.secret as string;
    expect((await longbien.post('/api/v1/auth/totp/enable', { code: totpCode(secret, stepAt(Date.now())) })).status).toBe(200);
    expect((await longbien.get('/api/v1/campaigns')).status).toBe(200);
  });

  it('is turned off only with the password', async () => {
    const hanoi = await t.signIn('hanoi@lantern.test');
    const secret = (await hanoi.post('/api/v1/auth/totp/setup')).body.secret as string;
    await hanoi.post('/api/v1/auth/totp/enable', { code: totpCode(secret, stepAt(Date.now())) });
    expect((await hanoi.post('/api/v1/auth/totp/disable', { password: 'wrong-password-1' })).status).toBe(422);
    const off = await hanoi.post('/api/v1/auth/totp/disable', { password: DEMO_PASSWORD });
    expect(off.status).toBe(200);
    expect(off.body.user.totpEnabled).toBe(false);
    const audit = await t.database.db.execute(sql`select action from audit_log where action like 'auth.totp_%' order by id`);
    expect(audit.rows.map((r) => (r as { action: string }).action)).toEqual(['auth.totp_enable', 'auth.totp_enable', 'auth.totp_enable', 'auth.totp_disable']);
  });
});
