import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { buildApp } from './app';
import { openAppDatabase } from './db/open';
import { loadEnv } from './env';

const dir = mkdtempSync(join(tmpdir(), 'lantern-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], input: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, LANTERN_DATA_DIR: dir, LANTERN_DEMO_DATA: 'no', DATABASE_URL: '' },
  });
}

it('creates the first administrator on an empty database, password from stdin', async () => {
  const weak = cli(['create-admin', '--email', 'it@congdoan.vn', '--org', 'VN'], 'ngan\n');
  expect(weak.status).toBe(1);
  expect(weak.stderr).toMatch(/ít nhất 10 ký tự/);
  const noOrg = cli(['create-admin', '--email', 'it@congdoan.vn', '--org', 'VN'], 'MatKhauDai2026\n');
  expect(noOrg.status).toBe(1);
  expect(noOrg.stderr).toMatch(/Chưa có đơn vị mã "VN"/);
  const ok = cli(
    ['create-admin', '--email', 'IT@congdoan.vn', '--org', 'VN', '--org-name', 'Tổng Liên đoàn Lao động Việt Nam', '--org-kind', 'confederation', '--name', 'Nguyễn Văn Quản'],
    'MatKhauDai2026\n',
  );
  expect(ok.stderr).toBe('');
  expect(ok.status).toBe(0);
  expect(ok.stdout).toMatch(/Đã tạo quản trị viên it@congdoan.vn/);
  const again = cli(['create-admin', '--email', 'it@congdoan.vn', '--org', 'VN'], 'MatKhauDai2026\n');
  expect(again.status).toBe(1);
  expect(again.stderr).toMatch(/đã có tài khoản/);

  const env = loadEnv({ LANTERN_DATA_DIR: dir, LANTERN_DEMO_DATA: 'no', LOG_LEVEL: 'silent' });
  const database = await openAppDatabase(env);
  const app = await buildApp({ database, env, webRoot: null });
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'it@congdoan.vn', password: 'MatKhauDai2026' } });
  expect(res.statusCode).toBe(200);
  expect(res.json().user.permissions).toContain('audit.read');
  expect(res.json().user.grants[0]).toMatchObject({ role: 'admin', orgCode: 'VN', orgName: 'Tổng Liên đoàn Lao động Việt Nam' });
  await app.close();
  await database.close();
});
