import { and, eq, ne } from 'drizzle-orm';
import { campaigns } from '../../db/schema/index';
import { grantsWith, type AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import { AppError, notFound } from '../../lib/errors';
import { errorOut, unitQuery, uuidParam } from '../../lib/http/schemas';
import type { App } from '../../lib/http/types';
import { renderOfficialDocument } from '../../lib/official-document';
import { foldVietnamese } from '../../../common/vietnamese';
import { issuingOrgOf, unitUnderPlan, visibleCampaignOr404, type CampaignRow } from '../campaigns/campaigns.queries';
import { childPolicy } from '../children/children.policy';
import { findChildInScope } from '../children/children.queries';
import { findOrgInScope } from '../orgs/orgs.queries';
import { thankYouLetter } from './funds.letter';
import { fundPolicy, sponsorUsableAt } from './funds.policy';
import {
  childSponsorships,
  findEntry,
  findSponsorVisible,
  findTransfer,
  listEarmarks,
  listPledges,
  listReceipts,
  listSponsors,
  publicSponsors,
  sponsorHistory,
  subtreeSummary,
  toSponsorOut,
  unitLedger,
} from './funds.queries';
import {
  allocationBody,
  cancelPledgeBody,
  childSponsorshipsOut,
  createSponsorBody,
  earmarkBody,
  earmarkListOut,
  earmarkListQuery,
  earmarkOut,
  FUND_SOURCE_LABELS,
  fundEntryOut,
  fundSummaryOut,
  ledgerOut,
  pledgeBody,
  pledgeListOut,
  pledgeListQuery,
  pledgeOut,
  pledgeParams,
  publicFundsBody,
  publicFundsOut,
  publicFundsPageOut,
  receiptBody,
  receiptListOut,
  receiptListQuery,
  receiptOut,
  sponsorDetailOut,
  sponsorListOut,
  sponsorListQuery,
  sponsorOut,
  thankYouQuery,
  transferBody,
  transferOut,
  updateSponsorBody,
} from './funds.schemas';
import { cancelPledge, createEarmark, createPledge, createSponsor, recordAllocation, recordReceipt, recordTransfer, setPublicFunds, updateSponsor } from './funds.service';

/** Sponsors, pledges, receipts, earmarks, the ledger, transfers, thank-you letters and the public page. */
export async function fundRoutes(app: App): Promise<void> {
  const { db } = app.deps;
  const tags = ['funds'];
  const read = { access: 'funds.read' } as const;
  const write = { access: 'funds.write' } as const;

  const campaignOf = (auth: AuthContext, id: string) => visibleCampaignOr404(db, auth, id);

  /** The unit a read is for: the one asked, else the caller's own under the issuing unit, else the issuing unit. */
  const unitOf = (auth: AuthContext, c: CampaignRow, orgId: number | undefined) => unitUnderPlan(db, c, grantsWith(auth, 'funds.read'), orgId, 'own');

  const sponsorOf = async (auth: AuthContext, id: string) => {
    const s = await findSponsorVisible(db, auth, id);
    if (!s) throw notFound('sponsor.notFound');
    return s;
  };

  const fileSlug = (s: string) => foldVietnamese(s).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

  // ------------------------------------------------------------ sponsors

  app.get(
    '/sponsors',
    { config: read, schema: { tags, summary: 'Nhà tài trợ trong phạm vi (của đơn vị, cấp dưới và cấp trên): tìm không dấu, phân trang', querystring: sponsorListQuery, response: { 200: sponsorListOut, 404: errorOut } } },
    async (request) => {
      const auth = request.auth!;
      const q = request.query;
      let usableAtPath: string | undefined;
      if (q.orgId !== undefined) {
        const org = await findOrgInScope(db, q.orgId, fundPolicy.readRoots(auth));
        if (!org) throw notFound('org.notFound');
        usableAtPath = org.path;
      }
      const { items, total } = await listSponsors(db, auth, { q: q.q, kind: q.kind, usableAtPath, limit: q.limit, offset: q.offset });
      return { items: items.map((s) => toSponsorOut(s, auth)), total };
    },
  );

  app.post(
    '/sponsors',
    { config: write, schema: { tags, summary: 'Thêm nhà tài trợ (tổ chức hoặc cá nhân) do đơn vị ghi nhận', body: createSponsorBody, response: { 201: sponsorOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request, reply) => {
      const id = await createSponsor(db, request.auth!, request.body);
      return reply.status(201).send(toSponsorOut(await sponsorOf(request.auth!, id), request.auth!));
    },
  );

  app.get(
    '/sponsors/:id',
    { config: read, schema: { tags, summary: 'Một nhà tài trợ và những gì đã ủng hộ qua các kế hoạch, các năm', params: uuidParam, response: { 200: sponsorDetailOut, 404: errorOut } } },
    async (request) => {
      const auth = request.auth!;
      const s = await sponsorOf(auth, request.params.id);
      return { ...toSponsorOut(s, auth), history: await sponsorHistory(db, auth, s.s.id) };
    },
  );

  app.patch(
    '/sponsors/:id',
    { config: write, schema: { tags, summary: 'Sửa thông tin nhà tài trợ (gửi kèm version; 409 khi người khác đã sửa)', params: uuidParam, body: updateSponsorBody, response: { 200: sponsorOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request) => {
      await updateSponsor(db, request.auth!, request.params.id, request.body);
      return toSponsorOut(await sponsorOf(request.auth!, request.params.id), request.auth!);
    },
  );

  app.get(
    '/sponsors/:id/thank-you.docx',
    { config: read, schema: { tags, summary: 'Thư cảm ơn nhà tài trợ (.docx, thể thức văn bản hành chính) của một đơn vị trong một kế hoạch', params: uuidParam, querystring: thankYouQuery } },
    async (request, reply) => {
      const auth = request.auth!;
      const s = await sponsorOf(auth, request.params.id);
      const c = await campaignOf(auth, request.query.campaignId);
      const { org } = await unitOf(auth, c, request.query.orgId);
      if (!sponsorUsableAt(s.orgPath, org.path)) throw notFound('sponsor.notFound');
      const doc = await thankYouLetter(db, { campaign: c, org, sponsor: s, date: request.query.date ?? todayInVietnam(), signerName: request.query.signerName });
      const buf = await renderOfficialDocument(doc);
      return reply
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', `attachment; filename="thu-cam-on-${fileSlug(s.s.name).slice(0, 60)}.docx"`)
        .header('cache-control', 'no-store')
        .send(buf);
    },
  );

  // ------------------------------------------------------------ the ledger

  app.get(
    '/campaigns/:id/funds',
    { config: read, schema: { tags, summary: 'Sổ quỹ của đơn vị trong kế hoạch: thu, chi theo từng nguồn (mỗi nhà tài trợ một nguồn), số dư, các bút toán', params: uuidParam, querystring: unitQuery, response: { 200: ledgerOut, 404: errorOut } } },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const { org } = await unitOf(auth, c, request.query.orgId);
      return unitLedger(db, c.id, { id: org.id, code: org.code, name: org.name }, fundPolicy.canWrite(auth, org.path) && c.status === 'issued');
    },
  );

  app.get(
    '/campaigns/:id/funds/summary',
    { config: read, schema: { tags, summary: 'Kinh phí của đơn vị và cấp dưới theo nguồn, mỗi đơn vị trực thuộc một dòng', params: uuidParam, querystring: unitQuery, response: { 200: fundSummaryOut, 404: errorOut } } },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const { org } = await unitOf(auth, c, request.query.orgId);
      return { campaignId: c.id, ...(await subtreeSummary(db, c.id, { id: org.id, code: org.code, name: org.name, path: org.path })) };
    },
  );

  app.post(
    '/campaigns/:id/funds/allocations',
    { config: write, schema: { tags, summary: 'Đơn vị trích kinh phí công đoàn của mình cho kế hoạch', params: uuidParam, body: allocationBody, response: { 201: fundEntryOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request, reply) => {
      const id = await recordAllocation(db, request.auth!, request.params.id, request.body);
      return reply.status(201).send((await findEntry(db, id))!);
    },
  );

  app.post(
    '/campaigns/:id/funds/transfers',
    {
      config: write,
      schema: {
        tags,
        summary: 'Chuyển kinh phí xuống đơn vị cấp dưới (kinh phí công đoàn thành kinh phí cấp trên hỗ trợ; tiền tài trợ giữ nhà tài trợ); không vượt số còn lại',
        params: uuidParam,
        body: transferBody,
        response: { 201: transferOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut },
      },
    },
    async (request, reply) => {
      const id = await recordTransfer(db, request.auth!, request.params.id, request.body);
      return reply.status(201).send((await findTransfer(db, id))!);
    },
  );

  // ------------------------------------------------------------ pledges

  app.get(
    '/campaigns/:id/funds/pledges',
    { config: read, schema: { tags, summary: 'Cam kết tài trợ của đơn vị và cấp dưới, kèm số đã nhận', params: uuidParam, querystring: pledgeListQuery, response: { 200: pledgeListOut, 404: errorOut } } },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const { org } = await unitOf(auth, c, request.query.orgId);
      const all = await listPledges(db, c.id, org.path, { sponsorId: request.query.sponsorId });
      const items = request.query.status ? all.filter((p) => p.status === request.query.status) : all;
      const live = items.filter((p) => p.status !== 'cancelled');
      return {
        items,
        totals: {
          count: live.length,
          pledged: live.reduce((n, p) => n + p.amount, 0),
          received: items.reduce((n, p) => n + p.received, 0),
          outstanding: live.reduce((n, p) => n + p.outstanding, 0),
        },
      };
    },
  );

  app.post(
    '/campaigns/:id/funds/pledges',
    { config: write, schema: { tags, summary: 'Ghi nhận cam kết tài trợ: tiền (số tiền) hoặc hiện vật (tên, số lượng, đơn giá)', params: uuidParam, body: pledgeBody, response: { 201: pledgeOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request, reply) => {
      const auth = request.auth!;
      const id = await createPledge(db, auth, request.params.id, request.body);
      const c = await campaignOf(auth, request.params.id);
      const issuing = await issuingOrgOf(db, c.issuingOrgId);
      return reply.status(201).send((await listPledges(db, c.id, issuing.path, { ids: [id] }))[0]!);
    },
  );

  app.post(
    '/campaigns/:id/funds/pledges/:pledgeId/cancel',
    { config: write, schema: { tags, summary: 'Hủy phần cam kết chưa nhận (ghi lý do); phần đã nhận giữ nguyên', params: pledgeParams, body: cancelPledgeBody, response: { 200: pledgeOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request) => {
      const auth = request.auth!;
      await cancelPledge(db, auth, request.params.id, request.params.pledgeId, request.body.reason);
      const c = await campaignOf(auth, request.params.id);
      const issuing = await issuingOrgOf(db, c.issuingOrgId);
      return (await listPledges(db, c.id, issuing.path, { ids: [request.params.pledgeId] }))[0]!;
    },
  );

  // ------------------------------------------------------------ receipts

  app.get(
    '/campaigns/:id/funds/receipts',
    { config: read, schema: { tags, summary: 'Các khoản tài trợ đã nhận (tiền, hiện vật) của đơn vị và cấp dưới', params: uuidParam, querystring: receiptListQuery, response: { 200: receiptListOut, 404: errorOut } } },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const { org } = await unitOf(auth, c, request.query.orgId);
      const items = await listReceipts(db, c.id, org.path, { sponsorId: request.query.sponsorId });
      const sum = (form?: string) => items.filter((r) => !form || r.form === form).reduce((n, r) => n + r.amount, 0);
      return { items, totals: { count: items.length, amount: sum(), cash: sum('cash'), inKind: sum('in_kind') } };
    },
  );

  app.post(
    '/campaigns/:id/funds/receipts',
    {
      config: write,
      schema: {
        tags,
        summary: 'Ghi nhận khoản đã nhận: tiền (số tiền, hình thức, số phiếu) hoặc hiện vật (tính theo tổng giá trị); có thể trừ vào một phần cam kết',
        params: uuidParam,
        body: receiptBody,
        response: { 201: receiptOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut },
      },
    },
    async (request, reply) => {
      const auth = request.auth!;
      const id = await recordReceipt(db, auth, request.params.id, request.body);
      const c = await campaignOf(auth, request.params.id);
      const issuing = await issuingOrgOf(db, c.issuingOrgId);
      return reply.status(201).send((await listReceipts(db, c.id, issuing.path, { ids: [id] }))[0]!);
    },
  );

  // ------------------------------------------------------------ earmarks

  app.get(
    '/campaigns/:id/funds/earmarks',
    { config: read, schema: { tags, summary: 'Tiền tài trợ dành riêng cho một đơn vị cấp dưới hoặc một trẻ (nhận đỡ đầu)', params: uuidParam, querystring: earmarkListQuery, response: { 200: earmarkListOut, 404: errorOut } } },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const { org } = await unitOf(auth, c, request.query.orgId);
      const items = await listEarmarks(db, auth, c.id, org.path, { target: request.query.target });
      return { items, totals: { count: items.length, amount: items.reduce((n, e) => n + e.amount, 0) } };
    },
  );

  app.post(
    '/campaigns/:id/funds/earmarks',
    {
      config: write,
      schema: {
        tags,
        summary: 'Dành tiền của một nhà tài trợ cho một đơn vị cấp dưới (chuyển xuống) hoặc một trẻ (nhận đỡ đầu, theo thời gian); không vượt số còn lại',
        params: uuidParam,
        body: earmarkBody,
        response: { 201: earmarkOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut },
      },
    },
    async (request, reply) => {
      const auth = request.auth!;
      const id = await createEarmark(db, auth, request.params.id, request.body);
      const c = await campaignOf(auth, request.params.id);
      const issuing = await issuingOrgOf(db, c.issuingOrgId);
      return reply.status(201).send((await listEarmarks(db, auth, c.id, issuing.path, { ids: [id] }))[0]!);
    },
  );

  app.get(
    '/children/:id/sponsorships',
    { config: { access: 'children.read' }, schema: { tags, summary: 'Các khoản nhận đỡ đầu (tài trợ dành riêng) của một trẻ', params: uuidParam, response: { 200: childSponsorshipsOut, 404: errorOut } } },
    async (request) => {
      const child = await findChildInScope(db, request.params.id, childPolicy.readRoots(request.auth!));
      if (!child) throw notFound('child.notFound');
      const items = await childSponsorships(db, child.id);
      return { items, total: items.reduce((n, x) => n + x.amount, 0) };
    },
  );

  // ------------------------------------------------------------ transparency

  app.put(
    '/campaigns/:id/funds/public',
    { config: write, schema: { tags, summary: 'Bật/tắt trang công khai kinh phí của kế hoạch (đơn vị ban hành)', params: uuidParam, body: publicFundsBody, response: { 200: publicFundsOut, 403: errorOut, 404: errorOut } } },
    async (request) => {
      await setPublicFunds(db, request.auth!, request.params.id, request.body.enabled);
      return { enabled: request.body.enabled, apiPath: `/api/v1/public/campaigns/${request.params.id}/funds` };
    },
  );

  app.get(
    '/public/campaigns/:id/funds',
    {
      // Anyone may read it: a generous limit per address keeps it from being used to load the database.
      config: { access: 'public', rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Trang công khai: kinh phí của kế hoạch theo nguồn và các nhà tài trợ đồng ý nêu tên; không có dữ liệu của trẻ. 404 khi chưa bật', params: uuidParam, response: { 200: publicFundsPageOut, 404: errorOut } },
    },
    async (request, reply) => {
      const [c] = await db
        .select()
        .from(campaigns)
        .where(and(eq(campaigns.id, request.params.id), eq(campaigns.publicFunds, true), ne(campaigns.status, 'draft')))
        .limit(1);
      if (!c) throw new AppError(404, 'NOT_FOUND', 'request.notFound');
      const issuing = await issuingOrgOf(db, c.issuingOrgId);
      const summary = await subtreeSummary(db, c.id, { id: issuing.id, code: issuing.code, name: issuing.name, path: issuing.path });
      const sponsors = await publicSponsors(db, c.id);
      // Not cached: turning the page off takes effect at once.
      reply.header('cache-control', 'no-cache');
      return {
        campaign: { id: c.id, docNumber: c.docNumber, title: c.title, year: c.year, issuingOrgName: issuing.name },
        bySource: summary.totals.bySource.map((r) => ({ ...r, label: FUND_SOURCE_LABELS[r.source].vi })),
        totals: { in: summary.totals.in, out: summary.totals.out, balance: summary.totals.balance },
        sponsors: sponsors.named,
        otherSponsors: sponsors.others,
        updatedAt: new Date().toISOString(),
      };
    },
  );
}
