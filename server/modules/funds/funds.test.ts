import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';
import { paragraphTexts, unzip } from '../../test/docx';

let t: TestContext;
let longbien: Client;
let cdcs1: Client;
let cdcs2: Client;
let viewer: Client;
let hoankiem: Client;
let lb: number;
let gt: number;
let dg: number;
let plan45: string;
let bank: string;
let bakery: string;
let person: string;

const funds = (path = '') => `/api/v1/campaigns/${plan45}/funds${path}`;

interface Ledger {
  sources: { source: string; sponsorId: string | null; sponsorName: string | null; in: { total: number } & Record<string, number>; out: { total: number } & Record<string, number>; balance: number }[];
  entries: { kind: string; direction: string; amount: number; occurredOn: string }[];
  totals: { in: { total: number } & Record<string, number>; out: { total: number } & Record<string, number>; balance: number };
  pledges: { pledged: number; received: number; outstanding: number };
  canWrite: boolean;
}
const ledger = async (c: Client, org: number) => (await c.get(funds(`?orgId=${org}`))).body as Ledger;
const balanceOf = (l: Ledger, source: string, sponsorId: string | null = null) => l.sources.find((s) => s.source === source && s.sponsorId === sponsorId)?.balance ?? 0;

/** The rule, written again by hand in SQL: Σ in − Σ out − benefits − activity costs of a unit. */
async function sqlBalance(org: number): Promise<{ inflow: number; balance: number }> {
  const res = await t.database.db.execute(sql`
    select
      (select coalesce(sum(amount), 0) from fund_entries where campaign_id = ${plan45} and org_id = ${org} and direction = 'in')::bigint as inflow,
      (select coalesce(sum(amount), 0) from fund_entries where campaign_id = ${plan45} and org_id = ${org} and direction = 'out')::bigint as outflow,
      (select coalesce(sum(value), 0) from benefits where campaign_id = ${plan45} and org_id = ${org} and status <> 'cancelled')::bigint as benefits,
      (select coalesce(sum(cost), 0) from activities where campaign_id = ${plan45} and org_id = ${org} and cost_source is not null
         and status not in ('cancelled_epidemic', 'cancelled_other'))::bigint as activities`);
  const r = res.rows[0] as Record<string, string | number>;
  return { inflow: Number(r.inflow), balance: Number(r.inflow) - Number(r.outflow) - Number(r.benefits) - Number(r.activities) };
}

