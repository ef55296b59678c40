import { z } from 'zod';
import { grantsWith, type AuthContext } from '../../lib/authorization';
import { AppError, notFound } from '../../lib/errors';
import { createFileStore } from '../../lib/file-store';
import type { App } from '../../lib/http/types';
import { errorOut, unitQuery, uuidParam } from '../../lib/http/schemas';
import { readUpload } from '../../lib/http/upload';
import { unitUnderPlan, visibleCampaignOr404, type CampaignRow } from '../campaigns/campaigns.queries';
import { unitInCampaign } from '../benefits/benefits.queries';
import { activityPolicy } from './activities.policy';
import {
  activityTotals,
  filesOf,
  findActivityInScope,
  findCommendationInScope,
  findFileInScope,
  listActivities,
  listCommendations,
  toActivityOut,
  toCommendationOut,
  toFileOut,
} from './activities.queries';
import {
  activityFileListOut,
  activityFileOut,
  activityListOut,
  activityListQuery,
  activityOut,
  commendationListOut,
  commendationOut,
  createActivityBody,
  createCommendationBody,
  updateActivityBody,
} from './activities.schemas';
import {
  addActivityFile,
  createActivity,
  createCommendation,
  deleteActivity,
  deleteActivityFile,
  deleteCommendation,
  tooLarge,
  updateActivity,
  writableActivity,
  type EvidenceDeps,
} from './activities.service';

