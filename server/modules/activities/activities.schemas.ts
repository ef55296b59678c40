import { z } from 'zod';
import { isoDate, unitId, unitIdParam } from '../../lib/http/schemas';

export const ACTIVITY_KINDS = ['festival_night', 'visit_gifts', 'communication', 'parent_training', 'competition', 'other'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ACTIVITY_CHANNELS = ['in_person', 'zoom', 'zalo', 'facebook', 'other_online'] as const;
export type ActivityChannel = (typeof ACTIVITY_CHANNELS)[number];
export const ACTIVITY_STATUSES = ['planned', 'held', 'held_online', 'postponed', 'cancelled_epidemic', 'cancelled_other'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export const COST_SOURCES = ['unit_funds', 'upper_funds', 'sponsor'] as const;
export type CostSource = (typeof COST_SOURCES)[number];
/** Topics the plan asks units to talk about; a topic outside this list is kept as written. */
export const ACTIVITY_TOPICS = ['child_protection', 'abuse_prevention', 'hotline_111', 'child_rights', 'homemade_toys', 'traditional_culture', 'study_encouragement', 'epidemic_safety'] as const;
export type ActivityTopic = (typeof ACTIVITY_TOPICS)[number];
export const EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];
export const COMMENDATION_SUBJECTS = ['person', 'sponsor'] as const;

export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  festival_night: 'Đêm hội trăng rằm',
  visit_gifts: 'Thăm hỏi, tặng quà',
  communication: 'Truyền thông, giáo dục',
  parent_training: 'Tập huấn cho cha mẹ',
  competition: 'Cuộc thi',
  other: 'Hoạt động khác',
};
export const ACTIVITY_CHANNEL_LABELS: Record<ActivityChannel, string> = {
  in_person: 'Trực tiếp',
  zoom: 'Zoom',
  zalo: 'Zalo',
  facebook: 'Facebook',
  other_online: 'Trực tuyến khác',
};
export const ACTIVITY_STATUS_LABELS: Record<ActivityStatus, string> = {
  planned: 'Dự kiến',
  held: 'Đã tổ chức',
  held_online: 'Chuyển sang trực tuyến',
  postponed: 'Hoãn',
  cancelled_epidemic: 'Hủy do dịch bệnh',
  cancelled_other: 'Hủy (lý do khác)',
};
export const ACTIVITY_TOPIC_LABELS: Record<ActivityTopic, string> = {
  child_protection: 'Bảo vệ, chăm sóc và giáo dục trẻ em',
  abuse_prevention: 'Phòng, chống bạo lực, xâm hại trẻ em trên môi trường mạng và ngoài đời thực',
  hotline_111: 'Tổng đài quốc gia bảo vệ trẻ em 111 và số điện thoại của Trung tâm công tác xã hội thành phố',
  child_rights: 'Quyền và bổn phận của trẻ em',
  homemade_toys: 'Đồ chơi tự làm, đồ chơi sản xuất trong nước',
  traditional_culture: 'Nét đẹp truyền thống Tết Trung thu',
  study_encouragement: 'Khuyến học, vượt khó học giỏi',
  epidemic_safety: 'An toàn phòng, chống dịch Covid-19',
};

export const isOnline = (channel: ActivityChannel) => channel !== 'in_person';
export const isCancelled = (status: ActivityStatus) => status === 'cancelled_epidemic' || status === 'cancelled_other';

const text = (max: number) => z.string().trim().max(max);
const count = z.number().int().min(0).max(1_000_000);
const money = z.number().int().min(0).max(1_000_000_000);
const topic = z.string().trim().min(2).max(200);

const participants = z.object({
  children: count.default(0),
  parents: count.default(0),
  members: count.default(0),
});

const activityFields = {
  kind: z.enum(ACTIVITY_KINDS),
  channel: z.enum(ACTIVITY_CHANNELS),
  title: text(300).min(3),
  heldOn: isoDate,
  /** Where (in person), or a note on the group or page (online). */
  place: text(300).nullish(),
  /** The meeting or the post (online). */
  link: z.string().trim().max(1000).url().nullish(),
  /** Known codes (ACTIVITY_TOPICS) or topics written out. */
  topics: z.array(topic).max(20).default([]),
  description: text(4000).nullish(),
  participants,
  /** Views or people reached, for an online activity. */
  reach: z.number().int().min(0).max(1_000_000_000).nullish(),
  /** Whole đồng. */
  cost: money.default(0),
  /** Required when cost > 0. */
  costSource: z.enum(COST_SOURCES).nullish(),
  /** Required when costSource is "sponsor". */
  costSponsorId: z.string().uuid().nullish(),
  status: z.enum(ACTIVITY_STATUSES),
  /** Why it was postponed or cancelled (required then), or any note on how it went. */
  statusNote: text(1000).nullish(),
};

export const createActivityBody = z.object({
  /** The unit that held it: the issuing unit or a unit the plan is addressed to, within the caller's scope. */
  orgId: unitId,
  ...activityFields,
});
export type CreateActivityInput = z.infer<typeof createActivityBody>;

