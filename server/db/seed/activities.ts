import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { activities, campaigns, orgs, sponsors } from '../schema/index';
import type { AuthContext } from '../../lib/authorization';
import type { CreateActivityInput } from '../../modules/activities/activities.schemas';
import { createActivity, createCommendation } from '../../modules/activities/activities.service';

type DemoActivity = Omit<CreateActivityInput, 'orgId' | 'participants' | 'cost' | 'topics'> & {
  org: string;
  participants?: Partial<CreateActivityInput['participants']>;
  cost?: number;
  topics?: string[];
};

const HOTLINE = 'Tổng đài quốc gia bảo vệ trẻ em 111 và Trung tâm Cung cấp dịch vụ công tác xã hội Hà Nội 0243.525.662';

/**
 * What the Long Biên unions did for Trung thu 2021, in the month Hà Nội was
 * under social distancing (Chỉ thị 16 until 21/9/2021): much went online
 * (Zoom, Zalo, Facebook), one festival night was cancelled because of the
 * epidemic and one postponed. Costs are small and paid from the unions' own
 * funds; the two unions of the demo officers (cdcs1, cdcs2) spend nothing,
 * so their money is whole for trying things out.
 */
export const DEMO_ACTIVITIES: DemoActivity[] = [
  {
    org: 'HN-LB',
    kind: 'festival_night',
    channel: 'facebook',
    title: 'Đêm hội trăng rằm trực tuyến “Trăng xa – Tình gần” cho con CNVCLĐ quận Long Biên',
    heldOn: '2021-09-20',
    place: 'Trang Facebook LĐLĐ quận Long Biên',
    topics: ['traditional_culture', 'child_protection', 'epidemic_safety'],
    description: 'Phát trực tiếp chương trình văn nghệ, rước đèn tại nhà và giao lưu trực tuyến với các cháu; giới thiệu các tấm gương con CNVCLĐ vượt khó học giỏi.',
    participants: { children: 860, parents: 410, members: 35 },
    reach: 12_500,
    status: 'held_online',
    statusNote: 'Dự kiến tổ chức tại Cung Văn hóa Thể thao Long Biên, chuyển sang trực tuyến do giãn cách xã hội.',
  },
  {
    org: 'LB-THCS-GT',
    kind: 'parent_training',
    channel: 'zalo',
    title: 'Tọa đàm qua Zalo “Cha mẹ đồng hành: phòng, chống xâm hại trẻ em trên môi trường mạng”',
    heldOn: '2021-09-15',
    place: 'Nhóm Zalo phụ huynh là đoàn viên Công đoàn Trường THCS Gia Thụy',
    topics: ['abuse_prevention', 'hotline_111', 'child_protection'],
    description: `Chia sẻ kỹ năng giúp con học trực tuyến an toàn, nhận biết dấu hiệu bị xâm hại trên mạng; phổ biến ${HOTLINE}.`,
    participants: { parents: 64, members: 38 },
    reach: 310,
    status: 'held',
  },
  {
    org: 'LB-BV-DG',
    kind: 'festival_night',
    channel: 'in_person',
    title: 'Đêm hội trăng rằm “Vui Tết Trung thu” cho con cán bộ, nhân viên Bệnh viện',
    heldOn: '2021-09-18',
    place: 'Hội trường tầng 5, Bệnh viện Đa khoa Đức Giang',
    topics: ['traditional_culture'],
    participants: {},
    status: 'cancelled_epidemic',
    statusNote: 'Không tổ chức tập trung theo Chỉ thị 16/CT-TTg; quà được gửi tới từng khoa, phòng.',
  },
  {
    org: 'LB-TH-NL',
    kind: 'competition',
    channel: 'facebook',
    title: 'Cuộc thi “Đèn Trung thu tự làm” cho con đoàn viên',
    heldOn: '2021-09-17',
    place: 'Trang Facebook Công đoàn Trường Tiểu học Ngọc Lâm',
    topics: ['homemade_toys', 'traditional_culture'],
    description: 'Các cháu làm đèn ông sao, đèn cá chép từ vật liệu tái chế cùng bố mẹ, gửi ảnh dự thi; 15 giải thưởng.',
    participants: { children: 126, parents: 90 },
    reach: 4_200,
    cost: 2_500_000,
    costSource: 'unit_funds',
    status: 'held_online',
    statusNote: 'Dự kiến trưng bày đèn tại sân trường, chuyển sang chấm ảnh trực tuyến.',
  },
  {
    org: 'LB-MN-HS',
    kind: 'parent_training',
    channel: 'zoom',
    title: 'Hướng dẫn cha mẹ cùng con làm đèn ông sao, mặt nạ giấy qua Zoom',
    heldOn: '2021-09-12',
    topics: ['homemade_toys'],
    description: 'Giáo viên hướng dẫn từng bước; vật liệu được gửi tới nhà các cháu trước buổi học.',
    participants: { children: 45, parents: 45, members: 20 },
    reach: 180,
    cost: 600_000,
    costSource: 'unit_funds',
    status: 'held',
  },
  {
    org: 'LB-THCS-AM',
    kind: 'visit_gifts',
    channel: 'in_person',
    title: 'Thăm, trao quà Trung thu tận nhà cho con đoàn viên có hoàn cảnh khó khăn',
    heldOn: '2021-09-19',
    place: 'Gia đình đoàn viên tại các phường Ngọc Lâm, Bồ Đề',
    topics: ['child_protection', 'study_encouragement'],
    participants: { children: 12, members: 6 },
    cost: 800_000,
    costSource: 'unit_funds',
    status: 'held',
  },
  {
    org: 'LB-THPT-NGT',
    kind: 'communication',
    channel: 'facebook',
    title: 'Chuỗi bài “Trung thu an toàn” trên trang Facebook Công đoàn trường',
    heldOn: '2021-09-14',
    place: 'Trang Facebook Công đoàn Trường THPT Nguyễn Gia Thiều',
    topics: ['epidemic_safety', 'child_rights', 'hotline_111'],
    description: `Năm bài viết và video ngắn về vui Trung thu tại nhà, quyền và bổn phận của trẻ em; ${HOTLINE}.`,
    participants: {},
    reach: 2_300,
    status: 'held',
  },
  {
    org: 'LB-TTYT',
    kind: 'festival_night',
    channel: 'in_person',
    title: 'Đêm hội trăng rằm cho con cán bộ y tế tuyến đầu chống dịch',
    heldOn: '2021-09-21',
    place: 'Sân Trung tâm Y tế quận Long Biên',
    topics: ['traditional_culture'],
    participants: {},
    status: 'postponed',
    statusNote: 'Hoãn đến khi kết thúc giãn cách xã hội; các cháu nhận quà tại nhà.',
  },
  {
    org: 'LB-UBND-BD',
    kind: 'festival_night',
    channel: 'zoom',
    title: 'Vui Trung thu trực tuyến cho con cán bộ, công chức phường Bồ Đề',
    heldOn: '2021-09-20',
    topics: ['traditional_culture', 'epidemic_safety'],
    participants: { children: 58, parents: 40, members: 25 },
    reach: 210,
    cost: 1_500_000,
    costSource: 'unit_funds',
    status: 'held_online',
    statusNote: 'Chuyển từ Nhà văn hóa phường sang Zoom do giãn cách xã hội.',
  },
  {
    org: 'LB-UBND-Q',
    kind: 'parent_training',
    channel: 'zoom',
    title: 'Tập huấn kỹ năng cho cha mẹ: bảo vệ con trước bạo lực, xâm hại trên mạng và ngoài đời thực',
    heldOn: '2021-09-11',
    topics: ['abuse_prevention', 'hotline_111', 'child_protection'],
    description: `Báo cáo viên của Trung tâm Cung cấp dịch vụ công tác xã hội Hà Nội; ${HOTLINE}.`,
    participants: { parents: 85, members: 70 },
    reach: 240,
    cost: 1_000_000,
    costSource: 'unit_funds',
    status: 'held',
  },
  {
    org: 'LB-MAY-DG',
    kind: 'festival_night',
    channel: 'in_person',
    title: 'Đêm hội trăng rằm cho con công nhân May Đức Giang',
    heldOn: '2021-09-21',
    place: 'Sân Công ty Cổ phần May Đức Giang, 59 phố Đức Giang',
    topics: ['traditional_culture'],
    participants: {},
    status: 'cancelled_epidemic',
    statusNote: 'Không tổ chức tập trung đông người theo yêu cầu phòng, chống dịch Covid-19.',
  },
  {
    org: 'LB-MAY-DG',
    kind: 'visit_gifts',
    channel: 'in_person',
    title: 'Trao quà Trung thu cho con công nhân tại các tổ sản xuất',
    heldOn: '2021-09-20',
    place: 'Các xưởng may, Công ty Cổ phần May Đức Giang',
    topics: ['child_protection'],
    participants: { children: 420, members: 300 },
    cost: 3_000_000,
    costSource: 'unit_funds',
    status: 'held',
  },
  {
    org: 'LB-DT-SD',
    kind: 'competition',
    channel: 'zalo',
    title: 'Cuộc thi ảnh “Trung thu của bé” qua nhóm Zalo công đoàn',
    heldOn: '2021-09-22',
    place: 'Nhóm Zalo Công đoàn Công ty TNHH Điện tử Sài Đồng',
    topics: ['traditional_culture', 'homemade_toys'],
    participants: { children: 75, parents: 60 },
    reach: 1_100,
    cost: 1_800_000,
    costSource: 'unit_funds',
    status: 'held',
  },
  {
    org: 'LB-XD-LB',
    kind: 'visit_gifts',
    channel: 'in_person',
    title: 'Thăm, tặng quà Trung thu con công nhân tại công trường',
    heldOn: '2021-09-18',
    place: 'Ban chỉ huy công trường nhà ở xã hội Thượng Thanh',
    topics: ['child_protection'],
    participants: { children: 30, members: 25 },
    cost: 900_000,
    costSource: 'unit_funds',
    status: 'held',
  },
  {
    org: 'LB-VT-LB',
    kind: 'communication',
    channel: 'zalo',
    title: 'Nhắn tin Zalo tới đoàn viên: số Tổng đài 111 và Trung tâm công tác xã hội Hà Nội',
    heldOn: '2021-09-08',
    place: 'Nhóm Zalo Công đoàn Công ty CP Vận tải Thủy bộ Long Biên',
    topics: ['hotline_111', 'abuse_prevention'],
    description: `Tin nhắn và áp phích điện tử: ${HOTLINE}.`,
    participants: {},
    reach: 650,
    status: 'held',
  },
];

