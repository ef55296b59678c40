import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';
import { paragraphTexts, unzip } from '../../test/docx';

let t: TestContext;
let longbien: Client;
let hanoi: Client;
let plan45: string;
let plan41: string;

beforeAll(async () => {
  t = await createTestContext();
  longbien = await t.signIn('longbien@lantern.test');
  hanoi = await t.signIn('hanoi@lantern.test');
  const list = (await longbien.get('/api/v1/campaigns?year=2021')).body.items;
  plan45 = list.find((c: { docNumber: string }) => c.docNumber === '45/KH-LĐLĐ').id;
  plan41 = list.find((c: { docNumber: string }) => c.docNumber === '41/KH-LĐLĐ').id;
});
afterAll(() => t.close());

/** Acknowledged / in scope below a unit, counted straight from the tables. */
async function countedCoverage(campaignId: string, code: string) {
  const res = await t.database.db.execute(sql`
    select count(*)::int as n, count(a.acknowledged_at)::int as ack
    from campaign_assignments a join orgs o on o.id = a.org_id
    where a.campaign_id = ${campaignId} and a.status = 'active'
      and o.path <@ (select path from orgs where code = ${code} and status = 'active')`);
  return res.rows[0] as { n: number; ack: number };
}

const body = (over: Record<string, unknown> = {}) => ({
  issuingOrgId: 0,
  kind: 'trung_thu',
  year: 2026,
  docNumber: '12/KH-LĐLĐ',
  place: 'Long Biên',
  issueDate: '2026-08-20',
  title: 'Kế hoạch tổ chức Tết Trung thu cho con CNVCLĐ năm 2026',
  subject: 'Tổ chức hoạt động “Tết Trung thu” cho con CNVCLĐ năm 2026',
  reportDeadline: '2026-09-30',
  ...over,
});

