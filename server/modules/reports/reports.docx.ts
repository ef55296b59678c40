import { renderOfficialDocument, type DocumentTable, type OfficialDocument } from '../../lib/official-document';
import type { PlanSigner } from '../../../common/campaigns';
import { formatDate, formatMoney, formatNumber } from '../../../common/format';
import { moneyInWords } from '../../../common/money-words';
import { formatFigure, isNumeric, type ReportField } from '../../../common/report-template';
import type { ConsolidatedExport } from './reports.lookup';

/*
 * The consolidated report as an official BÁO CÁO (Nghị định 30/2020): the
 * unit's header, "Số:      /BC-LĐLĐ" for the officer to number by hand, place
 * and date, the figures of the template as prose section by section (money
 * also in words where the template says so), a table of the figures, the
 * closing line, recipients and the unit's signature block.
 */


const lowerFirst = (s: string) => {
  const first = s.split(/\s+/, 1)[0] ?? '';
  // keep an acronym or a proper name in capitals (CNVCLĐ, “Tết …”)
  return first.length > 1 && first === first.toLocaleUpperCase('vi-VN') ? s : s.charAt(0).toLocaleLowerCase('vi-VN') + s.slice(1);
};
const withoutFinalStop = (s: string) => s.trim().replace(/[.;\s]+$/u, '');

/** The plan's subject, e.g. "tổ chức hoạt động “Tết trung thu” cho con CNVCLĐ năm 2021". */
export const planMatter = (e: ConsolidatedExport): string => lowerFirst(withoutFinalStop(e.campaign.subject.replace(/\s*\n\s*/g, ' ')));

/** The report's subject line: "Kết quả tổ chức hoạt động “Tết trung thu” cho con CNVCLĐ năm 2021". */
export function reportSubject(e: ConsolidatedExport): string {
  const matter = withoutFinalStop(e.campaign.subject.replace(/\s*\n\s*/g, ' '));
  return /^kết quả\b/iu.test(matter) ? matter : `Kết quả ${lowerFirst(matter)}`;
}

const shortOf = (o: { name: string; shortName: string | null }) => o.shortName?.trim() || o.name;

/** Which reports the figures add up: said in the report and on the Excel sheet. */
export function selectionNote(e: ConsolidatedExport): string {
  const { units } = e.consolidated;
  const own = !e.units.some((r) => r.orgId === e.unit.id);
  const what = e.include === 'approved' ? 'báo cáo đã được duyệt' : 'báo cáo đã nộp (kể cả báo cáo chưa được duyệt)';
  let note = `Số liệu được tổng hợp từ ${what} của ${formatNumber(units.included)}/${formatNumber(units.inScope)} đơn vị thuộc phạm vi kế hoạch`;
  if (own) note += `, cùng các hoạt động do ${shortOf(e.unit)} trực tiếp tổ chức`;
  if (units.submittedPending > 0) note += `; ${formatNumber(units.submittedPending)} báo cáo đã nộp đang chờ duyệt chưa được tính`;
  return `${note}.`;
}

/** "LĐLĐ" from "45/KH-LĐLĐ"; by the kind of unit when it has issued no plan. */
function issuerCode(e: ConsolidatedExport): string {
  const fromPlan = e.ownPlan ? /^[^/]*\/[^-\s]+-(\S+)$/u.exec(e.ownPlan.docNumber.trim())?.[1] : undefined;
  if (fromPlan) return fromPlan;
  const byKind: Record<string, string> = {
    confederation: 'TLĐ',
    provincial_federation: 'LĐLĐ',
    district_federation: 'LĐLĐ',
    commune_union: 'CĐ',
    sector_union: 'CĐN',
    grassroots: 'CĐCS',
  };
  return byKind[e.unit.kind] ?? 'CĐ';
}

function signerOf(e: ConsolidatedExport): PlanSigner {
  const s = e.ownPlan?.signer as Partial<PlanSigner> | undefined;
  if (s?.onBehalfOf && s.position) return { onBehalfOf: s.onBehalfOf, position: s.position, name: s.name ?? '' };
  return { onBehalfOf: e.unit.kind === 'grassroots' ? 'TM. BAN CHẤP HÀNH' : 'TM. BAN THƯỜNG VỤ', position: 'CHỦ TỊCH', name: '' };
}

