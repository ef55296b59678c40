import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { campaigns } from '../../db/schema/index';
import { paragraphTexts, unzip } from '../../test/docx';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';
import { deriveOwn } from '../reports/reports.derive';
import { anonymizedBirthDate, minusYears, runChildrenRetention } from './children.privacy';

let t: TestContext;
let cdcs1: Client;
let cdcs2: Client;
let viewer: Client;
let longbien: Client;
let hanoi: Client;
let gt: number;
let lb: number;
let hn: number;
let plan45: string;
let plan41: string;

beforeAll(async () => {
  t = await createTestContext();
  cdcs1 = await t.signIn('cdcs1@lantern.test');
  cdcs2 = await t.signIn('cdcs2@lantern.test');
  viewer = await t.signIn('kiemtra@lantern.test');
  longbien = await t.signIn('longbien@lantern.test');
  hanoi = await t.signIn('hanoi@lantern.test');
  gt = await orgId(cdcs1, 'LB-THCS-GT');
  lb = await orgId(longbien, 'HN-LB');
  hn = await orgId(hanoi, 'HN');
  const list = (await longbien.get('/api/v1/campaigns?year=2021')).body.items as { id: string; docNumber: string }[];
  plan45 = list.find((c) => c.docNumber === '45/KH-LĐLĐ')!.id;
  plan41 = list.find((c) => c.docNumber !== '45/KH-LĐLĐ')!.id;
});
afterAll(() => t.close());

const db = () => t.database.db;
const consent = (givenBy: string) => ({ givenBy, date: '2026-11-20', method: 'paper' as const });
let phoneSeq = 100;

