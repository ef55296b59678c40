import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { CIRCUMSTANCE_LABELS, CIRCUMSTANCES } from '../../../common/children';
import { PRIORITY_GROUP_LABELS, PRIORITY_GROUPS } from '../../../common/campaigns';
import { formatDate } from '../../../common/format';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';

let t: TestContext;
let cdcs1: Client;
let cdcs2: Client;
let viewer: Client;
let longbien: Client;
let gt: number;
let dg: number;
let lb: number;
let plan45: string;
let khang: string; // Nguyễn Minh Khang as registered by LB-THCS-GT
let khangDg: string; // the same child as registered by LB-BV-DG

interface Eligible {
  childId: string;
  fullName: string;
  birthDate: string;
  duplicates: { childId: string }[];
}

beforeAll(async () => {
  t = await createTestContext();
  cdcs1 = await t.signIn('cdcs1@lantern.test');
  cdcs2 = await t.signIn('cdcs2@lantern.test');
  viewer = await t.signIn('kiemtra@lantern.test');
  longbien = await t.signIn('longbien@lantern.test');
  gt = await orgId(cdcs1, 'LB-THCS-GT');
  dg = await orgId(cdcs2, 'LB-BV-DG');
  lb = await orgId(longbien, 'HN-LB');
  plan45 = (await longbien.get('/api/v1/campaigns?year=2021')).body.items.find((c: { docNumber: string }) => c.docNumber === '45/KH-LĐLĐ').id;
  const eligible = (await cdcs1.get(`/api/v1/campaigns/${plan45}/eligible?orgId=${gt}`)).body.items as Eligible[];
  const k = eligible.find((e) => e.fullName === 'Nguyễn Minh Khang')!;
  khang = k.childId;
  khangDg = k.duplicates[0]!.childId;
});
afterAll(() => t.close());