/** Plan 45's activities across the Long Biên unions, and its commendations. */
export async function loadDemoActivities(db: Db, admin: AuthContext): Promise<void> {
  const [plan] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.docNumber, '45/KH-LĐLĐ'));
  if (!plan) return;
  const codeId = async (code: string) => (await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.code, code)))[0]!.id;

  let minute = 0;
  for (const { org, participants, cost, topics, ...a } of DEMO_ACTIVITIES) {
    const id = await createActivity(db, admin, plan.id, {
      ...a,
      orgId: await codeId(org),
      participants: { children: 0, parents: 0, members: 0, ...participants },
      cost: cost ?? 0,
      topics: topics ?? [],
    });
    // Recorded the day after, in the evening, not when the demo was loaded.
    minute += 7;
    const at = new Date(Date.parse(`${a.heldOn}T20:00:00+07:00`) + (24 * 60 + minute) * 60_000);
    await db.update(activities).set({ createdAt: at, updatedAt: at }).where(eq(activities.id, id));
  }

  const lb = await codeId('HN-LB');
  await createCommendation(db, admin, plan.id, {
    orgId: lb,
    subjectKind: 'person',
    personName: 'Nguyễn Thị Lan',
    personTitle: 'Chủ tịch Công đoàn Trường Tiểu học Ngọc Lâm',
    reason: 'Tổ chức sáng tạo cuộc thi “Đèn Trung thu tự làm” trực tuyến trong thời gian giãn cách xã hội, khuyến khích các cháu chơi đồ chơi tự tạo.',
    decisionNo: '152/QĐ-LĐLĐ',
    decisionDate: '2021-09-30',
  });
  // A sponsor of the district's (from the funds demo), else a second union officer.
  const [sponsor] = await db
    .select({ id: sponsors.id })
    .from(sponsors)
    .innerJoin(orgs, eq(orgs.id, sponsors.orgId))
    .where(eq(orgs.code, 'HN-LB'))
    .orderBy(asc(sponsors.sortKey), asc(sponsors.id))
    .limit(1);
  await createCommendation(
    db,
    admin,
    plan.id,
    sponsor
      ? {
          orgId: lb,
          subjectKind: 'sponsor',
          sponsorId: sponsor.id,
          reason: 'Đồng hành cùng LĐLĐ quận chăm lo Tết Trung thu năm 2021 cho con CNVCLĐ có hoàn cảnh khó khăn.',
          decisionNo: '153/QĐ-LĐLĐ',
          decisionDate: '2021-09-30',
        }
      : {
          orgId: lb,
          subjectKind: 'person',
          personName: 'Vũ Thị Hạnh',
          personTitle: 'Chủ tịch Công đoàn Công ty Cổ phần May Đức Giang',
          reason: 'Trao 420 suất quà Trung thu tận tổ sản xuất, bảo đảm an toàn phòng, chống dịch Covid-19.',
          decisionNo: '153/QĐ-LĐLĐ',
          decisionDate: '2021-09-30',
        },
  );
}
