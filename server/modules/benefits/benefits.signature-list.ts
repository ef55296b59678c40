import ExcelJS from 'exceljs';
import { safeCellText } from '../../lib/spreadsheet';
import type { CampaignSettings } from '../../../common/campaigns';
import { formatDate } from '../../../common/format';
import type { CampaignRow } from '../campaigns/campaigns.queries';
import { kindLabel, type BenefitRow } from './benefits.queries';

const safeText = safeCellText;

const FONT = 'Times New Roman';
const thin: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

export interface SignatureListInput {
  campaign: CampaignRow;
  settings: CampaignSettings;
  unit: { name: string };
  parentName: string | null;
  issuingOrgName: string;
  rows: BenefitRow[];
  parents: Map<string, { fullName: string }[]>;
}

/**
 * "DANH SÁCH KÝ NHẬN QUÀ": the unit (under its parent) and the plan at the
 * top, one numbered row per benefit (STT, child, date of birth, parent,
 * kind, value, signature), the total, then place and date and the signers.
 */
export async function buildSignatureList(input: SignatureListInput): Promise<Buffer> {
  const { campaign: c, settings, rows } = input;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Lantern';
  const ws = wb.addWorksheet('Ký nhận', {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, margins: { left: 0.5, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 } },
  });
  ws.columns = [{ width: 6 }, { width: 26 }, { width: 12 }, { width: 26 }, { width: 20 }, { width: 14 }, { width: 16 }];
  const font = (over: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FONT, size: 12, ...over });
  const line = (row: number, from: string, to: string, value: string, f: Partial<ExcelJS.Font>, align: ExcelJS.Alignment['horizontal'] = 'center') => {
    ws.mergeCells(`${from}${row}:${to}${row}`);
    const cell = ws.getCell(`${from}${row}`);
    cell.value = safeText(value);
    cell.font = font(f);
    cell.alignment = { horizontal: align, vertical: 'middle', wrapText: true };
  };

  if (input.parentName) line(1, 'A', 'C', input.parentName.toUpperCase(), {});
  line(2, 'A', 'C', input.unit.name.toUpperCase(), { bold: true });
  line(1, 'D', 'G', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true });
  line(2, 'D', 'G', 'Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true });
  line(4, 'A', 'G', 'DANH SÁCH KÝ NHẬN QUÀ', { bold: true, size: 14 });
  line(5, 'A', 'G', `(Theo Kế hoạch số ${c.docNumber} ngày ${formatDate(c.issueDate)} của ${input.issuingOrgName})`, { italic: true });
  line(6, 'A', 'G', c.title, { italic: true });
  ws.getRow(6).height = 32;

  const headerRow = 8;
  const header = ['STT', 'Họ tên trẻ', 'Ngày sinh', 'Họ tên cha/mẹ', 'Loại', 'Giá trị (đồng)', 'Ký nhận'];
  header.forEach((h, i) => {
    const cell = ws.getRow(headerRow).getCell(i + 1);
    cell.value = h;
    cell.font = font({ bold: true });
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = thin;
  });
  ws.getRow(headerRow).height = 30;

  let total = 0;
  rows.forEach((r, i) => {
    const value = Number(r.b.value);
    total += value;
    const parents = (input.parents.get(r.b.childId) ?? []).map((p) => p.fullName).join(', ');
    const row = ws.getRow(headerRow + 1 + i);
    row.values = [i + 1, safeText(r.childName), formatDate(r.childBirthDate), safeText(parents), safeText(kindLabel(settings, r.b.kind, r.b.item)), value, ''];
    row.height = 26;
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      if (col > 7) return;
      cell.font = font();
      cell.border = thin;
      cell.alignment = { vertical: 'middle', wrapText: true, horizontal: col === 1 || col === 3 ? 'center' : col === 6 ? 'right' : 'left' };
    });
    row.getCell(6).numFmt = '#,##0';
  });

  const first = headerRow + 1;
  const last = headerRow + rows.length;
  const totalRow = ws.getRow(last + 1);
  ws.mergeCells(`A${last + 1}:E${last + 1}`);
  totalRow.getCell(1).value = `Tổng cộng: ${rows.length} suất`;
  totalRow.getCell(6).value = rows.length ? { formula: `SUM(F${first}:F${last})`, result: total } : 0;
  totalRow.getCell(6).numFmt = '#,##0';
  for (let col = 1; col <= 7; col++) {
    const cell = totalRow.getCell(col);
    cell.font = font({ bold: true });
    cell.border = thin;
    cell.alignment = { vertical: 'middle', horizontal: col === 6 ? 'right' : 'center' };
  }

  const after = last + 3;
  line(after, 'D', 'G', `${c.place}, ngày ….. tháng ….. năm ${c.year}`, { italic: true });
  line(after + 1, 'A', 'C', 'NGƯỜI LẬP BIỂU', { bold: true });
  line(after + 1, 'D', 'G', 'TM. BAN CHẤP HÀNH', { bold: true });
  line(after + 2, 'D', 'G', 'CHỦ TỊCH', { bold: true });
  ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
