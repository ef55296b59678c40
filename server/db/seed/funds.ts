import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { campaigns, orgs } from '../schema/index';
import type { AuthContext } from '../../lib/authorization';
import { createEarmark, createPledge, createSponsor, recordAllocation, recordReceipt, recordTransfer } from '../../modules/funds/funds.service';

/** Union funds each Long Biên grassroots union sets aside for Plan 45 (well above the 20 gifts of 300.000 đ the demo gives). */
export const DEMO_UNIT_ALLOCATION = 30_000_000;
/** What the district passes down to each of its grassroots unions from its own union funds. */
export const DEMO_DISTRICT_SUPPORT = 5_000_000;

/**
 * Plan 45's money: the district and every Long Biên grassroots union set
 * aside union funds, the district passes some down; three sponsors recorded
 * by the district (a bank, a bakery, a person) with pledges and receipts;
 * part of the bank's money earmarked to two unions, and one child sponsored
 * for the school year. Loaded before the benefits, which draw on it.
 */
export async function loadDemoFunds(db: Db, admin: AuthContext): Promise<void> {
  const [plan] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.docNumber, '45/KH-LĐLĐ'));
  const planId = plan!.id;
  const codeId = async (code: string) => (await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.code, code)))[0]!.id;
  const lb = await codeId('HN-LB');

  await recordAllocation(db, admin, planId, { orgId: lb, amount: 200_000_000, occurredOn: '2021-08-26', note: 'Trích kinh phí công đoàn LĐLĐ quận chăm lo Tết Trung thu 2021' });
  const units = await db.execute(sql`
    select o.id from campaign_assignments a join orgs o on o.id = a.org_id
     where a.campaign_id = ${planId} and a.status = 'active' and o.kind = 'grassroots'
     order by o.sort_key collate "C"`);
  for (const { id } of units.rows as { id: number }[]) {
    await recordAllocation(db, admin, planId, { orgId: id, amount: DEMO_UNIT_ALLOCATION, occurredOn: '2021-08-30', note: 'Kinh phí công đoàn cơ sở chi cho Tết Trung thu 2021' });
    await recordTransfer(db, admin, planId, {
      fromOrgId: lb,
      toOrgId: id,
      source: 'unit_funds',
      amount: DEMO_DISTRICT_SUPPORT,
      transferredOn: '2021-09-06',
      note: 'LĐLĐ quận hỗ trợ quà Trung thu cho con CNVCLĐ',
    });
  }

  const bank = await createSponsor(db, admin, {
    orgId: lb,
    kind: 'organization',
    name: 'Ngân hàng TMCP Phát triển Thủ Đô - Chi nhánh Long Biên',
    contactName: 'Trần Quốc Bảo',
    phone: '024 3877 6655',
    email: 'longbien@nhpttd.vn',
    address: 'Số 12 Nguyễn Văn Cừ, phường Ngọc Lâm, quận Long Biên, Hà Nội',
    taxCode: '0101234567-012',
    notes: 'Đồng hành cùng LĐLĐ quận từ năm 2019.',
    publiclyNamed: true,
  });
  const bakery = await createSponsor(db, admin, {
    orgId: lb,
    kind: 'organization',
    name: 'Công ty TNHH Bánh kẹo Hương Sen',
    contactName: 'Lê Thị Thu Trang',
    phone: '0912 345 678',
    address: 'Khu công nghiệp Sài Đồng B, quận Long Biên, Hà Nội',
    taxCode: '0105678912',
    publiclyNamed: true,
  });
  const person = await createSponsor(db, admin, {
    orgId: lb,
    kind: 'individual',
    name: 'Nguyễn Văn Thành',
    phone: '0983 210 456',
    notes: 'Không muốn nêu tên trên trang công khai.',
    publiclyNamed: false,
  });

  // The bank pledged 50.000.000 đ and has paid 30.000.000 đ so far.
  const bankPledge = await createPledge(db, admin, planId, { orgId: lb, sponsorId: bank, form: 'cash', amount: 50_000_000, pledgedOn: '2021-08-27', note: 'Cam kết tại buổi gặp mặt nhà tài trợ' });
  await recordReceipt(db, admin, planId, {
    orgId: lb,
    sponsorId: bank,
    pledgeId: bankPledge,
    form: 'cash',
    amount: 30_000_000,
    method: 'bank_transfer',
    receivedOn: '2021-09-08',
    receiptNo: 'PT-045/2021',
  });
  // The bakery gave 500 boxes of mooncakes at 40.000 đ.
  const bakeryPledge = await createPledge(db, admin, planId, { orgId: lb, sponsorId: bakery, form: 'in_kind', item: 'Hộp bánh trung thu', quantity: 500, unitValue: 40_000, pledgedOn: '2021-08-28' });
  await recordReceipt(db, admin, planId, {
    orgId: lb,
    sponsorId: bakery,
    pledgeId: bakeryPledge,
    form: 'in_kind',
    item: 'Hộp bánh trung thu',
    quantity: 500,
    unitValue: 40_000,
    receivedOn: '2021-09-14',
    receiptNo: 'BN-017/2021',
  });
  await recordReceipt(db, admin, planId, { orgId: lb, sponsorId: person, form: 'cash', amount: 6_000_000, method: 'cash', receivedOn: '2021-09-10', receiptNo: 'PT-051/2021' });

  // Part of the bank's money to two grassroots unions.
  for (const [code, amount] of [
    ['LB-MAY-DG', 10_000_000],
    ['LB-TTYT', 8_000_000],
  ] as const) {
    await createEarmark(db, admin, planId, { orgId: lb, sponsorId: bank, amount, targetOrgId: await codeId(code), occurredOn: '2021-09-12', note: 'Quà Trung thu cho con công nhân có hoàn cảnh khó khăn' });
  }

  // Mr Thành sponsors one child of Ngọc Lâm primary school for the school year.
  const child = await db.execute(sql`
    select c.id from children c join orgs o on o.id = c.org_id
     where o.code = 'LB-TH-NL' and c.birth_date > '2010-01-01' order by c.sort_key collate "C", c.birth_date limit 1`);
  const childId = (child.rows[0] as { id: string } | undefined)?.id;
  if (childId)
    await createEarmark(db, admin, planId, {
      orgId: lb,
      sponsorId: person,
      amount: 6_000_000,
      childId,
      periodFrom: '2021-09-01',
      periodTo: '2022-05-31',
      occurredOn: '2021-09-10',
      note: 'Nhận đỡ đầu năm học 2021-2022: 500.000 đ mỗi tháng',
    });
}
