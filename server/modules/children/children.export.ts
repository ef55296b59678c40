import { once } from 'node:events';
import { logSensitiveReads } from './children.present';
import { PassThrough, type Readable } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { DbOrTx } from '../../db/client';
import { children, orgs } from '../../db/schema/index';
import { inScope, type AuthContext } from '../../lib/authorization';
import { matchWords } from '../../lib/search';
import { safeCellText } from '../../lib/spreadsheet';
import { ACHIEVEMENT_LABELS, CIRCUMSTANCE_LABELS, type AchievementEntry, type CircumstanceEntry } from '../../../common/children';
import { formatDate } from '../../../common/format';
import type { OrgRow } from '../orgs/orgs.queries';
import { childPolicy } from './children.policy';
import { parentsOf } from './children.queries';

const PAGE = 2000;

/** Shown instead of the circumstances to a caller without the sensitive-data permission. */
export const PRIORITY_ONLY = 'Có ưu tiên';

const COLUMNS = [
  { header: 'STT', width: 7 },
  { header: 'Họ tên', width: 28 },
  { header: 'Ngày sinh', width: 12 },
  { header: 'Giới tính', width: 10 },
  { header: 'Đơn vị', width: 36 },
  { header: 'Cha/mẹ', width: 30 },
  { header: 'Điện thoại', width: 16 },
  { header: 'Trường', width: 28 },
  { header: 'Lớp', width: 8 },
  { header: 'Hoàn cảnh', width: 36 },
  { header: 'Thành tích', width: 36 },
];

/**
 * The children of a unit's subtree matching `q`, as an .xlsx written while
 * it is read (page by page, streaming writer). Circumstances are named only
 * where the caller may see sensitive data; elsewhere "Có ưu tiên" says that
 * one applies. No text cell can run as a formula.
 */
export function exportChildren(db: DbOrTx, auth: AuthContext, org: OrgRow, q: string | undefined): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Lantern';
  // Backpressure: when the client reads slower than rows are made, wait for it
  // (or for it to go away) instead of piling the file up in memory.
  const drained = () => (out.writableNeedDrain && !out.destroyed ? Promise.race([once(out, 'drain'), once(out, 'close')]) : Promise.resolve());
  const write = async () => {
    const ws = wb.addWorksheet('Danh sach tre', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = COLUMNS.map((c) => ({ header: c.header, width: c.width }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    // The order once (ids only), then the rows a page at a time.
    const where = and(inScope(orgs.path, [org.path]), matchWords(children.searchText, q) ?? undefined);
    const order = await db
      .select({ id: children.id })
      .from(children)
      .innerJoin(orgs, eq(orgs.id, children.orgId))
      .where(where)
      .orderBy(sql`${children.sortKey} collate "C"`, children.birthDate, children.id);
    let n = 0;
    for (let i = 0; i < order.length; i += PAGE) {
      const ids = order.slice(i, i + PAGE).map((r) => r.id);
      const found = await db
        .select({ child: children, orgName: orgs.name, orgPath: sql<string>`${orgs.path}::text` })
        .from(children)
        .innerJoin(orgs, eq(orgs.id, children.orgId))
        .where(sql`${children.id} = any(string_to_array(${ids.join(',')}, ',')::uuid[])`);
      const byId = new Map(found.map((f) => [f.child.id, { ...f.child, orgName: f.orgName, orgPath: f.orgPath }]));
      const rows = ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
      const parents = await parentsOf(db, ids);
      await logSensitiveReads(db, auth, rows, 'export.xlsx');
      for (const r of rows) {
        const ps = parents.get(r.id) ?? [];
        const circumstances = (r.circumstances as CircumstanceEntry[]) ?? [];
        const achievements = (r.achievements as AchievementEntry[]) ?? [];
        const circumstanceText = childPolicy.canSeeSensitive(auth, r.orgPath)
          ? circumstances.map((c) => CIRCUMSTANCE_LABELS[c.code]?.vi ?? c.code).join('; ')
          : circumstances.length > 0
            ? PRIORITY_ONLY
            : '';
        const cells = [
          r.fullName,
          formatDate(r.birthDate),
          r.sex === 'female' ? 'Nữ' : 'Nam',
          r.orgName,
          ps.map((p) => p.fullName).join('; '),
          [...new Set(ps.map((p) => p.phone).filter((p): p is string => !!p))].join('; '),
          r.school ?? '',
          r.grade ?? '',
          circumstanceText,
          achievements.map((a) => `${a.schoolYear}: ${ACHIEVEMENT_LABELS[a.level]?.vi ?? a.level}${a.note ? ` (${a.note})` : ''}`).join('; '),
        ];
        ws.addRow([++n, ...cells.map(safeCellText)]).commit();
      }
      await drained();
      if (out.destroyed) return;
    }
    ws.commit();
    await wb.commit();
  };
  write().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
