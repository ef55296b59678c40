import './exceljs-utf8';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { AppError } from './errors';

/** A data row as the officer sees it: its Excel row number and its cells as text. */
export interface SheetRow {
  rowNumber: number;
  cells: string[];
}

export interface Sheet {
  header: string[];
  rows: SheetRow[];
}

const badFile = () => new AppError(400, 'BAD_FILE', 'import.badFile', {}, { file: { key: 'import.badFile' } });

/**
 * What an uploaded sheet may hold. The templates have 7 (units) and 18
 * (children) columns; 32,767 characters is Excel's own limit for a cell. An
 * .xlsx is a zip: all its parts together may unpack to `unpackedBytes`, and a
 * part over `ratioFrom` bytes may not unpack to more than `ratio` times its
 * packed size (text and XML pack 5 to 20 times; a zip bomb about 1,000).
 */
export const SHEET_LIMITS = {
  columns: 200,
  cellChars: 32_767,
  unpackedBytes: 256 * 1024 * 1024,
  ratio: 200,
  ratioFrom: 4 * 1024 * 1024,
  parts: 10_000,
} as const;

const fileError = (code: string, key: 'import.emptyUpload' | 'import.encrypted' | 'import.damaged', params: Record<string, string | number> = {}) =>
  new AppError(400, code, key, params, { file: { key, params } });
const damaged = () => fileError('DAMAGED_FILE', 'import.damaged');
const unpackedTooLarge = () => {
  const params = { max: Math.round(SHEET_LIMITS.unpackedBytes / 1024 / 1024) };
  return new AppError(400, 'UNPACKED_TOO_LARGE', 'import.unpackedTooLarge', params, { file: { key: 'import.unpackedTooLarge', params } });
};
const notSpreadsheet = (kind: string) => new AppError(400, 'NOT_SPREADSHEET', 'import.notSpreadsheet', { kind }, { file: { key: 'import.notSpreadsheet', params: { kind } } });
const tooManyColumns = (row: number, index: number) =>
  new AppError(400, 'TOO_MANY_COLUMNS', 'import.tooManyColumns', { row, col: columnLetter(index), max: SHEET_LIMITS.columns });
const cellTooLong = (row: number, index: number) => new AppError(400, 'CELL_TOO_LONG', 'import.cellTooLong', { row, col: columnLetter(index) });

const startsWith = (buffer: Buffer, bytes: number[]) => buffer.length >= bytes.length && bytes.every((b, i) => buffer[i] === b);
/** OLE compound file: an encrypted (password-protected) workbook, or an old .xls. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;
const ZIP_DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
/** Other files people pick by mistake, by their first bytes: named in the refusal. */
const KNOWN_TYPES: { bytes: number[]; kind: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], kind: 'PDF' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: 'PNG' },
  { bytes: [0xff, 0xd8, 0xff], kind: 'JPEG' },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: 'GIF' },
];

/**
 * The one look at an upload before any reading, whatever its name: refuses an
 * empty file, a password-protected workbook or an old .xls, a file of another
 * kind (PDF, picture, Word…), and checks an .xlsx as a zip (see inspectXlsx).
 * Says how to read it: as an .xlsx or as CSV text.
 */
export async function inspectUpload(buffer: Buffer, filename: string): Promise<'xlsx' | 'csv'> {
  if (buffer.length === 0) throw fileError('EMPTY_UPLOAD', 'import.emptyUpload');
  if (startsWith(buffer, OLE)) throw fileError('ENCRYPTED', 'import.encrypted');
  for (const t of KNOWN_TYPES) if (startsWith(buffer, t.bytes)) throw notSpreadsheet(t.kind);
  if (buffer.length >= 4 && buffer.readUInt32LE(0) === ZIP_LOCAL) {
    await inspectXlsx(buffer);
    return 'xlsx';
  }
  if (buffer.length >= 4 && buffer.readUInt32LE(0) === ZIP_END) throw damaged(); // an empty zip
  if (/\.xlsx?$/i.test(filename)) throw badFile();
  return 'csv';
}

interface ZipPart {
  name: string;
  flags: number;
  method: number;
  crc: number;
  packed: number;
  size: number;
}

/**
 * An .xlsx, before exceljs unpacks any of it. First what the zip's central
 * directory declares (nothing unpacked yet): no encryption, only stored or
 * deflated parts, a workbook with a worksheet (else: which kind of file it
 * is), declared sizes and packing ratios within SHEET_LIMITS. Then each part
 * exactly as exceljs's unzipper will come to it, walking the local headers
 * from the start: unpacked as a stream and counted, stopped as soon as the
 * parts together pass the total (declared sizes can lie), its size and
 * checksum compared with the declared ones. Nothing unpacked is kept; what exceljs then unpacks is
 * these same bytes, so within the same bounds.
 */
