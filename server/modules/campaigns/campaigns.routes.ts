import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { notices, orgs } from '../../db/schema/index';
import type { App } from '../../lib/http/types';
import { errorOut, unitIdParam } from '../../lib/http/schemas';
import { AppError, notFound } from '../../lib/errors';
import { renderOfficialDocument } from '../../lib/official-document';
import { lunarToSolar, solarToLunar } from '../../../common/lunar';
import { foldVietnamese } from '../../../common/vietnamese';
import { pathWithin } from '../../lib/authorization';
import { orgPolicy } from '../orgs/orgs.policy';
import { findOrgInScope } from '../orgs/orgs.queries';
import { campaignPolicy } from './campaigns.policy';
import { docxToPdf } from './campaigns.pdf';
import { officialDocumentOf, planTree, presentCampaign } from './campaigns.present';
import { coverageBelow, visibleCampaignOr404, issuingOrgOf, listAssignments, listCampaigns } from './campaigns.queries';
import {
  acknowledgeBody,
  addAssignmentBody,
  assignmentsOut,
  calendarOut,
  campaignOut,
  campaignSummary,
  copyBody,
  coverageOut,
  coverageQuery,
  createCampaignBody,
  excludeAssignmentBody,
  listQuery,
  lunarQuery,
  planTreeOut,
  remindBody,
  solarQuery,
  updateCampaignBody,
} from './campaigns.schemas';
import {
  acknowledgeCampaign,
  addAssignment,
  closeCampaign,
  copyCampaign,
  createCampaign,
  excludeAssignment,
  issueCampaign,
  remindCampaign,
  updateCampaign,
  type CampaignDeps,
} from './campaigns.service';

const idParam = z.object({ id: z.string().uuid() });

