import './exceljs-utf8';
import { Readable } from 'node:stream';
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
 * Excel's day number. More than `maxRows` data rows: TOO_MANY_ROWS.
 */
export async function scanSheet(buffer: Buffer, filename: string, maxRows: number, visitor: SheetVisitor, opts: { dates?: boolean } = {}): Promise<number> {
  const isZip = buffer.length > 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04;
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
  };
  try {
    if (isZip) return await scanXlsx(buffer, maxRows, opts.dates === true, guarded);
    if (/\.xlsx?$/i.test(filename)) throw badFile();
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

async function scanXlsx(buffer: Buffer, maxRows: number, dates: boolean, visitor: SheetVisitor): Promise<number> {
  let count = 0;
  let sawHeader = false;
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
        const cells: string[] = new Array(Math.max(values.length - 1, 0));
        for (let i = 1; i < values.length; i++) cells[i - 1] = cellText(values[i]).trim();
        if (!sawHeader) {
          sawHeader = true;
          if (visitor.header(cells) === false) break sheets;
          continue;
        }
        if (cells.every((v) => v === '')) continue;
        if (++count > maxRows) throw new AppError(400, 'TOO_MANY_ROWS', 'import.tooManyRows', { max: maxRows });
        visitor.row(row.number, cells);
        if (count % ROWS_BETWEEN_PAUSES === 0) await pause();
      }
      break; // first worksheet only
    }
  } catch (err) {
    if (err instanceof AppError || err instanceof VisitorError) throw err;
    throw badFile();
  }
  if (!sawHeader) throw new AppError(400, 'EMPTY_FILE', 'import.empty');
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
    if (i === 0) {
      sawHeader = true;
      if (visitor.header(cells.map((h) => h.trim())) === false) stop = true;
      return;
    }
    if (cells.every((c) => c.trim() === '')) return;
    if (++count > maxRows) throw new AppError(400, 'TOO_MANY_ROWS', 'import.tooManyRows', { max: maxRows });
    visitor.row(i + 1, cells.map((c) => c.trim()));
  });
  if (!sawHeader) throw new AppError(400, 'EMPTY_FILE', 'import.empty');
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
