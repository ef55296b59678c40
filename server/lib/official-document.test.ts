import { beforeAll, describe, expect, it } from 'vitest';
import { PLAN_45_DOCUMENT, PLAN_45_PREAMBLE, PLAN_45_RECIPIENTS, PLAN_45_SECTIONS, PLAN_45_SIGNER } from '../db/seed/plan-45';
import { renderOfficialDocument, vietnameseDateLine, type OfficialDocument } from './official-document';
import { parseBody } from '../../common/plan-markup';
import { decode, paragraphTexts, unzip } from '../test/docx';

/** Every w:r, as XML. */
const runsOf = (xml: string) => [...xml.matchAll(/<w:r>[\s\S]*?<\/w:r>/g)].map((m) => m[0]);
const runWithText = (xml: string, text: string) => runsOf(xml).find((r) => decode(r).includes(`>${text}</w:t>`));

describe('vietnameseDateLine', () => {
  it('writes the day and months 1–2 with a leading zero, other months without', () => {
    expect(vietnameseDateLine('Long Biên', '2021-08-24')).toBe('Long Biên, ngày 24 tháng 8 năm 2021');
    expect(vietnameseDateLine('Hà Nội', '2022-02-05')).toBe('Hà Nội, ngày 05 tháng 02 năm 2022');
    expect(vietnameseDateLine('Hà Nội', '2021-12-01')).toBe('Hà Nội, ngày 01 tháng 12 năm 2021');
    expect(vietnameseDateLine('Hà Nội', '2023-01-10')).toBe('Hà Nội, ngày 10 tháng 01 năm 2023');
    expect(vietnameseDateLine('Hà Nội', '2023-03-09')).toBe('Hà Nội, ngày 09 tháng 3 năm 2023');
  });

  it('refuses dates that do not exist', () => {
    expect(() => vietnameseDateLine('Hà Nội', '2021-02-30')).toThrow(RangeError);
    expect(() => vietnameseDateLine('Hà Nội', '24/8/2021')).toThrow(RangeError);
  });
});

describe('parseBody', () => {
  it('reads paragraphs, dash items, numbered sub-headings and hard wraps', () => {
    expect(parseBody('1. Hoạt động A\n\n- một\n- hai\ntiếp\n\nĐoạn văn\nnối dòng')).toEqual([
      { kind: 'numbered', text: '1. Hoạt động A' },
      { kind: 'dash', text: '- một' },
      { kind: 'dash', text: '- hai tiếp' },
      { kind: 'text', text: 'Đoạn văn nối dòng' },
    ]);
  });
});