const auditCount = async (action: string, entityId: string) =>
  ((await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = ${action} and entity_id = ${entityId}`)).rows[0] as { n: number }).n;

const eligibleOf = async (c: Client, org: number) => ((await c.get(`/api/v1/campaigns/${plan45}/eligible?orgId=${org}`)).body.items as { childId: string; fullName: string }[]);

beforeAll(async () => {
  t = await createTestContext();
  longbien = await t.signIn('longbien@lantern.test');
  cdcs1 = await t.signIn('cdcs1@lantern.test');
  cdcs2 = await t.signIn('cdcs2@lantern.test');
  viewer = await t.signIn('kiemtra@lantern.test');
  hoankiem = await t.signIn('hoankiem@lantern.test');
  lb = await orgId(longbien, 'HN-LB');
  gt = await orgId(cdcs1, 'LB-THCS-GT');
  dg = await orgId(cdcs2, 'LB-BV-DG');
  plan45 = (await longbien.get('/api/v1/campaigns?year=2021')).body.items.find((c: { docNumber: string }) => c.docNumber === '45/KH-LĐLĐ').id;
  const sponsors = (await longbien.get('/api/v1/sponsors?limit=100')).body.items as { id: string; name: string }[];
  bank = sponsors.find((s) => s.name.startsWith('Ngân hàng'))!.id;
  bakery = sponsors.find((s) => s.name.includes('Hương Sen'))!.id;
  person = sponsors.find((s) => s.name === 'Nguyễn Văn Thành')!.id;
});
afterAll(() => t.close());

describe('the demo ledgers of Plan 45', () => {
  it('balance for every unit: in − out = balance, equal to an independent SQL sum, no source below zero', async () => {
    const units = await t.database.db.execute(sql`
      select o.id, o.code from orgs o where o.id = (select issuing_org_id from campaigns where id = ${plan45})
      union select o.id, o.code from campaign_assignments a join orgs o on o.id = a.org_id where a.campaign_id = ${plan45} and a.status = 'active'`);
    const rows = units.rows as { id: number; code: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(14);
    for (const { id, code } of rows) {
      const l = await ledger(longbien, id);
      const expected = await sqlBalance(id);
      expect({ code, balance: l.totals.balance }).toEqual({ code, balance: expected.balance });
      expect(l.totals.in.total).toBe(expected.inflow);
      expect(l.totals.in.total - l.totals.out.total).toBe(l.totals.balance);
      expect(l.sources.reduce((n, s) => n + s.balance, 0)).toBe(l.totals.balance);
      for (const s of l.sources) {
        expect(s.in.total - s.out.total).toBe(s.balance);
        expect(s.balance).toBeGreaterThanOrEqual(0);
      }
      if (code.startsWith('LB-')) {
        // 30.000.000 đ of its own union funds, and 5.000.000 đ passed down by the district.
        expect(l.sources.find((s) => s.source === 'unit_funds')!.in.allocations).toBe(30_000_000);
        expect(l.sources.find((s) => s.source === 'upper_funds')!.in.transfersIn).toBe(5_000_000);
      }
    }
  });

  it('shows the district’s sponsors, pledges and earmarks as seeded', async () => {
    const l = await ledger(longbien, lb);
    expect(balanceOf(l, 'sponsor', bank)).toBe(30_000_000 - 18_000_000);
    expect(balanceOf(l, 'sponsor', bakery)).toBe(20_000_000);
    expect(balanceOf(l, 'sponsor', person)).toBe(0);
    expect(l.sources.find((s) => s.sponsorId === person)!.out.childSponsorship).toBe(6_000_000);
    expect(l.pledges).toEqual({ pledged: 70_000_000, received: 50_000_000, outstanding: 20_000_000 });
    expect(l.entries.every((e, i, all) => i === 0 || all[i - 1]!.occurredOn <= e.occurredOn)).toBe(true);

    const pledges = (await longbien.get(funds('/pledges'))).body;
    expect(pledges.items.map((p: { sponsorId: string; status: string }) => [p.sponsorId, p.status])).toEqual([
      [bank, 'partly_received'],
      [bakery, 'received'],
    ]);
    const receipts = (await longbien.get(funds('/receipts'))).body;
    expect(receipts.totals).toEqual({ count: 3, amount: 56_000_000, cash: 36_000_000, inKind: 20_000_000 });
    const inKind = receipts.items.find((r: { form: string }) => r.form === 'in_kind');
    expect(inKind).toMatchObject({ item: 'Hộp bánh trung thu', quantity: 500, unitValue: 40_000, amount: 20_000_000 });

    const earmarks = (await longbien.get(funds('/earmarks'))).body;
    expect(earmarks.items.map((e: { target: string; amount: number }) => [e.target, e.amount])).toEqual([
      ['unit', 10_000_000],
      ['unit', 8_000_000],
      ['child', 6_000_000],
    ]);
    const may = await ledger(longbien, earmarks.items[0].targetOrg.id);
    expect(balanceOf(may, 'sponsor', bank)).toBe(10_000_000);
  });

  it('sums the subtree by source, with one row per union, transfers inside it cancelling out', async () => {
    const res = await viewer.get(funds(`/summary?orgId=${lb}`));
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s.totals.in - s.totals.out).toBe(s.totals.balance);
    const unitFunds = s.totals.bySource.find((x: { source: string }) => x.source === 'unit_funds');
    expect(unitFunds.in).toBe(200_000_000 + 14 * 30_000_000);
    expect(s.totals.bySource.find((x: { source: string }) => x.source === 'sponsor').in).toBe(56_000_000);
    expect(s.totals.bySource.find((x: { source: string }) => x.source === 'upper_funds').in).toBe(0);
    expect(s.children.length).toBeGreaterThanOrEqual(13);
    for (const child of s.children) {
      expect(child.in - child.out).toBe(child.balance);
      expect(child.balance).toBe((await sqlBalance(child.org.id)).balance);
    }
    const held = s.children.reduce((n: number, c: { balance: number }) => n + c.balance, 0) + (await sqlBalance(lb)).balance;
    expect(held).toBe(s.totals.balance);
  });
});

describe('spending is held to what is left', () => {
  it('refuses a benefit over what its source has left, saying how much is left', async () => {
    const [first] = await eligibleOf(cdcs1, gt);
    const res = await cdcs1.post(`/api/v1/campaigns/${plan45}/benefits`, { childId: first!.childId, kind: 'scholarship', value: 6_000_000, fundingSource: 'upper_funds' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('Nguồn kinh phí cấp trên hỗ trợ chỉ còn 5.000.000 đ, không đủ chi 6.000.000 đ.');
    expect(res.body.error.fields).toEqual({ value: res.body.error.message });
    const ok = await cdcs1.post(`/api/v1/campaigns/${plan45}/benefits`, { childId: first!.childId, kind: 'scholarship', value: 5_000_000, fundingSource: 'upper_funds' });
    expect(ok.status).toBe(201);
    expect(balanceOf(await ledger(cdcs1, gt), 'upper_funds')).toBe(0);
    // Raising it, or moving another benefit onto the empty source, is refused too.
    const raise = await cdcs1.patch(`/api/v1/benefits/${ok.body.id}`, { value: 5_000_001 });
    expect(raise.status).toBe(422);
    expect(raise.body.error.message).toBe('Nguồn kinh phí cấp trên hỗ trợ chỉ còn 0 đ, không đủ chi 1 đ.');
    const gift = await cdcs1.post(`/api/v1/campaigns/${plan45}/benefits`, { childId: first!.childId, kind: 'gift' });
    expect(gift.status).toBe(201);
    const move = await cdcs1.patch(`/api/v1/benefits/${gift.body.id}`, { fundingSource: 'upper_funds' });
    expect(move.status).toBe(422);
    expect(move.body.error.message).toContain('chỉ còn 0 đ, không đủ chi 300.000 đ');
    // Cancelling gives the money back.
    expect((await cdcs1.patch(`/api/v1/benefits/${ok.body.id}`, { status: 'cancelled', cancelReason: 'Đổi sang học bổng khác' })).status).toBe(200);
    expect(balanceOf(await ledger(cdcs1, gt), 'upper_funds')).toBe(5_000_000);
  });

  it('names the sponsor exactly when the source is a sponsor, and checks that sponsor’s money', async () => {
    const [, second] = await eligibleOf(cdcs1, gt);
    const url = `/api/v1/campaigns/${plan45}/benefits`;
    const none = await cdcs1.post(url, { childId: second!.childId, kind: 'gift', fundingSource: 'sponsor' });
    expect(none.status).toBe(422);
    expect(none.body.error.fields.sponsorId).toBe('Cần chọn nhà tài trợ khi nguồn kinh phí là tài trợ.');
    expect((await cdcs1.post(url, { childId: second!.childId, kind: 'gift', sponsorId: bakery })).status).toBe(422);
    const empty = await cdcs1.post(url, { childId: second!.childId, kind: 'gift', fundingSource: 'sponsor', sponsorId: bakery });
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toBe('Nguồn tài trợ của Công ty TNHH Bánh kẹo Hương Sen chỉ còn 0 đ, không đủ chi 300.000 đ.');

    // The union records the bakery's mooncakes it received directly, then gives from them.
    const receipt = await cdcs1.post(funds('/receipts'), { orgId: gt, sponsorId: bakery, form: 'in_kind', item: 'Hộp bánh trung thu', quantity: 10, unitValue: 40_000, receivedOn: '2021-09-16' });
    expect(receipt.status).toBe(201);
    const given = await cdcs1.post(url, { childId: second!.childId, kind: 'in_kind', item: 'Hộp bánh trung thu', value: 40_000, fundingSource: 'sponsor', sponsorId: bakery });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ fundingSource: 'sponsor', sponsorId: bakery, sponsorName: 'Công ty TNHH Bánh kẹo Hương Sen' });
    expect(balanceOf(await ledger(cdcs1, gt), 'sponsor', bakery)).toBe(360_000);
  });

  it('proposes gifts only while the source has money, reporting the others', async () => {
    const earmark = await longbien.post(funds('/earmarks'), { orgId: lb, sponsorId: bank, amount: 900_000, targetOrgId: dg });
    expect(earmark.status).toBe(201);
    const res = await cdcs2.post(`/api/v1/campaigns/${plan45}/allocate`, { orgId: dg, kinds: ['gift'], fundingSource: 'sponsor', sponsorId: bank });
    expect(res.status).toBe(200);
    expect(res.body.created).toHaveLength(3);
    expect(res.body.totalValue).toBe(900_000);
    expect(res.body.skipped.filter((s: { reason: string }) => s.reason === 'insufficient_funds').length).toBeGreaterThan(0);
    expect(balanceOf(await ledger(cdcs2, dg), 'sponsor', bank)).toBe(0);
  });

  it('refuses a transfer over what is left, and lets only what fits through under concurrent requests', async () => {
    const left = balanceOf(await ledger(longbien, lb), 'unit_funds');
    const over = await longbien.post(funds('/transfers'), { fromOrgId: lb, toOrgId: gt, source: 'unit_funds', amount: left + 1 });
    expect(over.status).toBe(422);
    expect(over.body.error.message).toBe(`Nguồn kinh phí công đoàn của đơn vị chỉ còn ${left.toLocaleString('de-DE')} đ, không đủ chi ${(left + 1).toLocaleString('de-DE')} đ.`);

    const part = Math.floor(left / 3) + 1; // two fit, the third does not
    const replies = await Promise.all(Array.from({ length: 4 }, () => longbien.post(funds('/transfers'), { fromOrgId: lb, toOrgId: dg, source: 'unit_funds', amount: part })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 201, 422, 422]);
    expect(balanceOf(await ledger(longbien, lb), 'unit_funds')).toBe(left - 2 * part);
  });
});

describe('transfers down the tree', () => {
  it('passes union money down as upper funds, once per request id', async () => {
    const before = { lb: await ledger(longbien, lb), gt: await ledger(longbien, gt) };
    const body = { fromOrgId: lb, toOrgId: gt, source: 'unit_funds', amount: 2_000_000, transferredOn: '2021-09-18', note: 'Bổ sung quà', requestId: 'test-transfer-0001' };
    const res = await longbien.post(funds('/transfers'), body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ fromOrg: { id: lb }, toOrg: { id: gt }, source: 'unit_funds', amount: 2_000_000, transferredOn: '2021-09-18' });
    const again = await longbien.post(funds('/transfers'), body);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(res.body.id);
    expect((await longbien.post(funds('/transfers'), { ...body, amount: 3_000_000 })).status).toBe(409);
    expect(await auditCount('fund.transfer', res.body.id)).toBe(1);

    const after = { lb: await ledger(longbien, lb), gt: await ledger(cdcs1, gt) };
    expect(balanceOf(after.lb, 'unit_funds')).toBe(balanceOf(before.lb, 'unit_funds') - 2_000_000);
    expect(balanceOf(after.gt, 'upper_funds')).toBe(balanceOf(before.gt, 'upper_funds') + 2_000_000);
    const line = after.gt.entries.find((e) => e.kind === 'transfer_in' && e.occurredOn === '2021-09-18')!;
    expect(line).toMatchObject({ direction: 'in', amount: 2_000_000, counterpartOrg: { id: lb, code: 'HN-LB' } });
  });

  it('only to a unit below the sender, in the campaign', async () => {
    const hk = await orgId(hoankiem, 'HN-HK');
    const outside = await longbien.post(funds('/transfers'), { fromOrgId: lb, toOrgId: hk, source: 'unit_funds', amount: 1_000 });
    expect(outside.status).toBe(422);
    expect(outside.body.error.message).toBe('Chỉ chuyển kinh phí xuống đơn vị trực thuộc Liên đoàn Lao động quận Long Biên.');
    expect((await cdcs1.post(funds('/transfers'), { fromOrgId: gt, toOrgId: dg, source: 'unit_funds', amount: 1_000 })).status).toBe(422);
    expect((await cdcs1.post(funds('/transfers'), { fromOrgId: gt, toOrgId: gt, source: 'unit_funds', amount: 1_000 })).status).toBe(422);
    // A sponsor is named only for sponsor money.
    expect((await longbien.post(funds('/transfers'), { fromOrgId: lb, toOrgId: gt, source: 'unit_funds', sponsorId: bank, amount: 1_000 })).status).toBe(422);
  });
});

describe('pledges and receipts', () => {
  it('settles a pledge in parts, refuses receiving more than is still due, and keeps what was received on cancel', async () => {
    const pledge = (await longbien.get(funds(`/pledges?sponsorId=${bank}`))).body.items[0];
    expect(pledge).toMatchObject({ amount: 50_000_000, received: 30_000_000, outstanding: 20_000_000, status: 'partly_received' });

    const part = await longbien.post(funds('/receipts'), { orgId: lb, pledgeId: pledge.id, form: 'cash', amount: 15_000_000, method: 'bank_transfer', receivedOn: '2021-09-20', receiptNo: 'PT-060/2021', requestId: 'test-receipt-0001' });
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({ sponsorId: bank, pledgeId: pledge.id, amount: 15_000_000, method: 'bank_transfer' });
    // A double submit records it once.
    const twice = await longbien.post(funds('/receipts'), { orgId: lb, pledgeId: pledge.id, form: 'cash', amount: 15_000_000, method: 'bank_transfer', receivedOn: '2021-09-20', receiptNo: 'PT-060/2021', requestId: 'test-receipt-0001' });
    expect(twice.body.id).toBe(part.body.id);
    let now = (await longbien.get(funds(`/pledges?sponsorId=${bank}`))).body.items[0];
    expect(now).toMatchObject({ received: 45_000_000, outstanding: 5_000_000, status: 'partly_received' });

    const tooMuch = await longbien.post(funds('/receipts'), { orgId: lb, pledgeId: pledge.id, form: 'cash', amount: 10_000_000, receivedOn: '2021-09-21' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.message).toBe('Cam kết chỉ còn 5.000.000 đ chưa nhận; số nhận lần này là 10.000.000 đ.');
    expect((await longbien.post(funds('/receipts'), { orgId: lb, pledgeId: pledge.id, form: 'in_kind', item: 'Sách', quantity: 1, unitValue: 1_000, receivedOn: '2021-09-21' })).status).toBe(422);

    const rest = await longbien.post(funds('/receipts'), { orgId: lb, pledgeId: pledge.id, form: 'cash', amount: 5_000_000, receivedOn: '2021-09-21' });
    expect(rest.status).toBe(201);
    now = (await longbien.get(funds(`/pledges?sponsorId=${bank}`))).body.items[0];
    expect(now).toMatchObject({ received: 50_000_000, outstanding: 0, status: 'received' });
    expect((await longbien.post(funds(`/pledges/${pledge.id}/cancel`), { reason: 'Nhầm' })).status).toBe(409);

    const l = await ledger(longbien, lb);
    expect(l.pledges).toEqual({ pledged: 70_000_000, received: 70_000_000, outstanding: 0 });
    expect(l.totals.balance).toBe((await sqlBalance(lb)).balance);
  });

  it('records an in-kind pledge at its total value and cancels the part not received', async () => {
    const created = await longbien.post(funds('/pledges'), { orgId: lb, sponsorId: bakery, form: 'in_kind', item: 'Đèn ông sao', quantity: 200, unitValue: 25_000, pledgedOn: '2021-09-01' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ amount: 5_000_000, status: 'open', outstanding: 5_000_000 });
    expect(await auditCount('fund.pledge', created.body.id)).toBe(1);
    const got = await longbien.post(funds('/receipts'), { orgId: lb, pledgeId: created.body.id, form: 'in_kind', item: 'Đèn ông sao', quantity: 80, unitValue: 25_000, receivedOn: '2021-09-15' });
    expect(got.status).toBe(201);
    const cancel = await longbien.post(funds(`/pledges/${created.body.id}/cancel`), { reason: 'Nhà tài trợ chỉ giao được 80 chiếc' });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'cancelled', received: 2_000_000, outstanding: 0, cancelReason: 'Nhà tài trợ chỉ giao được 80 chiếc' });
    expect((await longbien.post(funds('/receipts'), { orgId: lb, pledgeId: created.body.id, form: 'in_kind', item: 'Đèn ông sao', quantity: 1, unitValue: 25_000, receivedOn: '2021-09-16' })).status).toBe(409);
    expect((await longbien.post(funds('/pledges'), { orgId: lb, sponsorId: bakery, form: 'in_kind', item: 'Quà', quantity: 10, unitValue: 0, pledgedOn: '2021-09-01' })).status).toBe(422);
  });
});

describe('earmarks', () => {
  it('sponsors a child, shown on that child and held to what the sponsor’s money has left', async () => {
    const [child] = await eligibleOf(cdcs1, gt);
    const receipt = await longbien.post(funds('/receipts'), { orgId: lb, sponsorId: person, form: 'cash', amount: 3_000_000, receivedOn: '2021-09-22' });
    expect(receipt.status).toBe(201);
    const over = await longbien.post(funds('/earmarks'), { orgId: lb, sponsorId: person, amount: 3_000_001, childId: child!.childId });
    expect(over.status).toBe(422);
    expect(over.body.error.message).toBe('Nguồn tài trợ của Nguyễn Văn Thành chỉ còn 3.000.000 đ, không đủ chi 3.000.001 đ.');
    const res = await longbien.post(funds('/earmarks'), {
      orgId: lb,
      sponsorId: person,
      receiptId: receipt.body.id,
      amount: 3_000_000,
      childId: child!.childId,
      periodFrom: '2021-09-01',
      periodTo: '2022-05-31',
      note: 'Nhận đỡ đầu năm học 2021-2022',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ target: 'child', childId: child!.childId, childName: child!.fullName, amount: 3_000_000, periodFrom: '2021-09-01', periodTo: '2022-05-31' });
    expect(await auditCount('fund.earmark', res.body.id)).toBe(1);

    const list = await cdcs1.get(`/api/v1/children/${child!.childId}/sponsorships`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ earmarkId: res.body.id, docNumber: '45/KH-LĐLĐ', sponsorName: 'Nguyễn Văn Thành', orgName: 'Liên đoàn Lao động quận Long Biên', amount: 3_000_000, periodFrom: '2021-09-01', periodTo: '2022-05-31' }),
    ]);
    expect(list.body.total).toBe(3_000_000);
    expect((await cdcs2.get(`/api/v1/children/${child!.childId}/sponsorships`)).status).toBe(404);
    expect(balanceOf(await ledger(longbien, lb), 'sponsor', person)).toBe(0);
  });

  it('shows the seeded sponsored child on that child', async () => {
    const seeded = (await longbien.get(funds('/earmarks?target=child'))).body.items.find((e: { sponsorId: string; amount: number }) => e.amount === 6_000_000);
    const list = (await longbien.get(`/api/v1/children/${seeded.childId}/sponsorships`)).body;
    expect(list.items).toEqual([expect.objectContaining({ sponsorName: 'Nguyễn Văn Thành', amount: 6_000_000, periodFrom: '2021-09-01', periodTo: '2022-05-31' })]);
  });

  it('passes an earmark for a unit down to it, and refuses a child outside the unit', async () => {
    const res = await longbien.post(funds('/earmarks'), { orgId: lb, sponsorId: bank, amount: 1_000_000, targetOrgId: gt, requestId: 'test-earmark-0001' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ target: 'unit', targetOrg: { id: gt }, childId: null });
    expect((await longbien.post(funds('/earmarks'), { orgId: lb, sponsorId: bank, amount: 1_000_000, targetOrgId: gt, requestId: 'test-earmark-0001' })).body.id).toBe(res.body.id);
    expect(balanceOf(await ledger(cdcs1, gt), 'sponsor', bank)).toBe(1_000_000);
    const [dgChild] = await eligibleOf(cdcs2, dg);
    const outside = await cdcs1.post(funds('/earmarks'), { orgId: gt, sponsorId: bank, amount: 1_000, childId: dgChild!.childId });
    expect(outside.status).toBe(422);
    expect(outside.body.error.message).toBe('Trẻ không thuộc đơn vị Công đoàn Trường THCS Gia Thụy hoặc các đơn vị trực thuộc.');
    expect((await longbien.post(funds('/earmarks'), { orgId: lb, sponsorId: bank, amount: 1_000 })).status).toBe(400);
  });
});

describe('sponsors', () => {
  it('are searched without diacritics and seen from the units below the one that recorded them', async () => {
    const found = await cdcs1.get(`/api/v1/sponsors?q=${encodeURIComponent('huong sen')}`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((s: { name: string }) => s.name)).toEqual(['Công ty TNHH Bánh kẹo Hương Sen']);
    expect(found.body.items[0].canEdit).toBe(false);
    expect((await hoankiem.get(`/api/v1/sponsors/${bakery}`)).status).toBe(404);
    const detail = await longbien.get(`/api/v1/sponsors/${bank}`);
    expect(detail.body).toMatchObject({ kind: 'organization', taxCode: '0101234567-012', publiclyNamed: true, canEdit: true });
    // The pledge was settled in full by the tests above.
    expect(detail.body.history).toEqual([expect.objectContaining({ docNumber: '45/KH-LĐLĐ', year: 2021, orgId: lb, pledged: 50_000_000, received: 50_000_000 })]);
    const page = await longbien.get('/api/v1/sponsors?limit=2&offset=1');
    expect(page.body).toMatchObject({ total: 3 });
    expect(page.body.items).toHaveLength(2);
  });

  it('are created once per request id, changed with their version, and only in the writer’s subtree', async () => {
    const body = { orgId: gt, kind: 'individual', name: 'Trần  Thị   Mai', phone: '0904 111 222', requestId: 'test-sponsor-0001' };
    const created = await cdcs1.post('/api/v1/sponsors', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Trần Thị Mai', orgId: gt, publiclyNamed: false, version: 1, canEdit: true });
    expect((await cdcs1.post('/api/v1/sponsors', body)).body.id).toBe(created.body.id);
    expect((await cdcs2.get(`/api/v1/sponsors/${created.body.id}`)).status).toBe(404);
    expect((await longbien.get(`/api/v1/sponsors/${created.body.id}`)).status).toBe(200);

    const renamed = await cdcs1.patch(`/api/v1/sponsors/${created.body.id}`, { name: 'Trần Thị Mai Anh', taxCode: '8012345678', version: 1 });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Trần Thị Mai Anh', taxCode: '8012345678', version: 2 });
    const stale = await cdcs1.patch(`/api/v1/sponsors/${created.body.id}`, { notes: 'x', version: 1 });
    expect(stale.status).toBe(409);
    expect((await cdcs1.patch(`/api/v1/sponsors/${created.body.id}`, { taxCode: '12345', version: 2 })).status).toBe(400);
    expect((await cdcs1.patch(`/api/v1/sponsors/${bank}`, { notes: 'x', version: 1 })).status).toBe(403);
    expect(await auditCount('sponsor.update', created.body.id)).toBe(1);
  });
});

describe('who may do what', () => {
  it('lets a viewer read but not write', async () => {
    expect((await viewer.get(funds(`?orgId=${lb}`))).status).toBe(200);
    expect((await viewer.get(funds(`?orgId=${lb}`))).body.canWrite).toBe(false);
    expect((await viewer.get(funds('/pledges'))).status).toBe(200);
    expect((await viewer.get('/api/v1/sponsors')).status).toBe(200);
    expect((await viewer.post(funds('/allocations'), { orgId: lb, amount: 1_000 })).status).toBe(403);
    expect((await viewer.post('/api/v1/sponsors', { orgId: lb, kind: 'individual', name: 'Ai đó' })).status).toBe(403);
    expect((await viewer.post(funds('/receipts'), { orgId: lb, sponsorId: bank, form: 'cash', amount: 1_000, receivedOn: '2021-09-01' })).status).toBe(403);
    expect((await viewer.patch(`/api/v1/sponsors/${bank}`, { notes: 'x', version: 1 })).status).toBe(403);
  });

  it('answers 404 for a unit outside the caller’s scope', async () => {
    expect((await cdcs1.get(funds(`?orgId=${dg}`))).status).toBe(404);
    expect((await cdcs1.get(funds(`/summary?orgId=${lb}`))).status).toBe(404);
    expect((await cdcs1.post(funds('/allocations'), { orgId: dg, amount: 1_000 })).status).toBe(404);
    expect((await cdcs1.post(funds('/transfers'), { fromOrgId: lb, toOrgId: gt, source: 'unit_funds', amount: 1_000 })).status).toBe(404);
    expect((await hoankiem.get(funds(`?orgId=${lb}`))).status).toBe(404);
    const own = await cdcs1.get(funds());
    expect(own.status).toBe(200);
    expect(own.body.org.id).toBe(gt);
  });

  it('records a union’s own allocation once per request id, with its audit row', async () => {
    const body = { orgId: gt, amount: 1_500_000, occurredOn: '2021-09-01', requestId: 'test-allocation-0001' };
    const first = await cdcs1.post(funds('/allocations'), body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ orgId: gt, source: 'unit_funds', direction: 'in', kind: 'allocation', amount: 1_500_000 });
    expect((await cdcs1.post(funds('/allocations'), body)).body.id).toBe(first.body.id);
    expect(await auditCount('fund.allocate', first.body.id)).toBe(1);
    // The ledger is append-only.
    await expect(t.database.db.execute(sql`update fund_entries set amount = 1 where id = ${first.body.id}`)).rejects.toThrow();
  });
});

/** A PUT with the client's session and CSRF token (the test client has no put). */
async function put(c: Client, url: string, body: unknown) {
  const res = await t.app.inject({ method: 'PUT', url, headers: { cookie: c.cookie, 'x-csrf-token': c.csrfToken, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  return { status: res.statusCode, body: res.json() };
}

describe('the public page', () => {
  it('is off by default; turned on by the issuing unit, it shows totals and named sponsors, never a child', async () => {
    const anon = t.anonymous();
    const url = `/api/v1/public/campaigns/${plan45}/funds`;
    expect((await anon.get(url)).status).toBe(404);
    expect((await put(cdcs1, funds('/public'), { enabled: true })).status).toBe(403);
    expect((await put(viewer, funds('/public'), { enabled: true })).status).toBe(403);
    const on = await put(longbien, funds('/public'), { enabled: true });
    expect(on).toEqual({ status: 200, body: { enabled: true, apiPath: url } });
    expect(await auditCount('campaign.public_funds', plan45)).toBe(1);

    const page = await anon.get(url);
    expect(page.status).toBe(200);
    expect(page.body.campaign).toMatchObject({ docNumber: '45/KH-LĐLĐ', issuingOrgName: 'Liên đoàn Lao động quận Long Biên' });
    expect(page.body.totals.in - page.body.totals.out).toBe(page.body.totals.balance);
    const summary = (await longbien.get(funds(`/summary?orgId=${lb}`))).body;
    expect(page.body.totals).toEqual({ in: summary.totals.in, out: summary.totals.out, balance: summary.totals.balance });
    expect(page.body.bySource.map((r: { label: string }) => r.label)).toEqual(['Kinh phí công đoàn của đơn vị', 'Kinh phí cấp trên hỗ trợ', 'Tài trợ (xã hội hóa)']);
    const names = page.body.sponsors.map((x: { name: string }) => x.name);
    expect(names).toContain('Ngân hàng TMCP Phát triển Thủ Đô - Chi nhánh Long Biên');
    expect(names).toContain('Công ty TNHH Bánh kẹo Hương Sen');
    expect(page.body.otherSponsors.count).toBeGreaterThanOrEqual(1);

    // Nothing about a child, nor the sponsor who asked not to be named.
    const text = JSON.stringify(page.body);
    expect(text).not.toContain('Nguyễn Văn Thành');
    expect(text).not.toMatch(/child/i);
    const sponsored = (await longbien.get(funds('/earmarks?target=child'))).body.items as { childId: string; childName: string }[];
    expect(sponsored.length).toBeGreaterThan(0);
    for (const e of sponsored) {
      expect(text).not.toContain(e.childId);
      expect(text).not.toContain(e.childName);
    }

    expect((await put(longbien, funds('/public'), { enabled: false })).status).toBe(200);
    expect((await anon.get(url)).status).toBe(404);
  });
});

describe('the thank-you letter', () => {
  it('is an official-format .docx from the unit, listing what the sponsor gave in figures and words', async () => {
    expect((await longbien.post(funds('/pledges'), { orgId: lb, sponsorId: bank, form: 'cash', amount: 10_000_000, pledgedOn: '2021-09-25' })).status).toBe(201);
    const res = await longbien.get(`/api/v1/sponsors/${bank}/thank-you.docx?campaignId=${plan45}&orgId=${lb}&date=2021-10-05`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('wordprocessingml');
    const xml = unzip(res.raw).get('word/document.xml')!.toString('utf8');
    const texts = paragraphTexts(xml);
    for (const line of [
      'LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI',
      'LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Long Biên, ngày 05 tháng 10 năm 2021',
      'THƯ CẢM ƠN',
      'Kính gửi: Ngân hàng TMCP Phát triển Thủ Đô - Chi nhánh Long Biên',
      'TM. BAN THƯỜNG VỤ',
      'CHỦ TỊCH',
      'Phan Thị Thu Hằng',
    ])
      expect(texts).toContain(line);
    const body = texts.join('\n');
    expect(body).toContain('Tiền chuyển khoản: 30.000.000 đ (bằng chữ: Ba mươi triệu đồng), nhận ngày 08/09/2021, số phiếu PT-045/2021.');
    expect(body).toContain('Tổng giá trị đã nhận: 50.000.000 đ (bằng chữ: Năm mươi triệu đồng).');
    expect(body).toContain('Phần cam kết còn lại: 10.000.000 đ (bằng chữ: Mười triệu đồng).');
    expect(body).toContain('Kế hoạch số 45/KH-LĐLĐ ngày 24/08/2021');

    const bakeryLetter = await longbien.get(`/api/v1/sponsors/${bakery}/thank-you.docx?campaignId=${plan45}&orgId=${lb}`);
    const bakeryBody = paragraphTexts(unzip(bakeryLetter.raw).get('word/document.xml')!.toString('utf8')).join('\n');
    expect(bakeryBody).toContain('Hộp bánh trung thu (500 × 40.000 đ), trị giá 20.000.000 đ (bằng chữ: Hai mươi triệu đồng)');
    expect((await cdcs1.get(`/api/v1/sponsors/${bank}/thank-you.docx?campaignId=${plan45}&orgId=${dg}`)).status).toBe(404);
  });
});
