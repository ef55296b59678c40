import { sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { children, members } from '../../db/schema/index';
import type { Actor } from '../../lib/audit';
import type { AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import { AppError } from '../../lib/errors';
import { translate, type Locale } from '../../lib/i18n';
import type { UploadedFile } from '../../lib/http/upload';
import { buildTemplate, columnLetter, readSheet, type SheetRow } from '../../lib/spreadsheet';
import { withTransaction } from '../../lib/transaction';
import {
  ACHIEVEMENT_LABELS,
  ACHIEVEMENT_LEVELS,
  ageOn,
  CIRCUMSTANCE_LABELS,
  CIRCUMSTANCES,
  DISABILITY_LEVEL_LABELS,
  DISABILITY_LEVELS,
  SENSITIVE_CIRCUMSTANCES,
  type AchievementEntry,
  type AchievementLevel,
  type Circumstance,
  type CircumstanceEntry,
} from '../../../common/children';
import { formatDate, parseVietnameseDate } from '../../../common/format';
import { foldVietnamese, normalizeName, vietnameseSortKey } from '../../../common/vietnamese';
import type { OrgRow } from '../orgs/orgs.queries';
import { lockOrgInScope } from '../orgs/orgs.queries';
import { childPolicy } from './children.policy';
import { checkConsent, childDupKey, memberMatchKey, type Consent } from './children.service';

/**
 * Import of members' children from one sheet: one row per child with the
 * parent's columns. Checks every row first; a commit writes everything in one
 * transaction or nothing. Writes are batched (a few statements per thousand
 * rows) so a file of 100,000 rows commits in seconds; they produce the same
 * rows and audit entries as registering each child through the form.
 */

const MAX_ROWS = 100_000;
/** The report lists at most this many errors (then one line saying how many more) and duplicates. */
const MAX_ERRORS = 1000;
const MAX_DUPLICATES = 1000;
const CHUNK = 5000;

type Key =
  | 'fullName'
  | 'birthDate'
  | 'sex'
  | 'parentName'
  | 'department'
  | 'phone'
  | 'isUnionMember'
  | 'idNumber'
  | 'parent2Name'
  | 'school'
  | 'grade'
  | 'circumstances'
  | 'disabilityLevel'
  | 'circumstanceNote'
  | 'achievements'
  | 'parentConsentDate'
  | 'consentMethod'
  | 'childConsentDate';

interface Column {
  key: Key;
  header: string;
  en: string;
  required?: boolean;
  /** Allowed values, shown in the template's header after the name. */
  hint?: string;
  width: number;
  /** Text cells in the template, so Excel keeps leading zeros. */
  text?: boolean;
  aliases?: string[];
}

const COLUMNS: Column[] = [
  { key: 'fullName', header: 'Họ tên con', en: 'Child name', required: true, width: 26, aliases: ['Họ và tên con', 'Họ tên trẻ', 'Họ và tên trẻ'] },
  { key: 'birthDate', header: 'Ngày sinh', en: 'Date of birth', required: true, width: 13, text: true, aliases: ['Ngày tháng năm sinh', 'Birth date'] },
  { key: 'sex', header: 'Giới tính', en: 'Sex', required: true, hint: 'Nam/Nữ', width: 12, aliases: ['Gender'] },
  { key: 'parentName', header: 'Họ tên cha/mẹ (đoàn viên)', en: 'Parent name', required: true, width: 28, aliases: ['Họ tên đoàn viên', 'Họ và tên cha/mẹ', 'Parent'] },
  { key: 'department', header: 'Bộ phận', en: 'Department', width: 18, aliases: ['Phòng ban'] },
  { key: 'phone', header: 'Điện thoại', en: 'Phone', width: 14, text: true, aliases: ['Số điện thoại', 'SĐT'] },
  { key: 'isUnionMember', header: 'Đoàn viên', en: 'Union member', hint: 'Có/Không', width: 12 },
  { key: 'idNumber', header: 'Số CCCD', en: 'ID number', width: 15, text: true, aliases: ['CCCD', 'Số CCCD/CMND', 'CMND'] },
  { key: 'parent2Name', header: 'Họ tên cha/mẹ thứ hai', en: 'Second parent', width: 26 },
  { key: 'school', header: 'Trường', en: 'School', width: 26 },
  { key: 'grade', header: 'Lớp', en: 'Class', width: 8, text: true, aliases: ['Grade'] },
  { key: 'circumstances', header: 'Hoàn cảnh', en: 'Circumstances', width: 30 },
  { key: 'disabilityLevel', header: 'Mức độ khuyết tật', en: 'Disability level', width: 16 },
  { key: 'circumstanceNote', header: 'Ghi chú hoàn cảnh', en: 'Circumstance note', width: 30 },
  { key: 'achievements', header: 'Thành tích', en: 'Achievements', width: 30 },
  { key: 'parentConsentDate', header: 'Ngày cha/mẹ đồng ý', en: 'Parent consent date', width: 14, text: true },
  { key: 'consentMethod', header: 'Hình thức đồng ý', en: 'Consent method', hint: 'Giấy/Ứng dụng', width: 14 },
  { key: 'childConsentDate', header: 'Ngày trẻ đồng ý', en: 'Child consent date', width: 14, text: true },
];
const COLUMN_OF = new Map(COLUMNS.map((c) => [c.key, c]));

/** The header as written in the template: "Giới tính (Nam/Nữ) *". */
const templateHeader = (c: Column) => `${c.header}${c.hint ? ` (${c.hint})` : ''}${c.required ? ' *' : ''}`;
/** What a header cell is matched by: folded, without "*", ":" or anything in brackets. */
const headerKey = (h: string) => foldVietnamese(h.replace(/\([^)]*\)/g, ' ').replace(/[*:]/g, ' '));

const MSG = {
  missingColumn: { vi: 'Thiếu cột "{col}" trong dòng tiêu đề', en: 'Missing column "{col}" in the header row' },
  noRows: { vi: 'Tệp không có dòng dữ liệu nào.', en: 'The file has no data rows.' },
  required: { vi: 'Không được để trống', en: 'Required' },
  badName: { vi: 'Họ tên cần từ 2 đến 120 ký tự', en: 'A name needs 2 to 120 characters' },
  badDate: { vi: 'Ngày "{value}" không hợp lệ; ghi theo dạng dd/mm/yyyy, ví dụ 12/03/2014', en: 'The date "{value}" is not valid; write it as dd/mm/yyyy, e.g. 12/03/2014' },
  dateInFuture: { vi: 'Ngày không được sau ngày hôm nay', en: 'The date cannot be after today' },
  badSex: { vi: 'Giới tính "{value}" không hợp lệ; ghi Nam hoặc Nữ', en: 'Sex "{value}" is not valid; write Nam (male) or Nữ (female)' },
  badYesNo: { vi: '"{value}" không hợp lệ; ghi Có hoặc Không', en: '"{value}" is not valid; write Có (yes) or Không (no)' },
  badPhone: { vi: 'Số điện thoại chỉ gồm chữ số và các dấu + . - ( ) (tối đa 40 ký tự)', en: 'Digits and + . - ( ) only (40 at most)' },
  badId: { vi: 'Số CCCD/CMND gồm 12 (hoặc 9) chữ số', en: 'An ID number has 12 (or 9) digits' },
  badCircumstance: {
    vi: 'Hoàn cảnh "{value}" không có trong danh mục; dùng một hoặc nhiều trong: {list} (cách nhau bởi dấu ;)',
    en: 'Circumstance "{value}" is not in the list; use one or more of: {list} (separated by ;)',
  },
  badLevel: { vi: 'Mức độ "{value}" không hợp lệ; dùng một trong: {list}', en: 'Level "{value}" is not valid; use one of: {list}' },
  levelWithoutDisability: { vi: 'Chỉ ghi mức độ khi Hoàn cảnh có "Khuyết tật"', en: 'Give a level only with the circumstance "Khuyết tật" (disability)' },
  noteWithoutCircumstance: { vi: 'Chỉ ghi chú khi có ít nhất một hoàn cảnh', en: 'A note needs at least one circumstance' },
  badAchievement: {
    vi: 'Thành tích "{value}" không hợp lệ; ghi theo dạng "2020-2021: Học sinh giỏi" (mức: {list}), nhiều mục cách nhau bởi dấu ;',
    en: 'Achievement "{value}" is not valid; write "2020-2021: Học sinh giỏi" (levels: {list}), several separated by ;',
  },
  badMethod: { vi: 'Hình thức "{value}" không hợp lệ; ghi Giấy hoặc Ứng dụng', en: 'Method "{value}" is not valid; write Giấy (paper) or Ứng dụng (app)' },
  methodWithoutDate: { vi: 'Chỉ ghi hình thức khi có ngày đồng ý', en: 'Give a method only with a consent date' },
  dupInFile: { vi: 'Trẻ "{name}" sinh ngày {date} trùng với dòng {row}', en: '"{name}" born {date} repeats row {row}' },
  tooLong: { vi: 'Quá dài (tối đa {max} ký tự)', en: 'Too long ({max} characters at most)' },
  moreErrors: { vi: 'Còn {count} lỗi khác chưa liệt kê; hãy sửa các lỗi trên rồi kiểm tra lại.', en: '{count} more errors not listed; fix the ones above and check again.' },
} as const;

export interface ChildImportReport {
  total: number;
  valid: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: { row: number; column: string; message: string }[];
  duplicates: { row: number; fullName: string; birthDate: string; otherOrgName: string }[];
  committed: boolean;
}

// ---------------------------------------------------------------- values

const fold = (s: string) => foldVietnamese(s);

const CIRCUMSTANCE_BY_TEXT = new Map<string, Circumstance>();
for (const code of CIRCUMSTANCES) {
  CIRCUMSTANCE_BY_TEXT.set(fold(CIRCUMSTANCE_LABELS[code].vi), code);
  CIRCUMSTANCE_BY_TEXT.set(fold(CIRCUMSTANCE_LABELS[code].en), code);
  CIRCUMSTANCE_BY_TEXT.set(code, code);
}
for (const [text, code] of [
  ['Đặc biệt khó khăn', 'especially_difficult'],
  ['Hoàn cảnh khó khăn', 'especially_difficult'],
  ['Chất độc da cam', 'dioxin'],
  ['Da cam', 'dioxin'],
  ['Dioxin', 'dioxin'],
  ['Cận nghèo', 'near_poor_household'],
  ['Con gia đình chính sách', 'policy_family'],
  ['Tai nạn lao động', 'work_accident'],
  ['Bệnh nghề nghiệp', 'work_accident'],
] as const)
  CIRCUMSTANCE_BY_TEXT.set(fold(text), code);

const LEVEL_BY_TEXT = new Map<string, (typeof DISABILITY_LEVELS)[number]>();
for (const l of DISABILITY_LEVELS) {
  LEVEL_BY_TEXT.set(fold(DISABILITY_LEVEL_LABELS[l]), l);
  LEVEL_BY_TEXT.set(l.replace('_', ' '), l);
}

const ACHIEVEMENT_BY_TEXT = new Map<string, AchievementLevel>();
for (const l of ACHIEVEMENT_LEVELS) {
  ACHIEVEMENT_BY_TEXT.set(fold(ACHIEVEMENT_LABELS[l].vi), l);
  ACHIEVEMENT_BY_TEXT.set(fold(ACHIEVEMENT_LABELS[l].en), l);
  ACHIEVEMENT_BY_TEXT.set(l, l);
}
for (const [text, level] of [
  ['HSG', 'good'],
  ['Giỏi', 'good'],
  ['Xuất sắc', 'excellent'],
  ['Học sinh vượt khó', 'overcoming'],
  ['Vượt khó', 'overcoming'],
  ['Giải', 'award'],
] as const)
  ACHIEVEMENT_BY_TEXT.set(fold(text), level);

const SEX_BY_TEXT = new Map<string, 'male' | 'female'>([
  ['nam', 'male'],
  ['trai', 'male'],
  ['male', 'male'],
  ['m', 'male'],
  ['nu', 'female'],
  ['gai', 'female'],
  ['female', 'female'],
  ['f', 'female'],
]);
const YES_NO = new Map<string, boolean>([
  ['co', true],
  ['x', true],
  ['yes', true],
  ['true', true],
  ['1', true],
  ['khong', false],
  ['no', false],
  ['false', false],
  ['0', false],
]);
const METHOD_BY_TEXT = new Map<string, 'paper' | 'app'>([
  ['giay', 'paper'],
  ['van ban', 'paper'],
  ['paper', 'paper'],
  ['ung dung', 'app'],
  ['app', 'app'],
  ['truc tuyen', 'app'],
]);

const isSensitive = (c: { code: string }) => SENSITIVE_CIRCUMSTANCES.has(c.code as Circumstance);

/** dd/mm/yyyy or d/m/yyyy text, yyyy-mm-dd, or an Excel day number → yyyy-mm-dd; null when no such day. */
export function parseImportDate(text: string): string | null {
  const s = text.trim();
  const vn = parseVietnameseDate(s);
  if (vn) return vn;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (iso) return parseVietnameseDate(`${iso[3]}/${iso[2]}/${iso[1]}`);
  if (/^\d{1,6}(\.\d+)?$/.test(s)) {
    const serial = Math.floor(Number(s));
    if (serial < 61 || serial > 2958465) return null; // before 01/03/1900 Excel's calendar is off by one; after 9999 no dates
    return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
  }
  return null;
}

/** Digits a spreadsheet dropped: a phone of 9 digits lost its leading 0; a 12-digit ID number its leading zeros. */
function restorePhone(s: string): string {
  return /^[1-9]\d{8}$/.test(s) ? `0${s}` : s;
}
function restoreIdNumber(s: string): string {
  const digits = s.replace(/[\s.]/g, '');
  return /^\d{10,11}$/.test(digits) ? digits.padStart(12, '0') : digits;
}

// ---------------------------------------------------------------- template

export async function childImportTemplate(): Promise<Buffer> {
  const circ = CIRCUMSTANCES.map((c) => CIRCUMSTANCE_LABELS[c].vi).join('; ');
  const sensitive = CIRCUMSTANCES.filter((c) => SENSITIVE_CIRCUMSTANCES.has(c)).map((c) => CIRCUMSTANCE_LABELS[c].vi).join('; ');
  const levels = DISABILITY_LEVELS.map((l) => DISABILITY_LEVEL_LABELS[l]).join('; ');
  const achievements = ACHIEVEMENT_LEVELS.map((l) => ACHIEVEMENT_LABELS[l].vi).join('; ');
  const guide: Record<Key, string> = {
    fullName: 'Bắt buộc. Họ và tên đầy đủ của con, có dấu. Mỗi trẻ một dòng; trẻ đã có ở đơn vị (cùng họ tên và ngày sinh) sẽ được cập nhật, không tạo trùng.',
    birthDate: 'Bắt buộc. Ngày/tháng/năm: dd/mm/yyyy, ví dụ 12/03/2014 (chấp nhận cả 5/9/2015 hoặc ô kiểu ngày của Excel). Trẻ phải dưới 18 tuổi.',
    sex: 'Bắt buộc. Nam hoặc Nữ.',
    parentName: 'Bắt buộc. Họ tên cha hoặc mẹ là đoàn viên của đơn vị. Anh chị em ruột ghi cùng họ tên và số điện thoại của cha/mẹ để nhận là một người.',
    department: 'Phòng, ban, tổ, khoa, phân xưởng nơi cha/mẹ làm việc.',
    phone: 'Số điện thoại của cha/mẹ (chữ số và các dấu + . - ( )).',
    isUnionMember: 'Có hoặc Không (để trống: Có).',
    idNumber: 'Số CCCD (12 chữ số) hoặc CMND (9 chữ số) của cha/mẹ; định dạng ô là Văn bản để giữ số 0 ở đầu.',
    parent2Name: 'Họ tên người cha/mẹ còn lại (nếu cần ghi).',
    school: 'Trường con đang học.',
    grade: 'Lớp, ví dụ 6A2.',
    circumstances: `Để trống nếu không có. Một hoặc nhiều trong: ${circ}. Nhiều hoàn cảnh cách nhau bởi dấu ;`,
    disabilityLevel: `Khi có hoàn cảnh Khuyết tật: ${levels}.`,
    circumstanceNote: 'Mô tả ngắn hoàn cảnh (tối đa 500 ký tự).',
    achievements: `Năm học: mức, ví dụ "2020-2021: Học sinh giỏi". Mức: ${achievements}. Nhiều mục cách nhau bởi dấu ;`,
    parentConsentDate: 'Ngày cha/mẹ đồng ý cho lưu thông tin hoàn cảnh (dd/mm/yyyy).',
    consentMethod: 'Giấy (bản giấy có chữ ký) hoặc Ứng dụng. Để trống: Giấy.',
    childConsentDate: 'Ngày trẻ đồng ý (dd/mm/yyyy); cần khi trẻ từ đủ 7 tuổi và có hoàn cảnh nhạy cảm.',
  };
  const rows: string[][] = [
    ['Cột', 'Bắt buộc', 'Cách ghi'],
    ...COLUMNS.map((c) => [templateHeader(c).replace(/ \*$/, ''), c.required ? 'Có' : '', guide[c.key]]),
    ['', '', ''],
    ['Lưu ý', '', `Hoàn cảnh nhạy cảm (${sensitive}) chỉ được lưu khi có ngày cha/mẹ đồng ý; trẻ từ đủ 7 tuổi cần thêm ngày trẻ đồng ý (Luật Bảo vệ dữ liệu cá nhân).`],
    ['', '', 'Chỉ cán bộ có quyền xem thông tin nhạy cảm của đơn vị mới nhập được các hoàn cảnh này.'],
    ['', '', 'Hãy "Kiểm tra" trước khi "Nhập": tệp có lỗi sẽ không được nhập dòng nào; báo cáo ghi rõ dòng, cột và lý do.'],
  ];
  return buildTemplate(
    'Danh sach tre',
    COLUMNS.map((c) => ({ header: templateHeader(c), width: c.width, numFmt: c.text ? '@' : undefined, note: c.key === 'circumstances' ? `Một hoặc nhiều (cách nhau bởi ;): ${circ}` : undefined })),
    [
      [
        'Nguyễn Gia Bảo',
        '05/09/2013',
        'Nam',
        'Nguyễn Văn Hải',
        'Tổ Toán - Tin',
        '0912 345 678',
        'Có',
        '001085012345',
        'Lê Thị Hoa',
        'Trường THCS Gia Thụy',
        '6A2',
        'Hộ cận nghèo',
        '',
        '',
        '2020-2021: Học sinh giỏi',
        '28/08/2021',
        'Giấy',
        '28/08/2021',
      ],
    ],
    [{ name: 'Hướng dẫn', rows, widths: [34, 10, 100] }],
  );
}

// ---------------------------------------------------------------- reading rows

interface ParentSpec {
  fullName: string;
  phone: string | null;
  department: string | null;
  isUnionMember: boolean | undefined;
  idNumber: string | null;
  matchKey: string;
}

interface ParsedRow {
  rowNumber: number;
  fullName: string;
  birthDate: string;
  sex: 'male' | 'female';
  /** undefined: the column is not in the file, so an update leaves the value as it is. */
  school: string | null | undefined;
  grade: string | null | undefined;
  circumstances: CircumstanceEntry[] | undefined;
  achievements: AchievementEntry[] | undefined;
  parentConsent: { date: string; method: 'paper' | 'app' } | null;
  childConsent: { date: string; method: 'paper' | 'app' } | null;
  parents: ParentSpec[];
  dupKey: string;
}

type Say = (k: keyof typeof MSG, params?: Record<string, string | number>) => string;

interface Reader {
  rows: ParsedRow[];
  fail(row: number, key: Key, message: string): void;
  bad: Set<number>;
}

// ---------------------------------------------------------------- the import

/**
 * Checks the file for the unit `org` and, unless a dry run, writes it. The
 * counts say what the file does (or would do): children created, updated,
 * or already exactly as in the file (`unchanged`); `committed` whether it was
 * written. A commit with any error writes nothing (`rejected`: answer 422).
 */
export async function importChildren(
  db: Db,
  auth: AuthContext,
  org: OrgRow,
  file: UploadedFile,
  dryRun: boolean,
  locale: Locale,
): Promise<{ report: ChildImportReport; rejected: boolean }> {
  const sheet = await readSheet(file.buffer, file.filename, MAX_ROWS, { dates: true });
  const say: Say = (k, params = {}) => MSG[k][locale].replace(/\{(\w+)\}/g, (_, n: string) => String(params[n] ?? ''));
  const errors: (ChildImportReport['errors'][number] & { col: number })[] = [];
  const empty = (): ChildImportReport => ({ total: sheet.rows.length, valid: 0, created: 0, updated: 0, unchanged: 0, errors: [], duplicates: [], committed: false });

  // Header: each column by its folded name (or an alias), wherever it stands.
  const index = new Map<Key, number>();
  const keyOfHeader = new Map<string, Key>();
  for (const c of COLUMNS) for (const h of [c.header, c.en, c.key, ...(c.aliases ?? [])]) keyOfHeader.set(headerKey(h), c.key);
  sheet.header.forEach((h, i) => {
    const key = keyOfHeader.get(headerKey(h));
    if (key && !index.has(key)) index.set(key, i);
  });
  const missing = COLUMNS.filter((c) => c.required && !index.has(c.key));
  if (missing.length) {
    const report = empty();
    report.errors = missing.map((c) => ({ row: 1, column: locale === 'en' ? c.en : c.header, message: say('missingColumn', { col: c.header }) }));
    return { report, rejected: !dryRun };
  }
  if (sheet.rows.length === 0) {
    const report = empty();
    report.errors = [{ row: 2, column: '', message: say('noRows') }];
    return { report, rejected: !dryRun };
  }

  const label = (key: Key) => {
    const c = COLUMN_OF.get(key)!;
    const name = locale === 'en' ? c.en : c.header;
    const i = index.get(key);
    return i === undefined ? name : `${columnLetter(i)} (${name})`;
  };
  const bad = new Set<number>();
  const fail = (row: number, key: Key, message: string) => {
    errors.push({ row, column: label(key), message, col: index.get(key) ?? 10_000 });
    bad.add(row);
  };

  const sensitiveAllowed = childPolicy.canSeeSensitive(auth, org.path);
  const today = todayInVietnam();
  const reader: Reader = { rows: [], fail, bad };
  readRows(sheet.rows, index, reader, say, locale, sensitiveAllowed, today);

  const finish = (plan: Plan | null): ChildImportReport => {
    errors.sort((a, b) => a.row - b.row || a.col - b.col);
    const listed = errors.slice(0, MAX_ERRORS).map(({ row, column, message }) => ({ row, column, message }));
    if (errors.length > MAX_ERRORS) listed.push({ row: 0, column: '', message: say('moreErrors', { count: errors.length - MAX_ERRORS }) });
    return {
      total: sheet.rows.length,
      valid: reader.rows.filter((r) => !bad.has(r.rowNumber)).length,
      created: plan?.creates.length ?? 0,
      updated: plan?.updates.length ?? 0,
      unchanged: plan?.unchanged ?? 0,
      errors: listed,
      duplicates: plan?.duplicates.slice(0, MAX_DUPLICATES) ?? [],
      committed: false,
    };
  };

  if (dryRun) {
    const plan = await planImport(db, auth.actor, org, reader, sensitiveAllowed, locale, today);
    return { report: finish(plan), rejected: false };
  }
  return withTransaction(db, async (tx) => {
    // One import into a unit at a time: the plan stays true until the commit.
    await lockOrgInScope(tx, org.id, [org.path]);
    const plan = await planImport(tx, auth.actor, org, reader, sensitiveAllowed, locale, today);
    const report = finish(plan);
    if (errors.length > 0) return { report, rejected: true };
    await applyPlan(tx, auth.actor, org, plan, file.filename, report);
    return { report: { ...report, committed: true }, rejected: false };
  });
}

function readRows(sheetRows: SheetRow[], index: Map<Key, number>, reader: Reader, say: Say, locale: Locale, sensitiveAllowed: boolean, today: string): void {
  const { fail } = reader;
  const cell = (r: SheetRow, key: Key) => {
    const i = index.get(key);
    if (i === undefined) return '';
    // A value our own export protected from being run as a formula comes back as written.
    return (r.cells[i] ?? '')
      .replace(/^'(?=[=+\-@])/, '')
      .normalize('NFC')
      .replace(/\s+/g, ' ')
      .trim();
  };
  const has = (key: Key) => index.has(key);
  const firstRowOfKey = new Map<string, number>();

  for (const r of sheetRows) {
    const row = r.rowNumber;
    const text = (key: Key, max: number): string | null => {
      const v = cell(r, key);
      if (v.length > max) {
        fail(row, key, say('tooLong', { max }));
        return null;
      }
      return v || null;
    };
    const personName = (key: Key, required: boolean): string | null => {
      const v = normalizeName(cell(r, key));
      if (!v) {
        if (required) fail(row, key, say('required'));
        return null;
      }
      if (v.length < 2 || v.length > 120) {
        fail(row, key, say('badName'));
        return null;
      }
      return v;
    };
    const date = (key: Key, required: boolean): string | null => {
      const v = cell(r, key);
      if (!v) {
        if (required) fail(row, key, say('required'));
        return null;
      }
      const iso = parseImportDate(v);
      if (!iso) {
        fail(row, key, say('badDate', { value: v }));
        return null;
      }
      return iso;
    };

    // The child.
    const fullName = personName('fullName', true);
    const birthDate = date('birthDate', true);
    if (birthDate) {
      if (birthDate > today) fail(row, 'birthDate', translate(locale, 'child.birthInFuture'));
      else if (ageOn(birthDate, today) >= 18) fail(row, 'birthDate', translate(locale, 'child.tooOld'));
    }
    const sexText = cell(r, 'sex');
    const sex = SEX_BY_TEXT.get(fold(sexText));
    if (!sexText) fail(row, 'sex', say('required'));
    else if (!sex) fail(row, 'sex', say('badSex', { value: sexText }));

    // The parents.
    const parentName = personName('parentName', true);
    let phone = cell(r, 'phone') || null;
    if (phone) {
      phone = restorePhone(phone);
      if (!/^[0-9+().\s-]*$/.test(phone) || phone.length > 40) fail(row, 'phone', say('badPhone'));
    }
    const department = text('department', 200);
    const memberText = cell(r, 'isUnionMember');
    const isUnionMember = memberText ? YES_NO.get(fold(memberText)) : undefined;
    if (memberText && isUnionMember === undefined) fail(row, 'isUnionMember', say('badYesNo', { value: memberText }));
    let idNumber = cell(r, 'idNumber') || null;
    if (idNumber) {
      idNumber = restoreIdNumber(idNumber);
      if (!/^\d{9}$|^\d{12}$/.test(idNumber)) fail(row, 'idNumber', say('badId'));
    }
    const parent2Name = personName('parent2Name', false);

    const school = has('school') ? text('school', 200) : undefined;
    const grade = has('grade') ? text('grade', 40) : undefined;

    // Circumstances: labels separated by ";", with a level for a disability and one note.
    let circumstances: CircumstanceEntry[] | undefined;
    if (has('circumstances')) {
      circumstances = [];
      const seen = new Set<Circumstance>();
      for (const part of cell(r, 'circumstances').split(/[;\n]/).map((s) => s.trim()).filter(Boolean)) {
        const code = CIRCUMSTANCE_BY_TEXT.get(fold(part.replace(/\.$/, '')));
        if (!code) {
          fail(row, 'circumstances', say('badCircumstance', { value: part, list: CIRCUMSTANCES.map((c) => CIRCUMSTANCE_LABELS[c][locale]).join('; ') }));
          continue;
        }
        if (!seen.has(code)) circumstances.push({ code });
        seen.add(code);
      }
      if (!sensitiveAllowed && circumstances.some(isSensitive)) fail(row, 'circumstances', translate(locale, 'child.sensitiveForbidden'));
    }
    const levelText = cell(r, 'disabilityLevel');
    if (levelText) {
      const level = LEVEL_BY_TEXT.get(fold(levelText));
      const disability = circumstances?.find((c) => c.code === 'disability');
      if (!level) fail(row, 'disabilityLevel', say('badLevel', { value: levelText, list: DISABILITY_LEVELS.map((l) => DISABILITY_LEVEL_LABELS[l]).join('; ') }));
      else if (!disability) fail(row, 'disabilityLevel', say('levelWithoutDisability'));
      else disability.level = level;
    }
    const note = text('circumstanceNote', 500);
    if (note) {
      // The note belongs to the circumstance it explains: "especially difficult" when given, else the first.
      const target = circumstances?.find((c) => c.code === 'especially_difficult') ?? circumstances?.[0];
      if (!target) fail(row, 'circumstanceNote', say('noteWithoutCircumstance'));
      else target.note = note;
    }

    // Achievements: "2020-2021: Học sinh giỏi; 2019-2020: Đạt giải - Nhì cấp quận".
    let achievements: AchievementEntry[] | undefined;
    if (has('achievements')) {
      achievements = [];
      const list = ACHIEVEMENT_LEVELS.map((l) => ACHIEVEMENT_LABELS[l][locale]).join('; ');
      for (const part of cell(r, 'achievements').split(/[;\n]/).map((s) => s.trim()).filter(Boolean)) {
        const a = parseAchievement(part);
        if (!a) fail(row, 'achievements', say('badAchievement', { value: part, list }));
        else achievements.push(a);
      }
      if (achievements.length > 30) fail(row, 'achievements', say('tooLong', { max: 30 }));
    }

    // Consent: dates, and how it was given.
    const methodText = cell(r, 'consentMethod');
    const method = methodText ? METHOD_BY_TEXT.get(fold(methodText)) : 'paper';
    if (!method) fail(row, 'consentMethod', say('badMethod', { value: methodText }));
    const consentDate = (key: Key) => {
      const d = date(key, false);
      if (d && d > today) {
        fail(row, key, say('dateInFuture'));
        return null;
      }
      return d;
    };
    const parentConsentDate = consentDate('parentConsentDate');
    const childConsentDate = consentDate('childConsentDate');
    if (methodText && method && !parentConsentDate && !childConsentDate && !cell(r, 'parentConsentDate') && !cell(r, 'childConsentDate'))
      fail(row, 'consentMethod', say('methodWithoutDate'));

    if (fullName && birthDate) {
      const dupKey = childDupKey(fullName, birthDate);
      const first = firstRowOfKey.get(dupKey);
      if (first !== undefined) fail(row, 'fullName', say('dupInFile', { name: fullName, date: formatDate(birthDate), row: first }));
      else firstRowOfKey.set(dupKey, row);
    }
    if (reader.bad.has(row)) continue;
    if (!fullName || !birthDate || !sex || !parentName) continue;

    const parents: ParentSpec[] = [
      { fullName: parentName, phone, department, isUnionMember, idNumber, matchKey: memberMatchKey(parentName, phone) },
    ];
    if (parent2Name && fold(parent2Name) !== fold(parentName))
      parents.push({ fullName: parent2Name, phone: null, department: null, isUnionMember: undefined, idNumber: null, matchKey: memberMatchKey(parent2Name, null) });
    reader.rows.push({
      rowNumber: row,
      fullName,
      birthDate,
      sex,
      school,
      grade,
      circumstances,
      achievements,
      parentConsent: parentConsentDate ? { date: parentConsentDate, method: method ?? 'paper' } : null,
      childConsent: childConsentDate ? { date: childConsentDate, method: method ?? 'paper' } : null,
      parents,
      dupKey: childDupKey(fullName, birthDate),
    });
  }
}

function parseAchievement(part: string): AchievementEntry | null {
  const m = /^(\d{4})\s*[-–/]\s*(\d{4})\s*:\s*(.+)$/.exec(part);
  if (!m) return null;
  const [y1, y2] = [Number(m[1]), Number(m[2])];
  if (y2 !== y1 + 1) return null;
  const rest = m[3]!.trim();
  const split = /\s[-–]\s|\(|,/.exec(rest);
  const levelText = split ? rest.slice(0, split.index) : rest;
  const noteText = split ? rest.slice(split.index + split[0].length).replace(/\)\s*$/, '').trim() : '';
  const level = ACHIEVEMENT_BY_TEXT.get(fold(levelText));
  if (!level || noteText.length > 300) return null;
  return { schoolYear: `${y1}-${y2}`, level, ...(noteText ? { note: noteText } : {}) };
}

// ---------------------------------------------------------------- against the database

interface ExistingChild {
  id: string;
  fullName: string;
  birthDate: string;
  sex: string;
  school: string | null;
  grade: string | null;
  circumstances: CircumstanceEntry[];
  achievements: AchievementEntry[];
  parentConsent: Consent | null;
  childConsent: Consent | null;
}

interface ExistingMember {
  id: string;
  department: string | null;
  isUnionMember: boolean;
  idNumber: string | null;
}

interface ChildValues {
  id: string;
  fullName: string;
  birthDate: string;
  sex: 'male' | 'female';
  school: string | null;
  grade: string | null;
  circumstances: CircumstanceEntry[];
  achievements: AchievementEntry[];
  parentConsent: Consent | null;
  childConsent: Consent | null;
}

interface Plan {
  creates: { values: ChildValues; parentIds: string[] }[];
  updates: { before: ExistingChild; values: ChildValues; newParentIds: string[] }[];
  unchanged: number;
  newMembers: (typeof members.$inferInsert & { id: string })[];
  memberChanges: Map<string, { department?: string; isUnionMember?: boolean; idNumber?: string }>;
  duplicates: ChildImportReport['duplicates'];
}

const sameConsent = (a: Consent | null, b: Consent | null) =>
  a === b || (!!a && !!b && a.date === b.date && a.method === b.method && normalizeName(a.givenBy) === normalizeName(b.givenBy));
const circKey = (list: CircumstanceEntry[]) =>
  JSON.stringify(list.map((c) => [c.code, c.level ?? null, c.note ?? null]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
const achKey = (list: AchievementEntry[]) => JSON.stringify(list.map((a) => [a.schoolYear, a.level, a.note ?? null]).sort());
const byIds = (ids: string[]) => sql`string_to_array(${ids.join(',')}, ',')::uuid[]`;

async function planImport(db: DbOrTx, actor: Actor, org: OrgRow, reader: Reader, sensitiveAllowed: boolean, locale: Locale, today: string): Promise<Plan> {
  const plan: Plan = { creates: [], updates: [], unchanged: 0, newMembers: [], memberChanges: new Map(), duplicates: [] };

  // The unit's children, their parents and the unit's members: three queries, whatever the file's size
  // (one after the other: inside a transaction they share one connection).
  const childRows = await db
      .select({
        id: children.id,
        fullName: children.fullName,
        birthDate: children.birthDate,
        sex: children.sex,
        school: children.school,
        grade: children.grade,
        circumstances: children.circumstances,
        achievements: children.achievements,
        parentConsent: children.parentConsent,
        childConsent: children.childConsent,
        dupKey: children.dupKey,
      })
      .from(children)
      .where(sql`${children.orgId} = ${org.id}`);
  const linkRows = await db.execute(sql`
      select cp.child_id, m.id as member_id, m.search_text, m.phone, m.id_number
      from child_parents cp join children c on c.id = cp.child_id join members m on m.id = cp.member_id
      where c.org_id = ${org.id}`);
  const memberRows = await db
    .select({ id: members.id, matchKey: members.matchKey, department: members.department, isUnionMember: members.isUnionMember, idNumber: members.idNumber })
    .from(members)
    .where(sql`${members.orgId} = ${org.id}`);
  const existingByKey = new Map<string, ExistingChild>();
  for (const c of childRows)
    if (!existingByKey.has(c.dupKey))
      existingByKey.set(c.dupKey, {
        ...c,
        circumstances: (c.circumstances as CircumstanceEntry[]) ?? [],
        achievements: (c.achievements as AchievementEntry[]) ?? [],
        parentConsent: (c.parentConsent as Consent | null) ?? null,
        childConsent: (c.childConsent as Consent | null) ?? null,
      });
  type LinkedMember = { memberId: string; searchText: string; phone: string | null; idNumber: string | null };
  const linksOf = new Map<string, LinkedMember[]>();
  for (const l of linkRows.rows as { child_id: string; member_id: string; search_text: string; phone: string | null; id_number: string | null }[]) {
    const list = linksOf.get(l.child_id) ?? [];
    list.push({ memberId: l.member_id, searchText: l.search_text, phone: l.phone, idNumber: l.id_number });
    linksOf.set(l.child_id, list);
  }
  const memberByKey = new Map<string, ExistingMember>();
  const membersByName = new Map<string, ExistingMember[]>();
  for (const m of memberRows) {
    if (!memberByKey.has(m.matchKey)) memberByKey.set(m.matchKey, m);
    const name = m.matchKey.slice(0, m.matchKey.lastIndexOf('|'));
    membersByName.set(name, [...(membersByName.get(name) ?? []), m]);
  }

  // Members: found by name and phone, or created once for all their children; later rows' details win.
  const planned = new Map<string, string>();
  const newMemberById = new Map<string, (typeof plan.newMembers)[number]>();
  const memberIdOf = (p: ParentSpec): string => {
    const known = planned.get(p.matchKey);
    // Without a phone, a name that only one member of the unit has is that member.
    const sameName = p.phone ? undefined : membersByName.get(fold(p.fullName));
    const existing = memberByKey.get(p.matchKey) ?? (sameName?.length === 1 ? sameName[0] : undefined);
    if (existing) {
      const change = plan.memberChanges.get(existing.id) ?? {};
      if (p.department && p.department !== existing.department) change.department = p.department;
      if (p.isUnionMember !== undefined && p.isUnionMember !== existing.isUnionMember) change.isUnionMember = p.isUnionMember;
      if (p.idNumber && p.idNumber !== existing.idNumber) change.idNumber = p.idNumber;
      if (Object.keys(change).length) plan.memberChanges.set(existing.id, change);
      return existing.id;
    }
    if (known) {
      const row = newMemberById.get(known);
      if (row) {
        if (p.department) row.department = p.department;
        if (p.isUnionMember !== undefined) row.isUnionMember = p.isUnionMember;
        if (p.idNumber) row.idNumber = p.idNumber;
      }
      return known;
    }
    const id = crypto.randomUUID();
    const member = {
      id,
      orgId: org.id,
      fullName: p.fullName,
      searchText: fold(p.fullName),
      sortKey: vietnameseSortKey(p.fullName),
      department: p.department,
      phone: p.phone?.trim() || null,
      isUnionMember: p.isUnionMember ?? true,
      idNumber: p.idNumber,
      matchKey: p.matchKey,
    };
    plan.newMembers.push(member);
    newMemberById.set(id, member);
    planned.set(p.matchKey, id);
    return id;
  };

  const consent = (given: { date: string; method: 'paper' | 'app' } | null, givenBy: string, previous: Consent | null): Consent | null => {
    if (!given) return previous; // an empty cell keeps a consent already recorded
    const next = { givenBy, date: given.date, method: given.method };
    if (previous && sameConsent(previous, { ...next, recordedBy: '', recordedAt: '' })) return previous;
    return { ...next, recordedBy: actor.email, recordedAt: new Date().toISOString() };
  };

  const accepted: { row: ParsedRow; childId: string | null; existingLinks: LinkedMember[] }[] = [];
  for (const r of reader.rows) {
    if (reader.bad.has(r.rowNumber)) continue;
    const before = existingByKey.get(r.dupKey) ?? null;
    // A caller who may not see sensitive circumstances keeps those already recorded, unseen.
    let circumstances = r.circumstances ?? before?.circumstances ?? [];
    if (before && r.circumstances && !sensitiveAllowed) circumstances = [...before.circumstances.filter(isSensitive), ...r.circumstances];
    const parentConsent = consent(r.parentConsent, r.parents[0]!.fullName, before?.parentConsent ?? null);
    const childConsent = consent(r.childConsent, r.fullName, before?.childConsent ?? null);
    try {
      checkConsent(circumstances, r.birthDate, parentConsent, childConsent);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      reader.fail(r.rowNumber, err.key === 'child.childConsentRequired' ? 'childConsentDate' : 'parentConsentDate', translate(locale, err.key));
      continue;
    }
    const values: ChildValues = {
      id: before?.id ?? crypto.randomUUID(),
      fullName: r.fullName,
      birthDate: r.birthDate,
      sex: r.sex,
      school: r.school !== undefined ? r.school : (before?.school ?? null),
      grade: r.grade !== undefined ? r.grade : (before?.grade ?? null),
      circumstances,
      achievements: r.achievements ?? before?.achievements ?? [],
      parentConsent,
      childConsent,
    };
    const parentIds = [...new Set(r.parents.map((p) => memberIdOf(p)))];
    if (!before) {
      plan.creates.push({ values, parentIds });
      accepted.push({ row: r, childId: null, existingLinks: [] });
      continue;
    }
    const links = linksOf.get(before.id) ?? [];
    const newParentIds = parentIds.filter((id) => !links.some((l) => l.memberId === id));
    const same =
      before.fullName === values.fullName &&
      before.sex === values.sex &&
      before.school === values.school &&
      before.grade === values.grade &&
      circKey(before.circumstances) === circKey(values.circumstances) &&
      achKey(before.achievements) === achKey(values.achievements) &&
      sameConsent(before.parentConsent, values.parentConsent) &&
      sameConsent(before.childConsent, values.childConsent) &&
      newParentIds.length === 0;
    if (same) plan.unchanged++;
    else plan.updates.push({ before, values, newParentIds });
    accepted.push({ row: r, childId: before.id, existingLinks: links });
  }

  plan.duplicates = await findDuplicates(db, org.id, accepted);
  return plan;
}

/**
 * Rows that are a child another unit already registered: same folded name and
 * date of birth, and a parent in common (same member, folded name, phone digits
 * or ID number) — the rule `duplicatesOf` applies, without pairs an officer
 * ruled "not the same child".
 */
async function findDuplicates(
  db: DbOrTx,
  orgId: number,
  accepted: { row: ParsedRow; childId: string | null; existingLinks: { memberId: string; searchText: string; phone: string | null; idNumber: string | null }[] }[],
): Promise<ChildImportReport['duplicates']> {
  if (accepted.length === 0) return [];
  const keys = [...new Set(accepted.map((a) => a.row.dupKey))];
  const res = await db.execute(sql`
    select c.id, c.dup_key, o.name as org_name, o.sort_key, m.id as member_id, m.search_text, m.phone, m.id_number
    from children c
    join orgs o on o.id = c.org_id
    join child_parents cp on cp.child_id = c.id
    join members m on m.id = cp.member_id
    where c.dup_key = any(string_to_array(${keys.join('\u001f')}, ${'\u001f'})) and c.org_id <> ${orgId}`);
  const rows = res.rows as { id: string; dup_key: string; org_name: string; sort_key: string; member_id: string; search_text: string; phone: string | null; id_number: string | null }[];
  if (rows.length === 0) return [];
  const others = new Map<string, { id: string; orgName: string; sortKey: string; parents: typeof rows }[]>();
  const byId = new Map<string, { id: string; orgName: string; sortKey: string; parents: typeof rows }>();
  for (const r of rows) {
    let o = byId.get(r.id);
    if (!o) {
      o = { id: r.id, orgName: r.org_name, sortKey: r.sort_key, parents: [] };
      byId.set(r.id, o);
      others.set(r.dup_key, [...(others.get(r.dup_key) ?? []), o]);
    }
    o.parents.push(r);
  }
  const ownIds = accepted.map((a) => a.childId).filter((id): id is string => !!id);
  const dismissed = new Set<string>();
  if (ownIds.length) {
    const d = await db.execute(sql`select child_a, child_b from duplicate_dismissals where child_a = any(${byIds(ownIds)}) or child_b = any(${byIds(ownIds)})`);
    for (const x of d.rows as { child_a: string; child_b: string }[]) dismissed.add(`${x.child_a}|${x.child_b}`);
  }
  const digits = (s: string | null | undefined) => (s ?? '').replace(/\D/g, '');
  const out: (ChildImportReport['duplicates'][number] & { sortKey: string })[] = [];
  for (const a of accepted) {
    const candidates = others.get(a.row.dupKey);
    if (!candidates) continue;
    const mine = [
      ...a.row.parents.map((p) => ({ memberId: null as string | null, searchText: fold(p.fullName), phone: digits(p.phone), idNumber: p.idNumber })),
      ...a.existingLinks.map((l) => ({ memberId: l.memberId as string | null, searchText: l.searchText, phone: digits(l.phone), idNumber: l.idNumber })),
    ];
    const seenOrgs = new Set<string>();
    for (const o of candidates) {
      if (a.childId && (dismissed.has(`${a.childId}|${o.id}`) || dismissed.has(`${o.id}|${a.childId}`))) continue;
      const shared = o.parents.some((m) =>
        mine.some((p) => p.memberId === m.member_id || p.searchText === m.search_text || (p.phone !== '' && p.phone === digits(m.phone)) || (!!p.idNumber && p.idNumber === m.id_number)),
      );
      if (!shared || seenOrgs.has(o.orgName)) continue;
      seenOrgs.add(o.orgName);
      out.push({ row: a.row.rowNumber, fullName: a.row.fullName, birthDate: a.row.birthDate, otherOrgName: o.orgName, sortKey: o.sortKey });
    }
  }
  out.sort((x, y) => x.row - y.row || (x.sortKey < y.sortKey ? -1 : x.sortKey > y.sortKey ? 1 : 0));
  return out.map(({ sortKey: _s, ...d }) => d);
}

// ---------------------------------------------------------------- writing

/** What the audit log keeps of a child: never the sensitive circumstances themselves. */
function auditView(c: { fullName: string; birthDate: string; circumstances: CircumstanceEntry[] }, orgId: number) {
  return { fullName: c.fullName, birthDate: c.birthDate, orgId, circumstances: c.circumstances.filter((x) => !isSensitive(x)).map((x) => x.code), sensitive: c.circumstances.some(isSensitive) };
}

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Rows written a few thousand at a time as one JSON parameter: far fewer
 * parameters to bind than a multi-row VALUES list, and the same on PGlite
 * and PostgreSQL.
 */
async function insertJson(tx: Tx, rows: Record<string, unknown>[], into: SQL, columns: SQL, conflict: SQL = sql``): Promise<void> {
  for (const part of chunks(rows)) {
    await tx.execute(sql`insert into ${into} select * from jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as v(${columns}) ${conflict}`);
  }
}

async function applyPlan(tx: Tx, actor: Actor, org: OrgRow, plan: Plan, filename: string, report: ChildImportReport): Promise<void> {
  const audit = (action: string, entityType: string, entityId: string, before: unknown, after: unknown) => ({
    actor_id: actor.id,
    actor_email: actor.email,
    action,
    entity_type: entityType,
    entity_id: entityId,
    org_id: org.id,
    before,
    after,
    ip: actor.ip ?? null,
  });
  const auditRows: ReturnType<typeof audit>[] = [];

  await insertJson(
    tx,
    plan.newMembers.map((m) => ({
      id: m.id,
      org_id: m.orgId,
      full_name: m.fullName,
      search_text: m.searchText,
      sort_key: m.sortKey,
      department: m.department ?? null,
      phone: m.phone ?? null,
      is_union_member: m.isUnionMember ?? true,
      id_number: m.idNumber ?? null,
      match_key: m.matchKey,
    })),
    sql`members (id, org_id, full_name, search_text, sort_key, department, phone, is_union_member, id_number, match_key)`,
    sql`id uuid, org_id integer, full_name text, search_text text, sort_key text, department text, phone text, is_union_member boolean, id_number text, match_key text`,
  );
  const changes = [...plan.memberChanges].map(([id, c]) => ({ id, department: c.department ?? null, is_union_member: c.isUnionMember ?? null, id_number: c.idNumber ?? null }));
  for (const part of chunks(changes))
    await tx.execute(sql`
      update members m set
        department = coalesce(v.department, m.department),
        is_union_member = coalesce(v.is_union_member, m.is_union_member),
        id_number = coalesce(v.id_number, m.id_number),
        updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as v(id uuid, department text, is_union_member boolean, id_number text)
      where m.id = v.id`);

  const record = (v: ChildValues) => ({
    id: v.id,
    org_id: org.id,
    full_name: v.fullName,
    search_text: fold(v.fullName),
    sort_key: vietnameseSortKey(v.fullName),
    birth_date: v.birthDate,
    sex: v.sex,
    school: v.school,
    grade: v.grade,
    circumstances: v.circumstances,
    achievements: v.achievements,
    parent_consent: v.parentConsent,
    child_consent: v.childConsent,
    dup_key: childDupKey(v.fullName, v.birthDate),
  });
  const childColumns = sql`id uuid, org_id integer, full_name text, search_text text, sort_key text, birth_date date, sex text, school text, grade text,
    circumstances jsonb, achievements jsonb, parent_consent jsonb, child_consent jsonb, dup_key text`;

  await insertJson(
    tx,
    plan.creates.map((c) => record(c.values)),
    sql`children (id, org_id, full_name, search_text, sort_key, birth_date, sex, school, grade, circumstances, achievements, parent_consent, child_consent, dup_key)`,
    childColumns,
  );
  for (const c of plan.creates) auditRows.push(audit('child.create', 'child', c.values.id, null, auditView(c.values, org.id)));

  for (const part of chunks(plan.updates))
    await tx.execute(sql`
      update children c set
        full_name = v.full_name, search_text = v.search_text, sort_key = v.sort_key, sex = v.sex,
        school = v.school, grade = v.grade, circumstances = v.circumstances, achievements = v.achievements,
        parent_consent = v.parent_consent, child_consent = v.child_consent, dup_key = v.dup_key,
        version = c.version + 1, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(part.map((u) => record(u.values)))}::jsonb) as v(${childColumns})
      where c.id = v.id`);
  for (const u of plan.updates) auditRows.push(audit('child.import_update', 'child', u.values.id, auditView(u.before, org.id), auditView(u.values, org.id)));

  await insertJson(
    tx,
    [
      ...plan.creates.flatMap((c) => c.parentIds.map((memberId) => ({ child_id: c.values.id, member_id: memberId }))),
      ...plan.updates.flatMap((u) => u.newParentIds.map((memberId) => ({ child_id: u.values.id, member_id: memberId }))),
    ],
    sql`child_parents (child_id, member_id)`,
    sql`child_id uuid, member_id uuid`,
    sql`on conflict do nothing`,
  );

  auditRows.push(
    audit('child.import', 'import', filename.slice(0, 200) || 'file', null, {
      total: report.total,
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged,
      duplicates: report.duplicates.length,
    }),
  );
  await insertJson(
    tx,
    auditRows,
    sql`audit_log (actor_id, actor_email, action, entity_type, entity_id, org_id, before, after, ip)`,
    sql`actor_id uuid, actor_email text, action text, entity_type text, entity_id text, org_id integer, before jsonb, after jsonb, ip text`,
  );
}
