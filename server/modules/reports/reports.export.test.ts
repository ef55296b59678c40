import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';
import { paragraphTexts, unzip } from '../../test/docx';
import { moneyInWords } from '../../../common/money-words';
import { DEFAULT_REPORT_TEMPLATE, isNumeric, templateFields, type Figures, type ReportField } from '../../../common/report-template';
import type { CampaignRow } from '../campaigns/campaigns.queries';
import { formatFigure } from '../../../common/report-template';
import { consolidatedDocument, renderConsolidatedDocx } from './reports.docx';
import type { ConsolidatedExport } from './reports.lookup';
import { MONEY_FORMAT, SUMMARY_SHEET, UNITS_SHEET, writeConsolidatedXlsx } from './reports.xlsx';

let t: TestContext;
let longbien: Client;
let viewer: Client;
let hoankiem: Client;
let cdcs1: Client;
let lb: number;
let plan45: string;

const fields = templateFields(DEFAULT_REPORT_TEMPLATE);
const numeric = fields.filter(isNumeric);
const url = (ext: '' | '.xlsx' | '.docx', include: 'approved' | 'submitted') => `/api/v1/campaigns/${plan45}/consolidated${ext}?orgId=${lb}&include=${include}`;

interface BoardRow {
  orgId: number;
  code: string;
  status: string;
}

const board = async (): Promise<BoardRow[]> => (await longbien.get(`/api/v1/campaigns/${plan45}/status-board?orgId=${lb}`)).body.rows;

/** Submits a unit's report through the API (granting an exception if entry is locked); whether it is now submitted. */
async function submit(org: number): Promise<boolean> {
  const path = `/api/v1/campaigns/${plan45}/reports/${org}`;
  const current = (await longbien.get(path)).body;
  if (current.status === 'submitted') return true;
  if (current.status === 'approved') return false;
  if (!current.entryOpen) await longbien.post(`${path}/exception`, { until: '2099-12-31', reason: 'Kiểm thử xuất báo cáo' });
  const res = await longbien.post(`${path}/submit`, {});
  return res.status === 200 && res.body.status === 'submitted';
}

async function loadXlsx(raw: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(raw as unknown as ArrayBuffer);
  return wb;
}

/** The summary sheet's figures by field code (column B holds the code, D the figure). */
function summaryFigures(wb: ExcelJS.Workbook) {
  const ws = wb.getWorksheet(SUMMARY_SHEET)!;
  const out = new Map<string, ExcelJS.Cell>();
  ws.eachRow((row) => {
    const code = row.getCell(2).value;
    if (typeof code === 'string' && fields.some((f) => f.code === code)) out.set(code, row.getCell(4));
  });
  return out;
}

beforeAll(async () => {
  t = await createTestContext();
  longbien = await t.signIn('longbien@lantern.test');
  viewer = await t.signIn('kiemtra@lantern.test');
  hoankiem = await t.signIn('hoankiem@lantern.test');
  cdcs1 = await t.signIn('cdcs1@lantern.test');
  lb = await orgId(longbien, 'HN-LB');
  const list = (await longbien.get('/api/v1/campaigns?year=2021')).body.items as { id: string; docNumber: string }[];
  plan45 = list.find((c) => c.docNumber === '45/KH-LĐLĐ')!.id;

  // At least two approved reports and one submitted but not approved, whatever the demo holds.
  let rows = await board();
  const candidates = rows.filter((r) => r.status !== 'approved' && r.status !== 'submitted').map((r) => r.orgId);
  while (rows.filter((r) => r.status === 'approved').length < 2 || rows.filter((r) => r.status === 'submitted').length < 2) {
    const next = candidates.shift();
    if (next === undefined) break;
    await submit(next);
    rows = await board();
  }
  const submitted = rows.filter((r) => r.status === 'submitted').map((r) => r.orgId);
  const toApprove = submitted.slice(0, Math.max(0, 2 - rows.filter((r) => r.status === 'approved').length));
  if (toApprove.length) expect((await longbien.post(`/api/v1/campaigns/${plan45}/reports/approve`, { orgIds: toApprove })).body.done).toBe(toApprove.length);
  rows = await board();
  expect(rows.filter((r) => r.status === 'approved').length).toBeGreaterThanOrEqual(2);
  expect(rows.filter((r) => r.status === 'submitted').length).toBeGreaterThanOrEqual(1);
});

