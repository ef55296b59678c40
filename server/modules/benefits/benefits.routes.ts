import { eq } from 'drizzle-orm';
import { orgs } from '../../db/schema/index';
import { grantsWith, pathWithin, type AuthContext } from '../../lib/authorization';
import { notFound } from '../../lib/errors';
import type { App } from '../../lib/http/types';
import { errorOut, unitQuery, uuidParam } from '../../lib/http/schemas';
import { translate } from '../../lib/i18n';
import { withRowScope } from '../../lib/row-scope';
import { foldVietnamese } from '../../../common/vietnamese';
import { findVisibleCampaign, visibleCampaignOr404, issuingOrgOf, type CampaignRow } from '../campaigns/campaigns.queries';
import { parentsOf } from '../children/children.queries';
import { orgPolicy } from '../orgs/orgs.policy';
import { findOrgInScope } from '../orgs/orgs.queries';
import { benefitPolicy } from './benefits.policy';
import { budgetOf, findBenefitInScope, kindName, listBenefits, toBenefitOut, unitInCampaign, type BenefitRow } from './benefits.queries';
import {
  allocateBody,
  allocateOut,
  BENEFIT_STATUSES,
  benefitListOut,
  benefitListQuery,
  benefitOut,
  createBenefitBody,
  scanBody,
  scanOut,
  updateBenefitBody,
} from './benefits.schemas';
import { allocateBenefits, createBenefit, scanVoucher, updateBenefit } from './benefits.service';
import { buildSignatureList } from './benefits.signature-list';
import { renderVouchers } from './benefits.vouchers';
import { campaignSettings } from '../children/children.eligibility';

