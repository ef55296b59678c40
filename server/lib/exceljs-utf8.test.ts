import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import './exceljs-utf8';

it('exceljs reads a letter whose UTF-8 bytes straddle two chunks', async () => {
  const require = createRequire(import.meta.url);
  // The module every exceljs reader uses (worksheet, workbook, shared strings).
  const parseSax = require('exceljs/lib/utils/parse-sax.js') as (it: AsyncIterable<Buffer>) => AsyncIterable<{ eventType: string; value: unknown }[]>;
  const bytes = Buffer.from('<c><t>Nữ Nguyễn</t></c>', 'utf8');
  const cut = bytes.indexOf(Buffer.from('ữ', 'utf8')) + 1; // in the middle of "ữ"
  async function* chunks() {
    yield bytes.subarray(0, cut);
    yield bytes.subarray(cut);
  }
  let text = '';
  for await (const events of parseSax(chunks())) for (const e of events) if (e.eventType === 'text') text += e.value as string;
  expect(text).toBe('Nữ Nguyễn');
});
