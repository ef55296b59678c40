import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  UnderlineType,
  VerticalAlign,
  WidthType,
} from 'docx';
import { parseBody } from '../../common/plan-markup';


/**
 * An official plan (KH) or report (BC) laid out as Nghị định 30/2020/NĐ-CP,
 * Phụ lục I, and Quyết định 933/QĐ-TLĐ ask: A4, Times New Roman, the two-column
 * header (issuing body | quốc hiệu, tiêu ngữ), title and subject, the body,
 * then recipients and the signature block.
 */
export interface OfficialDocument {
  /**
   * Cơ quan chủ quản, e.g. 'LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI' (printed in
   * capitals, 13 pt, not bold). A '\n' in it or in issuingBody sets where the
   * name wraps in its narrow column.
   */
  parentBody: string;
  /** Cơ quan ban hành, e.g. 'LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN' (capitals, 13 pt, bold). */
  issuingBody: string;
  /**
   * Số ký hiệu, e.g. '45/KH-LĐLĐ', printed "Số: 45/KH-LĐLĐ". One without its
   * number yet, '/BC-LĐLĐ', is printed with room to write the number by hand.
   */
  number: string;
  /** Địa danh, e.g. 'Long Biên'. */
  place: string;
  /** ISO date, yyyy-mm-dd. */
  date: string;
  /** Tên loại: 'KẾ HOẠCH', 'BÁO CÁO'. */
  kindTitle: string;
  /** Trích yếu nội dung, printed bold and centred under the title. */
  subject: string;
  /** Opening paragraph(s) before section I, separated by blank lines. */
  preamble?: string;
  /**
   * Sections: heading such as 'I. MỤC ĐÍCH, YÊU CẦU'; the body in light markup:
   * paragraphs separated by a blank line, a line starting with '- ' is a dash
   * item, a line like '1. Hoạt động …' is a bold sub-heading, **text** is bold.
   */
  sections: { heading: string; body: string; table?: DocumentTable }[];
  /** Closing paragraph(s) after the sections, e.g. "Trên đây là báo cáo …/.". */
  closing?: string;
  /** Lines under "Nơi nhận:", each printed "- …". */
  recipients: string[];
  /** 'TM. BAN THƯỜNG VỤ', 'CHỦ TỊCH', 'Phan Thị Thu Hằng'. */
  signer: { onBehalfOf: string; position: string; name: string };
}

/**
 * A table printed after a section's body (the figures of a report): thin
 * borders, 13 pt, the heading row repeated on every page.
 */
export interface DocumentTable {
  /** Column headings; widths are parts of the text width, scaled to fill it. */
  columns: { title: string; width: number; align?: 'left' | 'center' | 'right' }[];
  /** Each row's cells as text (a '\n' breaks the line); bold for a group heading or a total. */
  rows: { cells: string[]; bold?: boolean }[];
}

const FONT = 'Times New Roman';
const FONTS = { ascii: FONT, hAnsi: FONT, eastAsia: FONT, cs: FONT };
const BLACK = '000000';

/** Half-points, as OOXML counts font sizes. */
const pt = (points: number) => points * 2;
/** Twentieths of a point from millimetres (1 mm = 56.7 twips). */
const mm = (millimetres: number) => Math.round((millimetres * 1440) / 25.4);

