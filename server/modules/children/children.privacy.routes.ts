import { z } from 'zod';
import { recordAudit } from '../../lib/audit';
import type { AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import { forbidden, notFound } from '../../lib/errors';
import type { App } from '../../lib/http/types';
import { errorOut, uuidParam } from '../../lib/http/schemas';
import { foldVietnamese } from '../../../common/vietnamese';
import { childPolicy } from './children.policy';
import { presentChildren } from './children.present';
import { buildDataExport, dataExportHeader, dataExportOut, renderDataExportDocx } from './children.privacy.export';
import { eraseChild, withdrawConsent } from './children.privacy';
import { findChildInScope, type ChildWithOrg } from './children.queries';
import { childOut } from './children.schemas';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const withdrawBody = z.object({
  /** Who withdraws: the parent or guardian, or the child (aged 7 or more, who gave their own consent). */
  by: z.enum(['parent', 'child']),
  note: z.string().trim().max(500).optional(),
});
export const eraseBody = z.object({ reason: z.string().trim().min(3).max(500) });
export const eraseOut = z.object({
  /** deleted: nothing held the child, the row and its parent links are gone; anonymized: kept without personal data. */
  outcome: z.enum(['deleted', 'anonymized']),
  cancelledBenefits: z.number().int(),
  anonymizedMembers: z.number().int(),
});

/** attachment; an ASCII name for every client and the Vietnamese one for those that read filename*. */
function attachment(base: string, ext: 'json' | 'docx'): string {
  const ascii = `${foldVietnamese(base).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.${ext}`;
  const vietnamese = `${base.replace(/[\\/:*?"<>|]+/g, '-')}.${ext}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(vietnamese).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** A data subject's rights over a child's record: export, consent withdrawal, erasure. */
export async function childPrivacyRoutes(app: App): Promise<void> {
  const { db } = app.deps;
  const tags = ['children'];
  const sensitive = { access: 'children.sensitive' } as const;

  /** The child, for a caller holding the sensitive-data permission for its unit. */
  const childForExport = async (auth: AuthContext, id: string): Promise<ChildWithOrg> => {
    const row = await findChildInScope(db, id, childPolicy.readRoots(auth));
    if (!row) throw notFound('child.notFound');
    if (!childPolicy.canSeeSensitive(auth, row.orgPath)) throw forbidden();
    return row;
  };
  const auditExport = (auth: AuthContext, row: ChildWithOrg, format: 'json' | 'docx') =>
    recordAudit(db, auth.actor, { action: 'child.data_export', entityType: 'child', entityId: row.id, orgId: row.orgId, after: { format } });

  app.get(
    '/children/:id/data-export.json',
    {
      config: sensitive,
      schema: {
        tags,
        summary: 'Dữ liệu cá nhân của một trẻ theo yêu cầu của chủ thể dữ liệu (JSON): hồ sơ, cha mẹ, sự đồng ý, quà, tài trợ, nhật ký',
        params: uuidParam,
        response: { 200: dataExportOut, 403: errorOut, 404: errorOut },
      },
    },
    async (request, reply) => {
      const auth = request.auth!;
      const row = await childForExport(auth, request.params.id);
      const data = await buildDataExport(db, row, auth.actor.email);
      await auditExport(auth, row, 'json');
      return reply.header('content-disposition', attachment(`Dữ liệu cá nhân ${row.fullName}`, 'json')).send(data);
    },
  );

  app.get(
    '/children/:id/data-export.docx',
    {
      config: sensitive,
      // no response schema: the body is a file (an error is the usual JSON shape)
      schema: { tags, summary: 'Dữ liệu cá nhân của một trẻ theo yêu cầu của chủ thể dữ liệu (.docx, thể thức văn bản hành chính)', params: uuidParam },
    },
    async (request, reply) => {
      const auth = request.auth!;
      const row = await childForExport(auth, request.params.id);
      const data = await buildDataExport(db, row, auth.actor.email);
      const docx = await renderDataExportDocx(data, await dataExportHeader(db, row, todayInVietnam()));
      await auditExport(auth, row, 'docx');
      return reply.type(DOCX).header('content-disposition', attachment(`Dữ liệu cá nhân ${row.fullName}`, 'docx')).send(docx);
    },
  );

  app.post(
    '/children/:id/consent/withdraw',
    {
      config: sensitive,
      schema: {
        tags,
        summary: 'Rút lại sự đồng ý (cha/mẹ hoặc trẻ): ghi nhận vào hồ sơ đồng ý, hủy quà chưa giao, ẩn danh dữ liệu của trẻ',
        params: uuidParam,
        body: withdrawBody,
        response: { 200: childOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut },
      },
    },
    async (request) => {
      const auth = request.auth!;
      await withdrawConsent(db, auth, request.params.id, request.body);
      const row = await findChildInScope(db, request.params.id, childPolicy.readRoots(auth));
      return (await presentChildren(db, auth, [row!]))[0]!;
    },
  );

  app.post(
    '/children/:id/erase',
    {
      config: sensitive,
      schema: {
        tags,
        summary: 'Xóa dữ liệu của trẻ theo yêu cầu: xóa hẳn khi chưa có quà, tài trợ hay báo cáo nào tính trẻ; nếu có thì ẩn danh',
        params: uuidParam,
        body: eraseBody,
        response: { 200: eraseOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut },
      },
    },
    async (request) => eraseChild(db, request.auth!, request.params.id, request.body.reason),
  );
}