const benefitsUrl = () => `/api/v1/campaigns/${plan45}/benefits`;
const auditCount = async (action: string, entityId: string) =>
  ((await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = ${action} and entity_id = ${entityId}`)).rows[0] as { n: number }).n;

/** Every token printed on a vouchers page. */
const tokensOf = (html: string) => [...html.matchAll(/class="token">([^<]+)</g)].map((m) => m[1]!);

describe('one benefit of a kind per child in a plan', () => {
  it('gives a gift at the kind’s default value, and refuses a second one', async () => {
    const res = await cdcs1.post(benefitsUrl(), { childId: khang, kind: 'gift' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ childId: khang, orgId: gt, kind: 'gift', kindName: 'Quà Trung thu', value: 300_000, fundingSource: 'unit_funds', status: 'planned' });
    expect(await auditCount('benefit.create', res.body.id)).toBe(1);

    const again = await cdcs1.post(benefitsUrl(), { childId: khang, kind: 'gift', value: 500_000 });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('Trẻ Nguyễn Minh Khang đã được Công đoàn Trường THCS Gia Thụy đăng ký nhận Quà Trung thu trong kế hoạch này.');

    // A scholarship is another kind; an item in kind says what it is.
    const scholarship = await cdcs1.post(benefitsUrl(), { childId: khang, kind: 'scholarship', fundingSource: 'upper_funds' });
    expect(scholarship.status).toBe(201);
    expect(scholarship.body).toMatchObject({ value: 1_000_000, fundingSource: 'upper_funds' });
    expect((await cdcs1.post(benefitsUrl(), { childId: khang, kind: 'in_kind' })).status).toBe(422);
    const lantern = await cdcs1.post(benefitsUrl(), { childId: khang, kind: 'in_kind', item: 'Đèn ông sao', value: 50_000 });
    expect(lantern.status).toBe(201);
    expect(lantern.body).toMatchObject({ kindName: 'Hiện vật', item: 'Đèn ông sao', value: 50_000 });
    const unknown = await cdcs1.post(benefitsUrl(), { childId: khang, kind: 'bicycle' });
    expect(unknown.status).toBe(422);
  });

  it('refuses the same child registered by another union, naming that union', async () => {
    const res = await cdcs2.post(benefitsUrl(), { childId: khangDg, kind: 'gift' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('Trẻ Nguyễn Minh Khang đã được Công đoàn Trường THCS Gia Thụy đăng ký nhận Quà Trung thu trong kế hoạch này.');
    // Another unit's officer cannot give to a child outside their unit.
    expect((await cdcs2.post(benefitsUrl(), { childId: khang, kind: 'reward' })).status).toBe(404);
  });

  it('keeps the rule in the database too', async () => {
    const [campaignId, childId] = [plan45, khang];
    await expect(
      t.database.db.execute(sql`insert into benefits (campaign_id, org_id, child_id, kind, value) values (${campaignId}, ${gt}, ${childId}, 'gift', 1)`),
    ).rejects.toThrow();
  });

  it('refuses a child outside the plan’s age limit', async () => {
    const all = (await cdcs1.get(`/api/v1/orgs/${gt}/children?limit=500`)).body.items as { id: string; birthDate: string }[];
    const young = all.find((c) => c.birthDate > '2021-09-21')!;
    const res = await cdcs1.post(benefitsUrl(), { childId: young.id, kind: 'gift' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/không đủ điều kiện/);
  });
});

describe('allocation within a budget', () => {
  let created: { id: string; childId: string; status: string }[] = [];

  it('proposes gifts down the eligible order until the budget is used, skipping the child given elsewhere', async () => {
    const res = await cdcs2.post(`/api/v1/campaigns/${plan45}/allocate`, { orgId: dg, budget: 1_500_000, kinds: ['gift'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalValue: 1_500_000, budget: 1_500_000, remaining: 0 });
    created = res.body.created;
    expect(created).toHaveLength(5);
    expect(created.every((b: { status: string; value?: number }) => b.status === 'planned')).toBe(true);

    const order = ((await cdcs2.get(`/api/v1/campaigns/${plan45}/eligible?orgId=${dg}`)).body.items as Eligible[]).map((e) => e.childId);
    expect(created.map((b) => b.childId)).toEqual(order.filter((id) => id !== khangDg).slice(0, 5));
    expect(res.body.skipped).toContainEqual({ childId: khangDg, kind: 'gift', reason: 'given_elsewhere', orgName: 'Công đoàn Trường THCS Gia Thụy' });
    expect(res.body.skipped.filter((s: { reason: string }) => s.reason === 'over_budget')).toHaveLength(order.length - 6);
    const audit = await t.database.db.execute(sql`select count(*)::int as n from audit_log where action in ('benefit.allocate', 'benefit.budget_set') and entity_id = ${plan45} and org_id = ${dg}`);
    expect((audit.rows[0] as { n: number }).n).toBe(2);

    // A second run finds nothing left to give.
    const again = await cdcs2.post(`/api/v1/campaigns/${plan45}/allocate`, { orgId: dg, kinds: ['gift'] });
    expect(again.status).toBe(200);
    expect(again.body.created).toHaveLength(0);
  });

  it('refuses a further gift over the budget, saying what is left, unless overridden with a reason', async () => {
    const order = ((await cdcs2.get(`/api/v1/campaigns/${plan45}/eligible?orgId=${dg}`)).body.items as Eligible[]).map((e) => e.childId);
    const next = order.filter((id) => id !== khangDg)[5]!;
    const over = await cdcs2.post(benefitsUrl(), { childId: next, kind: 'gift' });
    expect(over.status).toBe(422);
    expect(over.body.error.message).toBe('Vượt ngân sách của đơn vị cho kế hoạch này: chỉ còn 0 đ (ngân sách 1.500.000 đ).');
    expect((await cdcs2.post(benefitsUrl(), { childId: next, kind: 'gift', overrideBudget: true })).status).toBe(422);

    const ok = await cdcs2.post(benefitsUrl(), { childId: next, kind: 'gift', overrideBudget: true, overrideReason: 'Nhà tài trợ bổ sung kinh phí' });
    expect(ok.status).toBe(201);
    const audit = await t.database.db.execute(sql`select after from audit_log where action = 'benefit.over_budget' and entity_id = ${ok.body.id}`);
    expect(audit.rows).toHaveLength(1);
    expect((audit.rows[0] as { after: { reason: string } }).after.reason).toBe('Nhà tài trợ bổ sung kinh phí');

    // Raising a value is held to the budget as well.
    const raise = await cdcs2.patch(`/api/v1/benefits/${created[0]!.id}`, { value: 400_000 });
    expect(raise.status).toBe(422);
    expect(raise.body.error.message).toContain('chỉ còn 0 đ');

    const list = await cdcs2.get(`${benefitsUrl()}?orgId=${dg}`);
    expect(list.status).toBe(200);
    expect(list.body.totals).toMatchObject({ count: 6, value: 1_800_000, byKind: [{ kind: 'gift', name: 'Quà Trung thu', count: 6, value: 1_800_000 }] });
    expect(list.body.totals.byStatus.planned).toEqual({ count: 6, value: 1_800_000 });
    expect(list.body.budget).toEqual({ amount: 1_500_000, source: 'unit', spent: 1_800_000, remaining: 0 });
  });
});

describe('vouchers and delivery', () => {
  let tokens: string[] = [];
  let ids: string[] = [];

  it('approves; a planned benefit cannot be delivered before approval', async () => {
    const list = (await cdcs2.get(`${benefitsUrl()}?orgId=${dg}&status=planned`)).body.items as { id: string; version: number }[];
    expect(list).toHaveLength(6);
    expect((await cdcs2.patch(`/api/v1/benefits/${list[0]!.id}`, { status: 'delivered' })).status).toBe(409);
    for (const b of list.slice(0, 5)) {
      const res = await cdcs2.patch(`/api/v1/benefits/${b.id}`, { status: 'approved', version: b.version });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('approved');
      expect(res.body.approvedAt).not.toBeNull();
    }
    const stale = await cdcs2.patch(`/api/v1/benefits/${list[0]!.id}`, { note: 'Giao tại hội trường', version: list[0]!.version });
    expect(stale.status).toBe(409);
    expect((await viewer.patch(`/api/v1/benefits/${list[0]!.id}`, { status: 'approved' })).status).toBe(403);
  });

  it('prints vouchers with a QR code and a code to type, without birth dates or circumstances', async () => {
    const res = await cdcs2.get(`/api/v1/campaigns/${plan45}/vouchers.html?orgId=${dg}`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/text\/html/);
    const html = res.raw.toString('utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html.match(/<svg/g)).toHaveLength(5);
    tokens = tokensOf(html);
    expect(tokens).toHaveLength(5);
    const approved = (await cdcs2.get(`${benefitsUrl()}?orgId=${dg}&status=approved`)).body.items as { id: string; childName: string }[];
    ids = approved.map((b) => b.id);
    for (const b of approved) expect(html).toContain(b.childName);
    expect(html).toContain('Công đoàn Bệnh viện Đa khoa Đức Giang');
    expect(html).toContain('300.000 đ');
    const register = (await cdcs2.get(`/api/v1/orgs/${dg}/children?limit=500`)).body.items as { birthDate: string }[];
    for (const c of register) {
      expect(html).not.toContain(c.birthDate);
      expect(html).not.toContain(formatDate(c.birthDate));
    }
    for (const code of CIRCUMSTANCES) {
      expect(html).not.toContain(code);
      expect(html).not.toContain(CIRCUMSTANCE_LABELS[code].vi);
    }
    // The code carries no personal data: the benefit id and a signature.
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{16}$/);
  });

  it('delivers on the first scan and says when on the next', async () => {
    const first = await cdcs2.post('/api/v1/deliveries/scan', { token: tokens[0] });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('delivered');
    expect(first.body.benefit).toMatchObject({ kind: 'gift', value: 300_000, orgName: 'Công đoàn Bệnh viện Đa khoa Đức Giang', deliveredByName: 'Đỗ Quang Huy' });
    expect(first.body.message).toBe(`Đã giao quà cho ${first.body.benefit.childName} (Công đoàn Bệnh viện Đa khoa Đức Giang).`);
    expect(await auditCount('benefit.deliver', first.body.benefit.id)).toBe(1);

    const second = await cdcs2.post('/api/v1/deliveries/scan', { token: ` ${tokens[0]} ` });
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('already_delivered');
    expect(second.body.message).toMatch(/^Đã nhận lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\.$/);
    expect(second.body.benefit.deliveredAt).toBe(first.body.benefit.deliveredAt);

    // Delivered is final.
    const back = await cdcs2.patch(`/api/v1/benefits/${first.body.benefit.id}`, { status: 'approved' });
    expect(back.status).toBe(409);
    expect((await cdcs2.patch(`/api/v1/benefits/${first.body.benefit.id}`, { status: 'cancelled', cancelReason: 'Nhầm' })).status).toBe(409);
  });

  it('delivers exactly once under 20 concurrent scans of one voucher', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, () => cdcs2.post('/api/v1/deliveries/scan', { token: tokens[1] })));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
    const statuses = replies.map((r) => r.body.status);
    expect(statuses.filter((s) => s === 'delivered')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'already_delivered')).toHaveLength(19);
    const id = replies[0]!.body.benefit.id as string;
    expect(await auditCount('benefit.deliver', id)).toBe(1);
  });

  it('keeps the time of a scan made offline and synced later', async () => {
    const body = { token: tokens[2], deliveredAt: '2021-09-21T12:30:00Z', clientId: 'dien-thoai-1', receivedBy: 'Trần Thị Mai' };
    const res = await cdcs2.post('/api/v1/deliveries/scan', body);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('delivered');
    expect(res.body.benefit.deliveredAt).toBe('2021-09-21T12:30:00.000Z');
    const again = await cdcs2.post('/api/v1/deliveries/scan', body);
    expect(again.body).toMatchObject({ status: 'already_delivered', message: 'Đã nhận lúc 21/09/2021 19:30.' });
    const future = await cdcs2.post('/api/v1/deliveries/scan', { token: tokens[3], deliveredAt: '2999-01-01T00:00:00Z' });
    expect(future.status).toBe(422);
  });

  it('refuses forged codes, cancelled benefits, viewers and other units', async () => {
    const [idPart, sig] = tokens[3]!.split('.') as [string, string];
    const forged = `${idPart}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`;
    for (const token of [forged, 'xin-chao', `${tokens[3]!.slice(0, -1)}`]) {
      const res = await cdcs2.post('/api/v1/deliveries/scan', { token });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('Mã phiếu không hợp lệ. Hãy quét lại hoặc nhập đúng mã in dưới mã QR.');
    }
    expect((await viewer.post('/api/v1/deliveries/scan', { token: tokens[3] })).status).toBe(403);
    expect((await cdcs1.post('/api/v1/deliveries/scan', { token: tokens[3] })).status).toBe(404);

    const target = ids.find((id) => tokens[3]!.startsWith(Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url')))!;
    expect((await cdcs2.patch(`/api/v1/benefits/${target}`, { status: 'cancelled' })).status).toBe(422);
    const cancelled = await cdcs2.patch(`/api/v1/benefits/${target}`, { status: 'cancelled', cancelReason: 'Gia đình đã chuyển công tác' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Gia đình đã chuyển công tác' });
    const scan = await cdcs2.post('/api/v1/deliveries/scan', { token: tokens[3] });
    expect(scan.status).toBe(422);
    expect(scan.body.error.message).toContain('đã bị hủy');
  });
});

describe('the signature list', () => {
  it('lists every benefit not cancelled with its total, in the usual layout', async () => {
    const list = (await cdcs2.get(`${benefitsUrl()}?orgId=${dg}`)).body;
    const live = (list.items as { status: string; value: number; childName: string }[]).filter((b) => b.status !== 'cancelled');
    expect(live).toHaveLength(5);

    const res = await cdcs2.get(`/api/v1/campaigns/${plan45}/signature-list.xlsx?orgId=${dg}`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-disposition'])).toMatch(/danh-sach-ky-nhan-45-kh-ldld-lb-bv-dg\.xlsx/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const texts: string[] = [];
    ws.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.text))));
    for (const line of ['LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN', 'CÔNG ĐOÀN BỆNH VIỆN ĐA KHOA ĐỨC GIANG', 'DANH SÁCH KÝ NHẬN QUÀ', 'NGƯỜI LẬP BIỂU', 'TM. BAN CHẤP HÀNH'])
      expect(texts).toContain(line);
    expect(texts.some((x) => x.includes('Kế hoạch số 45/KH-LĐLĐ'))).toBe(true);
    expect(texts.some((x) => x.startsWith('Long Biên, ngày'))).toBe(true);

    let headerRow = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(1).value === 'STT') headerRow = n;
    });
    expect(ws.getRow(headerRow).values).toEqual([undefined, 'STT', 'Họ tên trẻ', 'Ngày sinh', 'Họ tên cha/mẹ', 'Loại', 'Giá trị (đồng)', 'Ký nhận']);
    const rows: ExcelJS.Row[] = [];
    for (let n = headerRow + 1; typeof ws.getRow(n).getCell(1).value === 'number'; n++) rows.push(ws.getRow(n));
    expect(rows).toHaveLength(live.length);
    expect(rows.map((r) => r.getCell(1).value)).toEqual(live.map((_, i) => i + 1));
    expect(rows.map((r) => r.getCell(2).value).sort()).toEqual(live.map((b) => b.childName).sort());
    expect(rows.every((r) => /^\d{2}\/\d{2}\/\d{4}$/.test(String(r.getCell(3).value)))).toBe(true);
    expect(rows.every((r) => String(r.getCell(4).value).length > 0)).toBe(true);
    expect(rows.every((r) => r.getCell(5).value === 'Quà Trung thu' && r.getCell(6).numFmt === '#,##0')).toBe(true);
    const totalCell = ws.getRow(headerRow + rows.length + 1).getCell(6);
    const total = typeof totalCell.value === 'object' && totalCell.value && 'result' in totalCell.value ? totalCell.value.result : totalCell.value;
    expect(total).toBe(live.reduce((n, b) => n + b.value, 0));
    expect(total).toBe(1_500_000);
  });

  it('writes a name that looks like a formula as text', async () => {
    const child = await cdcs1.post('/api/v1/children', {
      orgId: gt,
      fullName: '=HYPERLINK("http://x") Lê',
      birthDate: '2015-06-01',
      sex: 'male',
      parents: [{ fullName: '+Lê Văn Tâm', phone: '0903 111 333' }],
    });
    expect(child.status).toBe(201);
    expect((await cdcs1.post(benefitsUrl(), { childId: child.body.id, kind: 'gift' })).status).toBe(201);
    const res = await cdcs1.get(`/api/v1/campaigns/${plan45}/signature-list.xlsx?orgId=${gt}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    let found = false;
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.formula ?? '').not.toContain('HYPERLINK');
        if (String(cell.value).includes('HYPERLINK')) {
          found = true;
          expect(typeof cell.value).toBe('string');
          expect(String(cell.value).startsWith("'")).toBe(true);
        }
      }),
    );
    expect(found).toBe(true);
  });
});

