import type { Db, Tx } from '../../db/client';
import { recordAudit } from '../../lib/audit';
import { pathWithin, type AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import type { Locale } from '../../lib/i18n';
import { buildTemplate, columnLetter, readSheet } from '../../lib/spreadsheet';
import type { UploadedFile } from '../../lib/http/upload';
import { withTransaction } from '../../lib/transaction';
import { ORG_KIND_LABELS, parseOrgKind, type OrgKind } from '../../../common/org-kinds';
import { foldVietnamese } from '../../../common/vietnamese';
import { orgPolicy } from './orgs.policy';
import { findLiveOrgByCode, type OrgRow } from './orgs.queries';
import { orgCode } from './orgs.schemas';
import { insertOrg } from './orgs.service';

const MAX_ROWS = 10_000;

const COLUMNS = [
  { key: 'code', header: 'Mã đơn vị', en: 'Unit code', required: true, width: 16 },
  { key: 'name', header: 'Tên đơn vị', en: 'Unit name', required: true, width: 48 },
  { key: 'shortName', header: 'Tên viết tắt', en: 'Short name', required: false, width: 20 },
  { key: 'kind', header: 'Loại đơn vị', en: 'Kind', required: true, width: 26 },
  { key: 'parentCode', header: 'Mã đơn vị cấp trên', en: 'Parent code', required: true, width: 20 },
  { key: 'emails', header: 'Email liên hệ', en: 'Contact e-mails', required: false, width: 32 },
  { key: 'phone', header: 'Điện thoại', en: 'Phone', required: false, width: 16 },
] as const;
type Key = (typeof COLUMNS)[number]['key'];

const MSG = {
  missingColumn: { vi: 'Thiếu cột "{col}" trong dòng tiêu đề', en: 'Missing column "{col}" in the header row' },
  required: { vi: 'Không được để trống', en: 'Required' },
  badCode: { vi: 'Mã chỉ gồm chữ không dấu, số và các dấu . _ - (tối đa 40 ký tự)', en: 'Letters without accents, digits and . _ - only (40 at most)' },
  dupInFile: { vi: 'Mã "{code}" trùng với dòng {row}', en: 'Code "{code}" repeats row {row}' },
  codeTaken: { vi: 'Mã "{code}" đã được dùng cho một đơn vị đang hoạt động', en: 'Code "{code}" is already used by an active unit' },
  badName: { vi: 'Tên đơn vị cần từ 2 đến 255 ký tự', en: 'Name needs 2 to 255 characters' },
  badKind: { vi: 'Loại "{value}" không hợp lệ; dùng một trong: {list}', en: 'Kind "{value}" is not valid; use one of: {list}' },
  parentMissing: { vi: 'Không tìm thấy đơn vị cấp trên có mã "{code}" trong phạm vi của bạn hoặc trong tệp', en: 'No parent with code "{code}" in your scope or in the file' },
  parentGrassroots: { vi: 'Đơn vị cấp trên "{code}" là công đoàn cơ sở, không có đơn vị trực thuộc', en: 'Parent "{code}" is a grassroots union and has no units below it' },
  parentInvalid: { vi: 'Đơn vị cấp trên "{code}" ở dòng {row} có lỗi nên dòng này không nhập được', en: 'The parent "{code}" on row {row} has errors, so this row cannot be imported' },
  cycle: { vi: 'Các dòng tham chiếu vòng tròn qua mã đơn vị cấp trên', en: 'Rows refer to each other in a circle through their parent codes' },
  badEmail: { vi: 'Email "{value}" không hợp lệ', en: 'E-mail "{value}" is not valid' },
  badPhone: { vi: 'Số điện thoại chỉ gồm chữ số và các dấu + . - ( )', en: 'Digits and + . - ( ) only' },
  tooLong: { vi: 'Quá dài (tối đa {max} ký tự)', en: 'Too long ({max} characters at most)' },
} as const;

export interface ImportReport {
  total: number;
  valid: number;
  errors: { row: number; column: string; message: string }[];
  created: number;
  committed: boolean;
}

interface ParsedRow {
  rowNumber: number;
  code: string;
  name: string;
  shortName: string | null;
  kind: OrgKind | null;
  parentCode: string;
  emails: string[];
  phone: string | null;
}

export async function orgImportTemplate(): Promise<Buffer> {
  const kinds = Object.values(ORG_KIND_LABELS).map((l) => l.vi).join('; ');
  return buildTemplate(
    'Don vi',
    COLUMNS.map((c) => ({
      header: c.required ? `${c.header} *` : c.header,
      width: c.width,
      note: c.key === 'kind' ? `Một trong: ${kinds}` : c.key === 'parentCode' ? 'Mã của đơn vị đã có hoặc của một dòng khác trong tệp' : undefined,
    })),
    [
      ['HN-LB-THCS-GT', 'Công đoàn Trường THCS Gia Thụy', 'CĐ THCS Gia Thụy', 'Công đoàn cơ sở', 'HN-LB', 'congdoan.thcsgiathuy@gmail.com', '024 3827 1234'],
    ],
  );
}

/**
 * Checks every row, then (unless a dry run) creates the units in one
 * transaction: all of them, or only the valid ones when the officer asks.
 * A file with any error and mode "all" changes nothing.
 */
export async function importOrgs(
  db: Db,
  auth: AuthContext,
  file: UploadedFile,
  mode: 'dry-run' | 'all' | 'valid-only',
  locale: Locale,
): Promise<{ report: ImportReport; rejected: boolean }> {
  const sheet = await readSheet(file.buffer, file.filename, MAX_ROWS);
  const say = (k: keyof typeof MSG, params: Record<string, string | number> = {}) =>
    MSG[k][locale].replace(/\{(\w+)\}/g, (_, n: string) => String(params[n] ?? ''));
  const errors: ImportReport['errors'] = [];

  // Header: find each column by its folded name, wherever it stands.
  const index = new Map<Key, number>();
  sheet.header.forEach((h, i) => {
    const folded = foldVietnamese(h.replace(/[*()]/g, ''));
    const col = COLUMNS.find((c) => foldVietnamese(c.header) === folded || foldVietnamese(c.en) === folded || c.key.toLowerCase() === folded);
    if (col && !index.has(col.key)) index.set(col.key, i);
  });
  const missing = COLUMNS.filter((c) => c.required && !index.has(c.key));
  if (missing.length) {
    for (const c of missing) errors.push({ row: 1, column: locale === 'en' ? c.en : c.header, message: say('missingColumn', { col: c.header }) });
    return { report: { total: sheet.rows.length, valid: 0, errors, created: 0, committed: false }, rejected: mode !== 'dry-run' };
  }
  const label = (key: Key) => {
    const i = index.get(key)!;
    return `${columnLetter(i)} (${locale === 'en' ? COLUMNS.find((c) => c.key === key)!.en : COLUMNS.find((c) => c.key === key)!.header})`;
  };

  const writeRoots = orgPolicy.writeRoots(auth);
  const bad = new Set<number>();
  const fail = (row: number, key: Key, message: string) => {
    errors.push({ row, column: label(key), message });
    bad.add(row);
  };
  const cell = (r: { cells: string[] }, key: Key) => {
    const i = index.get(key);
    return i === undefined ? '' : (r.cells[i] ?? '').trim();
  };

  const parsed: ParsedRow[] = [];
  const byCode = new Map<string, ParsedRow>();
  for (const r of sheet.rows) {
    const p: ParsedRow = {
      rowNumber: r.rowNumber,
      code: cell(r, 'code'),
      name: cell(r, 'name'),
      shortName: cell(r, 'shortName') || null,
      kind: null,
      parentCode: cell(r, 'parentCode'),
      emails: cell(r, 'emails')
        .split(/[,;\s]+/)
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
      phone: cell(r, 'phone') || null,
    };
    if (!p.code) fail(p.rowNumber, 'code', say('required'));
    else if (!orgCode.safeParse(p.code).success) fail(p.rowNumber, 'code', say('badCode'));
    else if (byCode.has(p.code)) fail(p.rowNumber, 'code', say('dupInFile', { code: p.code, row: byCode.get(p.code)!.rowNumber }));
    if (!p.name) fail(p.rowNumber, 'name', say('required'));
    else if (p.name.length < 2 || p.name.length > 255) fail(p.rowNumber, 'name', say('badName'));
    if (p.shortName && p.shortName.length > 100) fail(p.rowNumber, 'shortName', say('tooLong', { max: 100 }));
    const kindText = cell(r, 'kind');
    if (!kindText) fail(p.rowNumber, 'kind', say('required'));
    else {
      p.kind = parseOrgKind(kindText);
      if (!p.kind) fail(p.rowNumber, 'kind', say('badKind', { value: kindText, list: Object.values(ORG_KIND_LABELS).map((l) => l.vi).join('; ') }));
    }
    if (!p.parentCode) fail(p.rowNumber, 'parentCode', say('required'));
    for (const e of p.emails) if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) fail(p.rowNumber, 'emails', say('badEmail', { value: e }));
    if (p.phone && (!/^[0-9+().\s-]*$/.test(p.phone) || p.phone.length > 40)) fail(p.rowNumber, 'phone', say('badPhone'));
    parsed.push(p);
    if (p.code && !byCode.has(p.code)) byCode.set(p.code, p);
  }

  // Against the database: codes in use, parents in scope.
  const existingParents = new Map<string, OrgRow>();
  for (const p of parsed) {
    if (p.code && !bad.has(p.rowNumber) && byCode.get(p.code) === p) {
      const live = await findLiveOrgByCode(db, p.code);
      if (live) fail(p.rowNumber, 'code', say('codeTaken', { code: p.code }));
    }
    if (p.parentCode && !byCode.has(p.parentCode) && !existingParents.has(p.parentCode)) {
      const parent = await findLiveOrgByCode(db, p.parentCode);
      if (parent && pathWithin(parent.path, writeRoots)) existingParents.set(p.parentCode, parent);
    }
  }
  for (const p of parsed) {
    if (!p.parentCode) continue;
    const inFile = byCode.get(p.parentCode);
    const existing = existingParents.get(p.parentCode);
    if (!inFile && !existing) fail(p.rowNumber, 'parentCode', say('parentMissing', { code: p.parentCode }));
    else if ((inFile?.kind ?? existing?.kind) === 'grassroots') fail(p.rowNumber, 'parentCode', say('parentGrassroots', { code: p.parentCode }));
  }

  // Order parents before children; a row under a bad row is bad too.
  const order: ParsedRow[] = [];
  const state = new Map<ParsedRow, 'visiting' | 'done'>();
  const visit = (p: ParsedRow): boolean => {
    if (state.get(p) === 'done') return !bad.has(p.rowNumber);
    if (state.get(p) === 'visiting') {
      fail(p.rowNumber, 'parentCode', say('cycle'));
      return false;
    }
    state.set(p, 'visiting');
    const parent = byCode.get(p.parentCode);
    if (parent && parent !== p) {
      const ok = visit(parent);
      if (!ok && !bad.has(p.rowNumber)) fail(p.rowNumber, 'parentCode', say('parentInvalid', { code: p.parentCode, row: parent.rowNumber }));
    } else if (parent === p) fail(p.rowNumber, 'parentCode', say('cycle'));
    state.set(p, 'done');
    if (!bad.has(p.rowNumber)) order.push(p);
    return !bad.has(p.rowNumber);
  };
  for (const p of parsed) if (byCode.get(p.code) === p || !p.code) visit(p);

  errors.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
  const valid = order.length;
  const base: ImportReport = { total: parsed.length, valid, errors, created: 0, committed: false };
  if (parsed.length === 0) {
    return { report: { ...base, errors: [{ row: 2, column: '', message: locale === 'en' ? 'The file has no data rows.' : 'Tệp không có dòng dữ liệu nào.' }] }, rejected: mode !== 'dry-run' };
  }
  if (mode === 'dry-run') return { report: base, rejected: false };
  if (mode === 'all' && errors.length > 0) return { report: base, rejected: true };
  if (valid === 0) return { report: base, rejected: true };

  const today = todayInVietnam();
  await withTransaction(db, async (tx: Tx) => {
    const created = new Map<string, OrgRow>();
    for (const p of order) {
      const parent = created.get(p.parentCode) ?? existingParents.get(p.parentCode)!;
      const row = await insertOrg(tx, auth.actor, parent, {
        code: p.code,
        name: p.name,
        shortName: p.shortName,
        kind: p.kind!,
        emails: p.emails,
        phone: p.phone,
        validFrom: today,
      });
      created.set(p.code, row);
    }
    await recordAudit(tx, auth.actor, {
      action: 'org.import',
      entityType: 'import',
      entityId: file.filename.slice(0, 200) || 'file',
      after: { mode, total: parsed.length, created: order.length, skippedRows: [...bad].sort((a, b) => a - b) },
    });
  });
  return { report: { ...base, created: valid, committed: true }, rejected: false };
}
