import { once } from 'node:events';
import type { TransformOptions, Writable } from 'node:stream';
import zlib from 'node:zlib';
import { columnLetter } from './spreadsheet';

/**
 * A one-sheet .xlsx written as it is made, for exports of any length: the
 * worksheet XML is built here row by row and deflated straight into a zip
 * stream, so neither the rows nor the file are ever held whole in memory.
 * Cells are text or numbers only (text as exceljs writes it without shared
 * strings: t="str"); the header row is bold and may be frozen. The parts are
 * the ones exceljs writes, less the theme (no style refers to one).
 *
 * The zip has no ZIP64 records: the sheet must unpack to under 4 GiB (about
 * six million rows of ordinary text; Excel opens 1,048,576 rows at most).
 */

export interface SheetColumn {
  header: string;
  width: number;
}

export interface SheetStreamOptions {
  sheetName: string;
  columns: SheetColumn[];
  /** Keeps the header row in view while scrolling. */
  freezeHeader?: boolean;
  creator?: string;
  /** zlib level for the sheet (1 fastest … 9 smallest). */
  level?: number;
}

/** Text made safe for XML as exceljs makes it: the five entities escaped, characters XML cannot hold dropped. */
const XML_SPECIAL = /[<>&'"\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;
const XML_SPECIAL_ALL = /[<>&'"\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g;
const ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };
export function xmlText(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL_ALL, (c) => ENTITY[c] ?? '') : text;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

function fixedParts(opts: SheetStreamOptions, now: Date): [string, string][] {
  const iso = `${now.toISOString().slice(0, 19)}Z`;
  const name = xmlText(opts.sheetName);
  return [
    [
      '[Content_Types].xml',
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`,
    ],
    [
      '_rels/.rels',
      `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="${NS_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>`,
    ],
    [
      'docProps/app.xml',
      `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>${name}</vt:lpstr></vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>`,
    ],
    [
      'docProps/core.xml',
      `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${opts.creator ? `<dc:creator>${xmlText(opts.creator)}</dc:creator>` : ''}<dcterms:created xsi:type="dcterms:W3CDTF">${iso}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${iso}</dcterms:modified></cp:coreProperties>`,
    ],
    [
      'xl/workbook.xml',
      `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><workbookPr/><bookViews><workbookView/></bookViews><sheets><sheet name="${name}" sheetId="1" r:id="rId3"/></sheets><calcPr calcId="171027"/></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${NS_REL}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${NS_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ],
    [
      'xl/styles.xml',
      // Style 0: the default; style 1: bold (the header row).
      `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`,
    ],
  ];
}

interface ZipEntry {
  name: Buffer;
  flags: number;
  crc: number;
  packed: number;
  size: number;
  offset: number;
}

const MAX32 = 0xffffffff;
/** Sheet XML is handed to the compressor in pieces of at most this many bytes. */
const CHUNK_BYTES = 1024 * 1024;

/** Resolves on `event` of `emitter`, or when `out` closes; the listeners go either way. */
async function eventOrClose(emitter: NodeJS.EventEmitter, event: string, out: Writable): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([once(emitter, event, { signal: ac.signal }), once(out, 'close', { signal: ac.signal })]);
  } finally {
    ac.abort();
  }
}

function dosDateTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(d.getFullYear(), 1980) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * Writes the workbook into `out`: `addRow` for each data row, then `end`.
 * Backpressure: after a batch of rows, `await ready()` (it waits while the
 * compressor or `out` is full). When `out` is destroyed (the client went
 * away) everything stops; `closed` tells.
 */
export class XlsxSheetStream {
  private readonly out: Writable;
  private readonly refs: string[];
  private readonly width: number;
  private readonly deflate: zlib.DeflateRaw;
  private readonly entries: ZipEntry[] = [];
  private readonly stamp: { time: number; date: number };
  private offset = 0;
  /** Sheet XML not yet compressed, written as UTF-8 into `chunk` (much faster than concatenating strings). */
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private rowNumber = 1;
  private crc = 0;
  private size = 0;
  private packed = 0;
  private sheet: ZipEntry | null = null;
  private done: Promise<void>;

  constructor(out: Writable, opts: SheetStreamOptions) {
    this.out = out;
    this.width = opts.columns.length;
    this.refs = Array.from({ length: this.width }, (_, i) => columnLetter(i));
    const now = new Date();
    this.stamp = dosDateTime(now);
    for (const [name, text] of fixedParts(opts, now)) this.storePart(name, Buffer.from(text, 'utf8'));

    // The sheet: a local header without sizes, the deflated XML, then a data descriptor.
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    this.sheet = { name, flags: 0x0008, crc: 0, packed: 0, size: 0, offset: this.offset };
    this.emit(this.localHeader(this.sheet));
    // Room for a batch of rows while the one before is compressed (in the thread pool).
    const deflateOptions: zlib.ZlibOptions & TransformOptions = { level: opts.level ?? 6, chunkSize: 64 * 1024, writableHighWaterMark: 4 * 1024 * 1024 };
    this.deflate = zlib.createDeflateRaw(deflateOptions);
    this.deflate.on('data', (chunk: Buffer) => (this.packed += chunk.length));
    this.deflate.pipe(out, { end: false });
    this.done = new Promise<void>((resolve, reject) => {
      this.deflate.once('end', resolve);
      this.deflate.once('error', reject);
    });
    this.done.catch(() => {}); // awaited in end(); until then a failure is handled by destroying `out`
    this.deflate.on('error', (err) => out.destroy(err));
    out.once('close', () => this.deflate.destroy());

    const cols = opts.columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('');
    const view = opts.freezeHeader
      ? '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>'
      : '<sheetView workbookViewId="0"/>';
    const header = opts.columns.map((c, i) => `<c r="${this.refs[i]}1" s="1" t="str"><v>${xmlText(c.header)}</v></c>`).join('');
    this.append(`${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheetViews>${view}</sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData><row r="1" spans="1:${this.width}" s="1" customFormat="1">${header}</row>`);
  }

  /** Whether `out` is gone (the client went away, or an error destroyed it). */
  get closed(): boolean {
    return this.out.destroyed;
  }

  /** Appends a data row: a number is written as a number, anything else as text (null as empty text). */
  addRow(cells: readonly (string | number | null | undefined)[]): void {
    const r = ++this.rowNumber;
    let xml = `<row r="${r}" spans="1:${this.width}">`;
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i];
      const ref = this.refs[i] ?? columnLetter(i);
      xml += typeof v === 'number' ? `<c r="${ref}${r}"><v>${v}</v></c>` : `<c r="${ref}${r}" t="str"><v>${xmlText(v ?? '')}</v></c>`;
    }
    this.append(`${xml}</row>`);
  }

  /** Resolves when the compressor and `out` can take more (or `out` is gone). */
  async ready(): Promise<void> {
    this.flush();
    if (this.closed) return;
    if (this.deflate.writableNeedDrain) await eventOrClose(this.deflate, 'drain', this.out);
  }

  /** Closes the sheet and the zip, and ends `out`. */
  async end(): Promise<void> {
    this.append('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>');
    this.flush();
    if (this.closed) return;
    this.deflate.end();
    const ac = new AbortController();
    await Promise.race([this.done, once(this.out, 'close', { signal: ac.signal })]).finally(() => ac.abort());
    if (this.closed) return;
    const sheet = this.sheet!;
    if (this.size > MAX32 || this.packed > MAX32) throw new Error('The sheet is too large for a zip without ZIP64 records');
    sheet.crc = this.crc;
    sheet.size = this.size;
    sheet.packed = this.packed;
    this.offset += this.packed;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(sheet.crc >>> 0, 4);
    descriptor.writeUInt32LE(sheet.packed, 8);
    descriptor.writeUInt32LE(sheet.size, 12);
    this.emit(descriptor);
    this.entries.push(sheet);
    this.sheet = null;
    const directoryAt = this.offset;
    for (const e of this.entries) this.emit(this.centralHeader(e));
    const directorySize = this.offset - directoryAt;
    if (directoryAt > MAX32) throw new Error('The file is too large for a zip without ZIP64 records');
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(this.entries.length, 8);
    eocd.writeUInt16LE(this.entries.length, 10);
    eocd.writeUInt32LE(directorySize, 12);
    eocd.writeUInt32LE(directoryAt, 16);
    this.out.end(eocd);
  }

  private append(xml: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (this.used + xml.length * 3 > CHUNK_BYTES) {
      this.flush();
      if (xml.length * 3 > CHUNK_BYTES) {
        this.compress(Buffer.from(xml, 'utf8'));
        return;
      }
    }
    this.used += this.chunk.write(xml, this.used, 'utf8');
  }

  private flush(): void {
    if (this.used === 0) return;
    const buf = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    this.compress(buf);
  }

  private compress(buf: Buffer): void {
    if (this.closed) return;
    this.crc = zlib.crc32(buf, this.crc);
    this.size += buf.length;
    this.deflate.write(buf);
  }

  private emit(buf: Buffer): void {
    this.offset += buf.length;
    this.out.write(buf);
  }

  /** A small part, deflated whole: its sizes go in its local header. */
  private storePart(name: string, data: Buffer): void {
    const packed = zlib.deflateRawSync(data);
    const entry: ZipEntry = { name: Buffer.from(name), flags: 0, crc: zlib.crc32(data), packed: packed.length, size: data.length, offset: this.offset };
    this.emit(this.localHeader(entry));
    this.emit(packed);
    this.entries.push(entry);
  }

  private localHeader(e: ZipEntry): Buffer {
    const h = Buffer.alloc(30 + e.name.length);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    h.writeUInt16LE(e.flags, 6);
    h.writeUInt16LE(8, 8); // deflate
    h.writeUInt16LE(this.stamp.time, 10);
    h.writeUInt16LE(this.stamp.date, 12);
    h.writeUInt32LE(e.crc >>> 0, 14);
    h.writeUInt32LE(e.packed, 18);
    h.writeUInt32LE(e.size, 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(0, 28);
    e.name.copy(h, 30);
    return h;
  }

  private centralHeader(e: ZipEntry): Buffer {
    const h = Buffer.alloc(46 + e.name.length);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE(20, 4); // made by: 2.0
    h.writeUInt16LE(20, 6); // needed: 2.0
    h.writeUInt16LE(e.flags, 8);
    h.writeUInt16LE(8, 10);
    h.writeUInt16LE(this.stamp.time, 12);
    h.writeUInt16LE(this.stamp.date, 14);
    h.writeUInt32LE(e.crc >>> 0, 16);
    h.writeUInt32LE(e.packed, 20);
    h.writeUInt32LE(e.size, 24);
    h.writeUInt16LE(e.name.length, 28);
    // extra, comment, disk, internal and external attributes: 0
    h.writeUInt32LE(e.offset, 42);
    e.name.copy(h, 46);
    return h;
  }
}
