import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { campaignAssignments, campaigns, orgs } from '../schema/index';
import type { AuthContext } from '../../lib/authorization';
import { noJobs } from '../../lib/jobs';
import { outboxOnlyMailer } from '../../lib/mailer';
import { createCampaign, issueCampaign } from '../../modules/campaigns/campaigns.service';
import { allocateBenefits } from '../../modules/benefits/benefits.service';
import { PLAN_45_PREAMBLE, PLAN_45_RECIPIENTS, PLAN_45_SECTIONS, PLAN_45_SIGNER } from './plan-45';

export const CITY_SECTIONS = [
  {
    heading: 'I. MỤC ĐÍCH, YÊU CẦU',
    body: `- Thể hiện sự quan tâm của các cấp Công đoàn Thủ đô đối với con CNVCLĐ nhân dịp Tết Trung thu năm 2021; ưu tiên trẻ em có hoàn cảnh đặc biệt khó khăn, trẻ em khuyết tật, nhiễm chất độc da cam/dioxin, con gia đình chính sách.

- Các hoạt động được tổ chức an toàn, thiết thực, phù hợp với tình hình phòng, chống dịch bệnh Covid-19 trên địa bàn Thành phố.`,
  },
  {
    heading: 'II. NỘI DUNG',
    body: `1. Thăm hỏi, tặng quà con CNVCLĐ có hoàn cảnh khó khăn.

- Mức quà tối thiểu 300.000 đồng/suất; trao học bổng, khen thưởng con CNVCLĐ vượt khó học giỏi năm học 2020-2021.

2. Truyền thông, giáo dục về quyền trẻ em, phòng, chống bạo lực, xâm hại trẻ em trên môi trường mạng; tuyên truyền Tổng đài 111.

3. Huy động nguồn lực xã hội để chăm lo cho con CNVCLĐ.`,
  },
  {
    heading: 'III. TỔ CHỨC THỰC HIỆN',
    body: `- LĐLĐ các quận, huyện, thị xã, công đoàn ngành, công đoàn cấp trên trực tiếp cơ sở xây dựng kế hoạch, triển khai tới 100% công đoàn cơ sở trực thuộc.

- Báo cáo kết quả về LĐLĐ Thành phố (qua Ban Nữ công) trước ngày 30/9/2021.`,
  },
];