/** A child of LB-THCS-GT with sensitive circumstances, both consents and a parent of its own. */
async function register(fullName: string, birthDate: string, parentName = 'Hoàng Văn Bình', parent?: { memberId: string }) {
  phoneSeq += 1;
  const res = await cdcs1.post('/api/v1/children', {
    orgId: gt,
    fullName,
    birthDate,
    sex: 'female',
    school: 'Trường THCS Gia Thụy',
    grade: '6A',
    parents: [parent ?? { fullName: parentName, phone: `0912 345 ${phoneSeq}`, idNumber: `001085012${phoneSeq}`, department: 'Tổ Toán' }],
    circumstances: [
      { code: 'disability', level: 'severe', note: 'Khiếm thính bẩm sinh' },
      { code: 'orphan', note: 'Mồ côi mẹ năm 2019' },
    ],
    achievements: [{ schoolYear: '2020-2021', level: 'good', note: 'Giải Nhì Toán cấp quận' }],
    parentConsent: consent(parentName),
    childConsent: consent(fullName),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; parents: { memberId: string }[]; fullName: string };
}

const auditRows = async (action: string, entityId: string) =>
  (await db().execute(sql`select actor_email, after from audit_log where action = ${action} and entity_id = ${entityId} order by id`)).rows as {
    actor_email: string;
    after: Record<string, unknown>;
  }[];

describe('the anonymised date of birth', () => {
  const trungThu2021 = { from: '2005-09-21', to: '2021-09-21' };

  it('is 1 July of the same year, unless that crosses a plan’s age limit on its festival day', () => {
    expect(anonymizedBirthDate('2012-03-15', [trungThu2021])).toBe('2012-07-01');
    expect(anonymizedBirthDate('2012-12-31', [trungThu2021])).toBe('2012-07-01');
    // born after 21/09/2005: eligible in 2021; 1 July 2005 would not be, so the nearest day that still is
    expect(anonymizedBirthDate('2005-10-10', [trungThu2021])).toBe('2005-09-22');
    expect(anonymizedBirthDate('2005-03-10', [trungThu2021])).toBe('2005-07-01');
    // born after the festival day: not eligible in 2021, and stays so
    expect(anonymizedBirthDate('2021-12-01', [trungThu2021])).toBe('2021-09-22');
    expect(anonymizedBirthDate('2021-08-01', [trungThu2021])).toBe('2021-07-01');
    expect(minusYears('2024-02-29', 1)).toBe('2023-02-28');
    expect(minusYears('2021-09-21', 16)).toBe('2005-09-21');
  });
});

describe('a data subject’s export', () => {
  it('gives everything held on the child as JSON to the unit officer, audited; others are refused', async () => {
    const child = await register('Hoàng Thu Trang', '2012-10-05');
    const res = await cdcs1.get(`/api/v1/children/${child.id}/data-export.json`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="du-lieu-ca-nhan-hoang-thu-trang\.json"/);
    const e = res.body;
    expect(e.child).toMatchObject({ id: child.id, fullName: 'Hoàng Thu Trang', birthDate: '2012-10-05', school: 'Trường THCS Gia Thụy', grade: '6A', anonymizedAt: null });
    expect(e.parents).toEqual([expect.objectContaining({ fullName: 'Hoàng Văn Bình', department: 'Tổ Toán', idNumber: expect.stringMatching(/^001085012/), phone: expect.stringMatching(/^0912 345/) })]);
    expect(e.consents.parent).toMatchObject({ givenBy: 'Hoàng Văn Bình', method: 'paper', recordedBy: 'cdcs1@lantern.test' });
    expect(e.consents.child).toMatchObject({ givenBy: 'Hoàng Thu Trang' });
    expect(e.circumstances).toEqual([
      { code: 'disability', level: 'severe', note: 'Khiếm thính bẩm sinh', sensitive: true },
      { code: 'orphan', note: 'Mồ côi mẹ năm 2019', sensitive: false },
    ]);
    expect(e.achievements).toEqual([{ schoolYear: '2020-2021', level: 'good', note: 'Giải Nhì Toán cấp quận' }]);
    expect(e.audit.map((a: { action: string }) => a.action)).toContain('child.create');
    expect(e.exportedBy).toBe('cdcs1@lantern.test');
    const logged = await auditRows('child.data_export', child.id);
    expect(logged).toEqual([{ actor_email: 'cdcs1@lantern.test', after: { format: 'json' } }]);

    // The federation officer and the auditor lack the sensitive-data permission; another union's officer does not see the child.
    expect((await longbien.get(`/api/v1/children/${child.id}/data-export.json`)).status).toBe(403);
    expect((await viewer.get(`/api/v1/children/${child.id}/data-export.json`)).status).toBe(403);
    expect((await cdcs2.get(`/api/v1/children/${child.id}/data-export.json`)).status).toBe(404);
    expect((await cdcs2.get(`/api/v1/children/${child.id}/data-export.docx`)).status).toBe(404);
    expect(await auditRows('child.data_export', child.id)).toHaveLength(1);
  });

  it('gives the same as a readable Word document with the official header, in Vietnamese', async () => {
    const khang = (await cdcs1.get(`/api/v1/orgs/${gt}/children?q=${encodeURIComponent('Nguyễn Minh Khang')}`)).body.items[0];
    const res = await cdcs1.get(`/api/v1/children/${khang.id}/data-export.docx`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(String(res.headers['content-disposition'])).toContain('filename="du-lieu-ca-nhan-nguyen-minh-khang.docx"');
    const text = paragraphTexts(unzip(res.raw).get('word/document.xml')!.toString('utf8'));
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('THÔNG BÁO');
    expect(text).toContain('Cung cấp dữ liệu cá nhân của trẻ theo yêu cầu của chủ thể dữ liệu');
    expect(text).toContain('- Họ và tên: Nguyễn Minh Khang.');
    expect(text.some((p) => /^Long Biên, ngày \d{2} tháng \d{1,2} năm \d{4}$/.test(p))).toBe(true);
    expect(text).toContain('I. THÔNG TIN CỦA TRẺ');
    expect(text).toContain('VII. NHẬT KÝ TRUY CẬP VÀ THAY ĐỔI');
    expect(text.join('\n')).toContain(khang.parents[0].fullName);
    expect(await auditRows('child.data_export', khang.id)).toEqual([{ actor_email: 'cdcs1@lantern.test', after: { format: 'docx' } }]);
  });
});

describe('withdrawing consent', () => {
  it('records the withdrawal, cancels the open benefits, anonymises the child and its lone parent, audited', async () => {
    const child = await register('Đặng Ngọc Ánh', '2013-11-02', 'Đặng Văn Long');
    const memberId = child.parents[0]!.memberId;
    const gift = await cdcs1.post(`/api/v1/campaigns/${plan45}/benefits`, { childId: child.id, kind: 'gift' });
    expect(gift.status).toBe(201);

    expect((await longbien.post(`/api/v1/children/${child.id}/consent/withdraw`, { by: 'parent' })).status).toBe(403);
    expect((await cdcs2.post(`/api/v1/children/${child.id}/consent/withdraw`, { by: 'parent' })).status).toBe(404);
    expect((await cdcs1.post(`/api/v1/children/${child.id}/consent/withdraw`, { by: 'guardian' })).status).toBe(400);

    const res = await cdcs1.post(`/api/v1/children/${child.id}/consent/withdraw`, { by: 'parent', note: 'Đơn đề nghị của phụ huynh ngày 25/11/2026' });
    expect(res.status).toBe(200);
    const c = res.body;
    expect(c.fullName).toBe(`Trẻ đã ẩn danh ${child.id.replace(/-/g, '').slice(0, 8).toUpperCase()}`);
    expect(c.anonymizedAt).not.toBeNull();
    expect(c).toMatchObject({ birthDate: '2013-07-01', school: null, grade: null, parents: [], sex: 'female' });
    expect(c.circumstances).toEqual([{ code: 'disability' }, { code: 'orphan' }]);
    expect(c.achievements).toEqual([{ schoolYear: '2020-2021', level: 'good' }]);
    expect(c.parentConsent).toMatchObject({ givenBy: 'Đã ẩn danh', date: '2026-11-20', method: 'paper', withdrawnBy: 'parent', withdrawalRecordedBy: 'cdcs1@lantern.test' });
    expect(c.parentConsent.withdrawnAt).toEqual(expect.any(String));
    expect(c.childConsent).toMatchObject({ givenBy: 'Đã ẩn danh' });
    expect(c.childConsent.withdrawnAt).toBeUndefined();

    const [row] = (await db().execute(sql`select search_text, sort_key, dup_key from children where id = ${child.id}`)).rows as Record<string, string>[];
    expect(row!.search_text).toMatch(/^tre da an danh [0-9a-f]{8}$/);
    expect(row!.dup_key).toBe(`${row!.search_text}|2013-07-01`);
    const [member] = (await db().execute(sql`select full_name, phone, id_number, department, anonymized_at from members where id = ${memberId}`)).rows as Record<string, unknown>[];
    expect(member).toMatchObject({ phone: null, id_number: null, department: null });
    expect(member!['full_name']).toMatch(/^Thành viên đã ẩn danh [0-9A-F]{8}$/);
    expect(member!['anonymized_at']).not.toBeNull();

    const benefit = (await cdcs1.get(`/api/v1/benefits/${gift.body.id}`)).body;
    expect(benefit).toMatchObject({ status: 'cancelled', cancelReason: 'Rút lại đồng ý xử lý dữ liệu cá nhân của trẻ' });

    const [audit] = await auditRows('child.consent_withdraw', child.id);
    expect(audit!.after).toMatchObject({ by: 'parent', note: 'Đơn đề nghị của phụ huynh ngày 25/11/2026', outcome: 'anonymized', cancelledBenefitIds: [gift.body.id], anonymizedMemberIds: [memberId] });
    expect(JSON.stringify(audit)).not.toContain('Đặng');
    // The rows written when the child was registered lose the name and birth date too; who did what, when, stays.
    const earlier = (await db().execute(sql`select action, actor_email, before, after from audit_log where entity_type = 'child' and entity_id = ${child.id} order by id`)).rows as Record<string, unknown>[];
    expect(earlier.map((r) => r['action'])).toContain('child.create');
    expect(earlier.find((r) => r['action'] === 'child.create')).toMatchObject({ actor_email: 'cdcs1@lantern.test', after: { redacted: true } });
    for (const s of ['Đặng', '2013-11-02']) expect(JSON.stringify(earlier)).not.toContain(s);
    // Outside such a redaction the log stays append-only.
    await expect(db().execute(sql`update audit_log set after = '{}'::jsonb where entity_type = 'child' and entity_id = ${child.id}`)).rejects.toThrow();

    // Nothing left to find by the name; no new benefit, no edit, no second withdrawal.
    expect((await cdcs1.get(`/api/v1/orgs/${gt}/children?q=${encodeURIComponent('Đặng Ngọc Ánh')}`)).body.total).toBe(0);
    const eligible = (await cdcs1.get(`/api/v1/campaigns/${plan45}/eligible?orgId=${gt}`)).body.items as { childId: string }[];
    expect(eligible.some((x) => x.childId === child.id)).toBe(false);
    const listed = (await cdcs1.get(`/api/v1/orgs/${gt}/children?campaignId=${plan45}&eligible=true&limit=500`)).body.items as { id: string }[];
    expect(listed.some((x) => x.id === child.id)).toBe(false);
    const again = await cdcs1.post(`/api/v1/campaigns/${plan45}/benefits`, { childId: child.id, kind: 'scholarship' });
    expect(again.status).toBe(422);
    expect(again.body.error.message).toBe(
      'Trẻ đã được ẩn danh (đã rút lại đồng ý, xóa theo yêu cầu hoặc hết thời hạn lưu trữ) nên không thể nhận thêm quà, học bổng hay tài trợ.',
    );
    const edit = await cdcs1.patch(`/api/v1/children/${child.id}`, { fullName: 'Đặng Ngọc Ánh' });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toMatch(/^Hồ sơ của trẻ đã được ẩn danh/);
    const twice = await cdcs1.post(`/api/v1/children/${child.id}/consent/withdraw`, { by: 'parent' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(/^Sự đồng ý này đã được rút lại ngày \d{2}\/\d{2}\/\d{4}\.$/);
  });

  it('by the child needs the child’s own recorded consent', async () => {
    const res = await cdcs1.post('/api/v1/children', {
      orgId: gt,
      fullName: 'Mai Gia Bảo',
      birthDate: '2022-02-02',
      sex: 'male',
      parents: [{ fullName: 'Mai Văn Tùng', phone: '0988 000 111' }],
    });
    expect(res.status).toBe(201);
    const refused = await cdcs1.post(`/api/v1/children/${res.body.id}/consent/withdraw`, { by: 'child' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/^Chưa ghi nhận sự đồng ý của trẻ/);
    expect((await cdcs1.get(`/api/v1/children/${res.body.id}`)).body.anonymizedAt).toBeNull();
  });
});

describe('erasure on request', () => {
  it('deletes a child nothing holds, with its parent links, audited without the erased data', async () => {
    const child = await register('Lý Minh Châu', '2014-04-04', 'Lý Văn Phúc');
    expect((await longbien.post(`/api/v1/children/${child.id}/erase`, { reason: 'Đơn của phụ huynh' })).status).toBe(403);
    expect((await cdcs1.post(`/api/v1/children/${child.id}/erase`, { reason: '' })).status).toBe(400);
    const res = await cdcs1.post(`/api/v1/children/${child.id}/erase`, { reason: 'Đơn đề nghị xóa dữ liệu của phụ huynh' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ outcome: 'deleted', cancelledBenefits: 0, anonymizedMembers: 1 });
    expect((await cdcs1.get(`/api/v1/children/${child.id}`)).status).toBe(404);
    const links = await db().execute(sql`select count(*)::int as n from child_parents where child_id = ${child.id}`);
    expect((links.rows[0] as { n: number }).n).toBe(0);
    const [audit] = await auditRows('child.erase', child.id);
    expect(audit!.after).toMatchObject({ outcome: 'deleted', reason: 'Đơn đề nghị xóa dữ liệu của phụ huynh' });
    const text = JSON.stringify(audit);
    for (const s of ['Lý Minh Châu', 'Lý Văn Phúc', '2014-04-04', 'Khiếm thính']) expect(text).not.toContain(s);
    const earlier = (await db().execute(sql`select action, before, after from audit_log where entity_type = 'child' and entity_id = ${child.id}`)).rows;
    expect(earlier.length).toBeGreaterThan(1);
    for (const s of ['Lý Minh Châu', '2014-04-04']) expect(JSON.stringify(earlier)).not.toContain(s);
  });

  it('anonymises instead when a benefit holds the child, or a submitted report counts it', async () => {
    const withGift = await register('Trịnh Bảo Ngân', '2011-06-06', 'Trịnh Văn Hải');
    const gift = await cdcs1.post(`/api/v1/campaigns/${plan45}/benefits`, { childId: withGift.id, kind: 'gift' });
    expect(gift.status).toBe(201);
    const res = await cdcs1.post(`/api/v1/children/${withGift.id}/erase`, { reason: 'Phụ huynh đề nghị xóa' });
    expect(res.body).toEqual({ outcome: 'anonymized', cancelledBenefits: 1, anonymizedMembers: 1 });
    const after = (await cdcs1.get(`/api/v1/children/${withGift.id}`)).body;
    expect(after.fullName).toMatch(/^Trẻ đã ẩn danh /);
    expect((await db().execute(sql`select count(*)::int as n from benefits where child_id = ${withGift.id}`)).rows[0]).toEqual({ n: 1 });
    expect((await cdcs1.post(`/api/v1/children/${withGift.id}/erase`, { reason: 'Lần nữa' })).status).toBe(409);

    // A child registered before the unit submitted its report is counted in that report's snapshot.
    const counted = await register('Phan Gia Hân', '2015-01-20', 'Phan Văn Quý');
    const report = (await cdcs1.get(`/api/v1/campaigns/${plan45}/reports/${gt}`)).body;
    expect((await cdcs1.put(`/api/v1/campaigns/${plan45}/reports/${gt}`, { version: report.version, manual: { difficulties: 'Không.' } })).status).toBe(200);
    expect((await cdcs1.post(`/api/v1/campaigns/${plan45}/reports/${gt}/submit`, {})).body.status).toBe('submitted');
    const erased = await cdcs1.post(`/api/v1/children/${counted.id}/erase`, { reason: 'Phụ huynh đề nghị xóa' });
    expect(erased.body).toMatchObject({ outcome: 'anonymized', cancelledBenefits: 0 });
    const [audit] = await auditRows('child.erase', counted.id);
    expect(audit!.after).toMatchObject({ outcome: 'anonymized', reason: 'Phụ huynh đề nghị xóa' });
    expect(JSON.stringify(audit)).not.toContain('Phan Gia Hân');
  });
});

describe('the retention period', () => {
  /** Everything the figures are made of, for the plans given: each unit's own derivation, the consolidations, the benefits. */
  async function figures(planIds: string[]) {
    const out: Record<string, unknown> = {};
    for (const id of planIds) {
      const [c] = await db().select().from(campaigns).where(eq(campaigns.id, id));
      const units = (await db().execute(sql`select org_id from campaign_assignments where campaign_id = ${id} order by org_id`)).rows as { org_id: number }[];
      for (const u of units) out[`${id}:derived:${u.org_id}`] = await deriveOwn(db(), c!, u.org_id);
      for (const include of ['approved', 'submitted']) {
        const cons = await longbien.get(`/api/v1/campaigns/${id}/consolidated?orgId=${lb}&include=${include}`);
        if (cons.status === 200) out[`${id}:consolidated:${include}`] = cons.body;
      }
      const reports = (await db().execute(sql`select org_id, status, figures from reports where campaign_id = ${id} order by org_id`)).rows;
      out[`${id}:reports`] = reports;
    }
    const city = await hanoi.get(`/api/v1/campaigns/${plan41}/consolidated?orgId=${hn}&include=approved`);
    expect(city.status).toBe(200);
    out['plan41:city'] = city.body;
    out['benefits'] = (
      await db().execute(sql`select campaign_id, org_id, kind, status, funding_source, count(*)::int as n, sum(value)::bigint::text as value
        from benefits group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`)
    ).rows;
    return out;
  }

  const anonymized = async (id: string) =>
    ((await db().execute(sql`select anonymized_at is not null as a from children where id = ${id}`)).rows[0] as { a: boolean }).a;

  it('anonymises the children of plans closed long ago, keeping every figure equal', async () => {
    // Two children of the 2021 plan: one too old for this year's plan (16 by its festival day), one still in it.
    const agedOut = await register('Cao Thị Mơ', '2009-03-15', 'Cao Văn Sơn');
    const stillIn = await register('Cao Minh Tú', '2015-03-03', 'Cao Văn Sơn', { memberId: agedOut.parents[0]!.memberId });
    const copy = await longbien.post(`/api/v1/campaigns/${plan45}/copy`, { year: 2026 });
    expect(copy.status).toBe(201);
    expect((await longbien.post(`/api/v1/campaigns/${copy.body.id}/issue`, {})).status).toBe(200);
    expect((await longbien.post(`/api/v1/campaigns/${plan45}/close`)).status).toBe(200);
    expect((await hanoi.post(`/api/v1/campaigns/${plan41}/close`)).status).toBe(200);

    const plans = [plan45, plan41, copy.body.id as string];
    const before = await figures(plans);
    const named = (await db().execute(sql`select count(*)::int as n from children where anonymized_at is null`)).rows[0] as { n: number };

    // Not yet: closed today, and five years have not passed.
    expect(await runChildrenRetention(db(), { years: 5 })).toMatchObject({ children: 0 });

    // Far in the future the 2021 plans are past the period; this year's plan is still open and keeps its children.
    const first = await runChildrenRetention(db(), { years: 5, today: '2040-01-01', batchSize: 7 });
    expect(first.children).toBeGreaterThan(0);
    expect(await anonymized(agedOut.id)).toBe(true);
    expect(await anonymized(stillIn.id)).toBe(false);
    expect(await figures(plans)).toEqual(before);
    const audit = (await db().execute(sql`select actor_email, after from audit_log where action = 'child.retention_anonymize' order by id`)).rows as {
      actor_email: string;
      after: { childIds: string[]; years: number };
    }[];
    expect(audit.flatMap((a) => a.after.childIds)).toHaveLength(first.children);
    expect(audit.every((a) => a.actor_email === 'system' && a.after.years === 5)).toBe(true);
    // A parent of a child still cared for keeps their name; the parent shared by both children is still linked.
    const [parent] = (await db().execute(sql`select full_name, anonymized_at from members where id = ${stillIn.parents[0]!.memberId}`)).rows as Record<string, unknown>[];
    expect(parent).toMatchObject({ full_name: 'Cao Văn Sơn', anonymized_at: null });

    // Once this year's plan is closed and its period over too, the rest go; the figures still do not move.
    expect((await longbien.post(`/api/v1/campaigns/${copy.body.id}/close`)).status).toBe(200);
    const second = await runChildrenRetention(db(), { years: 5, today: '2040-01-01' });
    expect(second.children).toBeGreaterThan(0);
    expect(second.members).toBeGreaterThan(0);
    expect(await anonymized(stillIn.id)).toBe(true);
    expect(await figures(plans)).toEqual(before);
    expect(first.children + second.children).toBeLessThanOrEqual(named.n);
    const khang = await db().execute(sql`select count(*)::int as n from children where full_name = 'Nguyễn Minh Khang'`);
    expect(khang.rows[0]).toEqual({ n: 0 });
    const [parent2] = (await db().execute(sql`select full_name, phone from members where id = ${stillIn.parents[0]!.memberId}`)).rows as Record<string, unknown>[];
    expect(parent2!['full_name']).toMatch(/^Thành viên đã ẩn danh /);
    expect(parent2!['phone']).toBeNull();

    // Safe to run again: nothing left to do.
    expect(await runChildrenRetention(db(), { years: 5, today: '2040-01-01' })).toMatchObject({ children: 0, members: 0 });
  });
});
