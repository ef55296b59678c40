import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { CIRCUMSTANCE_LABELS } from '../../../common/children';
import { readSheet, safeCellText } from '../../lib/spreadsheet';
import { authContextOf, createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';
import { findOrgInScope } from '../orgs/orgs.queries';
import { EXPORT_PAGE_SIZE, exportChildren, PRIORITY_ONLY } from './children.export';

let t: TestContext;
let cdcs1: Client;
let longbien: Client;
let gt: number;
let lb: number;

const HEADER = ['STT', 'Họ tên', 'Ngày sinh', 'Giới tính', 'Đơn vị', 'Cha/mẹ', 'Điện thoại', 'Trường', 'Lớp', 'Hoàn cảnh', 'Thành tích'];
const WIDTHS = [7, 28, 12, 10, 36, 30, 16, 28, 8, 36, 36];
const FORMULA = '=1+1';
/** Children added for these tests: same name (same sort key) with three dates of birth, so the order's second key counts too. */
const TWINS = 'Phạm Gia Bảo';

async function load(raw: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(raw as unknown as ArrayBuffer);
  expect(wb.worksheets).toHaveLength(1);
  return wb.worksheets[0]!;
}

/** The data rows as text, the way the file reads back. */
function rowsOf(ws: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  ws.eachRow((r, n) => {
    if (n === 1) return;
    rows.push(HEADER.map((_, i) => String(r.getCell(i + 1).value ?? '')));
  });
  return rows;
}

const authOf = (email: string) => authContextOf(t.database, email);

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The register as the list answers it (same order as the export): name (as a cell shows it) and date of birth. */
async function listed(client: Client, org: number, q?: string): Promise<string[][]> {
  const out: string[][] = [];
  for (let offset = 0; ; offset += 100) {
    const res = await client.get(`/api/v1/orgs/${org}/children?limit=100&offset=${offset}${q ? `&q=${encodeURIComponent(q)}` : ''}`);
    expect(res.status).toBe(200);
    const items = res.body.items as { fullName: string; birthDate: string }[];
    out.push(...items.map((c) => [safeCellText(c.fullName), c.birthDate.split('-').reverse().join('/')]));
    if (items.length < 100) return out;
  }
}

async function sensitiveReadIds(): Promise<string[]> {
  const res = await t.database.executeSql(`select after from audit_log where action = 'child.sensitive_read' order by id`);
  return res.rows.flatMap((r) => {
    const after = (typeof r.after === 'string' ? JSON.parse(r.after) : r.after) as { via: string; childIds: string[] };
    return after.via === 'export.xlsx' ? after.childIds : [];
  });
}

beforeAll(async () => {
  t = await createTestContext();
  cdcs1 = await t.signIn('cdcs1@lantern.test');
  longbien = await t.signIn('longbien@lantern.test');
  gt = await orgId(cdcs1, 'LB-THCS-GT');
  lb = await orgId(longbien, 'HN-LB');
  const add = async (body: Record<string, unknown>) => {
    const res = await cdcs1.post('/api/v1/children', { orgId: gt, sex: 'male', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  await add({ fullName: FORMULA, birthDate: '2016-02-03', parents: [{ fullName: '+Lê Văn Tâm', phone: '0912 345 678' }] });
  for (const birthDate of ['2014-05-06', '2012-01-02', '2016-11-12'])
    await add({
      fullName: TWINS,
      birthDate,
      sex: 'female',
      parents: [{ fullName: 'Phạm Văn Hùng', phone: '0987 654 321' }, { fullName: 'Trần Thị Mai', phone: '0987 654 321' }],
      circumstances: birthDate === '2012-01-02' ? [{ code: 'poor_household' }, { code: 'orphan' }] : [],
      parentConsent: { givenBy: 'Phạm Văn Hùng', date: '2021-08-28', method: 'paper' },
      childConsent: { givenBy: TWINS, date: '2021-08-28', method: 'paper' },
      achievements: [{ schoolYear: '2020-2021', level: 'excellent', note: 'cấp quận' }],
    });
});
afterAll(() => t.close());

describe('children export (.xlsx)', () => {
  it('writes the header, the widths, a bold frozen first row and the rows in the register’s order', async () => {
    const res = await cdcs1.get(`/api/v1/orgs/${gt}/children/export.xlsx`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/spreadsheetml/);
    const ws = await load(res.raw);
    expect(ws.name).toBe('Danh sach tre');
    expect((ws.getRow(1).values as string[]).slice(1)).toEqual(HEADER);
    expect(ws.columns.map((c) => c.width)).toEqual(WIDTHS);
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.getCell('B1').font?.bold).toBe(true);
    expect(ws.getCell('B2').font?.bold).toBeFalsy();
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const rows = rowsOf(ws);
    const register = await listed(cdcs1, gt);
    expect(rows.map((r) => [r[1], r[2]])).toEqual(register);
    expect(rows.map((r) => r[0])).toEqual(rows.map((_, i) => String(i + 1)));
    expect(ws.getCell('A2').value).toBe(1); // STT is a number, the rest is text
    // Same name: by date of birth.
    expect(rows.filter((r) => r[1] === TWINS).map((r) => r[2])).toEqual(['02/01/2012', '06/05/2014', '12/11/2016']);
    const twin = rows.find((r) => r[1] === TWINS && r[2] === '02/01/2012')!;
    expect(twin.slice(3)).toEqual([
      'Nữ',
      'Công đoàn Trường THCS Gia Thụy',
      'Phạm Văn Hùng; Trần Thị Mai',
      '0987 654 321',
      '',
      '',
      `${CIRCUMSTANCE_LABELS.poor_household.vi}; ${CIRCUMSTANCE_LABELS.orphan.vi}`,
      '2020-2021: Học sinh xuất sắc (cấp quận)',
    ]);

    // The streaming reader of the imports reads it too (and its zip checks pass).
    const sheet = await readSheet(res.raw, 'danh-sach-tre.xlsx', 100_000);
    expect(sheet.header).toEqual(HEADER);
    expect(sheet.rows.map((r) => r.cells[1])).toEqual(rows.map((r) => r[1]));
  });

  it('reads page after page in the same order as one page', async () => {
    const auth = await authOf('cdcs1@lantern.test');
    const org = (await findOrgInScope(t.app.deps.db, gt, [auth.grants[0]!.orgPath]))!;
    const whole = rowsOf(await load(await collect(exportChildren(t.app.deps.db, auth, org, undefined))));
    expect(whole.length).toBeGreaterThan(4);
    expect(whole.length).toBeLessThan(EXPORT_PAGE_SIZE);
    for (const pageSize of [1, 2, 3]) {
      const paged = rowsOf(await load(await collect(exportChildren(t.app.deps.db, auth, org, undefined, { pageSize }))));
      expect(paged).toEqual(whole);
    }
  });

  it('names sensitive circumstances only for a caller who may see them, and logs those reads', async () => {
    const before = (await sensitiveReadIds()).length;
    const officer = rowsOf(await load((await cdcs1.get(`/api/v1/orgs/${gt}/children/export.xlsx`)).raw));
    const logged = (await sensitiveReadIds()).slice(before);
    const twinId = (await t.database.executeSql(`select id from children where full_name = $1 and birth_date = '2012-01-02'`, [TWINS])).rows[0]!.id as string;
    expect(logged).toContain(twinId);
    expect(new Set(logged).size).toBe(logged.length);

    const district = (await longbien.get(`/api/v1/orgs/${lb}/children/export.xlsx`)).raw;
    expect((await sensitiveReadIds()).length).toBe(before + logged.length); // nothing shown, nothing logged
    const rows = rowsOf(await load(district));
    const circumstances = new Set(rows.map((r) => r[9]));
    expect([...circumstances].sort()).toEqual(['', PRIORITY_ONLY]);
    expect(rows.find((r) => r[1] === TWINS && r[2] === '02/01/2012')![9]).toBe(PRIORITY_ONLY);
    expect(rows.find((r) => r[1] === TWINS && r[2] === '06/05/2014')![9]).toBe('');
    expect(officer.find((r) => r[1] === TWINS && r[2] === '06/05/2014')![9]).toBe('');
    // The district's file holds the school's children too, in the register's order.
    expect(rows.map((r) => [r[1], r[2]])).toEqual(await listed(longbien, lb));
  });

  it('never writes a formula: text starting with = + - @ gets an apostrophe', async () => {
    const ws = await load((await cdcs1.get(`/api/v1/orgs/${gt}/children/export.xlsx`)).raw);
    let found: ExcelJS.Row | undefined;
    ws.eachRow((r) => {
      if (r.getCell(2).value === `'${FORMULA}`) found = r;
    });
    expect(found).toBeDefined();
    const name = found!.getCell(2);
    expect(name.type).toBe(ExcelJS.ValueType.String);
    expect(name.formula).toBeUndefined();
    expect(found!.getCell(6).value).toBe("'+Lê Văn Tâm");
    ws.eachRow((r) =>
      r.eachCell((c) => {
        expect(c.type === ExcelJS.ValueType.String || c.type === ExcelJS.ValueType.Number).toBe(true);
      }),
    );
  });

  it('keeps to the search `q`', async () => {
    const res = await cdcs1.get(`/api/v1/orgs/${gt}/children/export.xlsx?q=${encodeURIComponent('pham gia bao')}`);
    expect(res.status).toBe(200);
    const rows = rowsOf(await load(res.raw));
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['1', TWINS, '02/01/2012'],
      ['2', TWINS, '06/05/2014'],
      ['3', TWINS, '12/11/2016'],
    ]);
    const none = rowsOf(await load((await cdcs1.get(`/api/v1/orgs/${gt}/children/export.xlsx?q=khongcoai`)).raw));
    expect(none).toEqual([]);
  });

  it('stops when the client goes away', async () => {
    const auth = await authOf('cdcs1@lantern.test');
    const org = (await findOrgInScope(t.app.deps.db, gt, [auth.grants[0]!.orgPath]))!;
    const stream = exportChildren(t.app.deps.db, auth, org, undefined, { pageSize: 1 });
    await new Promise((resolve) => stream.once('data', resolve));
    stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stream.destroyed).toBe(true);
    // The database is still free for the next request.
    expect((await cdcs1.get(`/api/v1/orgs/${gt}/children?limit=1`)).status).toBe(200);
  });
});
