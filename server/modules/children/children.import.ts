import { sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { CIRCUMSTANCES_CIPHER, ID_NUMBER_CIPHER, openJson, openString, sealJson, sealString } from '../../db/schema/encrypted';
import type { Actor } from '../../lib/audit';
import type { AuthContext } from '../../lib/authorization';
import { todayInVietnam } from '../../lib/dates';
import { AppError } from '../../lib/errors';
import { translate, type Locale } from '../../lib/i18n';
import type { UploadedFile } from '../../lib/http/upload';
import { buildTemplate, columnLetter, scanSheet } from '../../lib/spreadsheet';
import { withTransaction } from '../../lib/transaction';
import {
  ACHIEVEMENT_LABELS,
  ACHIEVEMENT_LEVELS,
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
import { checkConsent, type Consent } from './children.service';

/**
 * Import of members' children from one sheet: one row per child with the
 * parent's columns. Checks every row first; a commit writes everything in one
 * transaction or nothing. The sheet is read as a stream, the database asked
 * and written in batches of thousands of rows (array parameters), so a file
 * of 100,000 rows commits in seconds; the rows written are those registering
 * each child through the form writes (children.service.ts).
 */

const MAX_ROWS = 100_000;
/** The report lists at most this many errors (then one line saying how many more) and duplicates. */
const MAX_ERRORS = 1000;
const MAX_DUPLICATES = 1000;

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
  /** The first MAX_ERRORS by row and column (then a line saying how many more). */
  errors: { row: number; column: string; message: string }[];
  /** All the errors, listed or not. */
  errorCount: number;
  /** The first MAX_DUPLICATES. */
  duplicates: { row: number; fullName: string; birthDate: string; otherOrgName: string }[];
  duplicateCount: number;
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

// ---------------------------------------------------------------- names

/**
 * foldVietnamese and vietnameseSortKey of normalized names, put together word
 * by word from a cache: the names of a file share their words (family, middle
 * and given names), so 100,000 names fold a few thousand words. Exactly the
 * functions' own results: a word is folded and keyed by them, and a name that
 * is not normalized (empty words) is handed to them whole.
 */
export class NameKeys {
  private readonly folds = new Map<string, string>();
  private readonly sorts = new Map<string, readonly [string, string, string]>();
  /** What a space adds to each of the three parts of a sort key. */
  private readonly space: readonly [string, string, string];

  constructor(private readonly limit = 50_000) {
    const [p1, t1, c1] = this.parts('a');
    const [p, t, c] = this.parts('a a');
    this.space = [p.slice(p1.length, p.length - p1.length), t.slice(t1.length, t.length - t1.length), c.slice(c1.length, c.length - c1.length)];
  }

  private parts(word: string): readonly [string, string, string] {
    const [p = '', t = '', c = ''] = vietnameseSortKey(word).split(' ');
    return [p, t, c];
  }

  fold(name: string): string {
    const words = name.split(' ');
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      let f = this.folds.get(w);
      if (f === undefined) {
        f = foldVietnamese(w);
        if (this.folds.size >= this.limit) this.folds.clear();
        this.folds.set(own(w), f);
      }
      if (f === '' || /\s/.test(f)) return foldVietnamese(name);
      words[i] = f;
    }
    return words.join(' '); // one flat string (a + b would keep both, and their parts)
  }

  sortKey(name: string): string {
    const words = name.split(' ');
    if (words.some((w) => w === '') || name !== name.normalize('NFC')) return vietnameseSortKey(name);
    const p: string[] = [];
    const t: string[] = [];
    const c: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      let k = this.sorts.get(w);
      if (k === undefined) {
        k = this.parts(w);
        if (this.sorts.size >= this.limit) this.sorts.clear();
        this.sorts.set(own(w), k);
      }
      p.push(k[0]);
      t.push(k[1]);
      c.push(k[2]);
    }
    return [p.join(this.space[0]), t.join(this.space[1]), c.join(this.space[2])].join(' ');
  }
}

// ---------------------------------------------------------------- rows

interface GivenConsent {
  date: string;
  method: 'paper' | 'app';
}

/** What the file asks for one child: a checked row, nothing more. */
class Row {
  /** The child's id: an existing child's, or a new one's (set when planned). */
  id = '';
  /** 0 create, 1 update, 2 unchanged (set when planned). */
  kind: 0 | 1 | 2 = 0;
  /** Members to link the child to (set when planned). */
  links: string[] = [];
  /** What the audit keeps of the child before an update. */
  before: AuditView | null = null;
  /** The consents as stored (set when planned). */
  parentConsentRecord: Consent | null = null;
  childConsentRecord: Consent | null = null;

  constructor(
    readonly rowNumber: number,
    readonly fullName: string,
    readonly birthDate: string,
    readonly sex: 'male' | 'female',
    /** undefined: the column is not in the file, so an update leaves the value as it is. */
    public school: string | null | undefined,
    public grade: string | null | undefined,
    public circumstances: CircumstanceEntry[] | undefined,
    public achievements: AchievementEntry[] | undefined,
    readonly parentConsent: GivenConsent | null,
    readonly childConsent: GivenConsent | null,
    readonly parentName: string,
    readonly phone: string | null,
    readonly department: string | null,
    readonly isUnionMember: boolean | undefined,
    readonly idNumber: string | null,
    /** The second parent, when named and not the first. */
    readonly parent2Name: string | null,
    readonly dupKey: string,
  ) {}
}

interface ParentSpec {
  fullName: string;
  phone: string | null;
  department: string | null;
  isUnionMember: boolean | undefined;
  idNumber: string | null;
}

const parentsOf = (r: Row): ParentSpec[] => {
  const first: ParentSpec = { fullName: r.parentName, phone: r.phone, department: r.department, isUnionMember: r.isUnionMember, idNumber: r.idNumber };
  if (!r.parent2Name) return [first];
  return [first, { fullName: r.parent2Name, phone: null, department: null, isUnionMember: undefined, idNumber: null }];
};

const digitsOf = (s: string | null | undefined) => (s ?? '').replace(/\D/g, '');
/**
 * A new UUID as one flat string: crypto.randomUUID() builds it of a dozen
 * concatenated pieces, which a kept id keeps (some 450 bytes instead of 64).
 */
const newId = () => crypto.randomUUID().split('-').join('-');
/** memberMatchKey and childDupKey of children.service.ts, from a folded name, as one flat string. */
const matchKeyOf = (foldedName: string, phone: string | null | undefined) => [foldedName, digitsOf(phone)].join('|');
const dupKeyOf = (foldedName: string, birthDate: string) => [foldedName, birthDate].join('|');

/**
 * A copy of `s` that holds on to nothing else. A cell's text may be a slice
 * of the XML chunk it was read from; kept as it is, each row would keep its
 * chunk alive, and 100,000 rows the whole sheet's XML. The copy is one flat
 * string: `(' ' + s).slice(1)` would be a slice of a copy one longer, twice
 * the memory of a short name. (Below 13 characters a string is never a slice.)
 */
