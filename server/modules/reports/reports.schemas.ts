import { z } from 'zod';
import { DERIVATIONS, REPORT_FIELD_TYPES } from '../../../common/report-template';
import { isoDate, unitId, unitIdParam, unitQuery } from '../../lib/http/schemas';
import { BOARD_STATES } from '../../../common/report-template';

export const reportParams = z.object({ id: z.string().uuid(), orgId: unitIdParam });
export const includeQuery = unitQuery.extend({
  /** approved: only approved reports count; submitted: submitted ones too. */
  include: z.enum(['approved', 'submitted']).default('approved'),
});

const code = z.string().regex(/^[a-z][a-z0-9_]{0,59}$/);
const field = z.object({
  code,
  label: z.string().trim().min(1).max(300),
  type: z.enum(REPORT_FIELD_TYPES),
  derived: z.enum(DERIVATIONS).optional(),
  options: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
  inWords: z.boolean().optional(),
  required: z.boolean().optional(),
});
const section = z.object({ code, title: z.string().trim().min(1).max(300), fields: z.array(field).min(1).max(200) });
const rule = z.object({
  code,
  left: z.array(code).min(1).max(50),
  op: z.enum(['le', 'eq', 'ge']),
  right: z.array(code).min(1).max(50),
  message: z.string().trim().min(1).max(500),
});

/** A campaign's report template and its calendar (deadline from the plan; lock date; reminder days). */
export const templateOut = z.object({
  sections: z.array(section),
  rules: z.array(rule),
  deadline: z.string().nullable(),
  lockDate: z.string().nullable(),
  remindDaysBefore: z.number().int(),
  version: z.number().int(),
  isDefault: z.boolean(),
  derivations: z.array(z.string()),
});
export const templateBody = z.object({
  version: z.number().int().min(0),
  sections: z.array(section).min(1).max(30).optional(),
  rules: z.array(rule).max(50).optional(),
  lockDate: isoDate.nullable().optional(),
  remindDaysBefore: z.number().int().min(0).max(60).optional(),
});

const figure = z.union([z.number(), z.string(), z.null()]);
export const figuresOut = z.record(z.string(), figure);

/** A unit's report: its state and every figure (live while in draft, the snapshot once submitted). */
export const reportOut = z.object({
  campaignId: z.string().uuid(),
  orgId: z.number().int(),
  orgCode: z.string(),
  orgName: z.string(),
  status: z.enum(['not_started', 'draft', 'submitted', 'returned', 'approved']),
  version: z.number().int(),
  figures: figuresOut,
  manual: figuresOut,
  ruleFailures: z.array(z.object({ code: z.string(), message: z.string() })),
  deadline: z.string().nullable(),
  lockDate: z.string().nullable(),
  entryOpen: z.boolean(),
  exceptionUntil: z.string().nullable(),
  submittedAt: z.string().nullable(),
  late: z.boolean().nullable(),
  returnedAt: z.string().nullable(),
  returnComment: z.string().nullable(),
  approvedAt: z.string().nullable(),
  reopenedAt: z.string().nullable(),
  reopenReason: z.string().nullable(),
  /** Whether the figures come from the unit's own plan carrying out this one (a district under the city's plan). */
  fromImplementingPlan: z.object({ id: z.string().uuid(), docNumber: z.string() }).nullable(),
  can: z.object({ edit: z.boolean(), submit: z.boolean(), review: z.boolean() }),
  alreadySubmitted: z.boolean().optional(),
});

export const saveReportBody = z.object({
  /** The version read (0 for a report not started yet). */
  version: z.number().int().min(0),
  manual: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
});
export const submitBody = z.object({ version: z.number().int().min(0).optional() }).default({});
export const commentBody = z.object({ comment: z.string().trim().min(1).max(2000) });
export const reasonBody = z.object({ reason: z.string().trim().min(1).max(2000) });
export const exceptionBody = z.object({ until: isoDate, reason: z.string().trim().min(1).max(1000) });
export const bulkBody = z.object({ orgIds: z.array(unitId).min(1).max(10_000) });
export const remindBody = z.object({ orgIds: z.array(unitId).max(10_000).optional() });
export const bulkOut = z.object({ done: z.number().int(), skipped: z.array(z.object({ orgId: z.number().int(), message: z.string() })) });
export const countOut = z.object({ count: z.number().int() });