describe('privacy', () => {
  it('gives a viewer no circumstance data in any benefits response, and no writes', async () => {
    const list = await viewer.get(`${benefitsUrl()}?orgId=${lb}`);
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(8);
    const one = await viewer.get(`/api/v1/benefits/${list.body.items[0].id}`);
    expect(one.status).toBe(200);
    const html = (await viewer.get(`/api/v1/campaigns/${plan45}/vouchers.html?orgId=${lb}`)).raw.toString('utf8');
    const bodies = [JSON.stringify(list.body), JSON.stringify(one.body), html];
    for (const body of bodies) {
      for (const code of CIRCUMSTANCES) {
        expect(body).not.toContain(code);
        expect(body).not.toContain(CIRCUMSTANCE_LABELS[code].vi);
      }
      for (const g of PRIORITY_GROUPS.filter((x) => x !== 'other')) {
        expect(body).not.toContain(g);
        expect(body).not.toContain(PRIORITY_GROUP_LABELS[g].vi);
      }
      expect(body).not.toMatch(/circumstances|priorityGroup/);
    }
    expect((await viewer.post(benefitsUrl(), { childId: khang, kind: 'reward' })).status).toBe(403);
    expect((await viewer.post(`/api/v1/campaigns/${plan45}/allocate`, { orgId: gt })).status).toBe(403);
  });
});
