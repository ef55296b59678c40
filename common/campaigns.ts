/** Care campaigns (plans): kinds, default settings and section layout shared by server and web. */
export const CAMPAIGN_KINDS = ['trung_thu', 'tet_thieu_nhi', 'tet_nguyen_dan', 'scholarship', 'other'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

export const CAMPAIGN_KIND_LABELS: Record<CampaignKind, { vi: string; en: string }> = {
  trung_thu: { vi: 'Tết Trung thu', en: 'Mid-Autumn Festival' },
  tet_thieu_nhi: { vi: 'Tết Thiếu nhi 1/6', en: "Children's Day (1 June)" },
  tet_nguyen_dan: { vi: 'Tết Nguyên đán', en: 'Lunar New Year' },
  scholarship: { vi: 'Trao học bổng', en: 'Scholarship drive' },
  other: { vi: 'Khác', en: 'Other' },
};

export const CAMPAIGN_STATUSES = ['draft', 'issued', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, { vi: string; en: string }> = {
  draft: { vi: 'Dự thảo', en: 'Draft' },
  issued: { vi: 'Đã ban hành', en: 'Issued' },
  closed: { vi: 'Đã kết thúc', en: 'Closed' },
};

/** Priority groups, in the default order of the plan (especially difficult first). */
export const PRIORITY_GROUPS = [
  'especially_difficult',
  'disabled_or_dioxin',
  'poor_household',
  'near_poor_household',
  'policy_family',
  'orphan',
  'work_accident',
  'serious_illness',
  'excellent_student',
  'other',
] as const;
export type PriorityGroup = (typeof PRIORITY_GROUPS)[number];
export const PRIORITY_GROUP_LABELS: Record<PriorityGroup, { vi: string; en: string }> = {
  especially_difficult: { vi: 'Hoàn cảnh đặc biệt khó khăn', en: 'Especially difficult circumstances' },
  disabled_or_dioxin: { vi: 'Khuyết tật, nhiễm chất độc da cam/dioxin', en: 'Disabled or affected by Agent Orange/dioxin' },
  poor_household: { vi: 'Hộ nghèo', en: 'Poor household' },
  near_poor_household: { vi: 'Hộ cận nghèo', en: 'Near-poor household' },
  policy_family: { vi: 'Gia đình chính sách', en: 'Policy family' },
  orphan: { vi: 'Mồ côi', en: 'Orphan' },
  work_accident: { vi: 'Cha/mẹ bị tai nạn lao động, bệnh nghề nghiệp', en: 'Parent with a work accident or occupational disease' },
  serious_illness: { vi: 'Bệnh hiểm nghèo', en: 'Serious illness' },
  excellent_student: { vi: 'Học sinh xuất sắc, vượt khó học giỏi', en: 'Excellent or hardship-overcoming student' },
  other: { vi: 'Khác', en: 'Other' },
};

export interface BenefitKindSetting {
  code: string;
  name: string;
  /** Whole đồng. */
  defaultValue: number;
}

export interface CampaignSettings {
  /** A child is eligible when younger than this on the festival date. */
  ageLimit: number;
  priorityOrder: PriorityGroup[];
  /** Groups a child must belong to (empty: every child under the age limit). */
  requiredGroups: PriorityGroup[];
  benefitKinds: BenefitKindSetting[];
  budget: { mode: 'none' | 'per_unit' | 'total'; amount: number };
  /** Automatic reminders to units that have not acknowledged, this many days after issue (0: none). */
  autoRemindAfterDays: number;
}

export const DEFAULT_CAMPAIGN_SETTINGS: CampaignSettings = {
  ageLimit: 16,
  priorityOrder: [...PRIORITY_GROUPS],
  requiredGroups: [],
  benefitKinds: [
    { code: 'gift', name: 'Quà Trung thu', defaultValue: 300_000 },
    { code: 'scholarship', name: 'Học bổng', defaultValue: 1_000_000 },
    { code: 'reward', name: 'Khen thưởng học sinh giỏi', defaultValue: 200_000 },
  ],
  budget: { mode: 'none', amount: 0 },
  autoRemindAfterDays: 0,
};

/** The body of a plan, as in the seed: I. purposes, II. contents, III. tasks per level. */
export interface PlanSection {
  heading: string;
  body: string;
}

export interface PlanSigner {
  onBehalfOf: string;
  position: string;
  name: string;
}

export const DEFAULT_SECTIONS: PlanSection[] = [
  { heading: 'I. MỤC ĐÍCH, YÊU CẦU', body: '' },
  { heading: 'II. NỘI DUNG', body: '' },
  { heading: 'III. TỔ CHỨC THỰC HIỆN', body: '' },
];
