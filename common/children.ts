/** The children register: circumstances, achievements, consent — shared by server and web. */
import type { PriorityGroup } from './campaigns';

export const CIRCUMSTANCES = [
  'especially_difficult',
  'disability',
  'dioxin',
  'poor_household',
  'near_poor_household',
  'policy_family',
  'orphan',
  'work_accident',
  'serious_illness',
] as const;
export type Circumstance = (typeof CIRCUMSTANCES)[number];

export const CIRCUMSTANCE_LABELS: Record<Circumstance, { vi: string; en: string }> = {
  especially_difficult: { vi: 'Hoàn cảnh đặc biệt khó khăn', en: 'Especially difficult circumstances' },
  disability: { vi: 'Khuyết tật', en: 'Disability' },
  dioxin: { vi: 'Nhiễm chất độc da cam/dioxin', en: 'Affected by Agent Orange/dioxin' },
  poor_household: { vi: 'Hộ nghèo', en: 'Poor household' },
  near_poor_household: { vi: 'Hộ cận nghèo', en: 'Near-poor household' },
  policy_family: { vi: 'Gia đình chính sách', en: 'Policy family' },
  orphan: { vi: 'Mồ côi', en: 'Orphan' },
  work_accident: { vi: 'Cha/mẹ bị tai nạn lao động, bệnh nghề nghiệp', en: 'Parent with a work accident or occupational disease' },
  serious_illness: { vi: 'Bệnh hiểm nghèo', en: 'Serious illness' },
};

/**
 * Health, disability and poverty: need a recorded consent to be saved, and
 * the sensitive-data permission to be seen (Luật BVDLCN 2025, NĐ 356/2025).
 */
export const SENSITIVE_CIRCUMSTANCES: ReadonlySet<Circumstance> = new Set([
  'disability',
  'dioxin',
  'poor_household',
  'near_poor_household',
  'work_accident',
  'serious_illness',
]);

export const DISABILITY_LEVELS = ['mild', 'severe', 'especially_severe'] as const;
export const DISABILITY_LEVEL_LABELS: Record<(typeof DISABILITY_LEVELS)[number], string> = {
  mild: 'Nhẹ',
  severe: 'Nặng',
  especially_severe: 'Đặc biệt nặng',
};

export const ACHIEVEMENT_LEVELS = ['excellent', 'good', 'overcoming', 'award'] as const;
export type AchievementLevel = (typeof ACHIEVEMENT_LEVELS)[number];
export const ACHIEVEMENT_LABELS: Record<AchievementLevel, { vi: string; en: string }> = {
  excellent: { vi: 'Học sinh xuất sắc', en: 'Excellent' },
  good: { vi: 'Học sinh giỏi', en: 'Good' },
  overcoming: { vi: 'Vượt khó học giỏi', en: 'Good student despite hardship' },
  award: { vi: 'Đạt giải', en: 'Award' },
};

export interface CircumstanceEntry {
  code: Circumstance;
  level?: (typeof DISABILITY_LEVELS)[number];
  note?: string;
}

export interface AchievementEntry {
  schoolYear: string; // "2020-2021"
  level: AchievementLevel;
  note?: string;
}

/** Which priority group a circumstance puts a child in. */
export const GROUP_OF_CIRCUMSTANCE: Record<Circumstance, PriorityGroup> = {
  especially_difficult: 'especially_difficult',
  disability: 'disabled_or_dioxin',
  dioxin: 'disabled_or_dioxin',
  poor_household: 'poor_household',
  near_poor_household: 'near_poor_household',
  policy_family: 'policy_family',
  orphan: 'orphan',
  work_accident: 'work_accident',
  serious_illness: 'serious_illness',
};

/** The school year a campaign of `year` looks back on: Trung thu 2021 → "2020-2021". */
export function schoolYearBefore(year: number): string {
  return `${year - 1}-${year}`;
}

/**
 * The child's priority group under a campaign's order: the first group of
 * the order the child belongs to; "other" when none.
 */
export function priorityGroupOf(
  circumstances: { code: Circumstance }[],
  achievements: { schoolYear: string; level: AchievementLevel }[],
  order: readonly PriorityGroup[],
  campaignYear: number,
): PriorityGroup {
  const groups = new Set<PriorityGroup>(circumstances.map((c) => GROUP_OF_CIRCUMSTANCE[c.code]));
  const sy = schoolYearBefore(campaignYear);
  if (achievements.some((a) => a.schoolYear === sy && (a.level === 'excellent' || a.level === 'overcoming' || a.level === 'good')))
    groups.add('excellent_student');
  for (const g of order) if (groups.has(g)) return g;
  return 'other';
}

/** Whole years of age on a date (both ISO yyyy-mm-dd). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
