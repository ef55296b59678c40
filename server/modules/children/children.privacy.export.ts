import { and, desc, eq, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client';
import { benefits, campaigns, childParents, duplicateDismissals, earmarks, members, orgs, sponsors } from '../../db/schema/index';
import { renderOfficialDocument, type DocumentTable, type OfficialDocument } from '../../lib/official-document';
import { ACHIEVEMENT_LABELS, CIRCUMSTANCE_LABELS, DISABILITY_LEVEL_LABELS, SENSITIVE_CIRCUMSTANCES, type AchievementEntry, type CircumstanceEntry } from '../../../common/children';
import { formatDate, formatDateTime, formatMoney } from '../../../common/format';
import { kindLabel } from '../benefits/benefits.queries';
import type { BenefitStatus } from '../benefits/benefits.schemas';
import { FUND_SOURCE_LABELS } from '../funds/funds.schemas';
import { campaignSettings } from './children.eligibility';
import type { ChildWithOrg } from './children.queries';
import type { Consent } from './children.service';

/*
 * A data subject's export: everything held on one child, as JSON and as a
 * readable Word document in the official format (Nghị định 30/2020).
 */

const consentOut = z
  .object({
    givenBy: z.string(),
    date: z.string(),
    method: z.enum(['paper', 'app']),
    recordedBy: z.string(),
    recordedAt: z.string(),
    withdrawnAt: z.string().optional(),
    withdrawnBy: z.enum(['parent', 'child']).optional(),
    withdrawalRecordedBy: z.string().optional(),
  })
  .nullable();

export const dataExportOut = z.object({
  exportedAt: z.string(),
  exportedBy: z.string(),
  child: z.object({
    id: z.string(),
    orgId: z.number().int(),
    orgName: z.string(),
    fullName: z.string(),
    birthDate: z.string(),
    sex: z.enum(['male', 'female']),
    school: z.string().nullable(),
    grade: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    anonymizedAt: z.string().nullable(),
  }),
  parents: z.array(
    z.object({
      memberId: z.string(),
      fullName: z.string(),
      orgId: z.number().int(),
      orgName: z.string(),
      department: z.string().nullable(),
      phone: z.string().nullable(),
      idNumber: z.string().nullable(),
      isUnionMember: z.boolean(),
    }),
  ),
  consents: z.object({ parent: consentOut, child: consentOut }),
  circumstances: z.array(z.object({ code: z.string(), level: z.string().optional(), note: z.string().optional(), sensitive: z.boolean() })),
  achievements: z.array(z.object({ schoolYear: z.string(), level: z.string(), note: z.string().optional() })),
  duplicateRulings: z.array(z.object({ otherChildId: z.string(), reason: z.string().nullable(), at: z.string() })),
  benefits: z.array(
    z.object({
      id: z.string(),
      campaignId: z.string(),
      campaign: z.string(),
      kind: z.string(),
      kindLabel: z.string(),
      value: z.number(),
      fundingSource: z.string(),
      sponsor: z.string().nullable(),
      status: z.string(),
      note: z.string().nullable(),
      createdAt: z.string(),
      approvedAt: z.string().nullable(),
      deliveredAt: z.string().nullable(),
      receivedBy: z.string().nullable(),
      cancelledAt: z.string().nullable(),
      cancelReason: z.string().nullable(),
    }),
  ),
  sponsorships: z.array(
    z.object({
      id: z.string(),
      campaignId: z.string(),
      campaign: z.string(),
      sponsor: z.string(),
      amount: z.number(),
      periodFrom: z.string().nullable(),
      periodTo: z.string().nullable(),
      note: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  audit: z.array(
    z.object({
      at: z.string(),
      action: z.string(),
      actor: z.string().nullable(),
      entityType: z.string(),
      entityId: z.string(),
      before: z.unknown(),
      after: z.unknown(),
    }),
  ),
});
export type DataExport = z.infer<typeof dataExportOut>;

const iso = (v: Date | string | null | undefined) => (v === null || v === undefined ? null : new Date(v).toISOString());
const AUDIT_LIMIT = 2000;

/** Everything held on one child (the caller was checked: sensitive-data permission for its unit). */
export async function buildDataExport(db: DbOrTx, row: ChildWithOrg, exportedBy: string): Promise<DataExport> {
  const parents = await db
    .select({
      memberId: members.id,
      fullName: members.fullName,
      orgId: members.orgId,
      orgName: orgs.name,
      department: members.department,
      phone: members.phone,
      idNumber: members.idNumber,
      isUnionMember: members.isUnionMember,
    })
    .from(childParents)
    .innerJoin(members, eq(members.id, childParents.memberId))
    .innerJoin(orgs, eq(orgs.id, members.orgId))
    .where(eq(childParents.childId, row.id))
    .orderBy(members.sortKey);

  const given = await db
    .select({ b: benefits, docNumber: campaigns.docNumber, title: campaigns.title, settings: campaigns.settings, sponsor: sponsors.name })
    .from(benefits)
    .innerJoin(campaigns, eq(campaigns.id, benefits.campaignId))
    .leftJoin(sponsors, eq(sponsors.id, benefits.sponsorId))
    .where(eq(benefits.childId, row.id))
    .orderBy(benefits.createdAt);

  const sponsorships = await db
    .select({ e: earmarks, docNumber: campaigns.docNumber, title: campaigns.title, sponsor: sponsors.name })
    .from(earmarks)
    .innerJoin(campaigns, eq(campaigns.id, earmarks.campaignId))
    .innerJoin(sponsors, eq(sponsors.id, earmarks.sponsorId))
    .where(eq(earmarks.childId, row.id))
    .orderBy(earmarks.createdAt);

  const rulings = await db
    .select()
    .from(duplicateDismissals)
    .where(or(eq(duplicateDismissals.childA, row.id), eq(duplicateDismissals.childB, row.id)))
    .orderBy(duplicateDismissals.createdAt);

  const benefitIds = given.map((g) => g.b.id).join(',');
  const earmarkIds = sponsorships.map((s) => s.e.id).join(',');
  const audit = (
    await db.execute(sql`
      select at, action, actor_email, entity_type, entity_id, before, after from audit_log
      where (entity_type = 'child' and entity_id = ${row.id})
         or (entity_type = 'benefit' and entity_id = any(string_to_array(${benefitIds}, ',')))
         or (entity_type = 'earmark' and entity_id = any(string_to_array(${earmarkIds}, ',')))
         or (action in ('child.sensitive_read', 'child.retention_anonymize') and (after -> 'childIds') @> ${JSON.stringify([row.id])}::jsonb)
      order by id
      limit ${AUDIT_LIMIT}`)
  ).rows as { at: string | Date; action: string; actor_email: string | null; entity_type: string; entity_id: string; before: unknown; after: unknown }[];

  const circumstances = ((row.circumstances as CircumstanceEntry[]) ?? []).map((c) => ({
    code: c.code,
    ...(c.level ? { level: c.level } : {}),
    ...(c.note ? { note: c.note } : {}),
    sensitive: SENSITIVE_CIRCUMSTANCES.has(c.code),
  }));
  return {
    exportedAt: new Date().toISOString(),
    exportedBy,
    child: {
      id: row.id,
      orgId: row.orgId,
      orgName: row.orgName,
      fullName: row.fullName,
      birthDate: row.birthDate,
      sex: row.sex as 'male' | 'female',
      school: row.school,
      grade: row.grade,
      createdAt: iso(row.createdAt)!,
      updatedAt: iso(row.updatedAt)!,
      anonymizedAt: iso(row.anonymizedAt),
    },
    parents,
    consents: { parent: (row.parentConsent as Consent | null) ?? null, child: (row.childConsent as Consent | null) ?? null },
    circumstances,
    achievements: ((row.achievements as AchievementEntry[]) ?? []).map((a) => ({ schoolYear: a.schoolYear, level: a.level, ...(a.note ? { note: a.note } : {}) })),
    duplicateRulings: rulings.map((d) => ({ otherChildId: d.childA === row.id ? d.childB : d.childA, reason: d.reason, at: iso(d.createdAt)! })),
    benefits: given.map(({ b, docNumber, title, settings, sponsor }) => ({
      id: b.id,
      campaignId: b.campaignId,
      campaign: `${docNumber} – ${title}`,
      kind: b.kind,
      kindLabel: kindLabel(campaignSettings({ settings }), b.kind, b.item),
      value: Number(b.value),
      fundingSource: b.fundingSource,
      sponsor: sponsor ?? null,
      status: b.status,
      note: b.note,
      createdAt: iso(b.createdAt)!,
      approvedAt: iso(b.approvedAt),
      deliveredAt: iso(b.deliveredAt),
      receivedBy: b.receivedBy,
      cancelledAt: iso(b.cancelledAt),
      cancelReason: b.cancelReason,
    })),
    sponsorships: sponsorships.map(({ e, docNumber, title, sponsor }) => ({
      id: e.id,
      campaignId: e.campaignId,
      campaign: `${docNumber} – ${title}`,
      sponsor,
      amount: Number(e.amount),
      periodFrom: e.periodFrom,
      periodTo: e.periodTo,
      note: e.note,
      createdAt: iso(e.createdAt)!,
    })),
    audit: audit.map((a) => ({
      at: iso(a.at)!,
      action: a.action,
      actor: a.actor_email,
      entityType: a.entity_type,
      entityId: a.entity_id,
      before: a.before ?? null,
      after: a.after ?? null,
    })),
  };
}

// ------------------------------------------------------------------ the Word document

const STATUS_VI: Record<BenefitStatus, string> = { planned: 'Dự kiến', approved: 'Đã duyệt', delivered: 'Đã giao', cancelled: 'Đã hủy' };
const SOURCE_VI: Record<string, string> = Object.fromEntries(Object.entries(FUND_SOURCE_LABELS).map(([k, v]) => [k, v.vi]));
const METHOD_VI = { paper: 'bằng giấy', app: 'trên ứng dụng' } as const;
const ACTION_VI: Record<string, string> = {
  'child.create': 'Lập hồ sơ',
  'child.update': 'Sửa hồ sơ',
  'child.import_update': 'Cập nhật hồ sơ khi nhập Excel',
  'child.sensitive_read': 'Xem thông tin nhạy cảm',
  'child.not_duplicate': 'Xác nhận không phải cùng một trẻ',
  'child.data_export': 'Trích xuất dữ liệu theo yêu cầu',
  'child.consent_withdraw': 'Rút lại sự đồng ý; ẩn danh hồ sơ',
  'child.erase': 'Xóa dữ liệu theo yêu cầu',
  'child.retention_anonymize': 'Ẩn danh khi hết thời hạn lưu trữ',
  'benefit.create': 'Đề xuất quà, học bổng',
  'benefit.update': 'Sửa suất quà',
  'benefit.approve': 'Duyệt suất quà',
  'benefit.unapprove': 'Bỏ duyệt suất quà',
  'benefit.deliver': 'Giao quà',
  'benefit.cancel': 'Hủy suất quà',
  'benefit.over_budget': 'Chi vượt ngân sách',
  'fund.earmark': 'Nhận đỡ đầu, tài trợ cho trẻ',
};

/** Text that came from people, printed as it is (no bold markup, one line). */
const plain = (s: string | null | undefined) => (s ?? '').replace(/\*\*/g, '*').replace(/\s*\n\s*/g, ' ').trim();
const line = (label: string, value: string | null | undefined) => `- ${label}: ${plain(value) || 'không có'}.`;

function consentLines(who: string, c: Consent | null): string[] {
  if (!c) return [`- Sự đồng ý của ${who}: chưa ghi nhận.`];
  const lines = [`- Sự đồng ý của ${who}: ${plain(c.givenBy)}, ngày ${formatDate(c.date)}, ${METHOD_VI[c.method]}; ghi nhận bởi ${plain(c.recordedBy)} lúc ${formatDateTime(c.recordedAt)}.`];
  if (c.withdrawnAt)
    lines.push(`- Đã rút lại sự đồng ý (${c.withdrawnBy === 'child' ? 'trẻ' : 'cha/mẹ hoặc người giám hộ'}) lúc ${formatDateTime(c.withdrawnAt)}; ghi nhận bởi ${plain(c.withdrawalRecordedBy)}.`);
  return lines;
}

const table = (columns: DocumentTable['columns'], rows: string[][]): DocumentTable => ({ columns, rows: rows.map((cells) => ({ cells })) });

export interface DataExportHeader {
  parentName: string | null;
  unitName: string;
  unitKind: string;
  place: string | null;
  today: string;
}

/** The readable export as an official THÔNG BÁO of the child's unit. */
export function dataExportDocument(e: DataExport, h: DataExportHeader): OfficialDocument {
  const c = e.child;
  const section1 = [
    line('Họ và tên', c.fullName),
    line('Ngày sinh', formatDate(c.birthDate)),
    line('Giới tính', c.sex === 'female' ? 'Nữ' : 'Nam'),
    line('Đơn vị quản lý hồ sơ', c.orgName),
    line('Trường', c.school),
    line('Lớp', c.grade),
    line('Ngày lập hồ sơ', formatDateTime(c.createdAt)),
    ...(c.anonymizedAt ? [`- Hồ sơ đã được ẩn danh lúc ${formatDateTime(c.anonymizedAt)}: các thông tin trên không còn là thông tin thật của trẻ.`] : []),
  ];
  const parentsTable = table(
    [
      { title: 'Họ và tên', width: 26 },
      { title: 'Đơn vị', width: 30 },
      { title: 'Điện thoại', width: 16 },
      { title: 'Số CCCD', width: 16 },
      { title: 'Đoàn viên', width: 12, align: 'center' },
    ],
    e.parents.map((p) => [plain(p.fullName), plain(p.orgName) + (p.department ? `\n${plain(p.department)}` : ''), plain(p.phone), plain(p.idNumber), p.isUnionMember ? 'Có' : 'Không']),
  );
  const circumstances = e.circumstances.length
    ? e.circumstances.map((x) => {
        const label = CIRCUMSTANCE_LABELS[x.code as keyof typeof CIRCUMSTANCE_LABELS]?.vi ?? x.code;
        const level = x.level ? ` (mức độ: ${DISABILITY_LEVEL_LABELS[x.level as keyof typeof DISABILITY_LEVEL_LABELS] ?? x.level})` : '';
        return `- ${label}${level}${x.sensitive ? ' – dữ liệu nhạy cảm' : ''}${x.note ? `: ${plain(x.note)}` : ''}.`;
      })
    : ['- Không có hoàn cảnh ưu tiên nào được ghi nhận.'];
  const achievements = e.achievements.length
    ? e.achievements.map((a) => `- Năm học ${a.schoolYear}: ${ACHIEVEMENT_LABELS[a.level as keyof typeof ACHIEVEMENT_LABELS]?.vi ?? a.level}${a.note ? ` (${plain(a.note)})` : ''}.`)
    : ['- Không có thành tích nào được ghi nhận.'];
  const benefitsTable = table(
    [
      { title: 'Kế hoạch', width: 28 },
      { title: 'Loại', width: 18 },
      { title: 'Giá trị', width: 16, align: 'right' },
      { title: 'Nguồn', width: 18 },
      { title: 'Trạng thái', width: 20 },
    ],
    e.benefits.map((b) => [
      plain(b.campaign),
      plain(b.kindLabel),
      formatMoney(b.value),
      b.fundingSource === 'sponsor' && b.sponsor ? `Tài trợ: ${plain(b.sponsor)}` : (SOURCE_VI[b.fundingSource] ?? b.fundingSource),
      [
        STATUS_VI[b.status as BenefitStatus] ?? b.status,
        b.deliveredAt ? formatDateTime(b.deliveredAt) : '',
        b.receivedBy ? `Người nhận: ${plain(b.receivedBy)}` : '',
        b.cancelReason ? `Lý do hủy: ${plain(b.cancelReason)}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    ]),
  );
  const sponsorshipTable = table(
    [
      { title: 'Kế hoạch', width: 30 },
      { title: 'Nhà tài trợ', width: 26 },
      { title: 'Số tiền', width: 18, align: 'right' },
      { title: 'Thời gian', width: 26 },
    ],
    e.sponsorships.map((s) => [
      plain(s.campaign),
      plain(s.sponsor),
      formatMoney(s.amount),
      [s.periodFrom || s.periodTo ? `${formatDate(s.periodFrom)} – ${formatDate(s.periodTo)}` : '', s.note ? plain(s.note) : ''].filter(Boolean).join('\n'),
    ]),
  );
  const auditTable = table(
    [
      { title: 'Thời điểm', width: 22 },
      { title: 'Thao tác', width: 44 },
      { title: 'Người thực hiện', width: 34 },
    ],
    e.audit.map((a) => [formatDateTime(a.at), ACTION_VI[a.action] ?? a.action, a.actor === 'system' ? 'Hệ thống' : plain(a.actor)]),
  );
  const none = (n: number, what: string) => (n === 0 ? `Không có ${what}.` : '');

  return {
    parentBody: h.parentName ?? '',
    issuingBody: h.unitName,
    number: `/TB-${h.unitKind === 'grassroots' ? 'CĐCS' : 'CĐ'}`,
    place: h.place ?? '……………',
    date: h.today,
    kindTitle: 'THÔNG BÁO',
    subject: `Cung cấp dữ liệu cá nhân của trẻ theo yêu cầu của chủ thể dữ liệu`,
    preamble: [
      `Theo yêu cầu của cha, mẹ hoặc người giám hộ của trẻ (Luật Bảo vệ dữ liệu cá nhân năm 2025, Nghị định số 356/2025/NĐ-CP), ${plain(h.unitName)} cung cấp toàn bộ dữ liệu cá nhân của trẻ đang được lưu giữ trên hệ thống chăm lo con CNVCLĐ, như sau:`,
    ].join('\n\n'),
    sections: [
      { heading: 'I. THÔNG TIN CỦA TRẺ', body: section1.join('\n') },
      { heading: 'II. CHA, MẸ HOẶC NGƯỜI GIÁM HỘ', body: none(e.parents.length, 'thông tin cha, mẹ hoặc người giám hộ nào'), table: e.parents.length ? parentsTable : undefined },
      { heading: 'III. SỰ ĐỒNG Ý XỬ LÝ DỮ LIỆU CÁ NHÂN', body: [...consentLines('cha, mẹ hoặc người giám hộ', e.consents.parent), ...consentLines('trẻ', e.consents.child)].join('\n') },
      {
        heading: 'IV. HOÀN CẢNH VÀ THÀNH TÍCH HỌC TẬP',
        body: ['Dữ liệu về sức khỏe, khuyết tật, hoàn cảnh nghèo là dữ liệu cá nhân nhạy cảm.', '', ...circumstances, '', ...achievements].join('\n'),
      },
      { heading: 'V. QUÀ, HỌC BỔNG, KHEN THƯỞNG', body: none(e.benefits.length, 'suất quà, học bổng hay khen thưởng nào'), table: e.benefits.length ? benefitsTable : undefined },
      { heading: 'VI. NHẬN ĐỠ ĐẦU, TÀI TRỢ CHO TRẺ', body: none(e.sponsorships.length, 'khoản nhận đỡ đầu hay tài trợ riêng nào'), table: e.sponsorships.length ? sponsorshipTable : undefined },
      {
        heading: 'VII. NHẬT KÝ TRUY CẬP VÀ THAY ĐỔI',
        body: e.audit.length ? 'Những lần hồ sơ của trẻ được lập, sửa, xem thông tin nhạy cảm hoặc trích xuất:' : 'Không có.',
        table: e.audit.length ? auditTable : undefined,
      },
    ],
    closing: `Dữ liệu trên được trích xuất từ hệ thống lúc ${formatDateTime(e.exportedAt)}. Văn bản có dữ liệu cá nhân nhạy cảm của trẻ; đề nghị bảo quản cẩn thận, không chia sẻ cho người không có trách nhiệm./.`,
    recipients: ['Cha, mẹ hoặc người giám hộ của trẻ;', 'Lưu: VT.'],
    signer: { onBehalfOf: h.unitKind === 'grassroots' ? 'TM. BAN CHẤP HÀNH' : 'TM. BAN THƯỜNG VỤ', position: 'CHỦ TỊCH', name: '' },
  };
}

/** The child's unit, its parent, and the place written on the plans above it (for the date line). */
export async function dataExportHeader(db: DbOrTx, row: ChildWithOrg, today: string): Promise<DataExportHeader> {
  const [unit] = await db.select({ name: orgs.name, kind: orgs.kind, parentId: orgs.parentId }).from(orgs).where(eq(orgs.id, row.orgId));
  const [parent] = unit?.parentId ? await db.select({ name: orgs.name }).from(orgs).where(eq(orgs.id, unit.parentId)) : [];
  const [plan] = await db
    .select({ place: campaigns.place })
    .from(campaigns)
    .innerJoin(orgs, eq(orgs.id, campaigns.issuingOrgId))
    .where(and(sql`${row.orgPath}::ltree <@ ${orgs.path}`, sql`${campaigns.status} <> 'draft'`))
    .orderBy(desc(campaigns.issueDate))
    .limit(1);
  return { parentName: parent?.name ?? null, unitName: unit?.name ?? row.orgName, unitKind: unit?.kind ?? 'grassroots', place: plan?.place ?? null, today };
}

export function renderDataExportDocx(e: DataExport, h: DataExportHeader): Promise<Buffer> {
  return renderOfficialDocument(dataExportDocument(e, h));
}