export async function benefitRoutes(app: App): Promise<void> {
  const { db, env } = app.deps;
  const tags = ['benefits'];
  const read = { access: 'children.read' } as const;
  const write = { access: 'children.write' } as const;

  const campaignOf = async (auth: AuthContext, id: string) => {
    const c = await visibleCampaignOr404(db, auth, id);
    return { c, settings: campaignSettings(c) };
  };

  /** The unit a list is for: the one asked (else the caller's own), readable, under the issuing unit. */
  const unitOf = async (auth: AuthContext, c: CampaignRow, orgId: number | undefined) => {
    const id = orgId ?? grantsWith(auth, 'children.read')[0]?.orgId ?? c.issuingOrgId;
    const org = await findOrgInScope(db, id, orgPolicy.readRoots(auth));
    const issuing = await issuingOrgOf(db, c.issuingOrgId);
    if (!org || !benefitPolicy.canRead(auth, org.path) || !pathWithin(org.path, [issuing.path])) throw notFound('org.notFound');
    return { org, issuing };
  };

  const present = async (id: string, auth: AuthContext) => {
    const row = await findBenefitInScope(db, id, benefitPolicy.readRoots(auth));
    if (!row) throw notFound('benefit.notFound');
    const c = await findVisibleCampaign(db, auth, row.b.campaignId);
    return toBenefitOut(row, campaignSettings(c ?? { settings: {} }));
  };

  const fileSlug = (s: string) => foldVietnamese(s).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

  app.get(
    '/campaigns/:id/benefits',
    {
      config: read,
      schema: { tags, summary: 'Quà, học bổng, khen thưởng của đơn vị (và cấp dưới) trong kế hoạch, kèm tổng cộng và ngân sách', params: uuidParam, querystring: benefitListQuery, response: { 200: benefitListOut, 404: errorOut } },
    },
    async (request) => {
      const auth = request.auth!;
      const { c, settings } = await campaignOf(auth, request.params.id);
      const { org } = await unitOf(auth, c, request.query.orgId);
      // Read behind the database's row-level security too, scoped to the caller's children.read subtrees.
      const rows = await withRowScope(db, benefitPolicy.readRoots(auth), (tx) => listBenefits(tx, c.id, org.path, { status: request.query.status, kind: request.query.kind }));
      const items = rows.map((r) => toBenefitOut(r, settings));
      const live = items.filter((b) => b.status !== 'cancelled');
      const byKind = new Map<string, { kind: string; name: string; count: number; value: number }>();
      for (const b of live) {
        const k = byKind.get(b.kind) ?? { kind: b.kind, name: kindName(settings, b.kind), count: 0, value: 0 };
        k.count += 1;
        k.value += b.value;
        byKind.set(b.kind, k);
      }
      const byStatus = Object.fromEntries(
        BENEFIT_STATUSES.map((s) => {
          const of = items.filter((b) => b.status === s);
          return [s, { count: of.length, value: of.reduce((n, b) => n + b.value, 0) }];
        }),
      ) as Record<(typeof BENEFIT_STATUSES)[number], { count: number; value: number }>;
      const kindOrder = [...settings.benefitKinds.map((k) => k.code), 'in_kind'];
      return {
        items,
        totals: {
          count: live.length,
          value: live.reduce((n, b) => n + b.value, 0),
          byKind: [...byKind.values()].sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind)),
          byStatus,
        },
        budget: (await unitInCampaign(db, c, org.id)) ? await budgetOf(db, c, settings, org.id) : null,
      };
    },
  );

  app.post(
    '/campaigns/:id/benefits',
    {
      config: write,
      schema: {
        tags,
        summary: 'Thêm một suất (quà, học bổng, khen thưởng, hiện vật) cho một trẻ; mỗi loại một suất cho một trẻ trong kế hoạch',
        params: uuidParam,
        body: createBenefitBody,
        response: { 201: benefitOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut },
      },
    },
    async (request, reply) => {
      const id = await createBenefit(db, request.auth!, request.params.id, request.body);
      return reply.status(201).send(await present(id, request.auth!));
    },
  );

  app.post(
    '/campaigns/:id/allocate',
    {
      config: write,
      schema: {
        tags,
        summary: 'Đề xuất suất quà theo thứ tự ưu tiên của danh sách đủ điều kiện, trong ngân sách của đơn vị',
        params: uuidParam,
        body: allocateBody,
        response: { 200: allocateOut, 403: errorOut, 404: errorOut, 422: errorOut },
      },
    },
    async (request) => {
      const auth = request.auth!;
      const r = await allocateBenefits(db, auth, request.params.id, request.body);
      const { c, settings } = await campaignOf(auth, request.params.id);
      const created = r.createdIds.length ? (await listBenefits(db, c.id, (await unitOf(auth, c, request.body.orgId)).org.path)).filter((x) => r.createdIds.includes(x.b.id)) : [];
      const order = new Map(r.createdIds.map((id, i) => [id, i]));
      created.sort((a, b) => order.get(a.b.id)! - order.get(b.b.id)!);
      return { created: created.map((x) => toBenefitOut(x, settings)), totalValue: r.totalValue, budget: r.budget, remaining: r.remaining, fundsLeft: r.fundsLeft, skipped: r.skipped };
    },
  );

  app.get(
    '/benefits/:id',
    { config: read, schema: { tags, summary: 'Một suất quà', params: uuidParam, response: { 200: benefitOut, 404: errorOut } } },
    async (request) => present(request.params.id, request.auth!),
  );

  app.patch(
    '/benefits/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Duyệt, giao, hủy (ghi lý do) hoặc sửa giá trị, nguồn kinh phí; quà đã giao không thể chuyển lại',
        params: uuidParam,
        body: updateBenefitBody,
        response: { 200: benefitOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut },
      },
    },
    async (request) => {
      await updateBenefit(db, request.auth!, request.params.id, request.body);
      return present(request.params.id, request.auth!);
    },
  );

  app.post(
    '/deliveries/scan',
    {
      config: write,
      schema: {
        tags,
        summary: 'Quét mã QR trên phiếu: ghi nhận đã giao (một lần); quét lại cho biết đã nhận lúc nào. Nhận cả lần quét ngoại tuyến gửi sau (deliveredAt, clientId)',
        body: scanBody,
        response: { 200: scanOut, 400: errorOut, 403: errorOut, 404: errorOut, 422: errorOut },
      },
    },
    async (request) => {
      const r = await scanVoucher(db, request.auth!, env.SESSION_SECRET, request.body);
      const b = r.row.b;
      return {
        status: r.status,
        benefit: {
          id: b.id,
          kind: b.kind,
          kindName: kindName(r.settings, b.kind),
          value: Number(b.value),
          childName: r.row.childName,
          orgName: r.row.orgName,
          deliveredAt: b.deliveredAt!.toISOString(),
          deliveredByName: r.row.deliveredByName,
        },
        message: translate(request.locale, r.message.key, r.message.params),
      };
    },
  );

  app.get(
    '/campaigns/:id/vouchers.html',
    { config: read, schema: { tags, summary: 'Phiếu nhận quà có mã QR (trang in A4) cho các suất đã duyệt của đơn vị', params: uuidParam, querystring: unitQuery } },
    async (request, reply) => {
      const auth = request.auth!;
      const { c, settings } = await campaignOf(auth, request.params.id);
      const { org } = await unitOf(auth, c, request.query.orgId);
      const rows = await listBenefits(db, c.id, org.path, { status: 'approved' });
      const html = await renderVouchers(c, settings, org.name, rows, env.SESSION_SECRET);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    },
  );

  app.get(
    '/campaigns/:id/signature-list.xlsx',
    { config: read, schema: { tags, summary: 'Danh sách ký nhận quà (.xlsx) của đơn vị: các suất chưa hủy', params: uuidParam, querystring: unitQuery } },
    async (request, reply) => {
      const auth = request.auth!;
      const { c, settings } = await campaignOf(auth, request.params.id);
      const { org, issuing } = await unitOf(auth, c, request.query.orgId);
      const rows: BenefitRow[] = await listBenefits(db, c.id, org.path, { excludeCancelled: true });
      const [parent] = org.parentId ? await db.select({ name: orgs.name }).from(orgs).where(eq(orgs.id, org.parentId)) : [];
      const parents = await parentsOf(db, [...new Set(rows.map((r) => r.b.childId))]);
      const buf = await buildSignatureList({ campaign: c, settings, unit: org, parentName: parent?.name ?? null, issuingOrgName: issuing.name, rows, parents });
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="danh-sach-ky-nhan-${fileSlug(c.docNumber)}-${fileSlug(org.code)}.xlsx"`)
        .send(buf);
    },
  );
}
