/**
 * Report templates ("báo cáo theo mẫu"): what a unit reports for a campaign.
 * Each field is either derived (a named computation over the registers, done
 * on the server) or entered by hand. Validation rules compare sums of fields.
 * Shared by the server (derivation, validation, exports) and the web app.
 */
import { PRIORITY_GROUPS, PRIORITY_GROUP_LABELS, type PriorityGroup } from './campaigns';
import { formatMoney, formatNumber } from './format';

export const REPORT_FIELD_TYPES = ['number', 'money', 'text', 'choice'] as const;
export type ReportFieldType = (typeof REPORT_FIELD_TYPES)[number];

/** Named computations over the registers; each is tested in the reports module. */
export const DERIVATIONS = [
  'units_in_scope',
  'units_reported',
  'units_with_activities',
  'children_registered',
  'children_eligible',
  'gifted_children',
  ...PRIORITY_GROUPS.map((g) => `gifted_${g}` as const),
  'gifts_value_low',
  'gifts_value_mid',
  'gifts_value_high',
  'gifts_value',
  'scholarships_count',
  'scholarships_amount',
  'rewards_count',
  'rewards_amount',
  'benefits_value',
  'funds_unit',
  'funds_upper',
  'funds_sponsor',
  'sponsor_received',
  'sponsors_count',
  'festival_nights_in_person',
  'festival_nights_online',
  'events_in_person',
  'events_online',
  'participants_children',
  'participants_parents',
  'participants_members',
  'communication_count',
  'communication_reach',
  'activity_cost',
  'commendations_count',
] as const;
export type Derivation = (typeof DERIVATIONS)[number];

/** Gift value bands ("quà theo mức giá trị"), whole đồng: low < 300.000 ≤ mid ≤ 500.000 < high. */
export const GIFT_BANDS = { lowBelow: 300_000, highAbove: 500_000 } as const;

export interface ReportField {
  /** Stable code, also the key of the figure in every export. */
  code: string;
  label: string;
  type: ReportFieldType;
  /** Derived from the registers; absent for fields entered by hand. */
  derived?: Derivation;
  /** Choice fields: the allowed answers. */
  options?: string[];
  /** Money also written in words in the Word report. */
  inWords?: boolean;
  required?: boolean;
}

export interface ReportSection {
  code: string;
  title: string;
  fields: ReportField[];
}

/** sum(left) op sum(right); the message is shown in Vietnamese when it fails. */
export interface ReportRule {
  code: string;
  left: string[];
  op: 'le' | 'eq' | 'ge';
  right: string[];
  message: string;
}

export interface ReportTemplate {
  sections: ReportSection[];
  rules: ReportRule[];
}

export type FigureValue = number | string | null;
export type Figures = Record<string, FigureValue>;

const n = (code: string, label: string, derived?: Derivation): ReportField => ({ code, label, type: 'number', ...(derived ? { derived } : {}) });
const m = (code: string, label: string, derived?: Derivation, inWords = false): ReportField => ({
  code,
  label,
  type: 'money',
  ...(derived ? { derived } : {}),
  ...(inWords ? { inWords } : {}),
});