describe('the demo plan 45/KH-LĐLĐ', () => {
  it('is there with the seed’s text, implementing the city’s plan 41', async () => {
    const res = await longbien.get(`/api/v1/campaigns/${plan45}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      docNumber: '45/KH-LĐLĐ',
      status: 'issued',
      festivalDate: '2021-09-21',
      computedFestivalDate: '2021-09-21',
      reportDeadline: '2021-09-25',
      issueDate: '2021-08-24',
      issuingOrg: { code: 'HN-LB' },
      implements: { docNumber: '41/KH-LĐLĐ', issuingOrgName: 'Liên đoàn Lao động Thành phố Hà Nội' },
      signer: { onBehalfOf: 'TM. BAN THƯỜNG VỤ', position: 'CHỦ TỊCH', name: 'Phan Thị Thu Hằng' },
    });
    expect(res.body.sections.map((s: { heading: string }) => s.heading)).toEqual(['I. MỤC ĐÍCH, YÊU CẦU', 'II. NỘI DUNG', 'III. TỔ CHỨC THỰC HIỆN.']);
    expect(res.body.preamble).toMatch(/^Thực hiện kế hoạch số 41\/KH-LĐLĐ ngày 20\/8\/2021/);
    expect(res.body.sections[2].body).toMatch(/chậm nhất ngày 25\/9\/2021/);
  });

  it('downloads as an official-format Word file', async () => {
    const res = await longbien.get(`/api/v1/campaigns/${plan45}/document.docx`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/wordprocessingml/);
    expect(String(res.headers['content-disposition'])).toMatch(/ke-hoach-45-kh-ldld\.docx/);
    const xml = unzip(res.raw).get('word/document.xml')!.toString('utf8');
    const paras = paragraphTexts(xml);
    for (const line of [
      'LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI',
      'LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN',
      'Số: 45/KH-LĐLĐ',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Long Biên, ngày 24 tháng 8 năm 2021',
      'KẾ HOẠCH',
      'I. MỤC ĐÍCH, YÊU CẦU',
      'II. NỘI DUNG',
      'III. TỔ CHỨC THỰC HIỆN.',
      'Nơi nhận:',
      'TM. BAN THƯỜNG VỤ',
      'CHỦ TỊCH',
      'Phan Thị Thu Hằng',
    ]) {
      expect(paras, line).toContain(line);
    }
  });

  it('says plainly when no PDF can be made', async () => {
    const detail = (await longbien.get(`/api/v1/campaigns/${plan45}`)).body;
    const res = await longbien.get(`/api/v1/campaigns/${plan45}/document.pdf`);
    if (detail.pdfAvailable) expect(res.status).toBe(200);
    else {
      expect(res.status).toBe(501);
      expect(res.body.error.message).toMatch(/LibreOffice/);
    }
  });

  it('coverage moves by one when cdcs1 acknowledges, and only once', async () => {
    const before = (await longbien.get(`/api/v1/campaigns/${plan45}/coverage`)).body;
    const counted = await countedCoverage(plan45, 'HN-LB');
    expect(before).toMatchObject({ inScope: counted.n, acknowledged: counted.ack });
    expect(before.missing.map((m: { code: string }) => m.code)).toContain('LB-THCS-GT');
    expect(before.percent).toBeCloseTo((100 * counted.ack) / counted.n, 1);

    const cdcs1 = await t.signIn('cdcs1@lantern.test');
    const inbox = (await cdcs1.get('/api/v1/campaigns?box=inbox')).body.items;
    expect(inbox.map((c: { docNumber: string }) => c.docNumber)).toContain('45/KH-LĐLĐ');
    const mine = inbox.find((c: { id: string }) => c.id === plan45);
    expect(mine.myAssignment).toMatchObject({ orgName: 'Công đoàn Trường THCS Gia Thụy', acknowledgedAt: null });

    const ack = await cdcs1.post(`/api/v1/campaigns/${plan45}/acknowledgements`, {});
    expect(ack.status).toBe(201);
    expect(ack.body.acknowledgedByName).toBe('Phạm Thị Hồng Nhung');
    const again = await cdcs1.post(`/api/v1/campaigns/${plan45}/acknowledgements`); // no body at all is fine too
    expect(again.status).toBe(201);
    expect(again.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);

    const after = (await longbien.get(`/api/v1/campaigns/${plan45}/coverage`)).body;
    expect(after.acknowledged).toBe(before.acknowledged + 1);
    expect(after.inScope).toBe(before.inScope);
    expect(after.missing.map((m: { code: string }) => m.code)).not.toContain('LB-THCS-GT');
    const own = (await cdcs1.get(`/api/v1/campaigns/${plan45}/coverage`)).status;
    expect(own).toBe(404); // coverage is read at the issuing unit or below it, within the caller's tree
    const units = (await longbien.get(`/api/v1/campaigns/${plan45}/assignments`)).body.items;
    expect(units.find((u: { code: string }) => u.code === 'LB-THCS-GT')).toMatchObject({ acknowledgedByName: 'Phạm Thị Hồng Nhung' });
  });

  it('a unit officer cannot see a plan whose scope does not include them', async () => {
    const hk = await hanoi.get(`/api/v1/orgs?q=HN-HK`);
    const hkId = hk.body.items[0].id;
    const hoankiem = await t.signIn('hoankiem@lantern.test');
    const created = await hoankiem.post('/api/v1/campaigns', body({ issuingOrgId: hkId, place: 'Hoàn Kiếm', docNumber: '07/KH-LĐLĐ' }));
    expect(created.status).toBe(201);
    expect((await hoankiem.post(`/api/v1/campaigns/${created.body.id}/issue`)).status).toBe(200);
    const cdcs1 = await t.signIn('cdcs1@lantern.test');
    expect((await cdcs1.get(`/api/v1/campaigns/${created.body.id}`)).status).toBe(404);
    expect((await cdcs1.get(`/api/v1/campaigns/${created.body.id}/document.docx`)).status).toBe(404);
    expect((await cdcs1.post(`/api/v1/campaigns/${created.body.id}/acknowledgements`, {})).status).toBe(404);
    expect((await cdcs1.get('/api/v1/campaigns')).body.items.map((c: { id: string }) => c.id)).not.toContain(created.body.id);
    expect((await hoankiem.get(`/api/v1/campaigns/${plan45}`)).status).toBe(404);
    // The city sees both districts' plans.
    expect((await hanoi.get(`/api/v1/campaigns/${created.body.id}`)).status).toBe(200);
  });
});

describe('writing and issuing a plan', () => {
  it('computes the festival date from the lunar calendar and validates in Vietnamese', async () => {
    const lb = await orgId(longbien, 'HN-LB');
    const draft = await longbien.post('/api/v1/campaigns', body({ issuingOrgId: lb, implementsId: null }));
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', festivalDate: '2026-09-25', festivalDateOverridden: false });
    expect(draft.body.settings.ageLimit).toBe(16);
    expect(draft.body.settings.benefitKinds[0]).toEqual({ code: 'gift', name: 'Quà Trung thu', defaultValue: 300000 });

    const dup = await longbien.post('/api/v1/campaigns', body({ issuingOrgId: lb }));
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('Số văn bản "12/KH-LĐLĐ" đã được dùng cho một kế hoạch khác của đơn vị trong năm 2026.');
    const deadline = await longbien.post('/api/v1/campaigns', body({ issuingOrgId: lb, docNumber: '13/KH-LĐLĐ', reportDeadline: '2026-08-01' }));
    expect(deadline.status).toBe(422);
    expect(deadline.body.error.message).toBe('Hạn báo cáo (01/08/2026) không được trước ngày ban hành (20/08/2026).');
    expect(deadline.body.error.fields).toHaveProperty('reportDeadline');
    const outside = await longbien.post('/api/v1/campaigns', body({ issuingOrgId: lb, docNumber: '14/KH-LĐLĐ', festivalDate: '2025-10-06' }));
    expect(outside.status).toBe(422);
    expect(outside.body.error.message).toBe('Ngày tổ chức 06/10/2025 không thuộc năm 2026 của kế hoạch.');
    const hkPlan = (await hanoi.get('/api/v1/campaigns?year=2026')).body.items.find((c: { issuingOrg: { code: string } }) => c.issuingOrg.code === 'HN-HK');
    const notAncestor = await longbien.post('/api/v1/campaigns', body({ issuingOrgId: lb, docNumber: '15/KH-LĐLĐ', implementsId: hkPlan.id }));
    expect(notAncestor.status).toBe(422);
    expect(notAncestor.body.error.message).toBe('Kế hoạch được thực hiện phải là kế hoạch của đơn vị cấp trên.');
    const override = await longbien.patch(`/api/v1/campaigns/${draft.body.id}`, { festivalDate: '2026-09-26' });
    expect(override.body).toMatchObject({ festivalDate: '2026-09-26', festivalDateOverridden: true });
  });

  it('issuing fixes the scope, notifies every unit, and a second issue does nothing', async () => {
    const lb = await orgId(longbien, 'HN-LB');
    const draft = (await longbien.post('/api/v1/campaigns', body({ issuingOrgId: lb, docNumber: '20/KH-LĐLĐ', kind: 'tet_thieu_nhi', title: 'Kế hoạch Tết Thiếu nhi 1/6/2026', subject: 'Tổ chức Tết Thiếu nhi 1/6 năm 2026', issueDate: '2026-05-10', reportDeadline: '2026-06-10' }))).body;
    expect(draft.festivalDate).toBe('2026-06-01');
    const cdcs1 = await t.signIn('cdcs1@lantern.test');
    expect((await cdcs1.get(`/api/v1/campaigns/${draft.id}`)).status).toBe(404); // a draft stays with its writers
    const mailsBefore = ((await t.database.db.execute(sql`select count(*)::int as n from outbox`)).rows[0] as { n: number }).n;

    const issued = await longbien.post(`/api/v1/campaigns/${draft.id}/issue`);
    expect(issued.status).toBe(200);
    expect(issued.body.status).toBe('issued');
    const live = ((await t.database.db.execute(sql`select count(*)::int as n from orgs where status = 'active' and path <@ (select path from orgs where code = 'HN-LB') and code <> 'HN-LB'`)).rows[0] as { n: number }).n;
    const cov = (await longbien.get(`/api/v1/campaigns/${draft.id}/coverage`)).body;
    expect(cov).toMatchObject({ inScope: live, acknowledged: 0, percent: 0 });
    const notices = ((await t.database.db.execute(sql`select count(*)::int as n from notices where campaign_id = ${draft.id}`)).rows[0] as { n: number }).n;
    expect(notices).toBe(live);
    const mailsAfter = ((await t.database.db.execute(sql`select count(*)::int as n from outbox`)).rows[0] as { n: number }).n;
    expect(mailsAfter - mailsBefore).toBe(live); // every demo unit has a contact e-mail
    const mail = (await t.database.db.execute(sql`select "to", subject, text from outbox where "to" = 'cd.thcsgiathuy@longbien.edu.vn' order by created_at desc limit 1`)).rows[0] as { subject: string; text: string };
    expect(mail.subject).toBe('Lantern: Kế hoạch mới: 20/KH-LĐLĐ – Kế hoạch Tết Thiếu nhi 1/6/2026');
    expect(mail.text).toMatch(/^Kính gửi Công đoàn Trường THCS Gia Thụy,/);
    expect(mail.text).toMatch(/Hạn báo cáo kết quả: 10\/06\/2026\./);

    const seen = (await cdcs1.get('/api/v1/notices')).body.items;
    expect(seen[0]).toMatchObject({ campaignId: draft.id, kind: 'campaign.issued', orgName: 'Công đoàn Trường THCS Gia Thụy', title: 'Kế hoạch mới: 20/KH-LĐLĐ – Kế hoạch Tết Thiếu nhi 1/6/2026' });
    const second = await longbien.post(`/api/v1/campaigns/${draft.id}/issue`);
    expect(second.status).toBe(200);
    expect(((await t.database.db.execute(sql`select count(*)::int as n from notices where campaign_id = ${draft.id}`)).rows[0] as { n: number }).n).toBe(live);

    const reminded = await longbien.post(`/api/v1/campaigns/${draft.id}/reminders`);
    expect(reminded.body.reminded).toBe(live);
    await cdcs1.post(`/api/v1/campaigns/${draft.id}/acknowledgements`, {});
    expect((await longbien.post(`/api/v1/campaigns/${draft.id}/reminders`, {})).body.reminded).toBe(live - 1);

    const excluded = await longbien.post(`/api/v1/campaigns/${draft.id}/assignments/${await orgId(longbien, 'LB-TTYT')}/exclude`, { reason: 'Đơn vị đang sáp nhập, không tổ chức' });
    expect(excluded.status).toBe(200);
    expect((await longbien.get(`/api/v1/campaigns/${draft.id}/coverage`)).body.inScope).toBe(live - 1);

    const closed = await longbien.post(`/api/v1/campaigns/${draft.id}/close`);
    expect(closed.body.status).toBe('closed');
    const edit = await longbien.patch(`/api/v1/campaigns/${draft.id}`, { title: 'Sửa sau khi kết thúc' });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toBe('Kế hoạch đã kết thúc, chỉ được xem.');
  });

  it('a viewer and a unit officer cannot write plans', async () => {
    const lb = await orgId(longbien, 'HN-LB');
    for (const email of ['kiemtra@lantern.test', 'cdcs1@lantern.test']) {
      const c = await t.signIn(email);
      expect((await c.post('/api/v1/campaigns', body({ issuingOrgId: lb, docNumber: '99/KH-LĐLĐ' }))).status).toBe(403);
      expect((await c.post(`/api/v1/campaigns/${plan45}/reminders`, {})).status).toBe(403);
    }
  });

  it('copies the 2021 plan to 2022 with the dates moved to the new festival', async () => {
    const res = await longbien.post(`/api/v1/campaigns/${plan45}/copy`, { year: 2022 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'draft',
      year: 2022,
      docNumber: '45/KH-LĐLĐ',
      festivalDate: '2022-09-10',
      issueDate: '2022-08-13', // 28 days before the festival, as in 2021
      reportDeadline: '2022-09-14',
      subject: 'Tổ chức hoạt động “Tết trung thu” cho con CNVCLĐ năm 2022.',
      implements: null,
    });
    expect(res.body.sections).toHaveLength(3);
    expect((await longbien.post(`/api/v1/campaigns/${plan45}/copy`, { year: 2022 })).status).toBe(409);
  });
});

describe('the city’s view', () => {
  it('sees which districts issued implementing plans and how far each reached', async () => {
    const res = await hanoi.get(`/api/v1/campaigns/${plan41}/plan-tree`);
    expect(res.status).toBe(200);
    expect(res.body.docNumber).toBe('41/KH-LĐLĐ');
    const lb = res.body.children.find((c: { issuingOrg: { code: string } }) => c.issuingOrg.code === 'HN-LB');
    const counted = await countedCoverage(plan45, 'HN-LB');
    expect(lb.coverage).toMatchObject({ inScope: counted.n, acknowledged: counted.ack });
    expect(res.body.withoutPlan.map((u: { code: string }) => u.code)).toEqual(['HN-HK']);
    const atDistrict = (await hanoi.get(`/api/v1/campaigns/${plan41}/coverage?orgId=${await orgId(hanoi, 'HN-LB')}`)).body;
    const countedCity = await countedCoverage(plan41, 'HN-LB');
    expect(atDistrict).toMatchObject({ inScope: countedCity.n, acknowledged: countedCity.ack });
  });
});

describe('the lunar calendar', () => {
  it('converts at UTC+7', async () => {
    const cases: [number, string][] = [
      [2021, '2021-09-21'],
      [2024, '2024-09-17'],
      [2025, '2025-10-06'],
      [2026, '2026-09-25'],
    ];
    for (const [year, solar] of cases) {
      const res = await longbien.get(`/api/v1/calendar/lunar?year=${year}&month=8&day=15`);
      expect(res.body.solar).toBe(solar);
    }
    expect((await longbien.get('/api/v1/calendar/lunar?year=2026&month=1&day=1')).body.solar).toBe('2026-02-17');
    expect((await longbien.get('/api/v1/calendar/solar?date=2023-03-22')).body.lunar).toEqual({ day: 1, month: 2, year: 2023, leap: true });
    const none = await longbien.get('/api/v1/calendar/lunar?year=2021&month=3&day=1&leap=true');
    expect(none.status).toBe(422);
    expect((await t.anonymous().get('/api/v1/calendar/lunar?year=2021&month=8&day=15')).status).toBe(401);
  });
});

describe('automatic reminders', () => {
  it('remind the silent units once, the set number of days after issue', async () => {
    const { sendDueReminders } = await import('./campaigns.service');
    const { noJobs } = await import('../../lib/jobs');
    const { outboxOnlyMailer } = await import('../../lib/mailer');
    const deps = { db: t.database.db, jobs: noJobs, mailer: outboxOnlyMailer, publicUrl: 'http://localhost:3000' };
    const lb = await orgId(longbien, 'HN-LB');
    const plan = (await longbien.post('/api/v1/campaigns', body({ issuingOrgId: lb, docNumber: '30/KH-LĐLĐ', settings: { autoRemindAfterDays: 3 } }))).body;
    await longbien.post(`/api/v1/campaigns/${plan.id}/issue`);
    await (await t.signIn('cdcs2@lantern.test')).post(`/api/v1/campaigns/${plan.id}/acknowledgements`, {});
    const silent = (await longbien.get(`/api/v1/campaigns/${plan.id}/coverage`)).body.notAcknowledged;
    expect(silent).toBeGreaterThan(0);

    await sendDueReminders(deps);
    const afterEarly = (await longbien.get(`/api/v1/campaigns/${plan.id}/assignments`)).body.items;
    expect(afterEarly.every((a: { reminders: number }) => a.reminders === 0)).toBe(true);

    await t.database.db.execute(sql`update campaigns set issued_at = now() - interval '4 days' where id = ${plan.id}`);
    await sendDueReminders(deps);
    const items = (await longbien.get(`/api/v1/campaigns/${plan.id}/assignments`)).body.items as { code: string; reminders: number }[];
    expect(items.filter((a) => a.reminders === 1)).toHaveLength(silent);
    expect(items.find((a) => a.code === 'LB-BV-DG')!.reminders).toBe(0);
    await sendDueReminders(deps);
    const again = (await longbien.get(`/api/v1/campaigns/${plan.id}/assignments`)).body.items as { reminders: number }[];
    expect(again.filter((a) => a.reminders > 1)).toHaveLength(0);
  });
});