function own(s: string): string;
function own(s: string | null): string | null;
function own(s: string | null | undefined): string | null | undefined;
function own(s: string | null | undefined): string | null | undefined {
  return s == null || s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

type Say = (k: keyof typeof MSG, params?: Record<string, string | number>) => string;

/**
 * Errors, counted in full and kept only as many as the report lists: the
 * first by row and column, however many the file has.
 */
class ErrorList {
  count = 0;
  private list: { row: number; col: number; column: string; message: string }[] = [];

  add(row: number, col: number, column: string, message: string): void {
    this.count++;
    this.list.push({ row, col, column, message });
    // Those past the first MAX_ERRORS can never be listed: dropped now and then.
    if (this.list.length >= 2 * MAX_ERRORS) {
      this.sort();
      this.list.length = MAX_ERRORS;
    }
  }

  private sort(): void {
    this.list.sort((a, b) => a.row - b.row || a.col - b.col);
  }

  listed(say: Say): ChildImportReport['errors'] {
    this.sort();
    const out = this.list.slice(0, MAX_ERRORS).map(({ row, column, message }) => ({ row, column, message }));
    if (this.count > MAX_ERRORS) out.push({ row: 0, column: '', message: say('moreErrors', { count: this.count - MAX_ERRORS }) });
    return out;
  }
}

// ---------------------------------------------------------------- progress

export type ImportPhase = 'reading' | 'checking' | 'writing' | 'done';

/**
 * How far an import is: `rows` read so far (reading), checked against the
 * database (checking) or written (writing), of `total` once known.
 */
export interface ImportProgress {
  phase: ImportPhase;
  rows: number;
  total: number | null;
}

export interface ImportProgressSink {
  report(progress: ImportProgress): void;
  /**
   * Called before the commit's transaction opens; resolves once a page
   * following the import has had the latest report (the embedded database
   * answers no other request while the transaction runs).
   */
  settle?(): Promise<void>;
}

const REPORT_EVERY = 500;
/**
 * Lets the server answer other requests between two batches. The embedded
 * database runs a statement synchronously, so without a pause a whole import
 * would run without the event loop turning once: no progress poll answered.
 */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---------------------------------------------------------------- the import

/**
 * Checks the file for the unit `org` and, unless a dry run, writes it. The
 * counts say what the file does (or would do): children created, updated,
 * or already exactly as in the file (`unchanged`); `committed` whether it was
 * written. A commit with any error writes nothing (`rejected`: answer 422).
 *
 * The sheet is read as a stream and each row checked as it comes; what is
 * kept of a row is the little the import needs (no cells). The database is
 * asked in batches, by the keys of the rows; the commit writes with a few
 * set-based statements per 5,000 rows, all in one transaction.
 */
export async function importChildren(
  db: Db,
  auth: AuthContext,
  org: OrgRow,
  file: UploadedFile,
  dryRun: boolean,
  locale: Locale,
  progress?: ImportProgressSink,
  options: {
    /** Rows planned (and, in a commit, written) at a time; tests make it small to see many batches. */
    batchSize?: number;
    /**
     * A commit plans and writes while the file is still being read (a
     * PostgreSQL server, which works on its own core meanwhile). Not on the
     * embedded database: it answers no other request while the transaction
     * runs, and the reading would be part of it.
     */
    overlapReading?: boolean;
  } = {},
): Promise<{ report: ChildImportReport; rejected: boolean }> {
  const say: Say = (k, params = {}) => MSG[k][locale].replace(/\{(\w+)\}/g, (_, n: string) => String(params[n] ?? ''));
  const errors = new ErrorList();
  const sensitiveAllowed = childPolicy.canSeeSensitive(auth, org.path);
  const today = todayInVietnam();
  const names = new NameKeys();
  // The checked rows; the feed lets each batch go (null) once it has handed it on.
  const rows: (Row | null)[] = [];
  const feed = new RowFeed(rows, options.batchSize ?? BATCH);
  // Where each column stands and how the report names it ("B (Ngày sinh)").
  const index = new Map<Key, number>();
  const labels = new Map<Key, string>();
  const fail: Fail = (row, key, message) => errors.add(row, index.get(key) ?? 10_000, labels.get(key) ?? key, message);
  let checker: ((rowNumber: number, cells: string[]) => void) | null = null;
  let missing: Column[] = [];
  let seen = 0;
  let total = 0;
  const overlap = !dryRun && options.overlapReading === true;
  // Rows handled through the last batch written, and whether the reading is over (until then it is what a commit reports).
  let writtenThrough = 0;
  let read = false;
  progress?.report({ phase: 'reading', rows: 0, total: null });

  const reading = scanSheet(
    file.buffer,
    file.filename,
    MAX_ROWS,
    {
      header(cells) {
        // Each column by its folded name (or an alias), wherever it stands.
        cells.forEach((h, i) => {
          const key = KEY_OF_HEADER.get(headerKey(h));
          if (key && !index.has(key)) index.set(key, i);
        });
        for (const c of COLUMNS) {
          const name = locale === 'en' ? c.en : c.header;
          const i = index.get(c.key);
          labels.set(c.key, i === undefined ? name : `${columnLetter(i)} (${name})`);
        }
        missing = COLUMNS.filter((c) => c.required && !index.has(c.key));
        // Without a required column the rows are only counted.
        if (missing.length === 0) checker = rowChecker(index, { fail, errors, names, rows, say, locale, sensitiveAllowed, today });
      },
      row(rowNumber, cells) {
        checker?.(rowNumber, cells);
        feed.poke();
        if (++seen % REPORT_EVERY === 0) progress?.report({ phase: 'reading', rows: seen, total: null });
      },
      // A commit that writes as it reads keeps the reading a batch or two ahead, not the whole file.
      pace: overlap ? () => feed.room() : undefined,
    },
    { dates: true },
  ).then(
    (count) => {
      total = count;
      read = true;
      checker = null; // and with it what only the reading needed (the keys seen, the caches)
      feed.end(null);
      if (!dryRun && !missing.length && count > 0) progress?.report({ phase: 'writing', rows: writtenThrough, total: rows.length });
    },
    (err: unknown) => {
      feed.end(err);
      throw err;
    },
  );
  reading.catch(() => undefined); // awaited below; meanwhile a commit that overlaps it may fail first

  const empty = (): ChildImportReport => ({ total, valid: 0, created: 0, updated: 0, unchanged: 0, errors: [], errorCount: 0, duplicates: [], duplicateCount: 0, committed: false });
  /** The report on a file the rows of which are not looked at: a required column missing, or no rows. */
  const unread = (): ChildImportReport | null => {
    if (missing.length) {
      const report = empty();
      report.errors = missing.map((c) => ({ row: 1, column: locale === 'en' ? c.en : c.header, message: say('missingColumn', { col: c.header }) }));
      report.errorCount = report.errors.length;
      return report;
    }
    if (total === 0) return { ...empty(), errors: [{ row: 2, column: '', message: say('noRows') }], errorCount: 1 };
    return null;
  };
  const finish = (plan: Plan): ChildImportReport =>
    unread() ?? {
      total,
      valid: plan.valid,
      created: plan.created,
      updated: plan.updated,
      unchanged: plan.unchanged,
      errors: errors.listed(say),
      errorCount: errors.count,
      duplicates: plan.duplicates,
      duplicateCount: plan.duplicateCount,
      committed: false,
    };
  const context: PlanContext = { actor: auth.actor, org, feed, fail, failed: () => errors.count > 0, names, sensitiveAllowed, locale, progress: progress ?? null, dryRun };

  if (!overlap) {
    await reading;
    const report = unread();
    if (report) return { report, rejected: !dryRun };
  }
  if (dryRun) {
    const plan = await planImport(db, context, null);
    progress?.report({ phase: 'done', rows: plan.valid, total: rows.length });
    return { report: finish(plan), rejected: false };
  }
  if (!overlap) await progress?.settle?.();
  const write = async (tx: Tx, writes: Writes, through: number) => {
    await writeBatch(tx, context, writes);
    writtenThrough = through;
    if (read) progress?.report({ phase: 'writing', rows: through, total: rows.length });
  };
  let result: { report: ChildImportReport; rejected: boolean };
  try {
    result = await withTransaction(db, async (tx) => {
      // One import into a unit at a time: the plan stays true until the commit.
      await lockOrgInScope(tx, org.id, [org.path]);
      // Planned and written batch by batch; an error found after some batches were written rolls them back.
      const plan = await planImport(tx, context, (writes, through) => write(tx, writes, through));
      await reading; // over already: the feed ended
      const report = finish(plan);
      if (report.errorCount > 0) throw new Rejected(report);
      await writeSummary(tx, context, plan, file.filename, report);
      return { report: { ...report, committed: true }, rejected: false };
    });
  } catch (err) {
    if (!(err instanceof Rejected)) throw err;
    result = { report: err.report, rejected: true };
  } finally {
    // A commit that failed while the file was still being read stops the reading (and lets go of the file).
    feed.abandon();
  }
  progress?.report({ phase: 'done', rows: result.report.valid, total: rows.length });
  return result;
}

/** A commit that found errors: its transaction is rolled back, and this carries the report out. */
class Rejected extends Error {
  constructor(readonly report: ChildImportReport) {
    super('import rejected');
  }
}

/**
 * The checked rows as the reading hands them on, a batch at a time: the
 * next batch once it is whole, or the last, shorter one once the reading is
 * over. A reading that fails fails the batch asked for.
 */
export class RowFeed {
  private taken = 0;
  private ended = false;
  private error: unknown = null;
  private wake: (() => void) | null = null;
  private roomWake: (() => void) | null = null;
  private abandoned = false;

  constructor(
    /** The reading appends to it; each batch's slots are let go (null) once handed on. */
    private readonly rows: (Row | null)[],
    readonly size: number,
  ) {}

  /** Rows read so far. */
  get length(): number {
    return this.rows.length;
  }

  /** Whether `next` would answer at once. */
  get ready(): boolean {
    return this.ended || this.rows.length - this.taken >= this.size;
  }

  /** Rows came in. */
  poke(): void {
    if (this.wake && this.ready) this.release();
  }

  /** Resolves once fewer than two batches wait to be taken (the reader's pace); throws once no one will take them. */
  room(): Promise<void> | void {
    if (this.abandoned) throw new Error('The import stopped before the file was read');
    if (this.rows.length - this.taken < 2 * this.size) return;
    return new Promise<void>((resolve) => (this.roomWake = resolve));
  }

  /** The reading is over, or failed. */
  end(error: unknown): void {
    this.ended = true;
    this.error = error;
    this.release();
  }

  async next(): Promise<{ start: number; batch: Row[] } | null> {
    while (!this.ready) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.error) throw this.error;
    if (this.taken >= this.rows.length) return null;
    const start = this.taken;
    const batch = this.rows.slice(start, start + this.size) as Row[];
    this.taken += batch.length;
    this.rows.fill(null, start, this.taken);
    this.releaseRoom();
    return { start, batch };
  }

  /** No more batches will be taken. */
  abandon(): void {
    this.abandoned = true;
    this.releaseRoom();
  }

  private release(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private releaseRoom(): void {
    const room = this.roomWake;
    this.roomWake = null;
    room?.();
  }
}

/** Header cell (folded) → column. */
const KEY_OF_HEADER = new Map<string, Key>();
for (const c of COLUMNS) for (const h of [c.header, c.en, c.key, ...(c.aliases ?? [])]) KEY_OF_HEADER.set(headerKey(h), c.key);

/** Short texts (Nam, Có, Giấy…) folded once each. */
function shortFolder(): (s: string) => string {
  const cache = new Map<string, string>();
  return (s) => {
    let f = cache.get(s);
    if (f === undefined) {
      f = fold(s);
      if (cache.size >= 10_000) cache.clear();
      cache.set(own(s), f);
    }
    return f;
  };
}

/** The one copy of a text many rows have (a school, a department): kept once, not once a row. */
function interner(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    let kept = seen.get(s);
    if (kept === undefined) {
      kept = own(s);
      if (seen.size >= 20_000) seen.clear();
      seen.set(kept, kept);
    }
    return kept;
  };
}