afterAll(async () => {
  await t.close();
});

describe('the consolidated report in Excel', () => {
  it('carries on its summary sheet the same figures as the screen, for each selection', async () => {
    const seen: Figures[] = [];
    for (const include of ['approved', 'submitted'] as const) {
      const json = (await longbien.get(url('', include))).body;
      const res = await longbien.get(url('.xlsx', include));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml.sheet');
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="bao-cao-tong-hop-45-kh-ldld-hn-lb\.xlsx"; filename\*=UTF-8''B%C3%A1o%20c%C3%A1o/);
      const wb = await loadXlsx(res.raw);
      const cells = summaryFigures(wb);
      for (const f of numeric) {
        const cell = cells.get(f.code);
        expect(cell, f.code).toBeDefined();
        expect(cell!.value, `${include} ${f.code}`).toBe(json.figures[f.code]);
        if (f.type === 'money') expect(cell!.numFmt).toBe(MONEY_FORMAT);
      }
      seen.push(json.figures);
    }
    // A report submitted but not approved counts only in the second selection.
    const [approved, submitted] = seen;
    expect(numeric.some((f) => approved![f.code] !== submitted![f.code])).toBe(true);
  });

  it('has one row per unit in scope, numbers as numbers, and a total equal to the summary', async () => {
    const json = (await longbien.get(url('', 'approved'))).body;
    const rows = await board();
    const wb = await loadXlsx((await longbien.get(url('.xlsx', 'approved'))).raw);
    const ws = wb.getWorksheet(UNITS_SHEET)!;
    const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    const codes = (ws.getRow(2).values as ExcelJS.CellValue[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['STT', 'Mã đơn vị', 'Tên đơn vị', 'Trạng thái báo cáo']);
    const units: ExcelJS.Row[] = [];
    for (let n = 3; n <= ws.rowCount; n++) if (typeof ws.getRow(n).getCell(1).value === 'number') units.push(ws.getRow(n));
    expect(units.length).toBe(rows.length);
    expect(units.length).toBe(json.units.inScope);
    expect(units.map((r) => r.getCell(2).value)).toEqual(rows.map((r) => r.code));

    const col = (code: string) => codes.indexOf(code) + 1;
    const approvedRow = units.find((r) => r.getCell(4).value === 'Đã duyệt')!;
    expect(typeof approvedRow.getCell(col('gifted_children')).value).toBe('number');
    const money = approvedRow.getCell(col('benefits_value'));
    expect(typeof money.value).toBe('number');
    expect(money.numFmt).toBe(MONEY_FORMAT);
    // a submitted report is listed but not counted when only approved ones are
    const pending = units.find((r) => r.getCell(4).value === 'Đã nộp, chờ duyệt (chưa tính)')!;
    expect(pending.getCell(col('gifted_children')).value).toBeNull();

    const total = ws.getRow(ws.rowCount);
    expect(String(total.getCell(3).value)).toMatch(/^Tổng cộng/);
    for (const f of numeric) {
      const v = total.getCell(col(f.code)).value as { formula: string; result: number };
      expect(v.formula, f.code).toMatch(/^SUM\(/);
      expect(v.result ?? 0, f.code).toBe(json.figures[f.code]); // exceljs reads a cached 0 back as no result
    }
  });

  it('writes a name or an answer starting with = as text, never as a formula', async () => {
    const e = fakeExport({ name: '=HYPERLINK("http://x.test","bấm")', highlights: '+SUM(1,2)' });
    const chunks: Buffer[] = [];
    for await (const chunk of writeConsolidatedXlsx(e)) chunks.push(chunk as Buffer);
    const wb = await loadXlsx(Buffer.concat(chunks));
    const ws = wb.getWorksheet(UNITS_SHEET)!;
    const name = ws.getRow(3).getCell(3);
    expect(name.type).toBe(ExcelJS.ValueType.String);
    expect(name.value).toBe(`'=HYPERLINK("http://x.test","bấm")`);
    const summary = summaryFigures(wb);
    expect(summary.get('highlights')!.value).toBe(`'+SUM(1,2)`);
    expect(summary.get('benefits_value')!.value).toBe(1_500_000);
  });
});

describe('the consolidated report in Word', () => {
  it('is the official BÁO CÁO with the same numbers as the screen, money in words', async () => {
    const json = (await longbien.get(url('', 'approved'))).body;
    const res = await longbien.get(url('.docx', 'approved'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml.document');
    expect(String(res.headers['content-disposition'])).toContain('filename="bao-cao-tong-hop-45-kh-ldld-hn-lb.docx"');
    const xml = unzip(res.raw).get('word/document.xml')!.toString('utf8');
    const paragraphs = paragraphTexts(xml);
    const all = paragraphs.join('\n');

    expect(paragraphs).toContain('LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI');
    expect(paragraphs).toContain('LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN');
    expect(paragraphs).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(paragraphs.some((p) => /^Số: {11}\/BC-LĐLĐ$/.test(p))).toBe(true);
    expect(paragraphs.some((p) => /^Long Biên, ngày \d{2} tháng \d{1,2} năm \d{4}$/.test(p))).toBe(true);
    expect(paragraphs).toContain('BÁO CÁO');
    expect(paragraphs).toContain('Kết quả tổ chức hoạt động “Tết trung thu” cho con CNVCLĐ năm 2021');
    expect(all).toContain('Thực hiện Kế hoạch số 41/KH-LĐLĐ');
    expect(all).toContain('Kế hoạch số 45/KH-LĐLĐ ngày 24/08/2021');
    expect(paragraphs).toContain('Nơi nhận:');
    expect(paragraphs).toContain('- LĐLĐ Thành phố Hà Nội (để báo cáo);');
    expect(paragraphs).toContain('TM. BAN THƯỜNG VỤ');
    expect(paragraphs).toContain('Phan Thị Thu Hằng');

    // every figure, formatted as the screen shows it, in the prose and in the table
    for (const f of numeric) {
      const shown = formatFigure(f, json.figures[f.code]);
      expect(paragraphs, f.code).toContain(shown);
      const inProse = f.type === 'money' ? `${shown.replace(/ đ$/, '')} đồng` : shown;
      expect(paragraphs.some((p) => p.startsWith(`- ${f.label}: ${inProse}`)), f.code).toBe(true);
    }
    const value = json.figures.benefits_value as number;
    expect(value).toBeGreaterThan(0);
    expect(all).toContain(`(Bằng chữ: ${moneyInWords(value)})`);
    expect(xml.match(/<w:tbl>/g)).toHaveLength(3); // header, figures, signature
  });

  it('changes with the selection when a report is submitted but not approved', async () => {
    const a = paragraphTexts(unzip((await longbien.get(url('.docx', 'approved'))).raw).get('word/document.xml')!.toString('utf8'));
    const s = paragraphTexts(unzip((await longbien.get(url('.docx', 'submitted'))).raw).get('word/document.xml')!.toString('utf8'));
    expect(a.some((p) => p.includes('báo cáo đã được duyệt'))).toBe(true);
    expect(s.some((p) => p.includes('kể cả báo cáo chưa được duyệt'))).toBe(true);
    const json = (await longbien.get(url('', 'submitted'))).body;
    for (const f of numeric) expect(s, f.code).toContain(formatFigure(f, json.figures[f.code]));
  });

  it('prints a unit without a plan of its own with a blank signer of its committee', () => {
    const doc = consolidatedDocument(fakeExport({ name: 'Công đoàn Trường THCS Gia Thụy', highlights: null }));
    expect(doc.number).toBe('/BC-CĐCS');
    expect(doc.signer).toEqual({ onBehalfOf: 'TM. BAN CHẤP HÀNH', position: 'CHỦ TỊCH', name: '' });
    expect(doc.recipients).toEqual(['LĐLĐ quận Long Biên (để báo cáo);', 'Lưu: VT.']);
    expect(doc.sections.at(-2)!.body).toContain('- Kết quả nổi bật, cách làm hay: không có.');
  });

  it('renders the figures table', async () => {
    const xml = unzip(await renderConsolidatedDocx(fakeExport({ name: 'CĐ A', highlights: 'CĐ A: **tốt**\n1. dòng hai' }))).get('word/document.xml')!.toString('utf8');
    const texts = paragraphTexts(xml);
    expect(texts).toContain('BIỂU TỔNG HỢP SỐ LIỆU');
    expect(texts).toContain('1.500.000 đ');
    expect(texts).toContain('- Tổng giá trị quà, học bổng, khen thưởng: 1.500.000 đồng (Bằng chữ: Một triệu năm trăm nghìn đồng).');
    expect(texts).toContain('+ CĐ A: *tốt*');
    expect(texts).toContain('+ 1. dòng hai');
    expect(texts).toContain(`Số:${' '.repeat(11)}/BC-CĐCS`);
  });
});

describe('who may download', () => {
  it('a viewer of the district may; a user outside its subtree gets 404', async () => {
    for (const ext of ['.xlsx', '.docx'] as const) {
      expect((await viewer.get(url(ext, 'approved'))).status).toBe(200);
      expect((await hoankiem.get(url(ext, 'approved'))).status).toBe(404);
      expect((await cdcs1.get(url(ext, 'approved'))).status).toBe(404);
      expect((await t.anonymous().get(url(ext, 'approved'))).status).toBe(401);
    }
  });

  it('is documented in the OpenAPI with the selection it takes', async () => {
    const doc = (await t.anonymous().get('/api/v1/openapi.json')).body;
    for (const ext of ['xlsx', 'docx']) {
      const op = doc.paths[`/api/v1/campaigns/{id}/consolidated.${ext}`].get;
      expect(op.tags).toEqual(['reports']);
      expect(op.summary).toMatch(/^Báo cáo tổng hợp/);
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'orgId', 'include']));
    }
  });
});

