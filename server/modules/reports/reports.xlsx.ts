import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { columnLetter, safeCellText } from '../../lib/spreadsheet';
import { formatDate } from '../../../common/format';
import { isNumeric, templateFields, type FigureValue, type ReportField } from '../../../common/report-template';
import { reportSubject, selectionNote } from './reports.docx';
import type { ConsolidatedExport, ExportUnitRow } from './reports.lookup';

/*
 * The consolidated report as Excel, written as it goes (streaming writer) so
 * that a subtree of any size fits: a summary sheet with the template's
 * figures (the same numbers as the screen), and one row per unit in scope
 * with its report's figures. Numbers are numbers, money has a đồng format,
 * every text cell goes through safeCellText so none can run as a formula.
 */

const FONT = 'Times New Roman';
export const MONEY_FORMAT = '#,##0 "đ"';
export const COUNT_FORMAT = '#,##0';
const FRACTION_FORMAT = '#,##0.##';
/** Excel's limit for the text of one cell, with room to spare. */
const MAX_TEXT = 32_000;

export const SUMMARY_SHEET = 'Tổng hợp';
export const UNITS_SHEET = 'Theo đơn vị';

const thin: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

const STATUS_LABELS: Record<string, string> = {
  approved: 'Đã duyệt',
  submitted: 'Đã nộp, chờ duyệt',
};

const text = (v: string | null | undefined) => safeCellText((v ?? '').slice(0, MAX_TEXT));

function numFmt(f: ReportField, v: number): string {
  if (f.type === 'money') return MONEY_FORMAT;
  return Number.isInteger(v) ? COUNT_FORMAT : FRACTION_FORMAT;
}

/** A figure as a cell value: a number stays a number; text is made safe. */
function cellValue(f: ReportField, v: FigureValue | undefined): ExcelJS.CellValue {
  if (v === null || v === undefined || v === '') return null;
  if (isNumeric(f)) return typeof v === 'number' ? v : Number.isFinite(Number(v)) ? Number(v) : text(String(v));
  return text(String(v));
}

function styleFigure(cell: ExcelJS.Cell, f: ReportField, bold = false) {
  cell.font = { name: FONT, size: 12, bold };
  cell.border = thin;
  const v = cell.value;
  const n = typeof v === 'number' ? v : v !== null && typeof v === 'object' && 'formula' in v && typeof v.result === 'number' ? v.result : null;
  if (n !== null) {
    cell.numFmt = numFmt(f, n);
    cell.alignment = { horizontal: 'right', vertical: 'top' };
  } else cell.alignment = { wrapText: true, vertical: 'top' };
}

const statusText = (r: ExportUnitRow) => (r.status ? (STATUS_LABELS[r.status] ?? r.status) : 'Chưa nộp') + (r.status && !r.included ? ' (chưa tính)' : '');

/** The .xlsx of a consolidated report, as a stream. */
export function writeConsolidatedXlsx(e: ConsolidatedExport): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Lantern';
  wb.title = reportSubject(e);
  const write = async () => {
    writeSummary(wb, e);
    writeUnits(wb, e);
    await wb.commit();
  };
  write().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

