import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { CIRCUMSTANCES_CIPHER, ID_NUMBER_CIPHER, openJson, openString } from '../../db/schema/encrypted';
import { isSealed } from '../../lib/crypto';
import { CIRCUMSTANCE_LABELS, CIRCUMSTANCES, SENSITIVE_CIRCUMSTANCES } from '../../../common/children';
import { foldVietnamese, vietnameseSortKey } from '../../../common/vietnamese';
import { authContextOf, createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';
import { findOrgInScope } from '../orgs/orgs.queries';
import { ImportProgressBoard } from './children.files.routes';
import { importChildren, NameKeys, RowFeed, type ImportProgress } from './children.import';

let t: TestContext;
let cdcs1: Client;
let cdcs2: Client;
let viewer: Client;
let longbien: Client;
let gt: number;
let dg: number;
let nl: number;

beforeAll(async () => {
  t = await createTestContext();
  cdcs1 = await t.signIn('cdcs1@lantern.test');
  cdcs2 = await t.signIn('cdcs2@lantern.test');
  viewer = await t.signIn('kiemtra@lantern.test');
  longbien = await t.signIn('longbien@lantern.test');
  gt = await orgId(cdcs1, 'LB-THCS-GT');
  dg = await orgId(longbien, 'LB-BV-DG');
  nl = await orgId(longbien, 'LB-TH-NL');
});
afterAll(() => t.close());

const HEADER = [
  'Họ tên con *',
  'Ngày sinh *',
  'Giới tính (Nam/Nữ) *',
  'Họ tên cha/mẹ (đoàn viên) *',
  'Bộ phận',
  'Điện thoại',
  'Đoàn viên (Có/Không)',
  'Số CCCD',
  'Họ tên cha/mẹ thứ hai',
  'Trường',
  'Lớp',
  'Hoàn cảnh',
  'Mức độ khuyết tật',
  'Ghi chú hoàn cảnh',
  'Thành tích',
  'Ngày cha/mẹ đồng ý',
  'Hình thức đồng ý (Giấy/Ứng dụng)',
  'Ngày trẻ đồng ý',
];

type Cell = string | number | Date;
type RowIn = Partial<Record<'name' | 'birth' | 'sex' | 'parent' | 'dept' | 'phone' | 'member' | 'id' | 'parent2' | 'school' | 'grade' | 'circ' | 'level' | 'note' | 'ach' | 'pConsent' | 'method' | 'cConsent', Cell>>;
const ORDER = ['name', 'birth', 'sex', 'parent', 'dept', 'phone', 'member', 'id', 'parent2', 'school', 'grade', 'circ', 'level', 'note', 'ach', 'pConsent', 'method', 'cConsent'] as const;
const row = (r: RowIn): Cell[] => ORDER.map((k) => r[k] ?? '');

async function xlsx(rows: Cell[][], header = HEADER): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Danh sach tre');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function load(raw: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(raw as unknown as ArrayBuffer);
  return wb;
}

async function countMembers(org: number): Promise<number> {
  const res = await t.database.db.execute(sql`select count(*)::int as n from members where org_id = ${org}`);
  return (res.rows[0] as { n: number }).n;
}

async function countChildren(org: number): Promise<number> {
  const res = await t.database.db.execute(sql`select count(*)::int as n from children where org_id = ${org}`);
  return (res.rows[0] as { n: number }).n;
}

const importUrl = (org: number, dryRun: boolean) => `/api/v1/orgs/${org}/children/import?dryRun=${dryRun}`;

const trang = { name: 'Phạm Thu Hoài Trang'.normalize('NFD'), birth: '14/02/2016', sex: 'Nữ', parent: 'Phạm Văn Quyết', dept: 'Tổ Ngữ văn', phone: '0903 222 333', member: 'Có', id: '001085012345', school: 'Trường Tiểu học Gia Thụy', grade: '4A1', ach: '2020-2021: Học sinh giỏi' };
const duc = { name: 'Phạm  Minh Đức Duy ', birth: new Date(Date.UTC(2019, 5, 1)), sex: 'Nam', parent: 'Phạm Văn Quyết', dept: 'Tổ Ngữ văn', phone: '0903222333' };
const anh = { name: 'Đỗ Ngọc Ánh Dương', birth: '5/9/2015', sex: 'nữ', parent: 'Đỗ Văn Toàn', phone: '0915 000 111', parent2: 'Nguyễn Thị Lan', circ: 'Hộ cận nghèo', pConsent: '28/08/2021', method: 'Giấy', cConsent: '28/08/2021' };
const BAD = [
  row(trang),
  row(duc),
  row(anh),
  row({ name: 'Lê Hoàng Nam Phong', birth: '31/02/2020', sex: 'Nam', parent: 'Lê Văn Bình' }),
  row({ name: 'Vũ Thị Thu Hà', birth: '03/03/2017', sex: 'Nữ', parent: 'Vũ Văn Hậu', circ: 'Con nhà giàu' }),
  row({ name: 'Hoàng Gia Huy Hoàng', birth: '20/10/2014', sex: 'Nam', parent: 'Hoàng Văn Sơn', circ: 'Hộ nghèo' }),
];
const GOOD = [
  ...BAD.slice(0, 3),
  row({ name: 'Lê Hoàng Nam Phong', birth: '28/02/2020', sex: 'Nam', parent: 'Lê Văn Bình' }),
  row({ name: 'Vũ Thị Thu Hà', birth: '03/03/2017', sex: 'Nữ', parent: 'Vũ Văn Hậu', circ: 'Mồ côi', note: 'Mẹ mất năm 2020' }),
  row({ name: 'Hoàng Gia Huy Hoàng', birth: '20/10/2014', sex: 'Nam', parent: 'Hoàng Văn Sơn', circ: 'Hộ nghèo; Khuyết tật', level: 'Nhẹ', pConsent: '20/09/2021', method: 'Ứng dụng', cConsent: '20/09/2021' }),
];