export { BOARD_STATES };

const boardStates = z
  .union([z.string().max(400), z.array(z.string().max(400)).max(20)])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(BOARD_STATES, { error: `Trạng thái không hợp lệ; chọn trong: ${BOARD_STATES.join(', ')}` })).max(BOARD_STATES.length * 2))
  .meta({ description: `Một hoặc nhiều trạng thái, cách nhau bởi dấu phẩy (${BOARD_STATES.join(', ')})` });

/**
 * `?state=&q=&limit=&offset=`: the rows of the board asked for. Without
 * `limit`, every matching row (without any parameter, the whole board as
 * always); the counts cover the whole subtree whatever is asked.
 */
export const boardQuery = unitQuery.extend({
  /** One state, or several separated by commas: rows in any of them. */
  state: boardStates.optional(),
  /** Words of the unit's name or code, diacritics ignored: rows holding every word. */
  q: z.string().max(200, 'Từ khóa tìm kiếm quá dài (tối đa 200 ký tự)').optional(),
  limit: z.coerce.number().int('Số dòng mỗi trang phải là số nguyên').min(1, 'Số dòng mỗi trang phải từ 1 đến 500').max(500, 'Số dòng mỗi trang phải từ 1 đến 500').optional(),
  offset: z.coerce.number().int('Vị trí bắt đầu phải là số nguyên').min(0, 'Vị trí bắt đầu không được âm').max(10_000_000, 'Vị trí bắt đầu quá lớn').optional(),
});

/**
 * The status board: the counts by state over the whole subtree, and one row
 * per unit in scope (those matching the query, the page asked for).
 */
export const boardOut = z.object({
  org: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
  deadline: z.string().nullable(),
  lockDate: z.string().nullable(),
  /** Units in scope (the whole subtree). */
  total: z.number().int(),
  counts: z.record(z.enum(BOARD_STATES), z.number().int()),
  percentSubmitted: z.number(),
  percentApproved: z.number(),
  /** Units that acknowledged the plan (the whole subtree). */
  acknowledged: z.number().int(),
  /** Units whose report is submitted or approved (the whole subtree). */
  submitted: z.number().int(),
  /** Units whose report is approved, changed since or not (the whole subtree). */
  approved: z.number().int(),
  /** Rows matching `state` and `q`, of which `rows` is the page asked for (`total` without them). */
  matching: z.number().int(),
  rows: z.array(
    z.object({
      orgId: z.number().int(),
      code: z.string(),
      name: z.string(),
      acknowledgedAt: z.string().nullable(),
      status: z.enum(['not_started', 'draft', 'submitted', 'returned', 'approved']),
      state: z.enum(BOARD_STATES),
      submittedAt: z.string().nullable(),
      late: z.boolean().nullable(),
      returnedAt: z.string().nullable(),
      returnComment: z.string().nullable(),
      approvedAt: z.string().nullable(),
      changedSinceApproval: z.boolean(),
      exceptionUntil: z.string().nullable(),
    }),
  ),
});

/** The consolidated report of a unit: the sum of its subtree's reports and its own part. */
export const consolidatedOut = z.object({
  campaignId: z.string().uuid(),
  org: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
  include: z.enum(['approved', 'submitted']),
  figures: figuresOut,
  pending: figuresOut,
  units: z.object({ inScope: z.number().int(), included: z.number().int(), approved: z.number().int(), submittedPending: z.number().int() }),
  sections: z.array(section),
});

/** The same figures of the same unit in earlier plans of the same kind from the same issuing unit, newest first. */
export const yearOverYearOut = z.object({
  org: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
  include: z.enum(['approved', 'submitted']),
  sections: z.array(section),
  years: z.array(
    z.object({
      campaignId: z.string().uuid(),
      year: z.number().int(),
      docNumber: z.string(),
      title: z.string(),
      figures: figuresOut,
      unitsIncluded: z.number().int(),
    }),
  ),
});