export async function campaignRoutes(app: App): Promise<void> {
  const { db } = app.deps;
  const deps: CampaignDeps = { db, jobs: app.deps.jobs, mailer: app.deps.mailer, publicUrl: app.deps.env.PUBLIC_URL };
  const tags = ['campaigns'];
  const read = { access: 'campaigns.read' } as const;
  const write = { access: 'campaigns.write' } as const;

  app.get(
    '/',
    { config: read, schema: { tags, summary: 'Danh sách kế hoạch trong phạm vi (box=inbox: kế hoạch gửi tới đơn vị mình)', querystring: listQuery, response: { 200: z.object({ items: z.array(campaignSummary) }) } } },
    async (request) => ({ items: await listCampaigns(db, request.auth!, request.query) }),
  );

  app.post(
    '/',
    { config: write, schema: { tags, summary: 'Lập kế hoạch (dự thảo)', body: createCampaignBody, response: { 201: campaignOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request, reply) => {
      const id = await createCampaign(db, request.auth!, request.body);
      return reply.status(201).send(await presentCampaign(db, request.auth!, id));
    },
  );

  app.get(
    '/:id',
    { config: read, schema: { tags, summary: 'Chi tiết kế hoạch', params: idParam, response: { 200: campaignOut, 404: errorOut } } },
    async (request) => presentCampaign(db, request.auth!, request.params.id),
  );

  app.patch(
    '/:id',
    { config: write, schema: { tags, summary: 'Sửa kế hoạch (trừ khi đã kết thúc)', params: idParam, body: updateCampaignBody, response: { 200: campaignOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request) => {
      await updateCampaign(db, request.auth!, request.params.id, request.body);
      return presentCampaign(db, request.auth!, request.params.id);
    },
  );

  app.post(
    '/:id/issue',
    { config: write, schema: { tags, summary: 'Ban hành: giao kế hoạch tới mọi đơn vị trực thuộc', params: idParam, response: { 200: campaignOut, 404: errorOut, 409: errorOut } } },
    async (request) => {
      await issueCampaign(deps, request.auth!, request.params.id);
      return presentCampaign(db, request.auth!, request.params.id);
    },
  );

  app.post(
    '/:id/close',
    { config: write, schema: { tags, summary: 'Kết thúc kế hoạch (chỉ còn xem)', params: idParam, response: { 200: campaignOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request) => {
      await closeCampaign(db, request.auth!, request.params.id);
      return presentCampaign(db, request.auth!, request.params.id);
    },
  );

  app.post(
    '/:id/copy',
    { config: write, schema: { tags, summary: 'Sao chép sang năm khác (dự thảo mới)', params: idParam, body: copyBody, response: { 201: campaignOut, 404: errorOut, 409: errorOut } } },
    async (request, reply) => {
      const id = await copyCampaign(db, request.auth!, request.params.id, request.body.year);
      return reply.status(201).send(await presentCampaign(db, request.auth!, id));
    },
  );

  app.post(
    '/:id/acknowledgements',
    {
      config: { access: 'campaigns.acknowledge' },
      schema: { tags, summary: 'Đơn vị xác nhận "Đã nhận kế hoạch"', params: idParam, body: acknowledgeBody, response: { 201: z.object({ orgId: z.number().int(), acknowledgedAt: z.string(), acknowledgedByName: z.string().nullable() }), 403: errorOut, 404: errorOut } },
    },
    async (request, reply) => {
      const ack = await acknowledgeCampaign(db, request.auth!, request.params.id, request.body?.orgId);
      return reply.status(201).send(ack);
    },
  );

  app.get(
    '/:id/coverage',
    { config: read, schema: { tags, summary: 'Tỷ lệ đơn vị đã nhận kế hoạch, tại đơn vị ban hành hoặc một đơn vị cấp dưới', params: idParam, querystring: coverageQuery, response: { 200: coverageOut, 404: errorOut } } },
    async (request) => {
      const c = await visibleCampaignOr404(db, request.auth!, request.params.id);
      const orgId = request.query.orgId ?? c.issuingOrgId;
      const org = await findOrgInScope(db, orgId, orgPolicy.readRoots(request.auth!));
      const issuing = await issuingOrgOf(db, c.issuingOrgId);
      if (!org || !pathWithin(org.path, [issuing.path])) throw notFound('org.notFound');
      return { orgId, ...(await coverageBelow(db, c.id, org.path)) };
    },
  );

  app.get(
    '/:id/assignments',
    { config: read, schema: { tags, summary: 'Các đơn vị nhận kế hoạch: đã nhận khi nào, ai nhận, đã nhắc', params: idParam, response: { 200: assignmentsOut, 404: errorOut } } },
    async (request) => {
      const c = await visibleCampaignOr404(db, request.auth!, request.params.id);
      return { items: await listAssignments(db, c.id, campaignPolicy.readRoots(request.auth!)) };
    },
  );

  app.post(
    '/:id/assignments',
    { config: write, schema: { tags, summary: 'Thêm một đơn vị vào phạm vi (ghi lý do)', params: idParam, body: addAssignmentBody, response: { 201: z.object({ orgId: z.number().int() }), 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request, reply) => {
      await addAssignment(deps, request.auth!, request.params.id, request.body.orgId, request.body.reason);
      return reply.status(201).send({ orgId: request.body.orgId });
    },
  );

  app.post(
    '/:id/assignments/:orgId/exclude',
    {
      config: write,
      schema: { tags, summary: 'Loại một đơn vị khỏi phạm vi (ghi lý do)', params: z.object({ id: z.string().uuid(), orgId: unitIdParam }), body: excludeAssignmentBody, response: { 200: z.object({ orgId: z.number().int() }), 404: errorOut } },
    },
    async (request) => {
      await excludeAssignment(db, request.auth!, request.params.id, request.params.orgId, request.body.reason);
      return { orgId: request.params.orgId };
    },
  );

  app.post(
    '/:id/reminders',
    { config: write, schema: { tags, summary: 'Nhắc các đơn vị chưa nhận kế hoạch', params: idParam, body: remindBody, response: { 200: z.object({ reminded: z.number().int() }), 404: errorOut, 422: errorOut } } },
    async (request) => ({ reminded: await remindCampaign(deps, request.auth!, request.params.id, request.body?.message) }),
  );

  app.get(
    '/:id/plan-tree',
    { config: read, schema: { tags, summary: 'Cây kế hoạch: các kế hoạch thực hiện của cấp dưới và tỷ lệ nhận của mỗi kế hoạch', params: idParam, response: { 200: planTreeOut, 404: errorOut } } },
    async (request) => planTree(db, request.auth!, request.params.id),
  );

  const fileName = (docNumber: string, ext: string) => `ke-hoach-${foldVietnamese(docNumber).replace(/[^a-z0-9]+/g, '-')}.${ext}`;

  app.get(
    '/:id/document.docx',
    { config: read, schema: { tags, summary: 'Văn bản kế hoạch (.docx) theo thể thức Nghị định 30/2020', params: idParam } },
    async (request, reply) => {
      const c = await visibleCampaignOr404(db, request.auth!, request.params.id);
      const buf = await renderOfficialDocument(await officialDocumentOf(db, c));
      return reply
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', `attachment; filename="${fileName(c.docNumber, 'docx')}"`)
        .send(buf);
    },
  );

  app.get(
    '/:id/document.pdf',
    { config: read, schema: { tags, summary: 'Văn bản kế hoạch (.pdf), khi máy chủ có LibreOffice; 501 khi không có', params: idParam } },
    async (request, reply) => {
      const c = await visibleCampaignOr404(db, request.auth!, request.params.id);
      const pdf = await docxToPdf(await renderOfficialDocument(await officialDocumentOf(db, c)));
      if (!pdf) throw new AppError(501, 'PDF_UNAVAILABLE', 'campaign.pdfUnavailable');
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${fileName(c.docNumber, 'pdf')}"`).send(pdf);
    },
  );
}

export async function calendarRoutes(app: App): Promise<void> {
  const tags = ['calendar'];
  app.get(
    '/lunar',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Đổi ngày âm lịch (múi giờ UTC+7) sang dương lịch', querystring: lunarQuery, response: { 200: calendarOut, 422: errorOut } } },
    async (request) => {
      const { day, month, year, leap } = request.query;
      const s = lunarToSolar(day, month, year, leap);
      if (!s) throw new AppError(422, 'INVALID', 'calendar.noSuchDate');
      return { solar: `${s.year}-${String(s.month).padStart(2, '0')}-${String(s.day).padStart(2, '0')}`, lunar: { day, month, year, leap } };
    },
  );
  app.get(
    '/solar',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Đổi ngày dương lịch sang âm lịch (UTC+7)', querystring: solarQuery, response: { 200: calendarOut } } },
    async (request) => {
      const [y, m, d] = request.query.date.split('-').map(Number) as [number, number, number];
      return { solar: request.query.date, lunar: solarToLunar(d, m, y) };
    },
  );
}

/** The in-app notices addressed to the caller's own units (a plan issued, a reminder). */
export async function noticeRoutes(app: App): Promise<void> {
  const { db } = app.deps;
  app.get(
    '/',
    {
      config: { access: 'campaigns.read' },
      schema: {
        tags: ['campaigns'],
        summary: 'Thông báo gửi tới đơn vị của tôi',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.string(), orgId: z.number().int(), orgName: z.string(), campaignId: z.string().nullable(), kind: z.string(), title: z.string(), body: z.string(), createdAt: z.string() })),
          }),
        },
      },
    },
    async (request) => {
      const own = request.auth!.grants.map((g) => g.orgId);
      const rows = await db
        .select({ id: notices.id, orgId: notices.orgId, orgName: orgs.name, campaignId: notices.campaignId, kind: notices.kind, title: notices.title, body: notices.body, createdAt: notices.createdAt })
        .from(notices)
        .innerJoin(orgs, eq(orgs.id, notices.orgId))
        .where(sql`${notices.orgId} = any(string_to_array(${own.join(',') || '0'}, ',')::int[])`)
        .orderBy(desc(notices.createdAt))
        .limit(request.query.limit);
      return { items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
    },
  );
}
