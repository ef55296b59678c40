import { PassThrough, type Readable } from 'node:stream';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { children, orgs } from '../../db/schema/index';
import { inScope, type AuthContext } from '../../lib/authorization';
import { matchWords } from '../../lib/search';
import { safeCellText } from '../../lib/spreadsheet';
import { XlsxSheetStream } from '../../lib/xlsx-stream';
import { ACHIEVEMENT_LABELS, CIRCUMSTANCE_LABELS, type AchievementEntry, type CircumstanceEntry } from '../../../common/children';
import { formatDate } from '../../../common/format';
import type { OrgRow } from '../orgs/orgs.queries';
import { childPolicy } from './children.policy';
import { logSensitiveReads } from './children.present';

/** Children read per query (and per sensitive-read audit row). */
export const EXPORT_PAGE_SIZE = 2000;

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

/** A place in the register's order: (sort key collate "C", date of birth, id). */
interface OrderKey {
  sortKey: string;
  birthDate: string;
  id: string;
}

/**
 * The next `limit` matching children after `after` (keyset: the sort index
 * is read from there on, however deep the page), with their unit's name and
 * their parents (name and phone, in the members' order). `circumstances` is
 * decrypted by its column.
 */
async function readPage(db: DbOrTx, where: SQL | undefined, after: OrderKey | null, limit: number) {
  const past = after
    ? sql`(${children.sortKey} collate "C", ${children.birthDate}, ${children.id}) > (${after.sortKey}::text collate "C", ${after.birthDate}::date, ${after.id}::uuid)`
    : undefined;
  return db
    .select({
      id: children.id,
      orgId: children.orgId,
      sortKey: children.sortKey,
      fullName: children.fullName,
      birthDate: children.birthDate,
      sex: children.sex,
      school: children.school,
      grade: children.grade,
      circumstances: children.circumstances,
      achievements: children.achievements,
      orgName: orgs.name,
      orgPath: sql<string>`${orgs.path}::text`,
      parents: sql<[string, string | null][] | null>`(
        select json_agg(json_build_array(m.full_name, m.phone) order by m.sort_key)
        from child_parents cp join members m on m.id = cp.member_id
        where cp.child_id = ${children.id})`,
    })
    .from(children)
    .innerJoin(orgs, eq(orgs.id, children.orgId))
    .where(and(where, past))
    .orderBy(sql`${children.sortKey} collate "C"`, children.birthDate, children.id)
    .limit(limit);
}

type Page = Awaited<ReturnType<typeof readPage>>;

/**
 * Reads a page in a transaction of its own without JIT compilation:
 * PostgreSQL compiles a query whose estimate passes jit_above_cost (a deep
 * page's can), and compiling takes longer than running it.
 */
function readPageWithoutJit(db: DbOrTx, where: SQL | undefined, after: OrderKey | null, limit: number): Promise<Page> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return readPage(tx, where, after, limit);
  });
}

/**
 * The children of a unit's subtree matching `q`, as an .xlsx written while
 * it is read (page by page, the next page read while one is written).
 * Circumstances are named only where the caller may see sensitive data;
 * elsewhere "Có ưu tiên" says that one applies. No text cell can run as a
 * formula.
 */
export function exportChildren(db: DbOrTx, auth: AuthContext, org: OrgRow, q: string | undefined, opts: { pageSize?: number } = {}): Readable {
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  const out = new PassThrough();
  const write = async () => {
    const sheet = new XlsxSheetStream(out, { sheetName: 'Danh sach tre', columns: COLUMNS, freezeHeader: true, creator: 'Lantern', level: 3 });
    const where = and(inScope(orgs.path, [org.path]), matchWords(children.searchText, q) ?? undefined);
    const sensitiveByPath = new Map<string, boolean>();
    const canSeeSensitive = (path: string) => {
      let yes = sensitiveByPath.get(path);
      if (yes === undefined) sensitiveByPath.set(path, (yes = childPolicy.canSeeSensitive(auth, path)));
      return yes;
    };
    let n = 0;
    let next: Promise<Page> | null = readPageWithoutJit(db, where, null, pageSize);
    while (next) {
      const rows: Page = await next;
      const last = rows.at(-1);
      // The next page is read while this one is audited and written.
      next = rows.length === pageSize && last ? readPageWithoutJit(db, where, last, pageSize) : null;
      next?.catch(() => {}); // awaited on the next turn, unless the client went away or this page fails
      await logSensitiveReads(db, auth, rows, 'export.xlsx');
      for (const r of rows) {
        const ps = r.parents ?? [];
        const circumstances = (r.circumstances as CircumstanceEntry[]) ?? [];
        const achievements = (r.achievements as AchievementEntry[]) ?? [];
        const circumstanceText = canSeeSensitive(r.orgPath)
          ? circumstances.map((c) => CIRCUMSTANCE_LABELS[c.code]?.vi ?? c.code).join('; ')
          : circumstances.length > 0
            ? PRIORITY_ONLY
            : '';
        sheet.addRow([
          ++n,
          safeCellText(r.fullName),
          safeCellText(formatDate(r.birthDate)),
          safeCellText(r.sex === 'female' ? 'Nữ' : 'Nam'),
          safeCellText(r.orgName),
          safeCellText(ps.map((p) => p[0]).join('; ')),
          safeCellText([...new Set(ps.map((p) => p[1]).filter((p): p is string => !!p))].join('; ')),
          safeCellText(r.school ?? ''),
          safeCellText(r.grade ?? ''),
          safeCellText(circumstanceText),
          safeCellText(achievements.map((a) => `${a.schoolYear}: ${ACHIEVEMENT_LABELS[a.level]?.vi ?? a.level}${a.note ? ` (${a.note})` : ''}`).join('; ')),
        ]);
      }
      // Backpressure: when the client reads slower than rows are made, wait for it (or for it to go away).
      await sheet.ready();
      if (sheet.closed) return;
    }
    await sheet.end();
  };
  write().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