/** Plan 41/KH-LĐLĐ of the city and Plan 45/KH-LĐLĐ of Long Biên implementing it, issued on the 2021 tree. */
export async function loadDemoCampaigns(db: Db, admin: AuthContext): Promise<void> {
  const codeId = async (code: string) => (await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.code, code)))[0]!.id;
  const deps = { db, jobs: noJobs, mailer: outboxOnlyMailer, publicUrl: 'http://localhost:3000' };

  const city = await createCampaign(db, admin, {
    issuingOrgId: await codeId('HN'),
    kind: 'trung_thu',
    year: 2021,
    docNumber: '41/KH-LĐLĐ',
    place: 'Hà Nội',
    issueDate: '2021-08-20',
    title: 'Kế hoạch tổ chức hoạt động “Tết Trung thu” cho con CNVCLĐ năm 2021',
    subject: 'Tổ chức hoạt động “Tết Trung thu” cho con CNVCLĐ năm 2021',
    preamble: 'Căn cứ Chương trình công tác năm 2021, Ban Thường vụ LĐLĐ Thành phố Hà Nội xây dựng kế hoạch tổ chức hoạt động “Tết Trung thu” cho con CNVCLĐ năm 2021 như sau:',
    sections: CITY_SECTIONS,
    recipients: ['Tổng LĐLĐ Việt Nam (để b/c);', 'Thường trực Thành ủy (để b/c);', 'LĐLĐ các quận, huyện, thị xã, CĐ ngành, CĐ cấp trên cơ sở;', 'Lưu: VT, NC.'],
    signer: { onBehalfOf: 'TM. BAN THƯỜNG VỤ', position: 'CHỦ TỊCH', name: 'Nguyễn Phi Thường' },
    reportDeadline: '2021-09-30',
    entryFrom: '2021-08-20',
    entryTo: '2021-09-30',
  });
  await issueCampaign(deps, admin, city, { asOf: '2021-08-20' });

  const district = await createCampaign(db, admin, {
    issuingOrgId: await codeId('HN-LB'),
    kind: 'trung_thu',
    year: 2021,
    docNumber: '45/KH-LĐLĐ',
    place: 'Long Biên',
    issueDate: '2021-08-24',
    title: 'Kế hoạch tổ chức hoạt động “Tết trung thu” cho con CNVCLĐ năm 2021',
    subject: 'Tổ chức hoạt động “Tết trung thu” cho con CNVCLĐ năm 2021.',
    implementsId: city,
    preamble: PLAN_45_PREAMBLE,
    sections: PLAN_45_SECTIONS,
    recipients: PLAN_45_RECIPIENTS,
    signer: PLAN_45_SIGNER,
    reportDeadline: '2021-09-25',
    entryFrom: '2021-08-24',
    entryTo: '2021-09-25',
  });
  await issueCampaign(deps, admin, district, { asOf: '2021-08-24' });

  // Issued on their own dates (08:00 in Vietnam), not when the demo was loaded.
  await db.execute(sql`update campaigns set issued_at = (issue_date::timestamp + interval '1 hour') at time zone 'UTC' where id in (${city}, ${district})`);

  // Who received what, and when (every Long Biên union but two; both districts for the city plan).
  const officers: Record<string, string> = {
    'LB-BV-DG': 'Đỗ Quang Huy',
    'LB-TH-NL': 'Nguyễn Thị Lan',
    'LB-MN-HS': 'Trần Thị Thu Hà',
    'LB-THCS-AM': 'Lê Thị Minh Nguyệt',
    'LB-THPT-NGT': 'Phạm Văn Thắng',
    'LB-TTYT': 'Ngô Thị Bích',
    'LB-UBND-BD': 'Hoàng Văn Nam',
    'LB-MAY-DG': 'Vũ Thị Hạnh',
    'LB-DT-SD': 'Đặng Minh Tuấn',
    'LB-XD-LB': 'Bùi Văn Long',
    'LB-VT-LB': 'Trịnh Văn Sơn',
    'LB-XD-SD': 'Phan Thị Mai',
  };
  let minute = 0;
  for (const [code, name] of Object.entries(officers)) {
    minute += 37;
    await db
      .update(campaignAssignments)
      .set({ acknowledgedAt: sql`timestamptz '2021-08-25 08:00:00+07' + ${`${minute} minutes`}::interval`, acknowledgedByName: name })
      .where(sql`${campaignAssignments.campaignId} = ${district} and ${campaignAssignments.orgId} = ${await codeId(code)}`);
  }
  for (const [code, name, at] of [
    ['HN-LB', 'Lê Văn Đức', '2021-08-20 15:10:00+07'],
    ['HN-HK', 'Bùi Anh Tuấn', '2021-08-21 09:05:00+07'],
  ] as const) {
    await db
      .update(campaignAssignments)
      .set({ acknowledgedAt: new Date(at.replace(' ', 'T').replace('+07', '+07:00')), acknowledgedByName: name })
      .where(sql`${campaignAssignments.campaignId} = ${city} and ${campaignAssignments.orgId} = ${await codeId(code)}`);
  }
}

/**
 * Plan 45's gifts: each Long Biên union allocated within a budget of 20 gifts,
 * approved them, and handed about three in four over on the festival night.
 * The two unions of the demo officers (cdcs1, cdcs2) have not started, so
 * their officers can try allocation and delivery from the beginning.
 */
export async function loadDemoBenefits(db: Db, admin: AuthContext): Promise<void> {
  const [plan] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.docNumber, '45/KH-LĐLĐ'));
  const units = await db.execute(sql`
    select distinct c.org_id from children c join campaign_assignments a on a.org_id = c.org_id and a.campaign_id = ${plan!.id}
    join orgs o on o.id = c.org_id where o.code not in ('LB-THCS-GT', 'LB-BV-DG') order by c.org_id`);
  for (const { org_id } of units.rows as { org_id: number }[]) {
    await allocateBenefits(db, admin, plan!.id, { orgId: org_id, budget: 20 * 300_000, kinds: ['gift'] });
  }
  await db.execute(sql`update benefits set status = 'approved', approved_at = timestamptz '2021-09-15 09:00:00+07' where campaign_id = ${plan!.id}`);
  await db.execute(sql`
    update benefits b set status = 'delivered', delivered_at = timestamptz '2021-09-21 19:30:00+07',
      received_by = (select m.full_name from child_parents p join members m on m.id = p.member_id where p.child_id = b.child_id order by m.full_name limit 1)
    where b.campaign_id = ${plan!.id} and ('x' || substr(md5(b.id::text), 1, 8))::bit(32)::int % 4 <> 0`);
}
