import type { AuthContext } from '../../lib/authorization';
import { AppError, forbidden } from '../../lib/errors';
import type { App } from '../../lib/http/types';
import { errorOut, uuidParam } from '../../lib/http/schemas';
import { todayInVietnam } from '../../lib/dates';
import { translate } from '../../lib/i18n';
import { formatMoney } from '../../../common/format';
import { checkRules, DERIVATIONS } from '../../../common/report-template';
import { campaignPolicy } from '../campaigns/campaigns.policy';
import { issuingOrgOf, type CampaignRow } from '../campaigns/campaigns.queries';
import { implementingPlanOf } from './reports.derive';
import { reportLookups } from './reports.lookup';
import { reportPolicy } from './reports.policy';
import {
  composeFigures,
  consolidate,
  deriveFor,
  entryOpen,
  findReport,
  reviewableUnits,
  sameKindPlans,
  statusBoard,
  statusBoardCounts,
  templateOf,
  type Known,
  type ReportStatus,
  type Unit,
} from './reports.queries';
import {
  boardOut,
  boardQuery,
  bulkBody,
  bulkOut,
  commentBody,
  consolidatedOut,
  countOut,
  exceptionBody,
  includeQuery,
  reasonBody,
  remindBody,
  reportOut,
  reportParams,
  yearOverYearOut,
  saveReportBody,
  submitBody,
  templateBody,
  templateOut,
} from './reports.schemas';
import {
  approveReport,
  grantException,
  reopenReport,
  remindUnits,
  returnReport,
  saveReport,
  saveTemplate,
  submitReport,
  type ReportDeps,
} from './reports.service';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export async function reportRoutes(app: App): Promise<void> {
  const { db, env } = app.deps;
  const deps: ReportDeps = { db, jobs: app.deps.jobs, mailer: app.deps.mailer, publicUrl: env.PUBLIC_URL };
  const tags = ['reports'];

  const { campaignOf, unitOf, reportingUnitOf } = reportLookups(db);

  /** The report as the screens show it; what a write has just read or written (`known`) is not read again. */
  const present = async (auth: AuthContext, c: CampaignRow, unit: Unit, extra: { alreadySubmitted?: boolean } = {}, known: Partial<Known> = {}) => {
    const t = known.template ?? (await templateOf(db, c.id));
    const row = known.report ?? (await findReport(db, c.id, unit.id));
    const status = (row?.status ?? 'not_started') as ReportStatus;
    const manual = (row?.manual ?? {}) as Record<string, unknown>;
    const frozen = status === 'submitted' || status === 'approved';
    const derived = frozen ? null : await deriveFor(db, c, unit);
    const figures = derived ? composeFigures(t, derived.figures, manual) : (row!.figures as Record<string, number | string | null>);
    const implementing = derived ? derived.implementing : known.implementing !== undefined ? known.implementing : await implementingPlanOf(db, c.id, unit.id);
    const gate = known.gate ?? (await entryOpen(db, t, c.id, unit.id));
    const writable = reportPolicy.canWrite(auth, unit.path);
    return {
      campaignId: c.id,
      orgId: unit.id,
      orgCode: unit.code,
      orgName: unit.name,
      status,
      version: row?.version ?? 0,
      figures,
      manual: manual as Record<string, number | string | null>,
      ruleFailures: checkRules(t, figures, formatMoney).map((f) => ({ code: f.code, message: f.message })),
      deadline: c.reportDeadline,
      lockDate: t.lockDate,
      entryOpen: gate.open,
      exceptionUntil: gate.exceptionUntil,
      submittedAt: iso(row?.submittedAt),
      late: row?.late ?? null,
      returnedAt: iso(row?.returnedAt),
      returnComment: row?.returnComment ?? null,
      approvedAt: iso(row?.approvedAt),
      reopenedAt: iso(row?.reopenedAt),
      reopenReason: row?.reopenReason ?? null,
      fromImplementingPlan: implementing ? { id: implementing.id, docNumber: implementing.docNumber } : null,
      can: {
        edit: writable && !frozen && gate.open && c.status !== 'draft',
        submit: writable && !frozen && gate.open && c.status !== 'draft',
        review: reportPolicy.canReview(auth, unit.path),
      },
      ...extra,
    };
  };

  const mustWrite = (auth: AuthContext, unit: Unit) => {
    if (!reportPolicy.canWrite(auth, unit.path)) throw forbidden();
  };
  const mustReview = (auth: AuthContext, unit: Unit) => {
    if (!reportPolicy.canReview(auth, unit.path)) throw new AppError(403, 'FORBIDDEN', 'report.notReviewer');
  };

  app.get(
    '/campaigns/:id/report-template',
    { config: { access: 'campaigns.read' }, schema: { tags, summary: 'Mẫu báo cáo của kế hoạch (các mục, chỉ tiêu, quy tắc kiểm tra) và lịch báo cáo', params: uuidParam, response: { 200: templateOut, 404: errorOut } } },
    async (request) => {
      const c = await campaignOf(request.auth!, request.params.id);
      const t = await templateOf(db, c.id);
      return { ...t, deadline: c.reportDeadline, derivations: [...DERIVATIONS] };
    },
  );

  app.put(
    '/campaigns/:id/report-template',
    {
      config: { access: 'campaigns.write' },
      schema: {
        tags,
        summary: 'Sửa mẫu báo cáo (trước khi ban hành) và ngày khóa sổ, số ngày nhắc trước hạn',
        params: uuidParam,
        body: templateBody,
        response: { 200: templateOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut },
      },
    },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const issuing = await issuingOrgOf(db, c.issuingOrgId);
      if (!campaignPolicy.canWrite(auth, issuing.path)) throw forbidden();
      const t = await saveTemplate(db, auth, c, request.body);
      return { ...t, deadline: c.reportDeadline, derivations: [...DERIVATIONS] };
    },
  );

  app.get(
    '/campaigns/:id/reports/:orgId',
    { config: { access: 'campaigns.read' }, schema: { tags, summary: 'Báo cáo của một đơn vị: trạng thái và số liệu (tự tính khi còn nháp)', params: reportParams, response: { 200: reportOut, 404: errorOut } } },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      return present(auth, c, await reportingUnitOf(auth, c, request.params.orgId));
    },
  );

  app.put(
    '/campaigns/:id/reports/:orgId',
    {
      config: { access: 'reports.write' },
      schema: { tags, summary: 'Lưu các ô nhập tay của báo cáo (kèm phiên bản đã đọc)', params: reportParams, body: saveReportBody, response: { 200: reportOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut } },
    },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const unit = await reportingUnitOf(auth, c, request.params.orgId);
      mustWrite(auth, unit);
      await saveReport(db, auth, c, unit, request.body);
      return present(auth, c, unit);
    },
  );

  app.post(
    '/campaigns/:id/reports/:orgId/submit',
    {
      config: { access: 'reports.write' },
      schema: { tags, summary: 'Nộp báo cáo (chụp lại toàn bộ số liệu; đúng hạn hay quá hạn theo hạn nộp)', params: reportParams, body: submitBody, response: { 200: reportOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut } },
    },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const unit = await reportingUnitOf(auth, c, request.params.orgId);
      mustWrite(auth, unit);
      const r = await submitReport(deps, auth, c, unit, request.body ?? {});
      return present(auth, c, unit, { alreadySubmitted: r.alreadySubmitted }, r.known);
    },
  );

  const review = (path: string, summary: string, body: typeof commentBody | typeof reasonBody | null, act: (auth: AuthContext, c: CampaignRow, unit: Unit, text: string) => Promise<unknown>) =>
    app.post(
      path,
      {
        config: { access: 'reports.review' },
        schema: { tags, summary, params: reportParams, ...(body ? { body } : {}), response: { 200: reportOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut } },
      },
      async (request) => {
        const auth = request.auth!;
        const c = await campaignOf(auth, request.params.id);
        const unit = await reportingUnitOf(auth, c, request.params.orgId);
        mustReview(auth, unit);
        const b = (request.body ?? {}) as { comment?: string; reason?: string };
        await act(auth, c, unit, b.comment ?? b.reason ?? '');
        return present(auth, c, unit);
      },
    );
  review('/campaigns/:id/reports/:orgId/return', 'Trả lại báo cáo kèm nhận xét (về nháp)', commentBody, (auth, c, unit, text) => returnReport(deps, auth, c, unit, text));
  review('/campaigns/:id/reports/:orgId/approve', 'Duyệt báo cáo (khóa số liệu)', null, (auth, c, unit) => approveReport(deps, auth, c, unit));
  review('/campaigns/:id/reports/:orgId/reopen', 'Mở lại báo cáo đã duyệt, có lý do (ghi nhật ký)', reasonBody, (auth, c, unit, text) => reopenReport(deps, auth, c, unit, text));

  app.post(
    '/campaigns/:id/reports/:orgId/exception',
    {
      config: { access: 'reports.review' },
      schema: { tags, summary: 'Cho một đơn vị nhập báo cáo sau ngày khóa sổ, đến một ngày', params: reportParams, body: exceptionBody, response: { 200: reportOut, 403: errorOut, 404: errorOut } },
    },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const unit = await reportingUnitOf(auth, c, request.params.orgId);
      mustReview(auth, unit);
      await grantException(db, auth, c, unit, request.body);
      return present(auth, c, unit);
    },
  );

  app.post(
    '/campaigns/:id/reports/approve',
    {
      config: { access: 'reports.review' },
      schema: { tags, summary: 'Duyệt nhiều báo cáo một lần (chỉ những báo cáo đã nộp)', params: uuidParam, body: bulkBody, response: { 200: bulkOut, 404: errorOut } },
    },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      let done = 0;
      const skipped: { orgId: number; message: string }[] = [];
      for (const orgId of [...new Set(request.body.orgIds)]) {
        try {
          const unit = await reportingUnitOf(auth, c, orgId);
          mustReview(auth, unit);
          await approveReport(deps, auth, c, unit);
          done += 1;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          skipped.push({ orgId, message: translate(request.locale, err.key, err.params) });
        }
      }
      return { done, skipped };
    },
  );

  app.post(
    '/campaigns/:id/reports/remind',
    {
      config: { access: 'reports.review' },
      schema: { tags, summary: 'Nhắc các đơn vị chưa nộp báo cáo (tất cả, hoặc những đơn vị chọn)', params: uuidParam, body: remindBody, response: { 200: countOut, 403: errorOut, 404: errorOut } },
    },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const ids = await reviewableUnits(db, c.id, reportPolicy.reviewRoots(auth), request.body.orgIds);
      return { count: ids.length ? await remindUnits(deps, auth, c, ids) : 0 };
    },
  );

  app.get(
    '/campaigns/:id/status-board',
    {
      config: { access: 'campaigns.read' },
      schema: {
        tags,
        summary: 'Bảng theo dõi báo cáo: số lượng và tỉ lệ theo trạng thái, mỗi đơn vị một dòng (lọc theo trạng thái, tìm theo tên hoặc mã, từng trang)',
        params: uuidParam,
        querystring: boardQuery,
        response: { 200: boardOut, 400: errorOut, 404: errorOut },
      },
    },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const unit = await unitOf(auth, c, request.query.orgId);
      const { state, q, limit, offset } = request.query;
      const query = { states: state, q, limit, offset };
      const today = todayInVietnam();
      const [t, rows, n] = await Promise.all([templateOf(db, c.id), statusBoard(db, c, unit, query, today), statusBoardCounts(db, c, unit, query, today)]);
      const pct = (k: number) => (n.total ? Math.round((k / n.total) * 1000) / 10 : 0);
      return {
        org: { id: unit.id, code: unit.code, name: unit.name },
        deadline: c.reportDeadline,
        lockDate: t.lockDate,
        total: n.total,
        counts: n.counts,
        percentSubmitted: pct(n.submitted),
        percentApproved: pct(n.approved),
        acknowledged: n.acknowledged,
        submitted: n.submitted,
        approved: n.approved,
        matching: n.matching,
        rows,
      };
    },
  );

  app.get(
    '/campaigns/:id/year-over-year',
    {
      config: { access: 'campaigns.read' },
      schema: {
        tags,
        summary: 'So sánh các năm: số liệu tổng hợp của đơn vị trong các kế hoạch cùng loại, cùng cấp ban hành, những năm trước',
        params: uuidParam,
        querystring: includeQuery,
        response: { 200: yearOverYearOut, 404: errorOut },
      },
    },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const unit = await unitOf(auth, c, request.query.orgId);
      const t = await templateOf(db, c.id);
      const plans = await sameKindPlans(db, c);
      const years = [];
      for (const p of [c, ...plans]) {
        const cons = await consolidate(db, p, await templateOf(db, p.id), unit, request.query.include);
        years.push({ campaignId: p.id, year: p.year, docNumber: p.docNumber, title: p.title, figures: cons.figures, unitsIncluded: cons.units.included });
      }
      return { org: { id: unit.id, code: unit.code, name: unit.name }, include: request.query.include, sections: t.sections, years };
    },
  );

  app.get(
    '/campaigns/:id/consolidated',
    {
      config: { access: 'campaigns.read' },
      schema: { tags, summary: 'Báo cáo tổng hợp của một đơn vị: tổng các báo cáo cấp dưới (đã duyệt, hoặc cả đã nộp) và phần của chính đơn vị', params: uuidParam, querystring: includeQuery, response: { 200: consolidatedOut, 404: errorOut } },
    },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const unit = await unitOf(auth, c, request.query.orgId);
      const t = await templateOf(db, c.id);
      const cons = await consolidate(db, c, t, unit, request.query.include);
      return { campaignId: c.id, org: { id: unit.id, code: unit.code, name: unit.name }, ...cons, sections: t.sections };
    },
  );
}