describe('importing children from Excel', () => {
  it('downloads a template whose headers read back, with a guide sheet', async () => {
    const res = await cdcs1.get(`/api/v1/orgs/${gt}/children/template.xlsx`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/spreadsheetml/);
    const wb = await load(res.raw);
    expect((wb.worksheets[0]!.getRow(1).values as string[]).slice(1)).toEqual(HEADER);
    expect(wb.worksheets[0]!.rowCount).toBe(2);
    const guide = wb.getWorksheet('Hướng dẫn')!;
    const text: string[] = [];
    guide.eachRow((r) => text.push((r.values as unknown[]).slice(1).join(' | ')));
    const all = text.join('\n');
    for (const c of CIRCUMSTANCES) expect(all).toContain(CIRCUMSTANCE_LABELS[c].vi);
    expect(all).toContain('dd/mm/yyyy');
    expect(all).toContain('2020-2021: Học sinh giỏi');
    expect(all).toMatch(/đủ 7 tuổi/);
    // The template itself imports cleanly.
    const dry = await cdcs1.upload(importUrl(gt, true), 'mau.xlsx', res.raw);
    expect(dry.body).toMatchObject({ total: 1, valid: 1, created: 1, errors: [], errorCount: 0, committed: false });
  });

  it('names row, column and reason for each bad row, and a file with errors imports nothing', async () => {
    const before = await countChildren(gt);
    const file = await xlsx(BAD);
    const expected = [
      { row: 5, column: 'B (Ngày sinh)', message: 'Ngày "31/02/2020" không hợp lệ; ghi theo dạng dd/mm/yyyy, ví dụ 12/03/2014' },
      {
        row: 6,
        column: 'L (Hoàn cảnh)',
        message: `Hoàn cảnh "Con nhà giàu" không có trong danh mục; dùng một hoặc nhiều trong: ${CIRCUMSTANCES.map((c) => CIRCUMSTANCE_LABELS[c].vi).join('; ')} (cách nhau bởi dấu ;)`,
      },
      { row: 7, column: 'P (Ngày cha/mẹ đồng ý)', message: 'Hoàn cảnh nhạy cảm (sức khỏe, khuyết tật, nghèo) chỉ được lưu khi đã ghi nhận sự đồng ý của cha/mẹ.' },
    ];
    const dry = await cdcs1.upload(importUrl(gt, true), 'danh-sach.xlsx', file);
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ total: 6, valid: 3, created: 3, updated: 0, unchanged: 0, errors: expected, errorCount: 3, duplicates: [], duplicateCount: 0, committed: false });
    const commit = await cdcs1.upload(importUrl(gt, false), 'danh-sach.xlsx', file);
    expect(commit.status).toBe(422);
    expect(commit.body.committed).toBe(false);
    expect(commit.body.errors).toEqual(expected);
    expect(await countChildren(gt)).toBe(before);
  });

  it('checks every other rule per cell', async () => {
    const file = await xlsx([
      row({ name: '', birth: '01/01/2015', sex: 'Nam', parent: 'Trần Văn A' }),
      row({ name: 'Trần Văn Tương Lai', birth: '01/01/2099', sex: 'Nam', parent: 'Trần Văn A' }),
      row({ name: 'Trần Văn Lớn', birth: '01/01/2000', sex: 'Nam', parent: 'Trần Văn A' }),
      row({ name: 'Trần Văn Bé', birth: '02/02/2016', sex: 'Không rõ', parent: 'Trần Văn A', id: '12345' }),
      row({ name: 'Trần Thị Mơ', birth: '03/03/2016', sex: 'Nữ', parent: 'Trần Văn A', circ: 'Khuyết tật', pConsent: '01/09/2021' }),
      row({ name: 'Tran Thi Mo', birth: '03/03/2016', sex: 'Nữ', parent: 'Trần Văn A' }),
    ]);
    const res = await cdcs1.upload(importUrl(gt, true), 'loi.xlsx', file);
    expect(res.body.errors).toEqual([
      { row: 2, column: 'A (Họ tên con)', message: 'Không được để trống' },
      { row: 3, column: 'B (Ngày sinh)', message: 'Ngày sinh không được sau ngày hôm nay.' },
      { row: 4, column: 'B (Ngày sinh)', message: 'Trẻ phải dưới 18 tuổi.' },
      { row: 5, column: 'C (Giới tính)', message: 'Giới tính "Không rõ" không hợp lệ; ghi Nam hoặc Nữ' },
      { row: 5, column: 'H (Số CCCD)', message: 'Số CCCD/CMND gồm 12 (hoặc 9) chữ số' },
      { row: 6, column: 'R (Ngày trẻ đồng ý)', message: 'Trẻ từ đủ 7 tuổi trở lên: cần ghi nhận cả sự đồng ý của trẻ trước khi lưu hoàn cảnh nhạy cảm.' },
      { row: 7, column: 'A (Họ tên con)', message: 'Trẻ "Tran Thi Mo" sinh ngày 03/03/2016 trùng với dòng 6' },
    ]);
    expect(res.body.valid).toBe(0);

    const noSex = await cdcs1.upload(importUrl(gt, true), 'thieu-cot.xlsx', await xlsx([['Trần Văn A', '01/01/2015', 'Trần Văn B']], ['Họ tên con', 'Ngày sinh', 'Họ tên cha/mẹ']));
    expect(noSex.body.errors).toEqual([{ row: 1, column: 'Giới tính', message: 'Thiếu cột "Giới tính" trong dòng tiêu đề' }]);
    const fake = await cdcs1.upload(importUrl(gt, true), 'gia-mao.xlsx', Buffer.from('khong phai excel'));
    expect(fake.status).toBe(400);
  });

  it('commits a clean file in one go: NFC names, Excel and d/m/yyyy dates, shared parents', async () => {
    const before = await countChildren(gt);
    const res = await cdcs1.upload(importUrl(gt, false), 'danh-sach.xlsx', await xlsx(GOOD));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 6, valid: 6, created: 6, updated: 0, unchanged: 0, errors: [], errorCount: 0, duplicates: [], duplicateCount: 0, committed: true });
    expect(await countChildren(gt)).toBe(before + 6);

    const find = async (q: string) => {
      const list = await cdcs1.get(`/api/v1/orgs/${gt}/children?q=${encodeURIComponent(q)}`);
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(1);
      return list.body.items[0];
    };
    const t1 = await find('pham thu hoai trang');
    expect(t1.fullName).toBe('Phạm Thu Hoài Trang'.normalize('NFC'));
    expect(t1.birthDate).toBe('2016-02-14');
    expect(t1.sex).toBe('female');
    expect(t1.school).toBe('Trường Tiểu học Gia Thụy');
    expect(t1.achievements).toEqual([{ schoolYear: '2020-2021', level: 'good' }]);
    const d = await find('pham minh duc duy');
    expect(d.fullName).toBe('Phạm Minh Đức Duy');
    expect(d.birthDate).toBe('2019-06-01');
    expect(d.parents.map((p: { memberId: string }) => p.memberId)).toEqual(t1.parents.map((p: { memberId: string }) => p.memberId));
    expect(t1.parents[0]).toMatchObject({ fullName: 'Phạm Văn Quyết', phone: '0903 222 333', department: 'Tổ Ngữ văn', isUnionMember: true });
    const a = await find('do ngoc anh duong');
    expect(a.birthDate).toBe('2015-09-05');
    expect(a.circumstances).toEqual([{ code: 'near_poor_household' }]);
    expect(a.parents.map((p: { fullName: string }) => p.fullName).sort()).toEqual(['Nguyễn Thị Lan', 'Đỗ Văn Toàn']);
    expect(a.parentConsent).toMatchObject({ givenBy: 'Đỗ Văn Toàn', date: '2021-08-28', method: 'paper', recordedBy: 'cdcs1@lantern.test' });
    expect(a.childConsent).toMatchObject({ givenBy: 'Đỗ Ngọc Ánh Dương', date: '2021-08-28' });
    const h = await find('hoang gia huy hoang');
    expect(h.circumstances).toEqual([{ code: 'poor_household' }, { code: 'disability', level: 'mild' }]);
    expect(h.parentConsent.method).toBe('app');
    expect((await find('vu thi thu ha')).circumstances).toEqual([{ code: 'orphan', note: 'Mẹ mất năm 2020' }]);

    // One audit entry for the import, saying what it did; the children it created share its time.
    const audit = await t.database.db.execute(
      sql`select action, entity_type, entity_id, actor_email, at, after from audit_log where org_id = ${gt} and action in ('child.create', 'child.import', 'child.import_update') order by id`,
    );
    expect(audit.rows).toHaveLength(1);
    const entry = audit.rows[0] as { action: string; entity_type: string; entity_id: string; actor_email: string; at: Date; after: unknown };
    expect(entry).toMatchObject({ action: 'child.import', entity_type: 'import', entity_id: 'danh-sach.xlsx', actor_email: 'cdcs1@lantern.test' });
    expect(entry.after).toEqual({ file: 'danh-sach.xlsx', total: 6, valid: 6, created: 6, updated: 0, unchanged: 0, duplicates: 0, membersCreated: 6, membersUpdated: 0, sensitive: 2 });
    const created = await t.database.db.execute(sql`select count(*)::int as n from children where org_id = ${gt} and created_at = ${entry.at}`);
    expect((created.rows[0] as { n: number }).n).toBe(6);
  });

  it('re-importing the same file creates nothing; a changed row is updated, not duplicated', async () => {
    const before = await countChildren(gt);
    const membersBefore = await countMembers(gt);
    const again = await cdcs1.upload(importUrl(gt, false), 'danh-sach.xlsx', await xlsx(GOOD));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ total: 6, valid: 6, created: 0, updated: 0, unchanged: 6, committed: true });
    expect(await countChildren(gt)).toBe(before);
    expect(await countMembers(gt)).toBe(membersBefore);

    const changed = [...GOOD];
    changed[0] = row({ ...trang, name: 'PHẠM THU HOÀI TRANG', school: 'Trường THCS Gia Thụy', grade: '6A1' });
    const res = await cdcs1.upload(importUrl(gt, false), 'danh-sach-2.xlsx', await xlsx(changed));
    expect(res.body).toMatchObject({ created: 0, updated: 1, unchanged: 5, committed: true });
    expect(await countChildren(gt)).toBe(before);
    const list = await cdcs1.get(`/api/v1/orgs/${gt}/children?q=${encodeURIComponent('pham thu hoai trang')}`);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ fullName: 'PHẠM THU HOÀI TRANG', school: 'Trường THCS Gia Thụy', grade: '6A1', version: 2 });
    const audit = await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'child.import_update' and entity_id = ${list.body.items[0].id}`);
    expect((audit.rows[0] as { n: number }).n).toBe(1);
  });

  it('reports a child another unit already registered', async () => {
    const names = new Map<number, string>();
    for (const id of [gt, dg]) names.set(id, (await longbien.get(`/api/v1/orgs/${id}`)).body.name);
    const khang = row({ name: 'Nguyễn Minh Khang', birth: '12/03/2014', sex: 'Nam', parent: 'Trần Thị Mai', phone: '0987 654 321' });
    const other = row({ name: 'Nguyễn Minh Khang', birth: '12/03/2014', sex: 'Nam', parent: 'Lý Văn Khác', phone: '0900000000' });
    const res = await longbien.upload(importUrl(nl, true), 'khang.xlsx', await xlsx([khang]));
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(1);
    expect(res.body.duplicates).toHaveLength(2);
    expect(res.body.duplicates.map((d: { otherOrgName: string }) => d.otherOrgName).sort()).toEqual([names.get(gt), names.get(dg)].sort());
    for (const d of res.body.duplicates) expect(d).toMatchObject({ row: 2, fullName: 'Nguyễn Minh Khang', birthDate: '2014-03-12' });
    // Same name and birthday but no parent in common: not the same child.
    const unrelated = await longbien.upload(importUrl(nl, true), 'khac.xlsx', await xlsx([other]));
    expect(unrelated.body.duplicates).toEqual([]);
    // Registered again by its own unit: an update, still flagged against the other unit.
    const own = await cdcs1.upload(importUrl(gt, true), 'khang.xlsx', await xlsx([row({ name: 'Nguyễn Minh Khang', birth: '12/03/2014', sex: 'Nam', parent: 'Nguyễn Văn Hùng', phone: '0912345678' })]));
    expect(own.body).toMatchObject({ created: 0, errors: [], duplicates: [{ row: 2, fullName: 'Nguyễn Minh Khang', birthDate: '2014-03-12', otherOrgName: names.get(dg) }] });
    expect(own.body.updated + own.body.unchanged).toBe(1);
  });

  it('refuses sensitive circumstances from a caller without the permission, on that cell, and keeps those it cannot see', async () => {
    const res = await longbien.upload(
      importUrl(nl, false),
      'nhay-cam.xlsx',
      await xlsx([row({ name: 'Bùi Minh An', birth: '01/06/2012', sex: 'Nam', parent: 'Bùi Văn Lực', circ: 'Khuyết tật', pConsent: '01/09/2021', cConsent: '01/09/2021' })]),
    );
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ row: 2, column: 'L (Hoàn cảnh)', message: 'Bạn không có quyền xem hoặc ghi thông tin nhạy cảm của trẻ.' }]);

    // Updating a child whose sensitive circumstances they cannot see keeps those circumstances.
    const huy = row({ name: 'Hoàng Gia Huy Hoàng', birth: '20/10/2014', sex: 'Nam', parent: 'Hoàng Văn Sơn', circ: 'Mồ côi' });
    const upd = await longbien.upload(importUrl(gt, false), 'huy.xlsx', await xlsx([huy]));
    expect(upd.body).toMatchObject({ created: 0, updated: 1, errors: [], committed: true });
    const seen = await cdcs1.get(`/api/v1/orgs/${gt}/children?q=${encodeURIComponent('hoang gia huy hoang')}`);
    expect(seen.body.items[0].circumstances).toEqual([{ code: 'poor_household' }, { code: 'disability', level: 'mild' }, { code: 'orphan' }]);
    expect(seen.body.items[0].parentConsent.method).toBe('app');
  });

  it('only officers of the unit (or above) may import', async () => {
    const file = await xlsx(GOOD);
    expect((await viewer.upload(importUrl(gt, true), 'a.xlsx', file)).status).toBe(403);
    expect((await viewer.get(`/api/v1/orgs/${gt}/children/template.xlsx`)).status).toBe(403);
    expect((await cdcs1.upload(importUrl(dg, true), 'a.xlsx', file)).status).toBe(404);
    expect((await cdcs1.get(`/api/v1/orgs/${dg}/children/export.xlsx`)).status).toBe(404);
    const none = await t.app.inject({ method: 'POST', url: importUrl(gt, true), headers: { cookie: cdcs1.cookie, 'x-csrf-token': cdcs1.csrfToken } });
    expect(none.statusCode).toBe(400);
  });
});

describe('importing large files: compact, counted, followed', () => {
  it('folds and keys names word by word exactly as the shared functions do', () => {
    const keys = new NameKeys(8);
    const names = [
      'Nguyễn Văn Đức',
      'ĐẶNG THỊ ÁNH TUYẾT',
      'Lê Ánh Dương',
      'Phạm Thu Hoài Trang',
      'Ngô Bảo Châu 2',
      "O'Neil Mary-Jane",
      'Trần Ư Ơ Ă Â Ê Ô Đ',
      'A',
      'Hoàng \u0301 An', // a word that is a lone combining mark
      'Nguyễn  Văn', // not normalized: two spaces
      ' Lê Văn ',
      'Σίσυφος Οδυσσεύς',
      'İstanbul Ǆemal',
    ];
    for (let i = 0; i < 40; i++) names.push(`${names[i % 7]} ${['Văn', 'Thị', 'Minh', 'Ngọc'][i % 4]} ${i}`);
    for (const n of names) {
      expect(keys.fold(n), n).toBe(foldVietnamese(n));
      expect(keys.sortKey(n), n).toBe(vietnameseSortKey(n));
    }
  });

  it('lists the first 1,000 errors by row and column, and counts them all', async () => {
    const rows = Array.from({ length: 1100 }, (_, i) => row({ name: `Trần Văn Lỗi ${i}`, birth: '01/01/2015', sex: 'X', parent: 'Trần Văn A', id: '123' }));
    const res = await cdcs1.upload(importUrl(gt, true), 'nhieu-loi.xlsx', await xlsx(rows));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 1100, valid: 0, created: 0, errorCount: 2200, committed: false });
    const errors = res.body.errors as { row: number; column: string; message: string }[];
    expect(errors).toHaveLength(1001);
    expect(errors[0]).toEqual({ row: 2, column: 'C (Giới tính)', message: 'Giới tính "X" không hợp lệ; ghi Nam hoặc Nữ' });
    expect(errors[1]).toEqual({ row: 2, column: 'H (Số CCCD)', message: 'Số CCCD/CMND gồm 12 (hoặc 9) chữ số' });
    expect(errors[999]).toMatchObject({ row: 501, column: 'H (Số CCCD)' });
    expect(errors[1000]).toEqual({ row: 0, column: '', message: 'Còn 1200 lỗi khác chưa liệt kê; hãy sửa các lỗi trên rồi kiểm tra lại.' });
  });

  it('plans and writes batch by batch: the same children and members as one batch, and a late error writes nothing', async () => {
    // Two unit officers, each of a unit of their own, both allowed the sensitive circumstances.
    const auths = new Map([
      [gt, await authContextOf(t.database, 'cdcs1@lantern.test')],
      [dg, await authContextOf(t.database, 'cdcs2@lantern.test')],
    ]);
    const run = async (org: number, rows: Cell[][], dryRun: boolean, batchSize: number, overlapReading = false) => {
      const auth = auths.get(org)!;
      const unit = (await findOrgInScope(t.app.deps.db, org, [auth.grants[0]!.orgPath]))!;
      return importChildren(t.app.deps.db, auth, unit, { filename: 'theo-lo.xlsx', buffer: await xlsx(rows) }, dryRun, 'vi', undefined, { batchSize, overlapReading });
    };
    // Parents met again in later batches: Bùi Văn Khải (created in the first batch) gets a department, Đinh Văn Lực twice another.
    const file = [
      row({ name: 'Bùi Gia Hân', birth: '02/03/2014', sex: 'Nữ', parent: 'Bùi Văn Khải', phone: '0988 111 001' }),
      row({ name: 'Đinh Bảo Ngọc', birth: '04/05/2015', sex: 'Nữ', parent: 'Đinh Văn Lực', phone: '0988 111 002', dept: 'Khoa Nội' }),
      row({ name: 'Bùi Gia Huy', birth: '06/07/2016', sex: 'Nam', parent: 'Bùi Văn Khải', phone: '0988111001', dept: 'Khoa Ngoại', id: '001085099001' }),
      row({ name: 'Tạ Minh Quân', birth: '08/09/2017', sex: 'Nam', parent: 'Tạ Văn Mạnh', parent2: 'Lò Thị Xuân', school: 'Trường Mầm non Đức Giang' }),
      row({ name: 'Đinh Bảo Anh', birth: '10/11/2018', sex: 'Nữ', parent: 'Đinh Văn Lực', phone: '0988 111 002', dept: 'Khoa Sản', member: 'Không' }),
      row({ name: 'Bùi Gia Bảo', birth: '12/01/2019', sex: 'Nam', parent: 'Bùi Văn Khải', phone: '0988 111 001', circ: 'Hộ cận nghèo', pConsent: '01/09/2021', cConsent: '01/09/2021' }),
    ];
    const NAMES = ['Bùi Gia Hân', 'Đinh Bảo Ngọc', 'Bùi Gia Huy', 'Tạ Minh Quân', 'Đinh Bảo Anh', 'Bùi Gia Bảo', 'Mai Anh Thư', 'Mai Anh Tú', 'Mai Anh Khoa', 'Mai Anh Đào'];
    const stored = async (org: number) => {
      const res = await t.database.db.execute(sql`
        select c.full_name, c.birth_date::text as birth_date, c.sex, c.school, c.circumstances, c.parent_consent->>'givenBy' as consent_by,
          (select json_agg(json_build_array(m.full_name, m.phone, m.department, m.is_union_member, m.id_number) order by m.full_name)
             from child_parents cp join members m on m.id = cp.member_id where cp.child_id = c.id) as parents
        from children c where c.org_id = ${org} and c.full_name = any(${sql.param(NAMES)}::text[])
        order by c.full_name`);
      return res.rows.map((r) => ({ ...(r as { full_name: string }), circumstances: openJson(r.circumstances, CIRCUMSTANCES_CIPHER), parents: (r.parents as unknown[][]).map((p) => [...p.slice(0, 4), openString(p[4] as string | null, ID_NUMBER_CIPHER)]) }));
    };
    const summary = async (org: number) => {
      const res = await t.database.db.execute(sql`select after from audit_log where org_id = ${org} and action = 'child.import' order by id desc limit 1`);
      return (res.rows[0] as { after: Record<string, unknown> }).after;
    };

    const dry = await run(gt, file, true, 2);
    expect(dry.report).toMatchObject({ total: 6, valid: 6, created: 6, errorCount: 0, committed: false });
    const [membersGt, membersDg] = [await countMembers(gt), await countMembers(dg)];
    // Written while the file is still being read, as on a PostgreSQL server.
    const inBatches = await run(gt, file, false, 2, true);
    const whole = await run(dg, file, false, 1000);
    expect(inBatches).toEqual({ report: { ...whole.report, duplicates: inBatches.report.duplicates, duplicateCount: inBatches.report.duplicateCount }, rejected: false });
    expect(inBatches.report).toMatchObject({ created: 6, committed: true });
    expect(await stored(gt)).toEqual(await stored(dg));
    const khai = (await stored(gt)).find((c) => c.full_name === 'Bùi Gia Hân')!.parents[0];
    expect(khai).toEqual(['Bùi Văn Khải', '0988 111 001', 'Khoa Ngoại', true, '001085099001']);
    const luc = (await stored(gt)).find((c) => c.full_name === 'Đinh Bảo Ngọc')!.parents[0];
    expect(luc).toEqual(['Đinh Văn Lực', '0988 111 002', 'Khoa Sản', false, null]);
    expect(await countMembers(gt)).toBe(membersGt + 4);
    expect(await countMembers(dg)).toBe(membersDg + 4);
    expect(await summary(gt)).toEqual({ ...(await summary(dg)), duplicates: inBatches.report.duplicateCount, membersCreated: 4, membersUpdated: 0 });

    // A consent the database check finds missing on the last row, after two batches were written: all rolled back.
    const children = await countChildren(gt);
    const members = await countMembers(gt);
    const audit = await t.database.db.execute(sql`select count(*)::int as n from audit_log where org_id = ${gt}`);
    const late = [
      row({ name: 'Mai Anh Thư', birth: '01/02/2015', sex: 'Nữ', parent: 'Mai Văn Cường', phone: '0977 000 001', dept: 'Khoa Nhi' }),
      row({ name: 'Bùi Gia Hân', birth: '02/03/2014', sex: 'Nữ', parent: 'Bùi Văn Khải', phone: '0988 111 001', dept: 'Phòng Vật tư', school: 'Trường Tiểu học Ngọc Lâm' }),
      row({ name: 'Mai Anh Tú', birth: '03/04/2016', sex: 'Nam', parent: 'Mai Văn Cường', phone: '0977 000 001' }),
      row({ name: 'Mai Anh Khoa', birth: '04/05/2017', sex: 'Nam', parent: 'Mai Văn Cường', phone: '0977 000 001' }),
      row({ name: 'Mai Anh Đào', birth: '05/06/2018', sex: 'Nữ', parent: 'Mai Văn Cường', phone: '0977 000 001', circ: 'Hộ nghèo' }),
    ];
    const unchanged = async () => {
      expect(await countChildren(gt)).toBe(children);
      expect(await countMembers(gt)).toBe(members);
      expect(await stored(gt)).toEqual(await stored(dg));
      expect((await t.database.db.execute(sql`select count(*)::int as n from audit_log where org_id = ${gt}`)).rows).toEqual(audit.rows);
    };
    for (const overlapReading of [false, true]) {
      const rejected = await run(gt, late, false, 2, overlapReading);
      expect(rejected.rejected).toBe(true);
      expect(rejected.report).toMatchObject({ total: 5, valid: 4, created: 3, updated: 1, errorCount: 1, committed: false, errors: [{ row: 6, column: 'P (Ngày cha/mẹ đồng ý)' }] });
      await unchanged();
    }
    // A file that turns out unreadable after batches were written: the error, and nothing kept.
    const unreadable = [...late.slice(0, 4), row({ name: 'Mai Anh Đào', birth: '05/06/2018', sex: 'Nữ', parent: 'Mai Văn Cường', note: 'x'.repeat(32_768) })];
    await expect(run(gt, unreadable, false, 2, true)).rejects.toMatchObject({ status: 400, code: 'CELL_TOO_LONG' });
    await unchanged();
  });

  it('a commit that fails while the file is still being read keeps nothing, and lets the reader go', async () => {
    const auth = await authContextOf(t.database, 'cdcs1@lantern.test');
    const unit = (await findOrgInScope(t.app.deps.db, gt, [auth.grants[0]!.orgPath]))!;
    const db = t.app.deps.db;
    // The database as the import sees it, failing the first children it writes.
    const failing = new Proxy(db, {
      get(target, key, receiver) {
        if (key !== 'transaction') return Reflect.get(target, key, receiver);
        return (fn: (tx: unknown) => Promise<unknown>) =>
          target.transaction((tx) =>
            fn(
              new Proxy(tx, {
                get(txTarget, txKey, txReceiver) {
                  if (txKey !== 'execute') return Reflect.get(txTarget, txKey, txReceiver);
                  return (query: Parameters<typeof tx.execute>[0]) => {
                    if (JSON.stringify(query).includes('insert into children')) throw new Error('the disk is full');
                    return txTarget.execute(query);
                  };
                },
              }),
            ),
          );
      },
    });
    const reports: ImportProgress[] = [];
    const many = Array.from({ length: 5000 }, (_, i) => row({ name: `Kha Minh Dừng ${i}`, birth: '01/06/2016', sex: 'Nam', parent: `Kha Văn Dừng ${i}`, phone: '0912000001' }));
    const before = await countChildren(gt);
    await expect(
      importChildren(failing, auth, unit, { filename: 'dung.xlsx', buffer: await xlsx(many) }, false, 'vi', { report: (p) => reports.push(p) }, { batchSize: 2, overlapReading: true }),
    ).rejects.toThrow('the disk is full');
    // It failed while the file was still being read, and kept nothing.
    expect(reports.filter((p) => p.phase === 'writing')).toEqual([]);
    expect(await countChildren(gt)).toBe(before);

    // The reader waits for room while two batches wait; once the commit gives up, its wait ends and its next one fails.
    const rows: unknown[] = Array.from({ length: 4 }, () => ({}));
    const feed = new RowFeed(rows as ConstructorParameters<typeof RowFeed>[0], 2);
    const waiting = feed.room();
    expect(waiting).toBeInstanceOf(Promise);
    feed.abandon();
    await waiting;
    expect(() => feed.room()).toThrow('The import stopped before the file was read');
  });

  it('reports its progress, and the page reads its own import’s progress', async () => {
    const reports: ImportProgress[] = [];
    const original = ImportProgressBoard.prototype.sink;
    ImportProgressBoard.prototype.sink = function (this: ImportProgressBoard, ...args: Parameters<typeof original>) {
      const sink = original.apply(this, args);
      return { report: (p: ImportProgress) => (reports.push(p), sink.report(p)), settle: sink.settle };
    };
    const id = crypto.randomUUID();
    const many = Array.from({ length: 1200 }, (_, i) => row({ name: `Lý Minh Tiến ${i}`, birth: '01/06/2016', sex: 'Nam', parent: `Lý Văn Tiến ${i}`, phone: '0912000000' }));
    try {
      const dry = await cdcs1.upload(`${importUrl(gt, true)}&importId=${id}`, 'tien-do.xlsx', await xlsx(many));
      expect(dry.body).toMatchObject({ total: 1200, valid: 1200, created: 1200, committed: false });
      expect(reports).toEqual([
        { phase: 'reading', rows: 0, total: null },
        { phase: 'reading', rows: 500, total: null },
        { phase: 'reading', rows: 1000, total: null },
        { phase: 'checking', rows: 0, total: 1200 },
        { phase: 'checking', rows: 1200, total: 1200 },
        { phase: 'done', rows: 1200, total: 1200 },
      ]);
      reports.length = 0;
      const commitId = crypto.randomUUID();
      const three = many.slice(0, 3);
      const commit = await cdcs1.upload(`${importUrl(gt, false)}&importId=${commitId}`, 'tien-do.xlsx', await xlsx(three));
      expect(commit.body).toMatchObject({ created: 3, committed: true });
      expect(reports).toEqual([
        { phase: 'reading', rows: 0, total: null },
        { phase: 'writing', rows: 0, total: 3 },
        { phase: 'writing', rows: 3, total: 3 },
        { phase: 'done', rows: 3, total: 3 },
      ]);
    } finally {
      ImportProgressBoard.prototype.sink = original;
    }

    const url = (org: number, q: string) => `/api/v1/orgs/${org}/children/import/progress?id=${q}`;
    expect((await cdcs1.get(url(gt, id))).body).toEqual({ phase: 'done', rows: 1200, total: 1200 });
    // Not started (or not this caller's): waiting.
    expect((await cdcs1.get(url(gt, crypto.randomUUID()))).body).toEqual({ phase: 'waiting', rows: 0, total: null });
    expect((await longbien.get(url(gt, id))).body).toEqual({ phase: 'waiting', rows: 0, total: null });
    expect((await cdcs1.get(url(gt, 'khong-phai-uuid'))).status).toBe(400);
    expect((await viewer.get(url(gt, id))).status).toBe(403);
    expect((await cdcs1.get(url(dg, id))).status).toBe(404);
    // The POST's id is optional, and checked when given.
    expect((await cdcs1.upload(`${importUrl(gt, true)}&importId=x`, 'a.xlsx', await xlsx(GOOD))).status).toBe(400);
  });

  it('keeps progress per caller, bounded, and lets a commit wait until the page has read it', async () => {
    const board = new ImportProgressBoard(2);
    const [a, b, c] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const sink = board.sink('u1', 1, a, 60_000);
    sink.report({ phase: 'reading', rows: 0, total: null });
    await sink.settle!(); // nobody follows it yet: no wait
    expect(board.read('u1', 1, a)).toEqual({ phase: 'reading', rows: 0, total: null });
    expect(board.read('u2', 1, a).phase).toBe('waiting');
    expect(board.read('u1', 2, a).phase).toBe('waiting');

    sink.report({ phase: 'writing', rows: 0, total: 5 });
    let settled = false;
    const waiting = sink.settle!().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(board.read('u1', 1, a)).toEqual({ phase: 'writing', rows: 0, total: 5 });
    await waiting;
    expect(settled).toBe(true);

    board.sink('u1', 1, b, 0).report({ phase: 'reading', rows: 0, total: null });
    board.sink('u1', 1, c, 0).report({ phase: 'reading', rows: 0, total: null });
    expect(board.read('u1', 1, a).phase).toBe('waiting'); // the oldest is forgotten
    expect(board.read('u1', 1, c).phase).toBe('reading');
  });

  it('stores an imported child exactly as the form stores the same child', async () => {
    const child = { fullName: 'Trịnh Ngọc Bảo Anh', birthDate: '2014-03-05', parent: 'Trịnh Văn Khải', phone: '0912 345 678', parent2: 'Đoàn Thị Mến' };
    const form = await cdcs1.post('/api/v1/children', {
      orgId: gt,
      fullName: child.fullName,
      birthDate: child.birthDate,
      sex: 'female',
      school: 'Trường THCS Gia Thụy',
      grade: '5A3',
      parents: [{ fullName: child.parent, phone: child.phone, department: 'Tổ Toán - Tin', isUnionMember: false, idNumber: '001085012345' }, { fullName: child.parent2 }],
      circumstances: [{ code: 'disability', level: 'mild', note: 'Khó nghe' }, { code: 'orphan' }],
      achievements: [{ schoolYear: '2020-2021', level: 'good' }],
      parentConsent: { givenBy: child.parent, date: '2021-08-28', method: 'paper' },
      childConsent: { givenBy: child.fullName, date: '2021-08-28', method: 'paper' },
    });
    expect(form.status).toBe(201);
    const file = await xlsx([
      row({
        name: child.fullName,
        birth: '05/03/2014',
        sex: 'Nữ',
        parent: child.parent,
        dept: 'Tổ Toán - Tin',
        phone: child.phone,
        member: 'Không',
        id: '001085012345',
        parent2: child.parent2,
        school: 'Trường THCS Gia Thụy',
        grade: '5A3',
        circ: 'Khuyết tật; Mồ côi',
        level: 'Nhẹ',
        note: 'Khó nghe',
        ach: '2020-2021: Học sinh giỏi',
        pConsent: '28/08/2021',
        method: 'Giấy',
        cConsent: '28/08/2021',
      }),
    ]);
    const imported = await cdcs2.upload(importUrl(dg, false), 'mot-tre.xlsx', file);
    expect(imported.body).toMatchObject({ created: 1, committed: true });

    const stored = async (org: number) => {
      const res = await t.database.db.execute(sql`
        select id, full_name, search_text, sort_key, birth_date::text as birth_date, sex, school, grade, circumstances, achievements,
          parent_consent - 'recordedBy' - 'recordedAt' as parent_consent, child_consent - 'recordedBy' - 'recordedAt' as child_consent, dup_key, version
        from children where org_id = ${org} and full_name = ${child.fullName}`);
      expect(res.rows).toHaveLength(1);
      const { id, ...c } = res.rows[0] as Record<string, unknown> & { id: string };
      const parents = await t.database.db.execute(sql`
        select m.full_name, m.search_text, m.sort_key, m.department, m.phone, m.is_union_member, m.id_number, m.match_key
        from child_parents cp join members m on m.id = cp.member_id where cp.child_id = ${id} order by m.full_name`);
      // Both paths store circumstances and ID numbers encrypted (decision 013); compared once decrypted.
      expect(isSealed(c['circumstances'] as string)).toBe(true);
      for (const p of parents.rows) if (p['id_number'] !== null) expect(isSealed(p['id_number'] as string)).toBe(true);
      return {
        child: { ...c, circumstances: openJson(c['circumstances'], CIRCUMSTANCES_CIPHER) },
        parents: parents.rows.map((p): Record<string, unknown> => ({ ...p, id_number: openString(p['id_number'] as string | null, ID_NUMBER_CIPHER) })),
      };
    };
    const viaForm = await stored(gt);
    const viaImport = await stored(dg);
    expect(viaImport).toEqual(viaForm);
    expect(viaImport.child).toMatchObject({ search_text: 'trinh ngoc bao anh', sort_key: vietnameseSortKey(child.fullName), dup_key: 'trinh ngoc bao anh|2014-03-05', version: 1 });
    expect(viaImport.parents).toHaveLength(2);
    expect(viaImport.parents.find((p) => p.full_name === child.parent)).toMatchObject({ phone: child.phone, match_key: 'trinh van khai|0912345678', is_union_member: false, id_number: '001085012345' });
  });

  it('reads a CSV file (semicolons, quoted cells) the same way', async () => {
    const csv = [
      'Họ tên con;Ngày sinh;Giới tính;Họ tên cha/mẹ (đoàn viên);Trường',
      'Mai Anh Thư;12/03/2015;Nữ;Mai Văn Tùng;"Trường Tiểu học Gia Thụy; cơ sở 2"',
      '',
      'Mai Anh Tú;31/02/2016;Nam;Mai Văn Tùng;',
    ].join('\r\n');
    const res = await cdcs1.upload(importUrl(gt, true), 'danh-sach.csv', Buffer.from(`\uFEFF${csv}`, 'utf8'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 2, valid: 1, created: 1, errorCount: 1 });
    expect(res.body.errors).toEqual([{ row: 4, column: 'B (Ngày sinh)', message: 'Ngày "31/02/2016" không hợp lệ; ghi theo dạng dd/mm/yyyy, ví dụ 12/03/2014' }]);
  });
});

describe('exporting children to Excel', () => {
  const FORMULA = '=HYPERLINK("http://example.test","Bấm vào đây")';
  const col = (ws: ExcelJS.Worksheet, header: string) => (ws.getRow(1).values as string[]).indexOf(header);
  const rowOf = (ws: ExcelJS.Worksheet, name: string) => {
    let found: ExcelJS.Row | undefined;
    ws.eachRow((r) => {
      if (r.getCell(2).value === name) found = r;
    });
    return found!;
  };

  beforeAll(async () => {
    const res = await cdcs1.post('/api/v1/children', { orgId: gt, fullName: FORMULA, birthDate: '2015-01-01', sex: 'male', parents: [{ fullName: 'Lê Văn Tâm' }] });
    expect(res.status).toBe(201);
  });

  it('lists the unit’s children with circumstances named for an officer who may see them', async () => {
    const total = (await cdcs1.get(`/api/v1/orgs/${gt}/children?limit=1`)).body.total as number;
    const res = await cdcs1.get(`/api/v1/orgs/${gt}/children/export.xlsx`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/spreadsheetml/);
    const ws = (await load(res.raw)).worksheets[0]!;
    expect((ws.getRow(1).values as string[]).slice(1)).toEqual(['STT', 'Họ tên', 'Ngày sinh', 'Giới tính', 'Đơn vị', 'Cha/mẹ', 'Điện thoại', 'Trường', 'Lớp', 'Hoàn cảnh', 'Thành tích']);
    expect(ws.actualRowCount).toBe(total + 1);
    expect(ws.getRow(total + 1).getCell(1).value).toBe(total);
    const anh = rowOf(ws, 'Đỗ Ngọc Ánh Dương');
    expect(anh.getCell(col(ws, 'Ngày sinh')).value).toBe('05/09/2015');
    expect(anh.getCell(col(ws, 'Giới tính')).value).toBe('Nữ');
    expect(anh.getCell(col(ws, 'Hoàn cảnh')).value).toBe('Hộ cận nghèo');
    expect(anh.getCell(col(ws, 'Cha/mẹ')).value).toMatch(/Đỗ Văn Toàn/);
    expect(rowOf(ws, 'Nguyễn Minh Khang').getCell(col(ws, 'Thành tích')).value).toBe('2020-2021: Học sinh xuất sắc');

    // A formula-like name is plain text: never a formula cell.
    const f = rowOf(ws, `'${FORMULA}`).getCell(2);
    expect(f.type).toBe(ExcelJS.ValueType.String);
    expect(f.formula).toBeUndefined();
    expect(f.value).toBe(`'${FORMULA}`);

    const filtered = await cdcs1.get(`/api/v1/orgs/${gt}/children/export.xlsx?q=${encodeURIComponent('do ngoc anh duong')}`);
    expect((await load(filtered.raw)).worksheets[0]!.actualRowCount).toBe(2);
  });

  it('shows only "Có ưu tiên" to a caller without the sensitive-data permission', async () => {
    const lb = await orgId(longbien, 'HN-LB');
    const res = await longbien.get(`/api/v1/orgs/${lb}/children/export.xlsx`);
    expect(res.status).toBe(200);
    const ws = (await load(res.raw)).worksheets[0]!;
    const c = col(ws, 'Hoàn cảnh');
    const values = new Set<string>();
    ws.eachRow((r, n) => {
      if (n > 1) values.add(String(r.getCell(c).value ?? ''));
    });
    expect([...values].sort()).toEqual(['', 'Có ưu tiên']);
    expect(rowOf(ws, 'Đỗ Ngọc Ánh Dương').getCell(c).value).toBe('Có ưu tiên');
    const sensitiveLabels = [...SENSITIVE_CIRCUMSTANCES].map((x) => CIRCUMSTANCE_LABELS[x].vi);
    for (const l of sensitiveLabels) expect(values.has(l)).toBe(false);
    expect((await viewer.get(`/api/v1/orgs/${gt}/children/export.xlsx`)).status).toBe(200);
  });
});