/**
 * The checks of one row, cell by cell, as the form makes them; a row that
 * passes is kept (as a Row), a row that fails is reported and dropped.
 */
type Fail = (row: number, key: Key, message: string) => void;

function rowChecker(
  index: Map<Key, number>,
  ctx: { fail: Fail; errors: ErrorList; names: NameKeys; rows: (Row | null)[]; say: Say; locale: Locale; sensitiveAllowed: boolean; today: string },
): (rowNumber: number, cells: string[]) => void {
  const { fail, errors, names, rows, say, locale, sensitiveAllowed, today } = ctx;
  const foldShort = shortFolder();
  const intern = interner();
  const has = (key: Key) => index.has(key);
  const firstRowOfKey = new Map<string, number>();
  // Born on or before this day: 18 or older today.
  const [ty, tm, td] = today.split('-');
  const adultsBornBy = `${String(Number(ty) - 18).padStart(4, '0')}-${tm}-${td}`;
  const circumstanceList = () => CIRCUMSTANCES.map((c) => CIRCUMSTANCE_LABELS[c][locale]).join('; ');
  const levelList = () => DISABILITY_LEVELS.map((l) => DISABILITY_LEVEL_LABELS[l]).join('; ');
  const achievementList = () => ACHIEVEMENT_LEVELS.map((l) => ACHIEVEMENT_LABELS[l][locale]).join('; ');

  // The row being checked; the helpers below read it (made once, not once a row).
  let row = 0;
  let cells: string[] = [];
  const cell = (key: Key): string => {
    const i = index.get(key);
    if (i === undefined) return '';
    let v = cells[i];
    if (!v) return '';
    // A value our own export protected from being run as a formula comes back as written.
    if (v.charCodeAt(0) === 39) v = v.replace(/^'(?=[=+\-@])/, '');
    v = v.normalize('NFC');
    // White space as one space; most cells have only single spaces (the test spares a copy).
    if (/[^\S ]| {2}/.test(v)) v = v.replace(/\s+/g, ' ');
    return v.trim();
  };
  const text = (key: Key, max: number): string | null => {
    const v = cell(key);
    if (v.length > max) {
      fail(row, key, say('tooLong', { max }));
      return null;
    }
    return v || null;
  };
  // cell() already gives a name as normalizeName does: NFC, single spaces, trimmed.
  const personName = (key: Key, required: boolean): string | null => {
    const v = cell(key);
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
    const v = cell(key);
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
  const consentDate = (key: Key) => {
    const d = date(key, false);
    if (d && d > today) {
      fail(row, key, say('dateInFuture'));
      return null;
    }
    return d;
  };

  return (rowNumber, rowCells) => {
    row = rowNumber;
    cells = rowCells;
    const errorsBefore = errors.count;

    // The child.
    const fullName = personName('fullName', true);
    const birthDate = date('birthDate', true);
    if (birthDate) {
      if (birthDate > today) fail(row, 'birthDate', translate(locale, 'child.birthInFuture'));
      else if (birthDate <= adultsBornBy) fail(row, 'birthDate', translate(locale, 'child.tooOld'));
    }
    const sexText = cell('sex');
    const sex = sexText ? SEX_BY_TEXT.get(foldShort(sexText)) : undefined;
    if (!sexText) fail(row, 'sex', say('required'));
    else if (!sex) fail(row, 'sex', say('badSex', { value: sexText }));

    // The parents.
    const parentName = personName('parentName', true);
    let phone = cell('phone') || null;
    if (phone) {
      phone = restorePhone(phone);
      if (!/^[0-9+().\s-]*$/.test(phone) || phone.length > 40) fail(row, 'phone', say('badPhone'));
    }
    const department = text('department', 200);
    const memberText = cell('isUnionMember');
    const isUnionMember = memberText ? YES_NO.get(foldShort(memberText)) : undefined;
    if (memberText && isUnionMember === undefined) fail(row, 'isUnionMember', say('badYesNo', { value: memberText }));
    let idNumber = cell('idNumber') || null;
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
      const v = cell('circumstances');
      if (v) {
        const seenCodes = new Set<Circumstance>();
        for (const part of v.split(/[;\n]/).map((s) => s.trim()).filter(Boolean)) {
          const code = CIRCUMSTANCE_BY_TEXT.get(foldShort(part.replace(/\.$/, '')));
          if (!code) {
            fail(row, 'circumstances', say('badCircumstance', { value: part, list: circumstanceList() }));
            continue;
          }
          if (!seenCodes.has(code)) circumstances.push({ code });
          seenCodes.add(code);
        }
        if (!sensitiveAllowed && circumstances.some(isSensitive)) fail(row, 'circumstances', translate(locale, 'child.sensitiveForbidden'));
      }
    }
    const levelText = cell('disabilityLevel');
    if (levelText) {
      const level = LEVEL_BY_TEXT.get(foldShort(levelText));
      const disability = circumstances?.find((c) => c.code === 'disability');
      if (!level) fail(row, 'disabilityLevel', say('badLevel', { value: levelText, list: levelList() }));
      else if (!disability) fail(row, 'disabilityLevel', say('levelWithoutDisability'));
      else disability.level = level;
    }
    const note = text('circumstanceNote', 500);
    if (note) {
      // The note belongs to the circumstance it explains: "especially difficult" when given, else the first.
      const target = circumstances?.find((c) => c.code === 'especially_difficult') ?? circumstances?.[0];
      if (!target) fail(row, 'circumstanceNote', say('noteWithoutCircumstance'));
      else target.note = own(note);
    }

    // Achievements: "2020-2021: Học sinh giỏi; 2019-2020: Đạt giải - Nhì cấp quận".
    let achievements: AchievementEntry[] | undefined;
    if (has('achievements')) {
      achievements = [];
      const v = cell('achievements');
      if (v) {
        for (const part of v.split(/[;\n]/).map((s) => s.trim()).filter(Boolean)) {
          const a = parseAchievement(part);
          if (!a) fail(row, 'achievements', say('badAchievement', { value: part, list: achievementList() }));
          else achievements.push(a.note ? { ...a, note: own(a.note) } : a);
        }
        if (achievements.length > 30) fail(row, 'achievements', say('tooLong', { max: 30 }));
      }
    }

    // Consent: dates, and how it was given.
    const methodText = cell('consentMethod');
    const method = methodText ? METHOD_BY_TEXT.get(foldShort(methodText)) : 'paper';
    if (!method) fail(row, 'consentMethod', say('badMethod', { value: methodText }));
    const parentConsentDate = consentDate('parentConsentDate');
    const childConsentDate = consentDate('childConsentDate');
    if (methodText && method && !parentConsentDate && !childConsentDate && !cell('parentConsentDate') && !cell('childConsentDate'))
      fail(row, 'consentMethod', say('methodWithoutDate'));

    let dupKey: string | null = null;
    if (fullName && birthDate) {
      dupKey = dupKeyOf(names.fold(fullName), birthDate);
      const first = firstRowOfKey.get(dupKey);
      if (first !== undefined) fail(row, 'fullName', say('dupInFile', { name: fullName, date: formatDate(birthDate), row: first }));
      else firstRowOfKey.set(dupKey, row);
    }
    if (errors.count !== errorsBefore) return;
    if (!fullName || !birthDate || !sex || !parentName || !dupKey) return;

    rows.push(
      new Row(
        row,
        own(fullName),
        birthDate,
        sex,
        school && intern(school),
        grade && intern(grade),
        circumstances,
        achievements,
        parentConsentDate ? { date: parentConsentDate, method: method ?? 'paper' } : null,
        childConsentDate ? { date: childConsentDate, method: method ?? 'paper' } : null,
        own(parentName),
        own(phone),
        department && intern(department),
        isUnionMember,
        own(idNumber),
        parent2Name && names.fold(parent2Name) !== names.fold(parentName) ? own(parent2Name) : null,
        dupKey,
      ),
    );
  };
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

/** Rows asked of the database at a time (keys in one array parameter). */
const BATCH = 5000;
/** Rows written by one statement. */
const WRITE_BATCH = 5000;

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

interface NewMember {
  id: string;
  fullName: string;
  department: string | null;
  phone: string | null;
  isUnionMember: boolean;
  idNumber: string | null;
  matchKey: string;
  /** Handed to a batch's writing: what later rows change of it is an update. */
  written: boolean;
}

interface LinkedMember {
  memberId: string;
  searchText: string;
  phone: string | null;
  idNumber: string | null;
}

/** What the audit log keeps of a child: never the sensitive circumstances themselves. */
interface AuditView {
  fullName: string;
  birthDate: string;
  orgId: number;
  circumstances: string[];
  sensitive: boolean;
}

interface PlanContext {
  actor: Actor;
  org: OrgRow;
  /** The rows that passed the checks, in file order, batch by batch as the reading hands them on. */
  feed: RowFeed;
  /** Reports an error on a row (a consent the database shows is missing). */
  fail: Fail;
  /** Whether any row has an error so far (then nothing more is written). */
  failed: () => boolean;
  names: NameKeys;
  sensitiveAllowed: boolean;
  locale: Locale;
  progress: ImportProgressSink | null;
  dryRun: boolean;
}

type MemberChange = { department?: string; isUnionMember?: boolean; idNumber?: string };

/** What the file does, counted over all batches. */
interface Plan {
  valid: number;
  created: number;
  updated: number;
  unchanged: number;
  duplicates: ChildImportReport['duplicates'];
  duplicateCount: number;
  /** Children written with a sensitive circumstance (a count for the audit). */
  sensitive: number;
  membersCreated: number;
  /** Members registered before the import whose details it changes. */
  membersUpdated: Set<string>;
}

/** What one batch writes: its children created (kind 0) and updated (kind 1) in file order, and the members they need. */
interface Writes {
  rows: Row[];
  newMembers: NewMember[];
  memberChanges: Map<string, MemberChange>;
}

const sameConsent = (a: Consent | null, b: Consent | null) =>
  a === b || (!!a && !!b && a.date === b.date && a.method === b.method && normalizeName(a.givenBy) === normalizeName(b.givenBy));
const circKey = (list: CircumstanceEntry[]) =>
  JSON.stringify(list.map((c) => [c.code, c.level ?? null, c.note ?? null]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
const achKey = (list: AchievementEntry[]) => JSON.stringify(list.map((a) => [a.schoolYear, a.level, a.note ?? null]).sort());
/** A list as one array parameter (`$1::text[]`): one round trip, whatever its length. */
const list = (values: readonly unknown[]) => sql.param(values);

function auditView(c: { fullName: string; birthDate: string; circumstances: CircumstanceEntry[] }, orgId: number): AuditView {
  return { fullName: c.fullName, birthDate: c.birthDate, orgId, circumstances: c.circumstances.filter((x) => !isSensitive(x)).map((x) => x.code), sensitive: c.circumstances.some(isSensitive) };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface FoundMembers {
  byKey: Map<string, ExistingMember>;
  byName: Map<string, ExistingMember[]>;
  /** Ids already taken in, and those the import creates (a later look-up may find them again). */
  seen: Set<string>;
}

/**
 * The unit's members the parents of `rows` may be, added to `found`: by name
 * and phone (the match key), and, for a parent given without a phone, every
 * member of that name.
 */
async function findMembers(db: DbOrTx, ctx: PlanContext, rows: readonly Row[], found: FoundMembers): Promise<void> {
  const keys = new Set<string>();
  const names = new Set<string>();
  for (const r of rows)
    for (const p of parentsOf(r)) {
      const name = ctx.names.fold(p.fullName);
      keys.add(matchKeyOf(name, p.phone));
      if (!p.phone) names.add(name);
    }
  const { byKey, byName, seen } = found;
  const take = (rows: Record<string, unknown>[]) => {
    for (const m of rows as { id: string; match_key: string; department: string | null; is_union_member: boolean; id_number: string | null }[]) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      const member: ExistingMember = { id: m.id, department: m.department, isUnionMember: m.is_union_member, idNumber: openString(m.id_number, ID_NUMBER_CIPHER) };
      if (!byKey.has(m.match_key)) byKey.set(m.match_key, member);
      const name = m.match_key.slice(0, m.match_key.lastIndexOf('|'));
      const same = byName.get(name);
      if (same) same.push(member);
      else byName.set(name, [member]);
    }
  };
  for (const part of chunks([...keys], 4 * BATCH)) {
    const res = await db.execute(sql`
      select id, match_key, department, is_union_member, id_number from members
      where org_id = ${ctx.org.id} and match_key = any(${list(part)}::text[])`);
    take(res.rows);
  }
  for (const part of chunks([...names], 4 * BATCH)) {
    const res = await db.execute(sql`
      select id, match_key, department, is_union_member, id_number from members
      where org_id = ${ctx.org.id} and left(match_key, length(match_key) - strpos(reverse(match_key), '|')) = any(${list(part)}::text[])`);
    take(res.rows);
  }
}

/** A child another unit registered with the same match key, with its parents. */
interface OtherChild {
  id: string;
  orgName: string;
  sortKey: string;
  parents: { member_id: string; search_text: string; phone: string | null; id_number: string | null }[];
}

/** What the database holds for one batch of rows. */
interface Found {
  /** The batch's children already in the unit, by match key. */
  existingByKey: Map<string, ExistingChild>;
  /** Their parents. */
  linksOf: Map<string, LinkedMember[]>;
  /** Children of other units with a batch row's match key. */
  others: Map<string, OtherChild[]>;
  /** Pairs of children an officer ruled "not the same child" ("a|b"). */
  dismissed: Set<string>;
}

/**
 * Asks the database about one batch: which of its children the unit has
 * (and their parents), which members its parents may be (a commit: all of
 * them; a dry run: those of children already registered, the only ones it
 * needs), and which children of other units share a match key. Nothing here
 * depends on what the import writes: its batches' keys are distinct, and the
 * members it creates are in `members.seen`.
 */
async function lookUp(db: DbOrTx, ctx: PlanContext, batch: readonly Row[], members: FoundMembers): Promise<Found> {
  const keys = batch.map((r) => r.dupKey);
  const existingByKey = new Map<string, ExistingChild>();
  const found = await db.execute(sql`
    select id, full_name, birth_date, sex, school, grade, circumstances, achievements, parent_consent, child_consent, dup_key
    from children where org_id = ${ctx.org.id} and dup_key = any(${list(keys)}::text[])`);
  for (const c of found.rows as {
    id: string;
    full_name: string;
    birth_date: string;
    sex: string;
    school: string | null;
    grade: string | null;
    /** Encrypted (a JSON string), or a list written before encryption. */
    circumstances: unknown;
    achievements: AchievementEntry[] | null;
    parent_consent: Consent | null;
    child_consent: Consent | null;
    dup_key: string;
  }[])
    if (!existingByKey.has(c.dup_key))
      existingByKey.set(c.dup_key, {
        id: c.id,
        fullName: c.full_name,
        birthDate: c.birth_date,
        sex: c.sex,
        school: c.school,
        grade: c.grade,
        circumstances: (openJson(c.circumstances, CIRCUMSTANCES_CIPHER) as CircumstanceEntry[] | null) ?? [],
        achievements: c.achievements ?? [],
        parentConsent: c.parent_consent ?? null,
        childConsent: c.child_consent ?? null,
      });

  const linksOf = new Map<string, LinkedMember[]>();
  if (existingByKey.size) {
    const ids = [...existingByKey.values()].map((c) => c.id);
    const res = await db.execute(sql`
      select cp.child_id, m.id as member_id, m.search_text, m.phone, m.id_number
      from child_parents cp join members m on m.id = cp.member_id
      where cp.child_id = any(${list(ids)}::uuid[])`);
    for (const l of res.rows as { child_id: string; member_id: string; search_text: string; phone: string | null; id_number: string | null }[]) {
      const links = linksOf.get(l.child_id) ?? [];
      links.push({ memberId: l.member_id, searchText: l.search_text, phone: l.phone, idNumber: openString(l.id_number, ID_NUMBER_CIPHER) });
      linksOf.set(l.child_id, links);
    }
  }

  if (!ctx.dryRun) await findMembers(db, ctx, batch, members);
  else if (existingByKey.size) await findMembers(db, ctx, batch.filter((r) => existingByKey.has(r.dupKey)), members);

  // Children of other units with these keys, and the pairs ruled apart among them and the unit's own.
  const others = new Map<string, OtherChild[]>();
  const dismissed = new Set<string>();
  const res = await db.execute(sql`
    select c.id, c.dup_key, o.name as org_name, o.sort_key, m.id as member_id, m.search_text, m.phone, m.id_number
    from children c
    join orgs o on o.id = c.org_id
    join child_parents cp on cp.child_id = c.id
    join members m on m.id = cp.member_id
    where c.dup_key = any(${list(keys)}::text[]) and c.org_id <> ${ctx.org.id}`);
  const byId = new Map<string, OtherChild>();
  for (const r of res.rows as { id: string; dup_key: string; org_name: string; sort_key: string; member_id: string; search_text: string; phone: string | null; id_number: string | null }[]) {
    let o = byId.get(r.id);
    if (!o) {
      o = { id: r.id, orgName: r.org_name, sortKey: r.sort_key, parents: [] };
      byId.set(r.id, o);
      const same = others.get(r.dup_key);
      if (same) same.push(o);
      else others.set(r.dup_key, [o]);
    }
    o.parents.push({ member_id: r.member_id, search_text: r.search_text, phone: r.phone, id_number: openString(r.id_number, ID_NUMBER_CIPHER) });
  }
  const ownIds = keys.filter((k) => others.has(k) && existingByKey.has(k)).map((k) => existingByKey.get(k)!.id);
  if (ownIds.length) {
    const d = await db.execute(sql`select child_a, child_b from duplicate_dismissals where child_a = any(${list(ownIds)}::uuid[]) or child_b = any(${list(ownIds)}::uuid[])`);
    for (const x of d.rows as { child_a: string; child_b: string }[]) dismissed.add(`${x.child_a}|${x.child_b}`);
  }
  return { existingByKey, linksOf, others, dismissed };
}

/**
 * Checks the rows against the database: which children exist (update or
 * unchanged), which members are the parents, whether sensitive circumstances
 * have the consent they need, and which rows another unit already registered.
 *
 * Batch by batch, in file order. A commit (`write` given) hands each batch's
 * writes to `write` (with the number of rows handled through it) as soon as it is planned, while no row has an error, and
 * plans the next batch while the database writes it; the caller rolls back
 * when an error turns up later. So the commit keeps no more than two batches'
 * writes, and the feed lets a batch's rows go as it hands them on.
 */
async function planImport(db: DbOrTx, ctx: PlanContext, write: ((writes: Writes, through: number) => Promise<void>) | null): Promise<Plan> {
  const { actor, feed, names, sensitiveAllowed, progress } = ctx;
  const plan: Plan = { valid: 0, created: 0, updated: 0, unchanged: 0, duplicates: [], duplicateCount: 0, sensitive: 0, membersCreated: 0, membersUpdated: new Set() };
  if (ctx.dryRun) progress?.report({ phase: 'checking', rows: 0, total: feed.length });
  const members: FoundMembers = { byKey: new Map(), byName: new Map(), seen: new Set() };
  const now = new Date().toISOString();
  let writes: Writes = { rows: [], newMembers: [], memberChanges: new Map() };

  // Members: found by name and phone, or created once for all their children; later rows' details win.
  const planned = new Map<string, NewMember>();
  const changeOf = (id: string) => {
    let change = writes.memberChanges.get(id);
    if (!change) writes.memberChanges.set(id, (change = {}));
    return change;
  };
  const memberIdOf = (p: ParentSpec): string => {
    const name = names.fold(p.fullName);
    const matchKey = matchKeyOf(name, p.phone);
    // Without a phone, a name that only one member of the unit has is that member.
    const sameName = p.phone ? undefined : members.byName.get(name);
    const existing = members.byKey.get(matchKey) ?? (sameName?.length === 1 ? sameName[0] : undefined);
    if (existing) {
      // Compared with what the unit had: a later row that gives it back leaves an earlier row's change.
      const change: MemberChange = {};
      if (p.department && p.department !== existing.department) change.department = p.department;
      if (p.isUnionMember !== undefined && p.isUnionMember !== existing.isUnionMember) change.isUnionMember = p.isUnionMember;
      if (p.idNumber && p.idNumber !== existing.idNumber) change.idNumber = p.idNumber;
      if (Object.keys(change).length) {
        Object.assign(changeOf(existing.id), change);
        plan.membersUpdated.add(existing.id);
      }
      return existing.id;
    }
    const known = planned.get(matchKey);
    if (known) {
      if (!known.written) {
        if (p.department) known.department = p.department;
        if (p.isUnionMember !== undefined) known.isUnionMember = p.isUnionMember;
        if (p.idNumber) known.idNumber = p.idNumber;
      } else {
        // Created by an earlier batch: still one member, updated.
        if (p.department && p.department !== known.department) changeOf(known.id).department = known.department = p.department;
        if (p.isUnionMember !== undefined && p.isUnionMember !== known.isUnionMember) changeOf(known.id).isUnionMember = known.isUnionMember = p.isUnionMember;
        if (p.idNumber && p.idNumber !== known.idNumber) changeOf(known.id).idNumber = known.idNumber = p.idNumber;
      }
      return known.id;
    }
    const member: NewMember = {
      id: newId(),
      fullName: p.fullName,
      department: p.department,
      phone: p.phone?.trim() || null,
      isUnionMember: p.isUnionMember ?? true,
      idNumber: p.idNumber,
      matchKey,
      written: false,
    };
    writes.newMembers.push(member);
    planned.set(matchKey, member);
    members.seen.add(member.id);
    plan.membersCreated++;
    return member.id;
  };

  const consent = (given: GivenConsent | null, givenBy: string, previous: Consent | null): Consent | null => {
    if (!given) return previous; // an empty cell keeps a consent already recorded
    const next = { givenBy, date: given.date, method: given.method };
    if (previous && sameConsent(previous, { ...next, recordedBy: '', recordedAt: '' })) return previous;
    return { ...next, recordedBy: actor.email, recordedAt: now };
  };

  /** Plans one batch from what the database holds for it (no database work). */
  const planBatch = (batch: readonly Row[], { existingByKey, linksOf, others, dismissed }: Found) => {
    for (const r of batch) {
      const before = existingByKey.get(r.dupKey) ?? null;
      // A caller who may not see sensitive circumstances keeps those already recorded, unseen.
      let circumstances = r.circumstances ?? before?.circumstances ?? [];
      if (before && r.circumstances && !sensitiveAllowed) circumstances = [...before.circumstances.filter(isSensitive), ...r.circumstances];
      const parentConsent = consent(r.parentConsent, r.parentName, before?.parentConsent ?? null);
      const childConsent = consent(r.childConsent, r.fullName, before?.childConsent ?? null);
      try {
        checkConsent(circumstances, r.birthDate, parentConsent, childConsent);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        ctx.fail(r.rowNumber, err.key === 'child.childConsentRequired' ? 'childConsentDate' : 'parentConsentDate', translate(ctx.locale, err.key));
        continue;
      }
      plan.valid++;
      findDuplicates(ctx, plan, r, before, linksOf, others, dismissed);
      if (!before) {
        plan.created++;
        // A dry run writes nothing: a new child needs no id, no members and no links (nothing reads them).
        if (ctx.dryRun) continue;
      }
      r.id = before?.id ?? newId();
      r.school = r.school !== undefined ? r.school : (before?.school ?? null);
      r.grade = r.grade !== undefined ? r.grade : (before?.grade ?? null);
      r.circumstances = circumstances;
      r.achievements = r.achievements ?? before?.achievements ?? [];
      if (!ctx.dryRun) {
        r.parentConsentRecord = parentConsent;
        r.childConsentRecord = childConsent;
      }
      const parentIds = [...new Set(parentsOf(r).map(memberIdOf))];
      if (!before) {
        r.kind = 0;
        r.links = parentIds;
      } else {
        const links = linksOf.get(before.id) ?? [];
        r.links = parentIds.filter((id) => !links.some((l) => l.memberId === id));
        const same =
          before.fullName === r.fullName &&
          before.sex === r.sex &&
          before.school === r.school &&
          before.grade === r.grade &&
          circKey(before.circumstances) === circKey(circumstances) &&
          achKey(before.achievements) === achKey(r.achievements) &&
          sameConsent(before.parentConsent, parentConsent) &&
          sameConsent(before.childConsent, childConsent) &&
          r.links.length === 0;
        if (same) {
          r.kind = 2;
          plan.unchanged++;
        } else {
          r.kind = 1;
          r.before = auditView(before, ctx.org.id);
          plan.updated++;
        }
      }
      if (r.kind !== 2 && !ctx.dryRun) {
        writes.rows.push(r);
        if (circumstances.some(isSensitive)) plan.sensitive++;
      }
    }
  };

  let current = await feed.next();
  let found = current ? await lookUp(db, ctx, current.batch, members) : null;
  // One statement at a time on the transaction; the next batch is planned while the database writes this one.
  let writing: Promise<void> | null = null;
  const written = async () => {
    await writing;
    writing = null;
  };
  while (current) {
    const end = current.start + current.batch.length;
    planBatch(current.batch, found!);
    await written();
    const planned = writes;
    writes = { rows: [], newMembers: [], memberChanges: new Map() };
    const send = () => {
      if (!write || ctx.failed() || !(planned.rows.length || planned.newMembers.length || planned.memberChanges.size)) return;
      for (const m of planned.newMembers) m.written = true;
      writing = write(planned, end);
      writing.catch(() => undefined); // awaited below; a failure rolls the transaction back
    };
    // While the file is still being read, this batch is written meanwhile; once the next batch is in, it is asked
    // about first and then planned while this one is written.
    const stillReading = !feed.ready;
    if (stillReading) send();
    const next = await feed.next();
    await written();
    if (next) found = await lookUp(db, ctx, next.batch, members);
    if (!stillReading) send();
    // A commit reports its writing only (see importChildren).
    if (ctx.dryRun) progress?.report({ phase: 'checking', rows: end, total: feed.length });
    await pause();
    current = next;
  }
  await written();
  return plan;
}

/**
 * Whether row `r` is a child another unit already registered: same folded
 * name and date of birth, and a parent in common (same member, folded name,
 * phone digits or ID number) — the rule `duplicatesOf` applies, without pairs
 * an officer ruled "not the same child". Counted in full; the first ones listed.
 */
function findDuplicates(
  ctx: PlanContext,
  plan: Plan,
  r: Row,
  before: ExistingChild | null,
  linksOf: Map<string, LinkedMember[]>,
  others: Map<string, OtherChild[]>,
  dismissed: Set<string>,
): void {
  const candidates = others.get(r.dupKey);
  if (!candidates) return;
  const childId = before?.id ?? null;
  const mine = [
    ...parentsOf(r).map((p) => ({ memberId: null as string | null, searchText: ctx.names.fold(p.fullName), phone: digitsOf(p.phone), idNumber: p.idNumber })),
    ...(childId ? (linksOf.get(childId) ?? []) : []).map((l) => ({ memberId: l.memberId as string | null, searchText: l.searchText, phone: digitsOf(l.phone), idNumber: l.idNumber })),
  ];
  const seenOrgs = new Set<string>();
  const found: OtherChild[] = [];
  for (const o of candidates) {
    if (childId && (dismissed.has(`${childId}|${o.id}`) || dismissed.has(`${o.id}|${childId}`))) continue;
    const shared = o.parents.some((m) =>
      mine.some((p) => p.memberId === m.member_id || p.searchText === m.search_text || (p.phone !== '' && p.phone === digitsOf(m.phone)) || (!!p.idNumber && p.idNumber === m.id_number)),
    );
    if (!shared || seenOrgs.has(o.orgName)) continue;
    seenOrgs.add(o.orgName);
    found.push(o);
  }
  found.sort((x, y) => (x.sortKey < y.sortKey ? -1 : x.sortKey > y.sortKey ? 1 : 0));
  for (const o of found) {
    plan.duplicateCount++;
    if (plan.duplicates.length < MAX_DUPLICATES) plan.duplicates.push({ row: r.rowNumber, fullName: r.fullName, birthDate: r.birthDate, otherOrgName: o.orgName });
  }
}

// ---------------------------------------------------------------- writing

const json = (v: unknown) => (v == null ? null : JSON.stringify(v));
const jsonList = (v: unknown[] | undefined) => (v && v.length ? JSON.stringify(v) : null);
const audit = sql`audit_log (actor_id, actor_email, action, entity_type, entity_id, org_id, before, after, ip)`;

/**
 * Writes one batch inside the commit's transaction, set-based: each statement
 * takes the batch's rows as array parameters (`unnest`), which PGlite and
 * PostgreSQL both read in one round trip. The rows are those the form would
 * write (search text, sort key, match keys, consent, parent links); the audit
 * log gets one entry per child updated (what it was before). New children go
 * first: they need no member, and their statement is the longest, which the
 * database runs while the next batch is planned.
 */
async function writeBatch(tx: Tx, ctx: PlanContext, writes: Writes): Promise<void> {
  const { actor, org, names } = ctx;
  const creates = writes.rows.filter((r) => r.kind === 0);
  const updates = writes.rows.filter((r) => r.kind === 1);

  // The children's columns, as array parameters, in the order `v` names them below; circumstances and ID numbers encrypted (decision 013).
  const childValues = (part: Row[]) => sql`
    ${list(part.map((r) => r.id))}::uuid[],
    ${list(part.map((r) => r.fullName))}::text[],
    ${list(part.map((r) => r.dupKey.slice(0, r.dupKey.lastIndexOf('|'))))}::text[],
    ${list(part.map((r) => names.sortKey(r.fullName)))}::text[],
    ${list(part.map((r) => r.birthDate))}::text[],
    ${list(part.map((r) => r.sex))}::text[],
    ${list(part.map((r) => r.school ?? null))}::text[],
    ${list(part.map((r) => r.grade ?? null))}::text[],
    ${list(part.map((r) => sealJson(r.circumstances ?? [], CIRCUMSTANCES_CIPHER)))}::text[],
    ${list(part.map((r) => jsonList(r.achievements)))}::text[],
    ${list(part.map((r) => json(r.parentConsentRecord)))}::text[],
    ${list(part.map((r) => json(r.childConsentRecord)))}::text[]`;
  const childColumns = sql.raw('v(id, full_name, search_text, sort_key, birth_date, sex, school, grade, circumstances, achievements, parent_consent, child_consent)');
  // A new child's links cannot be there already: no conflict check for them.
  const link = async (part: Row[], existing: boolean) => {
    const pairs = part.flatMap((r) => r.links.map((memberId) => [r.id, memberId] as const));
    if (pairs.length === 0) return;
    await tx.execute(sql`
      insert into child_parents (child_id, member_id)
      select * from unnest(${list(pairs.map((p) => p[0]))}::uuid[], ${list(pairs.map((p) => p[1]))}::uuid[])
      ${existing ? sql`on conflict do nothing` : sql``}`);
  };

  for (const part of chunks(creates, WRITE_BATCH))
    await tx.execute(sql`
      insert into children (id, org_id, full_name, search_text, sort_key, birth_date, sex, school, grade, circumstances, achievements, parent_consent, child_consent, dup_key)
      select v.id, ${org.id}, v.full_name, v.search_text, v.sort_key, v.birth_date::date, v.sex, v.school, v.grade,
        coalesce(v.circumstances::jsonb, '[]'::jsonb), coalesce(v.achievements::jsonb, '[]'::jsonb), v.parent_consent::jsonb, v.child_consent::jsonb,
        v.search_text || '|' || v.birth_date
      from unnest(${childValues(part)}) as ${childColumns}`);

  for (const part of chunks(writes.newMembers, WRITE_BATCH)) {
    await tx.execute(sql`
      insert into members (id, org_id, full_name, search_text, sort_key, department, phone, is_union_member, id_number, match_key)
      select v.id, ${org.id}, v.full_name, v.search_text, v.sort_key, v.department, v.phone, v.is_union_member, v.id_number, v.match_key
      from unnest(
        ${list(part.map((m) => m.id))}::uuid[],
        ${list(part.map((m) => m.fullName))}::text[],
        ${list(part.map((m) => m.matchKey.slice(0, m.matchKey.lastIndexOf('|'))))}::text[],
        ${list(part.map((m) => names.sortKey(m.fullName)))}::text[],
        ${list(part.map((m) => m.department))}::text[],
        ${list(part.map((m) => m.phone))}::text[],
        ${list(part.map((m) => m.isUnionMember))}::boolean[],
        ${list(part.map((m) => sealString(m.idNumber, ID_NUMBER_CIPHER)))}::text[],
        ${list(part.map((m) => m.matchKey))}::text[]
      ) as v(id, full_name, search_text, sort_key, department, phone, is_union_member, id_number, match_key)`);
  }
  for (const part of chunks([...writes.memberChanges], WRITE_BATCH)) {
    await tx.execute(sql`
      update members m set
        department = coalesce(v.department, m.department),
        is_union_member = coalesce(v.is_union_member, m.is_union_member),
        id_number = coalesce(v.id_number, m.id_number),
        updated_at = now()
      from unnest(
        ${list(part.map(([id]) => id))}::uuid[],
        ${list(part.map(([, c]) => c.department ?? null))}::text[],
        ${list(part.map(([, c]) => c.isUnionMember ?? null))}::boolean[],
        ${list(part.map(([, c]) => sealString(c.idNumber, ID_NUMBER_CIPHER)))}::text[]
      ) as v(id, department, is_union_member, id_number)
      where m.id = v.id`);
  }
  for (const part of chunks(creates, WRITE_BATCH)) await link(part, false);

  for (const part of chunks(updates, WRITE_BATCH)) {
    await tx.execute(sql`
      update children c set
        full_name = v.full_name, search_text = v.search_text, sort_key = v.sort_key, sex = v.sex,
        school = v.school, grade = v.grade,
        circumstances = coalesce(v.circumstances::jsonb, '[]'::jsonb), achievements = coalesce(v.achievements::jsonb, '[]'::jsonb),
        parent_consent = v.parent_consent::jsonb, child_consent = v.child_consent::jsonb,
        dup_key = v.search_text || '|' || v.birth_date,
        version = c.version + 1, updated_at = now()
      from unnest(${childValues(part)}) as ${childColumns}
      where c.id = v.id`);
    await link(part, true);
    await tx.execute(sql`
      insert into ${audit}
      select ${actor.id}::uuid, ${actor.email}, 'child.import_update', 'child', v.id, ${org.id}, v.before::jsonb, v.after::jsonb, ${actor.ip ?? null}
      from unnest(
        ${list(part.map((r) => r.id))}::text[],
        ${list(part.map((r) => JSON.stringify(r.before)))}::text[],
        ${list(part.map((r) => JSON.stringify(auditView({ fullName: r.fullName, birthDate: r.birthDate, circumstances: r.circumstances ?? [] }, org.id))))}::text[]
      ) as v(id, before, after)`);
  }
}

/**
 * The import's own audit entry, after its batches. The children it created
 * are the unit's children whose created_at is this entry's time: both are the
 * transaction's.
 */
async function writeSummary(tx: Tx, ctx: PlanContext, plan: Plan, filename: string, report: ChildImportReport): Promise<void> {
  const { actor, org } = ctx;
  const summary = {
    file: filename.slice(0, 200),
    total: report.total,
    valid: report.valid,
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    duplicates: report.duplicateCount,
    membersCreated: plan.membersCreated,
    membersUpdated: plan.membersUpdated.size,
    sensitive: plan.sensitive,
  };
  await tx.execute(sql`
    insert into ${audit}
    values (${actor.id}::uuid, ${actor.email}, 'child.import', 'import', ${filename.slice(0, 200) || 'file'}, ${org.id}, null, ${JSON.stringify(summary)}::jsonb, ${actor.ip ?? null})`);
}