/** `inline; filename="Dem hoi.jpg"; filename*=UTF-8''%C4%90%C3%AAm%20h%E1%BB%99i.jpg` */
function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Activities of a campaign, their evidence files, and commendations. */
export async function activityRoutes(app: App): Promise<void> {
  const { db, env, log } = app.deps;
  const store = createFileStore(env);
  const evidence: EvidenceDeps = { db, store, onStoreError: (err) => log.warn({ err }, 'file store: a removed file could not be deleted') };
  const tags = ['activities'];
  const read = { access: 'campaigns.read' } as const;
  const write = { access: 'activities.write' } as const;

  const campaignOf = (auth: AuthContext, id: string) => visibleCampaignOr404(db, auth, id);

  /** The unit a list is for: the one asked, else the caller's own unit under the issuing unit, else the issuing unit. */
  const unitOf = async (auth: AuthContext, c: CampaignRow, orgId: number | undefined) => {
    const { org } = await unitUnderPlan(db, c, grantsWith(auth, 'campaigns.read'), orgId, 'own');
    const canCreate = c.status === 'issued' && activityPolicy.canWrite(auth, org.path) && (await unitInCampaign(db, c, org.id));
    return { org, canCreate };
  };

  const presentActivity = async (id: string, auth: AuthContext) => {
    const row = await findActivityInScope(db, id, activityPolicy.readRoots(auth));
    if (!row) throw notFound('activity.notFound');
    const files = (await filesOf(db, [id])).get(id) ?? [];
    return toActivityOut(row, files, activityPolicy.canWrite(auth, row.orgPath));
  };

  app.get(
    '/campaigns/:id/activities',
    {
      config: read,
      schema: {
        tags,
        summary: 'Hoạt động của đơn vị (và cấp dưới) trong kế hoạch, mới nhất trước, kèm ảnh, tài liệu và số liệu tổng hợp',
        params: uuidParam,
        querystring: activityListQuery,
        response: { 200: activityListOut, 404: errorOut },
      },
    },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const { org, canCreate } = await unitOf(auth, c, request.query.orgId);
      const rows = await listActivities(db, c.id, org.path, { kind: request.query.kind, status: request.query.status });
      const files = await filesOf(db, rows.map((r) => r.a.id));
      const items = rows.map((r) => toActivityOut(r, files.get(r.a.id) ?? [], activityPolicy.canWrite(auth, r.orgPath)));
      return { items, totals: activityTotals(items), org: { id: org.id, name: org.name, canCreate } };
    },
  );

  app.post(
    '/campaigns/:id/activities',
    {
      config: write,
      schema: {
        tags,
        summary: 'Ghi một hoạt động (đêm hội, truyền thông, tập huấn, cuộc thi…) của đơn vị; chi phí được giữ trong số kinh phí còn lại của nguồn',
        params: uuidParam,
        body: createActivityBody,
        response: { 201: activityOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut },
      },
    },
    async (request, reply) => {
      const id = await createActivity(db, request.auth!, request.params.id, request.body);
      return reply.status(201).send(await presentActivity(id, request.auth!));
    },
  );

  app.get(
    '/activities/:id',
    { config: read, schema: { tags, summary: 'Một hoạt động, kèm ảnh và tài liệu', params: uuidParam, response: { 200: activityOut, 404: errorOut } } },
    async (request) => presentActivity(request.params.id, request.auth!),
  );

  app.patch(
    '/activities/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Sửa hoạt động (kết quả, chuyển trực tuyến, hoãn, hủy kèm lý do, chi phí); cần version đã đọc, đã có người sửa thì trả 409',
        params: uuidParam,
        body: updateActivityBody,
        response: { 200: activityOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut },
      },
    },
    async (request) => {
      await updateActivity(db, request.auth!, request.params.id, request.body);
      return presentActivity(request.params.id, request.auth!);
    },
  );

  app.delete(
    '/activities/:id',
    {
      config: write,
      schema: { tags, summary: 'Xóa hoạt động ghi nhầm, cùng ảnh và tài liệu của nó', params: uuidParam, response: { 204: z.null(), 403: errorOut, 404: errorOut, 409: errorOut } },
    },
    async (request, reply) => {
      await deleteActivity(evidence, request.auth!, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/activities/:id/files',
    { config: read, schema: { tags, summary: 'Ảnh và tài liệu minh chứng của hoạt động', params: uuidParam, response: { 200: activityFileListOut, 404: errorOut } } },
    async (request) => {
      const row = await findActivityInScope(db, request.params.id, activityPolicy.readRoots(request.auth!));
      if (!row) throw notFound('activity.notFound');
      return { items: ((await filesOf(db, [row.a.id])).get(row.a.id) ?? []).map(toFileOut) };
    },
  );

  app.post(
    '/activities/:id/files',
    {
      config: { ...write, rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary:
          'Tải lên một ảnh (JPEG, PNG, WebP) hoặc tài liệu PDF làm minh chứng, tối đa 10 MB, trường "file" của multipart/form-data. Loại tệp được kiểm tra theo nội dung; ảnh có ảnh thu nhỏ. Gửi lại đúng tệp đã có thì trả 200 với tệp đó',
        params: uuidParam,
        consumes: ['multipart/form-data'],
        response: { 200: activityFileOut, 201: activityFileOut, 400: errorOut, 403: errorOut, 404: errorOut, 409: errorOut, 413: errorOut, 422: errorOut },
      },
    },
    async (request, reply) => {
      const auth = request.auth!;
      // Whether this caller may add to this activity, before reading 10 MB.
      await writableActivity(db, auth, request.params.id);
      let file;
      try {
        file = await readUpload(request);
      } catch (err) {
        if ((err as { statusCode?: number; status?: number }).statusCode === 413 || (err instanceof AppError && err.status === 413)) throw tooLarge();
        throw err;
      }
      if (!file) throw new AppError(400, 'NO_FILE', 'activityFile.noFile', {}, { file: { key: 'activityFile.noFile' } });
      const r = await addActivityFile(evidence, auth, request.params.id, file);
      const row = await findFileInScope(db, r.id, activityPolicy.readRoots(auth));
      return reply.status(r.created ? 201 : 200).send(toFileOut(row!.f));
    },
  );

  const fileOf = async (auth: AuthContext, id: string) => {
    const row = await findFileInScope(db, id, activityPolicy.readRoots(auth));
    if (!row) throw notFound('activityFile.notFound');
    return row.f;
  };

  app.get(
    '/activity-files/:id',
    { config: read, schema: { tags, summary: 'Nội dung một tệp minh chứng (ảnh hiển thị trực tiếp, PDF tải về)', params: uuidParam } },
    async (request, reply) => {
      const f = await fileOf(request.auth!, request.params.id);
      const bytes = await store.get(f.storageKey);
      if (!bytes) throw notFound('activityFile.notFound');
      return reply
        .type(f.contentType)
        .header('content-disposition', contentDisposition(f.contentType === 'application/pdf' ? 'attachment' : 'inline', f.fileName))
        .header('cache-control', 'private, max-age=86400, immutable')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(bytes);
    },
  );

  app.get(
    '/activity-files/:id/thumbnail',
    { config: read, schema: { tags, summary: 'Ảnh thu nhỏ (WebP) của một ảnh minh chứng; 404 với PDF', params: uuidParam } },
    async (request, reply) => {
      const f = await fileOf(request.auth!, request.params.id);
      const bytes = f.thumbnailKey ? await store.get(f.thumbnailKey) : null;
      if (!bytes) throw notFound('activityFile.notFound');
      return reply
        .type('image/webp')
        .header('cache-control', 'private, max-age=86400, immutable')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(bytes);
    },
  );

  app.delete(
    '/activity-files/:id',
    { config: write, schema: { tags, summary: 'Xóa một tệp minh chứng', params: uuidParam, response: { 204: z.null(), 403: errorOut, 404: errorOut, 409: errorOut } } },
    async (request, reply) => {
      await deleteActivityFile(evidence, request.auth!, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/campaigns/:id/commendations',
    {
      config: read,
      schema: {
        tags,
        summary: 'Biểu dương (cá nhân, nhà tài trợ) của đơn vị và cấp dưới trong kế hoạch',
        params: uuidParam,
        querystring: unitQuery,
        response: { 200: commendationListOut, 404: errorOut },
      },
    },
    async (request) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const { org, canCreate } = await unitOf(auth, c, request.query.orgId);
      const rows = await listCommendations(db, c.id, org.path);
      return { items: rows.map((r) => toCommendationOut(r, activityPolicy.canWrite(auth, r.orgPath))), org: { id: org.id, name: org.name, canCreate } };
    },
  );

  app.post(
    '/campaigns/:id/commendations',
    {
      config: write,
      schema: {
        tags,
        summary: 'Ghi một quyết định biểu dương: cá nhân hoặc nhà tài trợ, lý do, số và ngày quyết định',
        params: uuidParam,
        body: createCommendationBody,
        response: { 201: commendationOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut },
      },
    },
    async (request, reply) => {
      const auth = request.auth!;
      const id = await createCommendation(db, auth, request.params.id, request.body);
      const row = await findCommendationInScope(db, id, activityPolicy.readRoots(auth));
      return reply.status(201).send(toCommendationOut(row!, activityPolicy.canWrite(auth, row!.orgPath)));
    },
  );

  app.delete(
    '/commendations/:id',
    { config: write, schema: { tags, summary: 'Xóa một biểu dương ghi nhầm', params: uuidParam, response: { 204: z.null(), 403: errorOut, 404: errorOut, 409: errorOut } } },
    async (request, reply) => {
      await deleteCommendation(db, request.auth!, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