/** The default Trung thu template: the figures real results reports carry. */
export const DEFAULT_REPORT_TEMPLATE: ReportTemplate = {
  sections: [
    {
      code: 'units',
      title: 'I. Đơn vị triển khai',
      fields: [
        n('units_in_scope', 'Số đơn vị thuộc phạm vi kế hoạch', 'units_in_scope'),
        n('units_with_activities', 'Số đơn vị tổ chức hoạt động', 'units_with_activities'),
        n('units_reported', 'Số đơn vị đã báo cáo', 'units_reported'),
      ],
    },
    {
      code: 'children',
      title: 'II. Thăm hỏi, tặng quà',
      fields: [
        n('children_registered', 'Số cháu được đơn vị quản lý', 'children_registered'),
        n('children_eligible', 'Số cháu đủ điều kiện theo kế hoạch', 'children_eligible'),
        n('gifted_children', 'Số cháu được tặng quà', 'gifted_children'),
        ...PRIORITY_GROUPS.map((g: PriorityGroup) => n(`gifted_${g}`, `Trong đó: ${PRIORITY_GROUP_LABELS[g].vi.toLowerCase()}`, `gifted_${g}`)),
        n('gifts_value_low', 'Số suất quà dưới 300.000 đ', 'gifts_value_low'),
        n('gifts_value_mid', 'Số suất quà từ 300.000 đ đến 500.000 đ', 'gifts_value_mid'),
        n('gifts_value_high', 'Số suất quà trên 500.000 đ', 'gifts_value_high'),
        m('gifts_value', 'Tổng giá trị quà', 'gifts_value'),
        n('scholarships_count', 'Số suất học bổng', 'scholarships_count'),
        m('scholarships_amount', 'Giá trị học bổng', 'scholarships_amount'),
        n('rewards_count', 'Số suất khen thưởng', 'rewards_count'),
        m('rewards_amount', 'Giá trị khen thưởng', 'rewards_amount'),
        m('benefits_value', 'Tổng giá trị quà, học bổng, khen thưởng', 'benefits_value', true),
      ],
    },
    {
      code: 'funds',
      title: 'III. Nguồn kinh phí',
      fields: [
        m('funds_unit', 'Từ quỹ công đoàn của đơn vị', 'funds_unit'),
        m('funds_upper', 'Từ công đoàn cấp trên', 'funds_upper'),
        m('funds_sponsor', 'Từ xã hội hóa (nhà tài trợ)', 'funds_sponsor'),
        m('activity_cost', 'Chi phí tổ chức hoạt động', 'activity_cost'),
        m('sponsor_received', 'Tiền, hiện vật tài trợ đã nhận', 'sponsor_received', true),
        n('sponsors_count', 'Số nhà tài trợ', 'sponsors_count'),
      ],
    },
    {
      code: 'activities',
      title: 'IV. Hoạt động',
      fields: [
        n('festival_nights_in_person', 'Đêm hội trăng rằm tổ chức trực tiếp', 'festival_nights_in_person'),
        n('festival_nights_online', 'Đêm hội trăng rằm tổ chức trực tuyến', 'festival_nights_online'),
        n('events_in_person', 'Hoạt động khác tổ chức trực tiếp', 'events_in_person'),
        n('events_online', 'Hoạt động khác tổ chức trực tuyến', 'events_online'),
        n('participants_children', 'Lượt cháu tham gia', 'participants_children'),
        n('participants_parents', 'Lượt phụ huynh tham gia', 'participants_parents'),
        n('participants_members', 'Lượt đoàn viên tham gia', 'participants_members'),
        n('communication_count', 'Số hoạt động truyền thông, giáo dục', 'communication_count'),
        n('communication_reach', 'Lượt tiếp cận truyền thông trực tuyến', 'communication_reach'),
        n('commendations_count', 'Số tập thể, cá nhân được biểu dương', 'commendations_count'),
      ],
    },
    {
      code: 'assessment',
      title: 'V. Đánh giá, kiến nghị',
      fields: [
        { code: 'highlights', label: 'Kết quả nổi bật, cách làm hay', type: 'text' },
        { code: 'difficulties', label: 'Khó khăn, vướng mắc', type: 'text' },
        { code: 'proposals', label: 'Đề xuất, kiến nghị', type: 'text' },
      ],
    },
  ],
  rules: [
    {
      code: 'gifted_le_eligible',
      left: ['gifted_children'],
      op: 'le',
      right: ['children_eligible'],
      message: 'Số cháu được tặng quà ({left}) không được lớn hơn số cháu đủ điều kiện ({right}).',
    },
    {
      code: 'sources_eq_total',
      left: ['funds_unit', 'funds_upper', 'funds_sponsor'],
      op: 'eq',
      right: ['benefits_value', 'activity_cost'],
      message: 'Tổng các nguồn kinh phí ({left}) phải bằng tổng giá trị quà và chi phí hoạt động ({right}).',
    },
    {
      code: 'groups_eq_gifted',
      left: PRIORITY_GROUPS.map((g) => `gifted_${g}`),
      op: 'eq',
      right: ['gifted_children'],
      message: 'Tổng số cháu theo nhóm ưu tiên ({left}) phải bằng số cháu được tặng quà ({right}).',
    },
  ],
};

export function templateFields(t: ReportTemplate): ReportField[] {
  return t.sections.flatMap((s) => s.fields);
}

export const isNumeric = (f: ReportField) => f.type === 'number' || f.type === 'money';

export interface RuleFailure {
  code: string;
  message: string;
  left: number;
  right: number;
}

/** Runs the template's rules over a set of figures; the failures, in order. */
export function checkRules(t: ReportTemplate, figures: Figures, money: (n: number) => string = String): RuleFailure[] {
  const sum = (codes: string[]) => codes.reduce((s, c) => s + (typeof figures[c] === 'number' ? (figures[c] as number) : 0), 0);
  const moneyCodes = new Set(templateFields(t).filter((f) => f.type === 'money').map((f) => f.code));
  const show = (codes: string[], v: number) => (codes.some((c) => moneyCodes.has(c)) ? money(v) : String(v));
  const out: RuleFailure[] = [];
  for (const r of t.rules) {
    const left = sum(r.left);
    const right = sum(r.right);
    const ok = r.op === 'le' ? left <= right : r.op === 'ge' ? left >= right : left === right;
    if (!ok) out.push({ code: r.code, left, right, message: r.message.replace('{left}', show(r.left, left)).replace('{right}', show(r.right, right)) });
  }
  return out;
}

/**
 * A figure as every screen and export shows it: money in đồng, counts with
 * dots, text as is, `empty` when there is none.
 */
export function formatFigure(field: Pick<ReportField, 'type'>, value: FigureValue | undefined, empty = ''): string {
  if (value === null || value === undefined || value === '') return empty;
  if (typeof value === 'number') return field.type === 'money' ? formatMoney(Math.round(value)) : formatNumber(value);
  return value;
}

/** Where a unit's report stands on the status board, in the board's order (server and screens). */
export const BOARD_STATES = [
  'not_acknowledged',
  'not_started',
  'draft',
  'returned',
  'submitted_on_time',
  'submitted_late',
  'not_submitted',
  'approved',
  'changed_since_approval',
] as const;
export type BoardState = (typeof BOARD_STATES)[number];