export const updateActivityBody = z
  .object({
    kind: activityFields.kind.optional(),
    channel: activityFields.channel.optional(),
    title: activityFields.title.optional(),
    heldOn: isoDate.optional(),
    place: activityFields.place,
    link: activityFields.link,
    topics: z.array(topic).max(20).optional(),
    description: activityFields.description,
    participants: z.object({ children: count.optional(), parents: count.optional(), members: count.optional() }).optional(),
    reach: activityFields.reach,
    cost: money.optional(),
    costSource: activityFields.costSource,
    costSponsorId: activityFields.costSponsorId,
    status: activityFields.status.optional(),
    statusNote: activityFields.statusNote,
    /** The version read; a change made since answers 409. */
    version: z.number().int().positive(),
  })
  .strict();
export type UpdateActivityInput = z.infer<typeof updateActivityBody>;

export const activityListQuery = z.object({
  /** The unit whose activities (and its subtree's) to list; default the caller's own unit. */
  orgId: unitIdParam.optional(),
  kind: z.enum(ACTIVITY_KINDS).optional(),
  status: z.enum(ACTIVITY_STATUSES).optional(),
});

export const activityFileOut = z.object({
  id: z.string(),
  activityId: z.string(),
  fileName: z.string(),
  /** Detected from the content, not from the name. */
  contentType: z.enum(EVIDENCE_TYPES),
  size: z.number().int(),
  sha256: z.string(),
  /** GET it for the bytes. */
  url: z.string(),
  /** A small WebP preview (images only), else null. */
  thumbnailUrl: z.string().nullable(),
  createdAt: z.string(),
});
export type ActivityFileOut = z.infer<typeof activityFileOut>;

export const activityOut = z.object({
  id: z.string(),
  campaignId: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  kind: z.enum(ACTIVITY_KINDS),
  kindName: z.string(),
  channel: z.enum(ACTIVITY_CHANNELS),
  online: z.boolean(),
  title: z.string(),
  heldOn: z.string(),
  place: z.string().nullable(),
  link: z.string().nullable(),
  topics: z.array(z.string()),
  description: z.string().nullable(),
  participants: z.object({ children: z.number().int(), parents: z.number().int(), members: z.number().int(), total: z.number().int() }),
  reach: z.number().int().nullable(),
  cost: z.number().int(),
  costSource: z.enum(COST_SOURCES).nullable(),
  costSponsorId: z.string().nullable(),
  costSponsorName: z.string().nullable(),
  status: z.enum(ACTIVITY_STATUSES),
  statusName: z.string(),
  statusNote: z.string().nullable(),
  files: z.array(activityFileOut),
  /** The caller may change it, add and remove its files. */
  canWrite: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type ActivityOut = z.infer<typeof activityOut>;

export const activityTotalsOut = z.object({
  count: z.number().int(),
  /** Held, in person or online instead. */
  held: z.number().int(),
  /** Of those held, online. */
  heldOnline: z.number().int(),
  cancelled: z.number().int(),
  postponed: z.number().int(),
  /** Participants of the activities held. */
  participants: z.object({ children: z.number().int(), parents: z.number().int(), members: z.number().int(), total: z.number().int() }),
  /** Views of the online activities held. */
  reach: z.number().int(),
  /** Cost of the activities not cancelled. */
  cost: z.number().int(),
  byKind: z.array(z.object({ kind: z.enum(ACTIVITY_KINDS), name: z.string(), count: z.number().int(), held: z.number().int() })),
});

export const activityListOut = z.object({
  items: z.array(activityOut),
  totals: activityTotalsOut,
  /** The unit listed, and whether the caller may record an activity for it. */
  org: z.object({ id: z.number().int(), name: z.string(), canCreate: z.boolean() }),
});

export const activityFileListOut = z.object({ items: z.array(activityFileOut) });

export const createCommendationBody = z
  .object({
    /** The unit that commends. */
    orgId: unitId,
    subjectKind: z.enum(COMMENDATION_SUBJECTS),
    /** For a person: the name, and their position or unit. */
    personName: text(200).min(2).nullish(),
    personTitle: text(300).nullish(),
    /** For a sponsor. */
    sponsorId: z.string().uuid().nullish(),
    reason: text(2000).min(3),
    /** e.g. "125/QĐ-LĐLĐ". */
    decisionNo: text(100).nullish(),
    decisionDate: isoDate.nullish(),
  })
  .strict();
export type CreateCommendationInput = z.infer<typeof createCommendationBody>;

export const commendationOut = z.object({
  id: z.string(),
  campaignId: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  subjectKind: z.enum(COMMENDATION_SUBJECTS),
  /** The person's name, or the sponsor's. */
  name: z.string(),
  personName: z.string().nullable(),
  personTitle: z.string().nullable(),
  sponsorId: z.string().nullable(),
  reason: z.string(),
  decisionNo: z.string().nullable(),
  decisionDate: z.string().nullable(),
  canWrite: z.boolean(),
  createdAt: z.string(),
});
export type CommendationOut = z.infer<typeof commendationOut>;

export const commendationListOut = z.object({
  items: z.array(commendationOut),
  org: z.object({ id: z.number().int(), name: z.string(), canCreate: z.boolean() }),
});
