import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { createTestContext, type Client, type TestContext } from '../../test/helpers';

let t: TestContext;
let longbien: Client;
beforeAll(async () => {
  t = await createTestContext();
  longbien = await t.signIn('longbien@lantern.test');
});
afterAll(() => t.close());

const HEADER = ['Mã đơn vị *', 'Tên đơn vị *', 'Tên viết tắt', 'Loại đơn vị *', 'Mã đơn vị cấp trên *', 'Email liên hệ', 'Điện thoại'];

async function xlsx(rows: (string | number)[][], header = HEADER): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Don vi');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function countOrgs(): Promise<number> {
  const res = await t.database.db.execute(sql`select count(*)::int as n from orgs`);
  return (res.rows[0] as { n: number }).n;
}

const GOOD = [
  ['LB-PHUONG-TH', 'Công đoàn phường Thạch Bàn', 'CĐ phường Thạch Bàn', 'Công đoàn xã, phường, đặc khu', 'HN-LB', '', ''],
  ['LB-MN-TB', 'Công đoàn Trường Mầm non Thạch Bàn', 'CĐ MN Thạch Bàn', 'CĐCS', 'LB-PHUONG-TH', 'cd.mnthachban@longbien.edu.vn', '024 3875 0101'],
  ['LB-TH-TB', 'Công đoàn Trường Tiểu học Thạch Bàn', '', 'Công đoàn cơ sở', 'LB-PHUONG-TH', '', '0912 345 678'],
];

