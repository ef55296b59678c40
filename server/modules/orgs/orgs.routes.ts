import type { App } from '../../lib/http/types';
import { errorOut, idParam } from '../../lib/http/schemas';
import { badRequestFile, readUpload } from '../../lib/http/upload';
import { todayInVietnam } from '../../lib/dates';
import { notFound } from '../../lib/errors';
import { orgPolicy } from './orgs.policy';
import { importOrgs, orgImportTemplate } from './orgs.import';
import { currentTree, findOrgInScope, listOrgs, orgHistory, topmost, treeOnDate } from './orgs.queries';
import {
  createOrgBody,
  dissolveBody,
  historyOut,
  importOut,
  importQuery,
  listOut,
  listQuery,
  mergeBody,
  moveBody,
  orgOut,
  treeOut,
  treeQuery,
  updateOrgBody,
} from './orgs.schemas';
import { createOrg, dissolveOrg, getOrgDetail, mergeOrg, moveOrg, updateOrg } from './orgs.service';

export async function orgRoutes(app: App): Promise<void> {
  const { db } = app.deps;
  const tags = ['orgs'];
  const read = { access: 'orgs.read' } as const;
  const write = { access: 'orgs.write' } as const;

  app.get(
    '/tree',
    { config: read, schema: { tags, summary: 'Cây tổ chức trong phạm vi của người gọi (tại một ngày)', querystring: treeQuery, response: { 200: treeOut } } },
    async (request) => {
      const auth = request.auth!;
      const roots = topmost(auth.grants.filter((g) => orgPolicy.readRoots(auth).includes(g.orgPath)));
      const date = request.query.date ?? todayInVietnam();
      const forest = request.query.date ? await treeOnDate(db, roots.map((r) => r.orgId), date) : await currentTree(db, roots);
      const [first, ...rest] = forest;
      if (!first) throw notFound('org.notFound');
      return { ...first, date, ...(rest.length ? { additionalRoots: rest } : {}) };
    },
  );

  app.get(
    '/',
    { config: read, schema: { tags, summary: 'Tìm kiếm đơn vị (không dấu), sắp xếp tiếng Việt', querystring: listQuery, response: { 200: listOut } } },
    async (request) => listOrgs(db, orgPolicy.readRoots(request.auth!), request.query),
  );

  app.get(
    '/import/template',
    { config: write, schema: { tags, summary: 'Tệp Excel mẫu để nhập đơn vị' } },
    async (_request, reply) => {
      const buf = await orgImportTemplate();
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="mau-nhap-don-vi.xlsx"`)
        .send(buf);
    },
  );

  app.post(
    '/import',
    {
      config: { ...write, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Nhập danh sách đơn vị từ Excel/CSV', querystring: importQuery, consumes: ['multipart/form-data'], response: { 200: importOut, 422: importOut, 400: errorOut } },
    },
    async (request, reply) => {
      const file = await readUpload(request);
      if (!file) throw badRequestFile();
      const result = await importOrgs(db, request.auth!, file, request.query.mode, request.locale);
      return reply.status(result.rejected ? 422 : 200).send(result.report);
    },
  );

  app.get(
    '/:id',
    { config: read, schema: { tags, summary: 'Chi tiết đơn vị', params: idParam, response: { 200: orgOut, 404: errorOut } } },
    async (request) => getOrgDetail(db, request.auth!, request.params.id),
  );

  app.get(
    '/:id/history',
    { config: read, schema: { tags, summary: 'Lịch sử đơn vị', params: idParam, response: { 200: historyOut, 404: errorOut } } },
    async (request) => {
      const org = await findOrgInScope(db, request.params.id, orgPolicy.readRoots(request.auth!));
      if (!org) throw notFound('org.notFound');
      const items = (await orgHistory(db, org.id)).map((v) => ({ ...v, event: v.event as (typeof historyOut)['_output']['items'][number]['event'] }));
      if (org.status !== 'active' && org.validTo) {
        const last = items[items.length - 1];
        if (last) items.push({ ...last, validFrom: org.validTo, validTo: null, event: org.status === 'merged' ? 'merged' : 'dissolved' });
      }
      return { items };
    },
  );

  app.post(
    '/',
    { config: write, schema: { tags, summary: 'Thêm đơn vị', body: createOrgBody, response: { 201: orgOut, 400: errorOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request, reply) => {
      const id = await createOrg(db, request.auth!, request.body);
      return reply.status(201).send(await getOrgDetail(db, request.auth!, id));
    },
  );

  app.patch(
    '/:id',
    { config: write, schema: { tags, summary: 'Sửa đơn vị', params: idParam, body: updateOrgBody, response: { 200: orgOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request) => {
      await updateOrg(db, request.auth!, request.params.id, request.body);
      return getOrgDetail(db, request.auth!, request.params.id);
    },
  );

  app.post(
    '/:id/move',
    { config: write, schema: { tags, summary: 'Chuyển đơn vị sang đơn vị cấp trên khác', params: idParam, body: moveBody, response: { 200: orgOut, 404: errorOut, 422: errorOut } } },
    async (request) => {
      await moveOrg(db, request.auth!, request.params.id, request.body);
      return getOrgDetail(db, request.auth!, request.params.id);
    },
  );

  app.post(
    '/:id/merge',
    { config: write, schema: { tags, summary: 'Sáp nhập đơn vị vào đơn vị khác', params: idParam, body: mergeBody, response: { 200: orgOut, 404: errorOut, 422: errorOut } } },
    async (request) => {
      const survivorId = await mergeOrg(db, request.auth!, request.params.id, request.body);
      return getOrgDetail(db, request.auth!, survivorId);
    },
  );

  app.post(
    '/:id/dissolve',
    { config: write, schema: { tags, summary: 'Giải thể đơn vị', params: idParam, body: dissolveBody, response: { 200: orgOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request) => {
      await dissolveOrg(db, request.auth!, request.params.id, request.body ?? {});
      return getOrgDetail(db, request.auth!, request.params.id);
    },
  );
}