function writeSummary(wb: ExcelJS.stream.xlsx.WorkbookWriter, e: ConsolidatedExport) {
  const c = e.campaign;
  const pendingColumn = e.include === 'approved' && e.consolidated.units.submittedPending > 0;
  const ws = wb.addWorksheet(SUMMARY_SHEET, {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = [{ width: 6 }, { width: 24 }, { width: 56 }, { width: 22 }, ...(pendingColumn ? [{ width: 22 }] : [])];
  const last = pendingColumn ? 'E' : 'D';
  const font = (over: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FONT, size: 12, ...over });
  const line = (value: string, f: Partial<ExcelJS.Font>, align: 'left' | 'center' = 'center', height?: number) => {
    const row = ws.addRow([text(value)]);
    if (height) row.height = height; // a merged cell does not grow to its text
    ws.mergeCells(`A${row.number}:${last}${row.number}`);
    row.getCell(1).font = font(f);
    row.getCell(1).alignment = { horizontal: align, vertical: 'middle', wrapText: true };
    row.commit();
  };

  if (e.parent) line(e.parent.name.toLocaleUpperCase('vi-VN'), {});
  line(e.unit.name.toLocaleUpperCase('vi-VN'), { bold: true });
  line('', {});
  line('BÁO CÁO', { bold: true, size: 14 });
  line(reportSubject(e), { bold: true }, 'center', 32);
  line(`(Theo Kế hoạch số ${c.docNumber} ngày ${formatDate(c.issueDate)} của ${e.issuer.shortName ?? e.issuer.name})`, { italic: true });
  line(`${selectionNote(e)} Lập ngày ${formatDate(e.date)}.`, { italic: true }, 'left', 48);
  line('', {});

  const head = ws.addRow(['STT', 'Mã chỉ tiêu', 'Chỉ tiêu', 'Số liệu', ...(pendingColumn ? ['Đã nộp, chờ duyệt (chưa tính)'] : [])]);
  head.eachCell((cell) => {
    cell.font = font({ bold: true });
    cell.border = thin;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  head.commit();

  for (const s of e.template.sections) {
    const title = ws.addRow(['', '', text(s.title), '', ...(pendingColumn ? [''] : [])]);
    title.eachCell({ includeEmpty: true }, (cell) => {
      cell.font = font({ bold: true });
      cell.border = thin;
    });
    title.commit();
    s.fields.forEach((f, i) => {
      const value = cellValue(f, e.consolidated.figures[f.code]);
      const pending = pendingColumn && isNumeric(f) ? cellValue(f, e.consolidated.pending[f.code]) : null;
      const row = ws.addRow([i + 1, text(f.code), text(f.label), value, ...(pendingColumn ? [pending] : [])]);
      for (const col of [1, 2, 3]) {
        const cell = row.getCell(col);
        cell.font = font({ italic: col === 2, color: col === 2 ? { argb: 'FF666666' } : undefined });
        cell.border = thin;
        cell.alignment = { horizontal: col === 1 ? 'center' : 'left', vertical: 'top', wrapText: true };
      }
      styleFigure(row.getCell(4), f);
      if (pendingColumn) styleFigure(row.getCell(5), f);
      row.commit();
    });
  }
  ws.commit();
}

function writeUnits(wb: ExcelJS.stream.xlsx.WorkbookWriter, e: ConsolidatedExport) {
  const fields = templateFields(e.template);
  const ws = wb.addWorksheet(UNITS_SHEET, { views: [{ state: 'frozen', xSplit: 3, ySplit: 2 }] });
  ws.columns = [
    { width: 6 },
    { width: 16 },
    { width: 40 },
    { width: 20 },
    ...fields.map((f) => ({ width: isNumeric(f) ? 16 : 40 })),
  ];
  const FIRST = 5; // the first figure's column
  const labels = ws.addRow(['STT', 'Mã đơn vị', 'Tên đơn vị', 'Trạng thái báo cáo', ...fields.map((f) => text(f.label))]);
  labels.height = 60;
  labels.eachCell((cell) => {
    cell.font = { name: FONT, size: 11, bold: true };
    cell.border = thin;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  labels.commit();
  const codes = ws.addRow(['', '', '', '', ...fields.map((f) => text(f.code))]);
  codes.eachCell((cell) => {
    cell.font = { name: FONT, size: 9, italic: true, color: { argb: 'FF666666' } };
    cell.alignment = { horizontal: 'center' };
  });
  codes.commit();

  const sums = new Map<string, number>();
  e.units.forEach((r, i) => {
    const values = fields.map((f) => cellValue(f, r.figures?.[f.code]));
    const row = ws.addRow([i + 1, text(r.code), text(r.name), statusText(r), ...values]);
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      const f = fields[col - FIRST];
      if (f) {
        styleFigure(cell, f);
        if (typeof cell.value === 'number') sums.set(f.code, (sums.get(f.code) ?? 0) + cell.value);
      } else {
        cell.font = { name: FONT, size: 12 };
        cell.border = thin;
        cell.alignment = { vertical: 'top', horizontal: col === 1 ? 'center' : 'left', wrapText: col === 3 };
      }
    });
    row.commit();
  });

  // What the consolidation adds beyond these reports (the unit's own part,
  // each unit without a counted report in "số đơn vị"), so that the total
  // row is the summary's figure.
  const numeric = fields.filter(isNumeric);
  const total = (f: ReportField) => {
    const v = e.consolidated.figures[f.code];
    return typeof v === 'number' ? v : 0;
  };
  const extra = numeric.map((f) => total(f) - (sums.get(f.code) ?? 0));
  const firstData = 3;
  let lastData = 2 + e.units.length;
  const summaryRow = (label: string, values: (ExcelJS.CellValue | undefined)[]) => {
    const row = ws.addRow(['', '', text(label), '', ...values]);
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      const f = fields[col - FIRST];
      if (f) styleFigure(cell, f, true);
      else {
        cell.font = { name: FONT, size: 12, bold: true };
        cell.border = thin;
        cell.alignment = { vertical: 'top', wrapText: true };
      }
    });
    row.commit();
  };
  if (extra.some((v) => Math.abs(v) > 1e-9)) {
    summaryRow(
      `Ngoài báo cáo các đơn vị trên (phần do ${e.unit.shortName ?? e.unit.name} trực tiếp tổ chức; đơn vị chưa có báo cáo được tính)`,
      fields.map((f) => (isNumeric(f) ? extra[numeric.indexOf(f)] : null)),
    );
    lastData += 1;
  }
  summaryRow(
    'Tổng cộng (bằng số liệu ở trang Tổng hợp)',
    fields.map((f, i) => {
      if (!isNumeric(f)) return null;
      const col = columnLetter(FIRST - 1 + i);
      return lastData >= firstData ? { formula: `SUM(${col}${firstData}:${col}${lastData})`, result: total(f) } : total(f);
    }),
  );
  ws.commit();
}
