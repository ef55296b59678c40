/**
 * What the server writes to its log. Sensitive fields (circumstances of
 * health, disability, poverty; personal ID numbers) and credentials must
 * never reach it, at any level, whether a request succeeds or is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import type { Database } from '../db/client';
import type { App } from '../lib/http/types';
import { DEMO_PASSWORD, openTestDatabase, testEnv } from './helpers';

const NOTE = 'Bại não bẩm sinh, điều trị tại Bệnh viện Nhi Trung ương';
const ID_NUMBER = '001087004321';
const lines: string[] = [];
let database: Database;
let app: App;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({
    database,
    env: testEnv({ LOG_LEVEL: 'trace' }),
    webRoot: null,
    logger: { level: 'trace', stream: { write: (line: string) => void lines.push(line) } },
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('the server log', () => {
  it('never carries a child’s circumstances, an ID number, a password or a session token, at trace level, for accepted and refused requests', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'cdcs1@lantern.test', password: DEMO_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const token = cookie.split('=')[1]!;
    const session = JSON.parse(login.body) as { csrfToken: string; user: { grants: { orgId: number; orgCode: string }[] } };
    const csrf = session.csrfToken;
    const headers = { cookie, 'x-csrf-token': csrf };
    const orgId = session.user.grants.find((g) => g.orgCode === 'LB-THCS-GT')!.orgId;

    const consent = (givenBy: string) => ({ givenBy, date: '2026-11-20', method: 'paper' });
    const child = {
      orgId,
      fullName: 'Trần Gia Bảo',
      birthDate: '2015-03-09',
      sex: 'male',
      parents: [{ fullName: 'Trần Văn Hùng', phone: '0912 345 678', idNumber: ID_NUMBER }],
      circumstances: [{ code: 'disability', level: 'severe', note: NOTE }],
      parentConsent: consent('Trần Văn Hùng'),
      childConsent: consent('Trần Gia Bảo'),
    };
    const created = await app.inject({ method: 'POST', url: '/api/v1/children', headers, payload: child });
    expect(created.statusCode).toBe(201);
    const id = (JSON.parse(created.body) as { id: string }).id;
    expect((await app.inject({ method: 'GET', url: `/api/v1/children/${id}`, headers })).body).toContain(NOTE);
    // Refused: a bad date beside the same sensitive data; a wrong password.
    const refused = await app.inject({ method: 'POST', url: '/api/v1/children', headers, payload: { ...child, birthDate: '31/02/2015' } });
    expect(refused.statusCode).toBe(400);
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'cdcs1@lantern.test', password: `${DEMO_PASSWORD}!sai` } });
    expect(wrong.statusCode).toBe(401);

    const log = lines.join('');
    // The log is really written (requests and answers), so the checks below can fail.
    expect(log).toContain('/api/v1/children');
    expect(lines.length).toBeGreaterThan(6);
    for (const secret of [NOTE, 'Bại não', ID_NUMBER, DEMO_PASSWORD, token, csrf]) expect(log, secret).not.toContain(secret);
    console.log(`server log: ${lines.length} lines at trace level checked for 6 sensitive values`);
  });
});