describe('renderOfficialDocument (Kế hoạch 45/KH-LĐLĐ)', () => {
  let files: Map<string, Buffer>;
  let xml: string;
  let paragraphs: string[];
  const part = (name: string) => {
    const data = files.get(name);
    if (!data) throw new Error(`missing ${name}`);
    return data.toString('utf8');
  };

  beforeAll(async () => {
    const doc: OfficialDocument = {
      ...PLAN_45_DOCUMENT,
      preamble: PLAN_45_PREAMBLE,
      sections: PLAN_45_SECTIONS,
      recipients: PLAN_45_RECIPIENTS,
      signer: PLAN_45_SIGNER,
    };
    const buffer = await renderOfficialDocument(doc);
    expect(buffer.subarray(0, 2).toString('latin1')).toBe('PK');
    files = unzip(buffer);
    xml = part('word/document.xml');
    paragraphs = paragraphTexts(xml);
  });

  it('prints the header: bodies, number, quốc hiệu, tiêu ngữ underlined, place and date in italics', () => {
    expect(paragraphs).toContain('LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI');
    expect(paragraphs).toContain('LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN');
    expect(paragraphs).toContain('Số: 45/KH-LĐLĐ');
    expect(paragraphs).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(paragraphs).toContain('Long Biên, ngày 24 tháng 8 năm 2021');

    const parent = runWithText(xml, 'LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI');
    expect(parent).toContain('<w:sz w:val="26"/>');
    expect(parent).not.toContain('<w:b/>');
    const issuing = runWithText(xml, 'LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN');
    expect(issuing).toContain('<w:b/>');
    expect(issuing).toContain('<w:sz w:val="26"/>');
    expect(runWithText(xml, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')).toContain('<w:b/>');
    const motto = runWithText(xml, 'Độc lập - Tự do - Hạnh phúc');
    expect(motto).toMatch(/<w:u w:val="single"/);
    expect(motto).toContain('<w:b/>');
    const date = runWithText(xml, 'Long Biên, ngày 24 tháng 8 năm 2021');
    expect(date).toContain('<w:i/>');
    expect(date).toContain('<w:sz w:val="28"/>');

    // the header is a borderless two-column table
    const firstTable = xml.slice(xml.indexOf('<w:tbl>'), xml.indexOf('</w:tbl>'));
    expect(firstTable).toContain('Số: 45/KH-LĐLĐ');
    expect(firstTable).toMatch(/<w:tblBorders>[\s\S]*<w:top w:val="none"/);
    expect(firstTable.match(/<w:gridCol /g)).toHaveLength(2);
    // a short rule under the issuing body
    expect(firstTable).toMatch(/<w:pBdr><w:bottom w:val="single"/);
  });

  it('prints the title, subject and every part of the seed text', () => {
    const title = paragraphs.indexOf('KẾ HOẠCH');
    expect(title).toBeGreaterThan(0);
    expect(paragraphs[title + 1]).toBe('Tổ chức hoạt động “Tết trung thu” cho con CNVCLĐ năm 2021.');
    expect(runWithText(xml, 'KẾ HOẠCH')).toContain('<w:b/>');

    expect(paragraphs).toContain(PLAN_45_PREAMBLE);
    for (const section of PLAN_45_SECTIONS) {
      expect(paragraphs).toContain(section.heading);
      expect(runWithText(xml, section.heading)).toContain('<w:b/>');
      for (const block of parseBody(section.body)) expect(paragraphs).toContain(block.text.replace(/\*\*/g, ''));
    }
    expect(paragraphs).toContain('1. Hoạt động thăm hỏi, tặng quà cho trẻ em.');
    expect(runWithText(xml, '1. Hoạt động thăm hỏi, tặng quà cho trẻ em.')).toContain('<w:b/>');
    expect(runWithText(xml, 'chậm nhất ngày 25/9/2021')).toContain('<w:b/>');
    // the paragraph the text extraction had cut in two is whole
    expect(paragraphs.some((p) => p.includes('nâng cao nhận thức và hành động của các cấp Công đoàn'))).toBe(true);
    // no markup leaks into the output
    expect(paragraphs.join('\n')).not.toContain('**');
  });

  it('lays the body out justified, 1.27 cm first-line indent, 6 pt after', () => {
    const preamble = [...xml.matchAll(/<w:p>[\s\S]*?<\/w:p>/g)].map((m) => m[0]).find((p) => p.includes('Thực hiện kế hoạch số 41/KH-LĐLĐ'));
    expect(preamble).toContain('<w:jc w:val="both"/>');
    expect(preamble).toMatch(/<w:ind w:firstLine="720"\/>/);
    expect(preamble).toMatch(/<w:spacing [^>]*w:after="120"/);
    expect(preamble).toMatch(/<w:spacing [^>]*w:line="288"/);
  });

  it('closes with recipients and the signature block', () => {
    expect(paragraphs).toContain('Nơi nhận:');
    const label = runWithText(xml, 'Nơi nhận:');
    expect(label).toContain('<w:b/>');
    expect(label).toContain('<w:i/>');
    expect(label).toContain('<w:sz w:val="24"/>');
    for (const line of PLAN_45_RECIPIENTS) {
      expect(paragraphs).toContain(`- ${line}`);
      expect(runWithText(xml, `- ${line}`)).toContain('<w:sz w:val="22"/>');
    }
    const signer = paragraphs.indexOf('TM. BAN THƯỜNG VỤ');
    expect(signer).toBeGreaterThan(paragraphs.indexOf('Nơi nhận:'));
    expect(paragraphs[signer + 1]).toBe('CHỦ TỊCH');
    expect(paragraphs.slice(signer + 2, signer + 6)).toEqual(['', '', '', '']); // room for signature and seal
    expect(paragraphs[signer + 6]).toBe('Phan Thị Thu Hằng');
    for (const text of ['TM. BAN THƯỜNG VỤ', 'CHỦ TỊCH', 'Phan Thị Thu Hằng']) expect(runWithText(xml, text)).toContain('<w:b/>');
    expect(xml.match(/<w:tbl>/g)).toHaveLength(2);
  });

  it('uses Times New Roman, black, 14 pt, in the styles and the runs', () => {
    const styles = part('word/styles.xml');
    const defaults = styles.slice(styles.indexOf('<w:docDefaults>'), styles.indexOf('</w:docDefaults>'));
    for (const attr of ['ascii', 'hAnsi', 'eastAsia', 'cs']) expect(defaults).toContain(`w:${attr}="Times New Roman"`);
    expect(defaults).toContain('<w:sz w:val="28"/>');
    expect(defaults).toContain('<w:color w:val="000000"/>');
    const runs = runsOf(xml).filter((r) => r.includes('<w:t'));
    expect(runs.length).toBeGreaterThan(40);
    for (const r of runs) {
      expect(r).toContain('w:ascii="Times New Roman"');
      expect(r).toContain('w:eastAsia="Times New Roman"');
      expect(r).toContain('<w:color w:val="000000"/>');
    }
  });

  it('sets A4, the margins, a different first page and page numbers at the top', () => {
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const margins = /<w:pgMar [^>]*\/>/.exec(xml)?.[0] ?? '';
    expect(margins).toContain('w:top="1134"');
    expect(margins).toContain('w:bottom="1134"');
    expect(margins).toContain('w:left="1701"');
    expect(margins).toContain('w:right="850"');
    expect(xml).toMatch(/<w:titlePg\/>|<w:titlePg w:val="(true|1)"\/>/);

    const rels = part('word/_rels/document.xml.rels');
    const headerPart = (type: 'first' | 'default') => {
      const id = new RegExp(`<w:headerReference w:type="${type}" r:id="([^"]+)"`).exec(xml)?.[1];
      expect(id).toBeTruthy();
      const target = new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)?.[1];
      expect(target).toBeTruthy();
      return part(`word/${target}`);
    };
    const first = headerPart('first');
    const standard = headerPart('default');
    expect(first).not.toContain('PAGE');
    expect(paragraphTexts(first).join('')).toBe('');
    expect(standard).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>|<w:fldSimple w:instr="\s*PAGE/);
    expect(standard).toContain('<w:jc w:val="center"/>');
  });

  it('prints the bodies in capitals and accepts decomposed (NFD) Vietnamese', async () => {
    const buffer = await renderOfficialDocument({
      ...PLAN_45_DOCUMENT,
      parentBody: 'Liên đoàn Lao động Thành phố Hà Nội'.normalize('NFD'),
      issuingBody: 'Liên đoàn Lao động\nQuận Long Biên',
      kindTitle: 'Báo cáo',
      date: '2022-02-05',
      place: 'Hà Nội',
      preamble: undefined,
      sections: [{ heading: 'I. KẾT QUẢ', body: 'Đã tặng **120** suất quà.' }],
    });
    const xml2 = unzip(buffer).get('word/document.xml')?.toString('utf8') ?? '';
    const texts = paragraphTexts(xml2);
    expect(texts).toContain('LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI');
    expect(texts).toContain('LIÊN ĐOÀN LAO ĐỘNGQUẬN LONG BIÊN'); // two runs, the second after a line break
    expect(xml2).toMatch(/<w:br\/><w:t xml:space="preserve">QUẬN LONG BIÊN<\/w:t>/);
    expect(texts).toContain('BÁO CÁO');
    expect(texts).toContain('Hà Nội, ngày 05 tháng 02 năm 2022');
    expect(texts).toContain('Đã tặng 120 suất quà.');
  });
});