/** A grassroots unit's consolidation with one approved report, built without the database. */
function fakeExport(o: { name: string; highlights: string | null }): ConsolidatedExport {
  const figures: Figures = {};
  for (const f of fields) figures[f.code] = isNumeric(f) ? 0 : null;
  Object.assign(figures, { gifted_children: 3, benefits_value: 1_500_000, gifts_value: 1_500_000, highlights: o.highlights });
  const campaign = {
    id: '00000000-0000-0000-0000-000000000045',
    docNumber: '45/KH-LĐLĐ',
    place: 'Long Biên',
    issueDate: '2021-08-24',
    subject: 'Tổ chức hoạt động “Tết trung thu” cho con CNVCLĐ năm 2021.',
    issuingOrgId: 2,
    signer: {},
  } as unknown as CampaignRow;
  const numericField = (f: ReportField) => isNumeric(f);
  return {
    campaign,
    template: { ...DEFAULT_REPORT_TEMPLATE, lockDate: null, remindDaysBefore: 3, version: 0, isDefault: true },
    unit: { id: 7, code: 'LB-X', name: o.name, shortName: null, path: 'hn.lb.x', kind: 'grassroots' },
    parent: { name: 'Liên đoàn Lao động quận Long Biên', shortName: 'LĐLĐ quận Long Biên' },
    issuer: { id: 2, name: 'Liên đoàn Lao động quận Long Biên', shortName: 'LĐLĐ quận Long Biên' },
    upperPlan: null,
    include: 'approved',
    consolidated: {
      include: 'approved',
      figures,
      pending: Object.fromEntries(fields.filter(numericField).map((f) => [f.code, 0])),
      units: { inScope: 1, included: 1, approved: 1, submittedPending: 0 },
    },
    units: [{ orgId: 7, code: 'LB-X', name: o.name, status: 'approved', included: true, figures }],
    ownPlan: null,
    date: '2021-09-30',
  };
}
