import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv, wantsDemoData } from './env';

describe('settings', () => {
  it('names the wrong setting', () => {
    expect(() => loadEnv({ PORT: 'abc' })).toThrowError(EnvError);
    expect(() => loadEnv({ PORT: 'abc' })).toThrowError(/PORT/);
    expect(() => loadEnv({ DATABASE_URL: 'mysql://x' })).toThrowError(/DATABASE_URL/);
    expect(() => loadEnv({ SMTP_URL: 'http://mail' })).toThrowError(/SMTP_URL/);
  });

  it('refuses production without its secrets', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrowError(/SESSION_SECRET/);
    expect(() => loadEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), PUBLIC_URL: 'http://a.vn' })).toThrowError(/PUBLIC_URL/);
    expect(() => loadEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), PUBLIC_URL: 'https://lantern.congdoan.vn' })).toThrowError(/DATA_KEY/);
    const prod = loadEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), PUBLIC_URL: 'https://lantern.congdoan.vn', DATA_KEY: Buffer.alloc(32, 1).toString('base64') });
    expect(wantsDemoData(prod)).toBe(false);
  });

  it('loads demo data on the embedded database only, unless told', () => {
    expect(wantsDemoData(loadEnv({}))).toBe(true);
    expect(wantsDemoData(loadEnv({ DATABASE_URL: 'postgres://localhost/x' }))).toBe(false);
    expect(wantsDemoData(loadEnv({ DATABASE_URL: 'postgres://localhost/x', LANTERN_DEMO_DATA: 'yes' }))).toBe(true);
    expect(wantsDemoData(loadEnv({ LANTERN_DEMO_DATA: 'no' }))).toBe(false);
  });
});
