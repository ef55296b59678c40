import { z } from 'zod';
import type { AuthContext } from '../../lib/authorization';
import { forbidden } from '../../lib/errors';
import type { App } from '../../lib/http/types';
import { errorOut, idParam } from '../../lib/http/schemas';
import { badRequestFile, readUpload } from '../../lib/http/upload';
import { exportChildren } from './children.export';
import { childImportTemplate, importChildren } from './children.import';
import { childPolicy } from './children.policy';
import { findChildUnitInScope } from './children.queries';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const childImportQuery = z.object({
  /** true (the default): check only and change nothing. */
  dryRun: z.enum(['true', 'false']).default('true'),
});

/**
 * The import report. Counts say what the file does (dry run) or did (commit):
 * `created` new children, `updated` children of the unit whose record changes,
 * `unchanged` children already exactly as in the file (nothing is written for
 * them). `committed` tells whether anything was written.
 */
export const childImportOut = z.object({
  total: z.number().int(),
  valid: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Row 1 is the header; `column` is like "B (Ngày sinh)". */
  errors: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })),
  /** The same child already registered by another unit (birthDate yyyy-mm-dd). */
  duplicates: z.array(z.object({ row: z.number().int(), fullName: z.string(), birthDate: z.string(), otherOrgName: z.string() })),
  committed: z.boolean(),
});

export const childExportQuery = z.object({ q: z.string().max(200).optional() });

/** Excel files of the children register: template, import, export. */
export async function childFileRoutes(app: App): Promise<void> {
  const { db } = app.deps;
  const tags = ['children'];
  const read = { access: 'children.read' } as const;
  const write = { access: 'children.write' } as const;

  const orgInScope = (auth: AuthContext, id: number) => findChildUnitInScope(db, auth, id);
  const writableOrg = async (auth: AuthContext, id: number) => {
    const org = await orgInScope(auth, id);
    if (!childPolicy.canWrite(auth, org.path)) throw forbidden();
    return org;
  };

  app.get(
    '/orgs/:id/children/template.xlsx',
    { config: write, schema: { tags, summary: 'Tệp Excel mẫu để nhập danh sách con đoàn viên', params: idParam } },
    async (request, reply) => {
      await writableOrg(request.auth!, request.params.id);
      const buf = await childImportTemplate();
      return reply.type(XLSX).header('content-disposition', 'attachment; filename="mau-nhap-danh-sach-con.xlsx"').send(buf);
    },
  );

  app.post(
    '/orgs/:id/children/import',
    {
      config: { ...write, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Nhập danh sách con đoàn viên từ Excel/CSV (kiểm tra trước với dryRun=true)',
        params: idParam,
        querystring: childImportQuery,
        consumes: ['multipart/form-data'],
        response: { 200: childImportOut, 422: childImportOut, 400: errorOut, 403: errorOut, 404: errorOut, 413: errorOut },
      },
    },
    async (request, reply) => {
      const org = await writableOrg(request.auth!, request.params.id);
      const file = await readUpload(request);
      if (!file) throw badRequestFile();
      const result = await importChildren(db, request.auth!, org, file, request.query.dryRun === 'true', request.locale);
      return reply.status(result.rejected ? 422 : 200).send(result.report);
    },
  );

  app.get(
    '/orgs/:id/children/export.xlsx',
    { config: read, schema: { tags, summary: 'Xuất danh sách trẻ của đơn vị (và cấp dưới) ra Excel', params: idParam, querystring: childExportQuery } },
    async (request, reply) => {
      const org = await orgInScope(request.auth!, request.params.id);
      const stream = exportChildren(db, request.auth!, org, request.query.q);
      return reply.type(XLSX).header('content-disposition', 'attachment; filename="danh-sach-tre.xlsx"').send(stream);
    },
  );
}