describe('importing units from Excel', () => {
  it('downloads a template that reads back with the expected columns', async () => {
    const res = await longbien.get('/api/v1/orgs/import/template');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw as unknown as ArrayBuffer);
    const header = (wb.worksheets[0]!.getRow(1).values as string[]).slice(1);
    expect(header).toEqual(HEADER);
  });

  it('names row, column and reason for each bad row, and a file with errors imports nothing', async () => {
    const file = await xlsx([
      ...GOOD,
      ['LB-MN-TB', 'Trùng mã trong tệp', '', 'CĐCS', 'HN-LB', '', ''],
      ['LB-X1', '', '', 'CĐCS', 'HN-LB', '', ''],
      ['LB-X2', 'Công đoàn Công ty ABC', '', 'công ty', 'HN-LB', 'khong-phai-email', ''],
      ['LB-X3', 'Công đoàn Công ty XYZ', '', 'CĐCS', 'HN-HK', '', ''],
      ['LB-THCS-GT', 'Trùng mã đang hoạt động', '', 'CĐCS', 'HN-LB', '', ''],
    ]);
    const before = await countOrgs();
    const dry = await longbien.upload('/api/v1/orgs/import?mode=dry-run', 'don-vi.xlsx', file);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ total: 8, valid: 3, created: 0, committed: false });
    expect(dry.body.errors).toEqual([
      { row: 5, column: 'A (Mã đơn vị)', message: 'Mã "LB-MN-TB" trùng với dòng 3' },
      { row: 6, column: 'B (Tên đơn vị)', message: 'Không được để trống' },
      { row: 7, column: 'D (Loại đơn vị)', message: expect.stringMatching(/^Loại "công ty" không hợp lệ; dùng một trong: /) },
      { row: 7, column: 'F (Email liên hệ)', message: 'Email "khong-phai-email" không hợp lệ' },
      { row: 8, column: 'E (Mã đơn vị cấp trên)', message: 'Không tìm thấy đơn vị cấp trên có mã "HN-HK" trong phạm vi của bạn hoặc trong tệp' },
      { row: 9, column: 'A (Mã đơn vị)', message: 'Mã "LB-THCS-GT" đã được dùng cho một đơn vị đang hoạt động' },
    ]);
    const all = await longbien.upload('/api/v1/orgs/import?mode=all', 'don-vi.xlsx', file);
    expect(all.status).toBe(422);
    expect(all.body.committed).toBe(false);
    expect(await countOrgs()).toBe(before);

    const valid = await longbien.upload('/api/v1/orgs/import?mode=valid-only', 'don-vi.xlsx', file);
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({ created: 3, committed: true });
    expect(await countOrgs()).toBe(before + 3);
    const tree = (await longbien.get('/api/v1/orgs/tree')).body;
    const ward = tree.children.find((c: { code: string }) => c.code === 'LB-PHUONG-TH');
    expect(ward.children.map((c: { code: string }) => c.code)).toEqual(['LB-MN-TB', 'LB-TH-TB']);
  });

  it('orders parents before children whatever the row order, and reads CSV', async () => {
    const csv = [
      'Mã đơn vị,Tên đơn vị,Tên viết tắt,Loại đơn vị,Mã đơn vị cấp trên,Email liên hệ,Điện thoại',
      'LB-TH-PD2,"Công đoàn Trường Tiểu học Phúc Đồng, cơ sở 2",,CĐCS,LB-PHUONG-PD,,',
      'LB-PHUONG-PD,Công đoàn phường Phúc Đồng,,Công đoàn xã/phường,HN-LB,,',
    ].join('\r\n');
    // "Công đoàn xã/phường" is not a known kind: the child of a bad row is reported too.
    const bad = await longbien.upload('/api/v1/orgs/import?mode=dry-run', 'don-vi.csv', Buffer.from(`\uFEFF${csv}`, 'utf8'), 'text/csv');
    expect(bad.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [2, 'E (Mã đơn vị cấp trên)'],
      [3, 'D (Loại đơn vị)'],
    ]);
    const fixed = csv.replace('Công đoàn xã/phường', 'Công đoàn xã, phường, đặc khu').replace('Công đoàn xã, phường, đặc khu,HN-LB', '"Công đoàn xã, phường, đặc khu",HN-LB');
    const ok = await longbien.upload('/api/v1/orgs/import?mode=all', 'don-vi.csv', Buffer.from(fixed, 'utf8'), 'text/csv');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ total: 2, valid: 2, created: 2, committed: true, errors: [] });
    const school = await longbien.get(`/api/v1/orgs?q=${encodeURIComponent('phuc dong co so 2')}`);
    expect(school.body.items[0].name).toBe('Công đoàn Trường Tiểu học Phúc Đồng, cơ sở 2');
    expect(school.body.items[0].parentName).toBe('Công đoàn phường Phúc Đồng');
  });

  it('reports a missing column and refuses a file that is not a spreadsheet', async () => {
    const noKind = await xlsx([['LB-Q', 'Công đoàn Q', 'HN-LB']], ['Mã đơn vị', 'Tên đơn vị', 'Mã đơn vị cấp trên']);
    const res = await longbien.upload('/api/v1/orgs/import?mode=dry-run', 'thieu-cot.xlsx', noKind);
    expect(res.body.errors).toEqual([{ row: 1, column: 'Loại đơn vị', message: 'Thiếu cột "Loại đơn vị" trong dòng tiêu đề' }]);
    const fake = await longbien.upload('/api/v1/orgs/import?mode=dry-run', 'gia-mao.xlsx', Buffer.from('day khong phai excel'));
    expect(fake.status).toBe(400);
    expect(fake.body.error.message).toBe('Không đọc được tệp. Hãy dùng tệp Excel (.xlsx) hoặc CSV theo mẫu.');
    const broken = await longbien.upload('/api/v1/orgs/import?mode=dry-run', 'hong.xlsx', (await xlsx(GOOD)).subarray(0, 300));
    expect(broken.status).toBe(400);
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/orgs/import', headers: { cookie: longbien.cookie, 'x-csrf-token': longbien.csrfToken } });
    expect(none.statusCode).toBe(400);
  });

  it('a unit officer cannot import', async () => {
    const c = await t.signIn('cdcs1@lantern.test');
    const res = await c.upload('/api/v1/orgs/import?mode=dry-run', 'a.xlsx', await xlsx(GOOD));
    expect(res.status).toBe(403);
  });
});