async function inspectXlsx(buffer: Buffer): Promise<void> {
  // The end-of-central-directory record: within the last 22 + 65,535 bytes (its comment).
  let end = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 0xffff); i--) {
    if (buffer.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw damaged(); // cut short: the directory at the end is missing
  const count = buffer.readUInt16LE(end + 10);
  const directorySize = buffer.readUInt32LE(end + 12);
  const directoryAt = buffer.readUInt32LE(end + 16);
  if (count === 0xffff || directoryAt === 0xffffffff) throw unpackedTooLarge(); // zip64: never needed under the upload limit
  if (buffer.readUInt16LE(end + 4) !== 0 || buffer.readUInt16LE(end + 8) !== count || directoryAt + directorySize > end) throw damaged();
  if (count > SHEET_LIMITS.parts) throw unpackedTooLarge();

  const parts = new Map<string, ZipPart>();
  let declared = 0;
  let at = directoryAt;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || buffer.readUInt32LE(at) !== ZIP_CENTRAL) throw damaged();
    const nameLength = buffer.readUInt16LE(at + 28);
    const part: ZipPart = {
      flags: buffer.readUInt16LE(at + 8),
      method: buffer.readUInt16LE(at + 10),
      crc: buffer.readUInt32LE(at + 16),
      packed: buffer.readUInt32LE(at + 20),
      size: buffer.readUInt32LE(at + 24),
      name: buffer.toString('utf8', at + 46, at + 46 + nameLength),
    };
    at += 46 + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
    if (at > end || parts.has(part.name)) throw damaged();
    if (part.flags & 0x1) throw fileError('ENCRYPTED', 'import.encrypted');
    if (part.method !== 0 && part.method !== 8) throw damaged();
    if (part.packed === 0xffffffff || part.size === 0xffffffff) throw unpackedTooLarge();
    declared += part.size;
    if (declared > SHEET_LIMITS.unpackedBytes) throw unpackedTooLarge();
    if (part.size > SHEET_LIMITS.ratioFrom && part.size > SHEET_LIMITS.ratio * Math.max(part.packed, 1)) throw unpackedTooLarge();
    parts.set(part.name, part);
  }
  if (!parts.has('xl/workbook.xml') || ![...parts.keys()].some((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name))) {
    if (parts.has('word/document.xml')) throw notSpreadsheet('Word (.docx)');
    if (parts.has('ppt/presentation.xml')) throw notSpreadsheet('PowerPoint (.pptx)');
    if (parts.has('mimetype') && parts.has('content.xml')) throw notSpreadsheet('OpenDocument (.ods, .odt)');
    throw notSpreadsheet('ZIP');
  }

  // The parts as unzipper reads them: local header after local header until the central directory.
  let unpacked = 0;
  let seen = 0;
  at = 0;
  while (at < directoryAt) {
    if (at + 30 > directoryAt || buffer.readUInt32LE(at) !== ZIP_LOCAL) throw damaged();
    const flags = buffer.readUInt16LE(at + 6);
    const method = buffer.readUInt16LE(at + 8);
    const packed = buffer.readUInt32LE(at + 18);
    const nameLength = buffer.readUInt16LE(at + 26);
    const name = buffer.toString('utf8', at + 30, at + 30 + nameLength);
    const part = parts.get(name);
    if (!part || method !== part.method || (flags & 0x1) !== 0) throw damaged();
    const start = at + 30 + nameLength + buffer.readUInt16LE(at + 28);
    let stop: number;
    if (!(flags & 0x8) || packed > 0) {
      stop = start + packed;
      at = stop;
    } else {
      // Size given after the data: unzipper reads up to the first data-descriptor signature.
      stop = buffer.indexOf(ZIP_DESCRIPTOR, start);
      if (stop < 0) throw damaged();
      at = stop + 16;
    }
    if (stop > directoryAt || at > directoryAt) throw damaged();
    const data = buffer.subarray(start, stop);
    // Counted against what is left of the total, not the declared size: past the total it is too large; else a
    // size or checksum other than declared is damage (a flipped byte can make a part unpack longer, too).
    const limit = SHEET_LIMITS.unpackedBytes - unpacked;
    const got = method === 0 ? { size: data.length, crc: zlib.crc32(data) } : await inflateCounted(data, limit);
    if (got === 'over' || got.size > limit) throw unpackedTooLarge();
    if (got.size !== part.size || got.crc !== part.crc) throw damaged();
    unpacked += got.size;
    seen++;
  }
  if (at !== directoryAt || seen !== parts.size) throw damaged();
}