/** A unit's own words, printed as they are: no bold markup, one "+ " line each. */
const quoted = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim().replace(/\*\*/g, '*'))
    .filter(Boolean)
    .map((line) => `+ ${line}`);

function fieldProse(e: ConsolidatedExport, f: ReportField): string[] {
  const v = e.consolidated.figures[f.code] ?? null;
  const label = withoutFinalStop(f.label);
  if (!isNumeric(f)) {
    if (v === null || v === '') return [`- ${label}: không có.`];
    // each answer its own paragraph, labelled with the unit's name
    return [`- ${label}:`, '', ...quoted(String(v)).flatMap((line) => [line, ''])];
  }
  const n = typeof v === 'number' ? v : 0;
  if (f.type !== 'money') return [`- ${label}: **${formatNumber(n)}**.`];
  const amount = `**${formatMoney(Math.round(n)).replace(/ đ$/, '')}** đồng`;
  return [`- ${label}: ${f.inWords ? `${amount} (Bằng chữ: ${moneyInWords(n)})` : amount}.`];
}

const ROMAN = /^([IVXLC]+)\.\s*(.*)$/u;

function figuresTable(e: ConsolidatedExport): DocumentTable {
  const rows: DocumentTable['rows'] = [];
  for (const s of e.template.sections) {
    const numeric = s.fields.filter(isNumeric);
    if (numeric.length === 0) continue;
    const m = ROMAN.exec(s.title.trim());
    rows.push({ cells: [m?.[1] ?? '', m?.[2] ?? s.title], bold: true });
    numeric.forEach((f, i) => rows.push({ cells: [String(i + 1), f.label, formatFigure(f, e.consolidated.figures[f.code] ?? 0)] }));
  }
  return {
    columns: [
      { title: 'STT', width: 8, align: 'center' },
      { title: 'Chỉ tiêu', width: 62 },
      { title: 'Số liệu', width: 30, align: 'right' },
    ],
    rows,
  };
}

/** The Word document of the consolidated report. */
export function consolidatedDocument(e: ConsolidatedExport): OfficialDocument {
  const c = e.campaign;
  const unitName = shortOf(e.unit);
  const planRef = `Kế hoạch số ${c.docNumber} ngày ${formatDate(c.issueDate)} của ${shortOf(e.issuer)}`;
  const upper = e.upperPlan ? `Kế hoạch số ${e.upperPlan.docNumber} ngày ${formatDate(e.upperPlan.issueDate)} của ${e.upperPlan.issuerName} và ` : '';
  const preamble = [`Thực hiện ${upper}${planRef} về ${planMatter(e)}, ${unitName} báo cáo kết quả thực hiện như sau:`, selectionNote(e)].join('\n\n');

  const sections: OfficialDocument['sections'] = e.template.sections.map((s) => ({
    heading: s.title.trim().toLocaleUpperCase('vi-VN'),
    body: s.fields.flatMap((f) => [...fieldProse(e, f), '']).join('\n'),
  }));
  sections.push({ heading: 'BIỂU TỔNG HỢP SỐ LIỆU', body: '', table: figuresTable(e) });

  const recipients: string[] = [];
  const reportTo = [e.parent, e.issuer.id !== e.unit.id ? e.issuer : null].filter((o): o is { name: string; shortName: string | null } => !!o);
  for (const o of reportTo) {
    const line = `${shortOf(o)} (để báo cáo);`;
    if (!recipients.includes(line)) recipients.push(line);
  }
  recipients.push('Lưu: VT.');

  return {
    parentBody: e.parent?.name ?? '',
    issuingBody: e.unit.name,
    number: `/BC-${issuerCode(e)}`,
    place: e.ownPlan?.place ?? c.place,
    date: e.date,
    kindTitle: 'BÁO CÁO',
    subject: reportSubject(e),
    preamble,
    sections,
    closing: `Trên đây là báo cáo ${lowerFirst(reportSubject(e))} của ${unitName}${e.parent ? ` gửi ${shortOf(e.parent)}` : ''}./.`,
    recipients,
    signer: signerOf(e),
  };
}

/** Renders the consolidated report as .docx bytes. */
export function renderConsolidatedDocx(e: ConsolidatedExport): Promise<Buffer> {
  return renderOfficialDocument(consolidatedDocument(e));
}