const PAGE = { width: 11906, height: 16838 }; // A4 in twips
const MARGIN = { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
// 38 | 62: the quốc hiệu, 13 pt bold, needs about 96 mm of the right column on one line
const LEFT_COLUMN = Math.round(TEXT_WIDTH * 0.38);
const RIGHT_COLUMN = TEXT_WIDTH - LEFT_COLUMN;

const FIRST_LINE_INDENT = 720; // 1.27 cm
const AFTER = 120; // 6 pt after each body paragraph
const LINE = 288; // 1.2 lines, "auto"

/** Room for a number written by hand after "Số:". */
const NUMBER_BLANK = ' '.repeat(10);

const MONTHS_WITH_LEADING_ZERO = 2; // tháng 01, tháng 02; but tháng 3 … tháng 12

/**
 * The place-and-date line: 'Long Biên, ngày 24 tháng 8 năm 2021'.
 * Days below 10 and the months January and February take a leading zero
 * ("ngày 05 tháng 02 năm 2022"), as Nghị định 30/2020/NĐ-CP asks.
 */
export function vietnameseDateLine(place: string, isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate.trim());
  if (!match) throw new RangeError(`Ngày không hợp lệ: ${isoDate}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new RangeError(`Ngày không hợp lệ: ${isoDate}`);
  }
  const dd = day < 10 ? `0${day}` : String(day);
  const mmText = month <= MONTHS_WITH_LEADING_ZERO ? `0${month}` : String(month);
  return `${place.trim()}, ngày ${dd} tháng ${mmText} năm ${year}`;
}

interface RunStyle {
  size?: number; // points
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
}

function run(text: string, style: RunStyle = {}, lineBreakBefore = false): TextRun {
  return new TextRun({
    text,
    break: lineBreakBefore ? 1 : undefined,
    font: FONTS,
    size: pt(style.size ?? 14),
    color: BLACK,
    bold: style.bold,
    italics: style.italics,
    underline: style.underline ? { type: UnderlineType.SINGLE, color: BLACK } : undefined,
  });
}

const upper = (text: string) => clean(text).toLocaleUpperCase('vi-VN');

/** A name in capitals; a line break in it (to choose where a long name wraps) is kept. */
function nameRuns(text: string, style: RunStyle): TextRun[] {
  return upper(text)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, i) => run(line, style, i > 0));
}

/** NFC (so composed and decomposed Vietnamese print alike), CRLF → LF. */
function clean(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n');
}

/** A centred line for the header and signature blocks. */
function centred(children: TextRun[], spacing: { before?: number; after?: number } = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: spacing.before ?? 0, after: spacing.after ?? 0, line: 240, lineRule: LineRuleType.AUTO },
    children,
  });
}

/**
 * A short centred solid line (the rule under the issuing body, the tiêu ngữ or
 * the subject): an empty, nearly zero-height paragraph with a bottom border,
 * indented from both sides so that the line is `length` twips long.
 */
function shortRule(columnWidth: number, length: number): Paragraph {
  const side = Math.max(0, Math.round((columnWidth - length) / 2));
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    indent: { left: side, right: side },
    spacing: { before: 0, after: 0, line: 60, lineRule: LineRuleType.EXACT },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: BLACK, space: 1 } },
    run: { size: 2, font: FONTS },
    children: [],
  });
}

/** Splits **bold** markup into runs. An unmatched ** is printed as is. */
function inlineRuns(text: string, style: RunStyle = {}): TextRun[] {
  const runs: TextRun[] = [];
  const pattern = /\*\*(.+?)\*\*/g;
  let last = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index > last) runs.push(run(text.slice(last, m.index), style));
    runs.push(run(m[1] ?? '', { ...style, bold: true }));
    last = m.index + m[0].length;
  }
  if (last < text.length) runs.push(run(text.slice(last), style));
  return runs;
}

function bodyParagraph(text: string, opts: { bold?: boolean; keepNext?: boolean } = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: FIRST_LINE_INDENT },
    spacing: { before: 0, after: AFTER, line: LINE, lineRule: LineRuleType.AUTO },
    keepNext: opts.keepNext,
    keepLines: opts.keepNext,
    children: inlineRuns(text, { bold: opts.bold }),
  });
}

function bodyParagraphs(markup: string): Paragraph[] {
  return parseBody(markup).map((block) =>
    block.kind === 'numbered' ? bodyParagraph(block.text, { bold: true, keepNext: true }) : bodyParagraph(block.text),
  );
}

function cell(width: number, children: Paragraph[]): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    margins: { top: 0, bottom: 0, left: 57, right: 57 },
    verticalAlign: VerticalAlign.TOP,
    children,
  });
}

function twoColumns(rows: [Paragraph[], Paragraph[]][]): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [LEFT_COLUMN, RIGHT_COLUMN],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: rows.map(
      ([left, right]) =>
        new TableRow({
          cantSplit: true,
          children: [cell(LEFT_COLUMN, left), cell(RIGHT_COLUMN, right)],
        }),
    ),
  });
}

function headerTable(doc: OfficialDocument): Table {
  const issuing: Paragraph[] = [
    centred(nameRuns(doc.parentBody, { size: 13 })),
    centred(nameRuns(doc.issuingBody, { size: 13, bold: true })),
    shortRule(LEFT_COLUMN - 114, mm(22)),
  ];
  const nation: Paragraph[] = [
    centred([run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { size: 13, bold: true })]),
    centred([run('Độc lập - Tự do - Hạnh phúc', { size: 14, bold: true, underline: true })]),
  ];
  const numberText = clean(doc.number).trim();
  const number = [centred([run(`Số: ${numberText.startsWith('/') ? NUMBER_BLANK : ''}${numberText}`, { size: 13 })], { before: 120 })];
  const date = [centred([run(vietnameseDateLine(clean(doc.place), doc.date), { size: 14, italics: true })], { before: 120 })];
  return twoColumns([
    [issuing, nation],
    [number, date],
  ]);
}

function titleBlock(doc: OfficialDocument): Paragraph[] {
  return [
    centred([run(upper(doc.kindTitle), { size: 14, bold: true })], { before: 360 }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: 60, line: LINE, lineRule: LineRuleType.AUTO },
      children: inlineRuns(clean(doc.subject).replace(/\s*\n\s*/g, ' ').trim(), { bold: true }),
    }),
    shortRule(TEXT_WIDTH, mm(40)),
    new Paragraph({ spacing: { before: 0, after: 120 }, run: { size: pt(6), font: FONTS }, children: [] }),
  ];
}

function closingTable(doc: OfficialDocument): Table {
  const recipients: Paragraph[] = [
    new Paragraph({
      spacing: { before: 0, after: 0 },
      children: [run('Nơi nhận:', { size: 12, bold: true, italics: true })],
    }),
    ...doc.recipients.map(
      (line) =>
        new Paragraph({
          spacing: { before: 0, after: 0 },
          children: [run(`- ${clean(line).replace(/^[-–]\s*/, '').trim()}`, { size: 11 })],
        }),
    ),
  ];
  const blank = () => centred([run('', { size: 14 })]);
  const signature: Paragraph[] = [
    centred([run(upper(doc.signer.onBehalfOf), { size: 14, bold: true })]),
    centred([run(upper(doc.signer.position), { size: 14, bold: true })]),
    blank(),
    blank(),
    blank(),
    blank(),
    centred([run(clean(doc.signer.name).trim(), { size: 14, bold: true })]),
  ];
  return twoColumns([[recipients, signature]]);
}

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;
const THIN = { style: BorderStyle.SINGLE, size: 4, color: BLACK };

function dataTable(table: DocumentTable): Table {
  const total = table.columns.reduce((sum, c) => sum + Math.max(0, c.width), 0) || 1;
  const widths = table.columns.map((c) => Math.round((TEXT_WIDTH * Math.max(0, c.width)) / total));
  widths[widths.length - 1] = TEXT_WIDTH - widths.slice(0, -1).reduce((a, b) => a + b, 0);
  const tableCell = (text: string, i: number, style: RunStyle, align: 'left' | 'center' | 'right') =>
    new TableCell({
      width: { size: widths[i] ?? 0, type: WidthType.DXA },
      margins: { top: 40, bottom: 40, left: 85, right: 85 },
      verticalAlign: VerticalAlign.CENTER,
      children: [
        new Paragraph({
          alignment: ALIGN[align],
          spacing: { before: 0, after: 0, line: 240, lineRule: LineRuleType.AUTO },
          children: clean(text)
            .split('\n')
            .map((line, n) => run(line, style, n > 0)),
        }),
      ],
    });
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: table.columns.map((c, i) => tableCell(c.title, i, { size: 13, bold: true }, 'center')),
  });
  const rows = table.rows.map(
    (r) =>
      new TableRow({
        cantSplit: true,
        children: table.columns.map((c, i) => tableCell(r.cells[i] ?? '', i, { size: 13, bold: r.bold }, c.align ?? 'left')),
      }),
  );
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: { top: THIN, bottom: THIN, left: THIN, right: THIN, insideHorizontal: THIN, insideVertical: THIN },
    rows: [header, ...rows],
  });
}

function pageNumberHeader(): Header {
  return new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: [PageNumber.CURRENT], font: FONTS, size: pt(14), color: BLACK })],
      }),
    ],
  });
}

/** Renders the document as .docx bytes. */
export async function renderOfficialDocument(doc: OfficialDocument): Promise<Buffer> {
  const body: (Paragraph | Table)[] = [headerTable(doc), ...titleBlock(doc)];
  if (doc.preamble?.trim()) body.push(...bodyParagraphs(doc.preamble));
  for (const section of doc.sections) {
    body.push(bodyParagraph(clean(section.heading).trim(), { bold: true, keepNext: true }));
    body.push(...bodyParagraphs(section.body));
    if (section.table && section.table.columns.length > 0) {
      body.push(dataTable(section.table));
      body.push(new Paragraph({ spacing: { before: 0, after: AFTER }, children: [] }));
    }
  }
  if (doc.closing?.trim()) body.push(...bodyParagraphs(doc.closing));
  body.push(new Paragraph({ spacing: { before: 0, after: 0 }, keepNext: true, children: [] }));
  body.push(closingTable(doc));
  // Word wants the body to end with a paragraph, not a table
  body.push(new Paragraph({ spacing: { before: 0, after: 0 }, run: { size: 2, font: FONTS }, children: [] }));

  const document = new Document({
    creator: clean(doc.issuingBody),
    title: `${clean(doc.kindTitle)} ${clean(doc.number)}`,
    description: clean(doc.subject),
    styles: {
      default: {
        document: {
          run: { font: FONTS, size: pt(14), color: BLACK, language: { value: 'vi-VN', eastAsia: 'vi-VN' } },
          paragraph: { spacing: { before: 0, after: 0 } },
        },
      },
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { ...MARGIN, header: mm(10), footer: mm(10), gutter: 0 },
          },
        },
        headers: {
          first: new Header({ children: [new Paragraph({ children: [] })] }),
          default: pageNumberHeader(),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(document);
}