/** Inflates `data` as a stream, keeping nothing but the count and the checksum; 'over' once past `limit`. */
function inflateCounted(data: Buffer, limit: number): Promise<{ size: number; crc: number } | 'over'> {
  return new Promise((resolve, reject) => {
    const inflate = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
    let size = 0;
    let crc = 0;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        settle(() => resolve('over'));
        inflate.destroy();
        return;
      }
      crc = zlib.crc32(chunk, crc);
    });
    inflate.on('error', () => settle(() => reject(damaged())));
    inflate.on('end', () => settle(() => resolve({ size, crc })));
    inflate.end(data);
  });
}

/** Column letter of a 0-based index: 0 → A, 27 → AB. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    const d = value;
    return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text; // hyperlink: its text, never the link
    if ('result' in value) return value.result == null ? '' : cellText(value.result as ExcelJS.CellValue); // formula: its cached result
    if ('error' in value) return '';
  }
  return '';
}

/** What reads a sheet row by row, as the file is read: nothing of the file is kept but what it keeps. */
export interface SheetVisitor {
  /** Row 1, each cell as trimmed text. Returning false stops the reading (a required column is missing, say). */
  header(cells: string[]): boolean | void;
  /** A data row that is not all empty: its row number as Excel shows it, and its cells as trimmed text. */
  row(rowNumber: number, cells: string[]): void;
  /**
   * Asked at each pause of a streamed (.xlsx) read: a promise holds the
   * reading until it resolves, so a consumer of the rows sets its pace.
   */
  pace?(): Promise<void> | void;
}

/** Rows between two pauses that let the server answer other requests (progress polls) during a long read. */
const ROWS_BETWEEN_PAUSES = 1000;
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An error thrown by the visitor: passed on as it is, never taken for a damaged file. */
class VisitorError {
  constructor(readonly error: unknown) {}
}

/**
 * Reads the first worksheet of an .xlsx (streaming) or a UTF-8 CSV, handing
 * each row to `visitor` as it comes; row 1 is the header. Returns how many
 * data rows there were. With `dates`, cells formatted as dates read as
 * dd/mm/yyyy (their calendar day, as Excel stores it); otherwise they read as
 * Excel's day number. More than `maxRows` data rows: TOO_MANY_ROWS; no data
 * row under the header (unless the header stopped the reading): EMPTY_FILE.
 * The file is first inspected (inspectUpload); a formula reads as its cached
 * result, never evaluated; a cell past SHEET_LIMITS.columns or longer than
 * SHEET_LIMITS.cellChars is refused, naming its row and column.
 */
export async function scanSheet(buffer: Buffer, filename: string, maxRows: number, visitor: SheetVisitor, opts: { dates?: boolean } = {}): Promise<number> {
  const kind = await inspectUpload(buffer, filename);
  const guarded: SheetVisitor = {
    header(cells) {
      try {
        return visitor.header(cells);
      } catch (err) {
        throw new VisitorError(err);
      }
    },
    row(rowNumber, cells) {
      try {
        visitor.row(rowNumber, cells);
      } catch (err) {
        throw new VisitorError(err);
      }
    },
    pace: visitor.pace && (async () => {
      try {
        await visitor.pace!();
      } catch (err) {
        throw new VisitorError(err);
      }
    }),
  };
  try {
    if (kind === 'xlsx') return await scanXlsx(buffer, maxRows, opts.dates === true, guarded);
    return await scanCsv(buffer, maxRows, guarded);
  } catch (err) {
    if (err instanceof VisitorError) throw err.error;
    throw err;
  }
}

/** The whole first worksheet in memory: for small files (the units import). */
export async function readSheet(buffer: Buffer, filename: string, maxRows: number, opts: { dates?: boolean } = {}): Promise<Sheet> {
  let header: string[] = [];
  const rows: SheetRow[] = [];
  await scanSheet(
    buffer,
    filename,
    maxRows,
    {
      header: (cells) => {
        header = cells;
      },
      row: (rowNumber, cells) => {
        rows.push({ rowNumber, cells });
      },
    },
    opts,
  );
  return { header, rows };
}

/**
 * A row's cells as text, checked: none with text past SHEET_LIMITS.columns,
 * none longer than SHEET_LIMITS.cellChars. `at(i)` is the text of the 0-based
 * cell i (untrimmed); the cells come back trimmed.
 */
