import type { App } from '../../lib/http/types';
import { uuidParam } from '../../lib/http/schemas';
import { foldVietnamese } from '../../../common/vietnamese';
import { renderConsolidatedDocx } from './reports.docx';
import { consolidatedExportOf, reportLookups, type ConsolidatedExport } from './reports.lookup';
import { includeQuery } from './reports.schemas';
import { writeConsolidatedXlsx } from './reports.xlsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * attachment; an ASCII name for every client ("bao-cao-tong-hop-45-kh-ldld-hn-lb.xlsx")
 * and the Vietnamese one ("Báo cáo tổng hợp 45-KH-LĐLĐ HN-LB.xlsx") for those that read filename*.
 */
function attachment(e: ConsolidatedExport, ext: 'xlsx' | 'docx'): string {
  const base = `Báo cáo tổng hợp ${e.campaign.docNumber} ${e.unit.code}`;
  const ascii = `${foldVietnamese(base).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.${ext}`;
  const vietnamese = `${base.replace(/[\\/:*?"<>|]+/g, '-')}.${ext}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(vietnamese).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** The consolidated report as Excel and as an official Word report. */
export async function reportExportRoutes(app: App): Promise<void> {
  const { db } = app.deps;
  const { campaignOf, unitOf } = reportLookups(db);
  const tags = ['reports'];
  // no response schema: the body is a file (a 404 is the usual error shape)
  const schema = (summary: string) => ({ tags, summary, params: uuidParam, querystring: includeQuery });

  app.get(
    '/campaigns/:id/consolidated.xlsx',
    {
      config: { access: 'campaigns.read' },
      schema: schema('Báo cáo tổng hợp (.xlsx): trang tổng hợp số liệu theo mẫu và trang mỗi đơn vị một dòng; cùng số liệu với màn hình'),
    },
    async (request, reply) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const unit = await unitOf(auth, c, request.query.orgId);
      const e = await consolidatedExportOf(db, c, unit, request.query.include);
      return reply.type(XLSX).header('content-disposition', attachment(e, 'xlsx')).send(writeConsolidatedXlsx(e));
    },
  );

  app.get(
    '/campaigns/:id/consolidated.docx',
    {
      config: { access: 'campaigns.read' },
      schema: schema('Báo cáo tổng hợp (.docx) theo thể thức Nghị định 30/2020: số liệu bằng lời và bảng, số tiền bằng chữ; cùng số liệu với màn hình'),
    },
    async (request, reply) => {
      const auth = request.auth!;
      const c = await campaignOf(auth, request.params.id);
      const unit = await unitOf(auth, c, request.query.orgId);
      const e = await consolidatedExportOf(db, c, unit, request.query.include);
      return reply.type(DOCX).header('content-disposition', attachment(e, 'docx')).send(await renderConsolidatedDocx(e));
    },
  );
}