function checkedCells(rowNumber: number, length: number, at: (i: number) => string): string[] {
  for (let i = SHEET_LIMITS.columns; i < length; i++) if (at(i).trim() !== '') throw tooManyColumns(rowNumber, i);
  const cells: string[] = new Array(Math.min(length, SHEET_LIMITS.columns));
  for (let i = 0; i < cells.length; i++) {
    const text = at(i);
    if (text.length > SHEET_LIMITS.cellChars) throw cellTooLong(rowNumber, i);
    cells[i] = text.trim();
  }
  return cells;
}

async function scanXlsx(buffer: Buffer, maxRows: number, dates: boolean, visitor: SheetVisitor): Promise<number> {
  let count = 0;
  let sawHeader = false;
  let stopped = false;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buffer), {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: dates ? 'cache' : 'ignore', // number formats tell a date from a number
      worksheets: 'emit',
    });
    sheets: for await (const ws of reader) {
      for await (const row of ws) {
        const values = row.values as ExcelJS.CellValue[];
        const cells = checkedCells(row.number, Math.max(values.length - 1, 0), (i) => cellText(values[i + 1]));
        if (!sawHeader) {
          sawHeader = true;
          if (visitor.header(cells) === false) {
            stopped = true;
            break sheets;
          }
          continue;
        }
        if (cells.every((v) => v === '')) continue;
        if (++count > maxRows) throw new AppError(400, 'TOO_MANY_ROWS', 'import.tooManyRows', { max: maxRows });
        visitor.row(row.number, cells);
        if (count % ROWS_BETWEEN_PAUSES === 0) {
          await pause();
          await visitor.pace?.();
        }
      }
      break; // first worksheet only
    }
  } catch (err) {
    if (err instanceof AppError || err instanceof VisitorError) throw err;
    throw damaged(); // a sound zip (inspected) whose XML exceljs cannot read: not well-formed, say
  }
  if (!sawHeader || (count === 0 && !stopped)) throw new AppError(400, 'EMPTY_FILE', 'import.empty');
  return count;
}

async function scanCsv(buffer: Buffer, maxRows: number, visitor: SheetVisitor): Promise<number> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw badFile();
  }
  if (text.includes('\u0000')) throw badFile();
  text = text.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let index = 0;
  let count = 0;
  let stop = false;
  let sawHeader = false;
  parseCsv(text, delimiter, (cells) => {
    if (stop) return;
    const i = index++;
    const checked = checkedCells(i + 1, cells.length, (k) => cells[k] ?? '');
    if (i === 0) {
      sawHeader = true;
      if (visitor.header(checked) === false) stop = true;
      return;
    }
    if (checked.every((c) => c === '')) return;
    if (++count > maxRows) throw new AppError(400, 'TOO_MANY_ROWS', 'import.tooManyRows', { max: maxRows });
    visitor.row(i + 1, checked);
  });
  if (!sawHeader || (count === 0 && !stop)) throw new AppError(400, 'EMPTY_FILE', 'import.empty');
  return count;
}

/** RFC 4180: quoted fields, doubled quotes, CRLF or LF; each record handed on as it ends. */
function parseCsv(text: string, delimiter: string, onRecord: (cells: string[]) => void): void {
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      onRecord(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    onRecord(row);
  }
}

/**
 * Text as a spreadsheet must show it and never run it: a cell starting with
 * = + - @ (or a tab or carriage return) gets a leading apostrophe.
 */
export function safeCellText(value: string | null | undefined): string {
  if (value == null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * An .xlsx: a sheet with a bold header row, column widths (and number formats,
 * "@" for text) and an example block; then any further sheets, e.g. a guide.
 */
export async function buildTemplate(
  sheetName: string,
  columns: { header: string; width: number; note?: string; numFmt?: string }[],
  examples: string[][],
  extraSheets: { name: string; rows: string[][]; widths?: number[] }[] = [],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Lantern';
  const ws = wb.addWorksheet(sheetName);
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  const head = ws.getRow(1);
  head.font = { bold: true, name: 'Times New Roman', size: 12 };
  columns.forEach((c, i) => {
    if (c.note) ws.getCell(1, i + 1).note = c.note;
  });
  for (const e of examples) ws.addRow(e);
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const extra of extraSheets) {
    const sheet = wb.addWorksheet(extra.name);
    for (const r of extra.rows) sheet.addRow(r.map(safeCellText));
    sheet.getRow(1).font = { bold: true };
    extra.widths?.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
    sheet.getColumn(extra.widths?.length ?? 1).alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
