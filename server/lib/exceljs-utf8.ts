/**
 * exceljs's streaming reader decodes each chunk of a sheet's XML on its own,
 * so a Vietnamese letter whose UTF-8 bytes straddle two chunks ("ữ" is three
 * bytes) comes out as U+FFFD — a silently damaged name. This module installs,
 * before exceljs loads, the same SAX loop with one UTF-8 decoder per stream
 * that carries partial characters over. Import it first in every entry point
 * (server/main.ts, server/cli.ts, the test set-up, bench/).
 */
import Module, { createRequire } from 'node:module';
import { StringDecoder } from 'node:string_decoder';

const require = createRequire(import.meta.url);
const target = require.resolve('exceljs/lib/utils/parse-sax.js');
const fromExceljs = createRequire(target);

type SaxEvent = { eventType: 'opentag' | 'text' | 'closetag'; value: unknown };

if (!require.cache[target]) {
  const { SaxesParser } = fromExceljs('saxes') as { SaxesParser: new () => { on(e: string, f: (v: unknown) => void): void; write(s: string): void } };
  const { PassThrough } = fromExceljs('readable-stream') as { PassThrough: new () => NodeJS.ReadWriteStream };

  async function* parseSax(input: AsyncIterable<Buffer | string> | NodeJS.ReadableStream): AsyncGenerator<SaxEvent[]> {
    let iterable = input as AsyncIterable<Buffer | string>;
    const stream = input as NodeJS.ReadableStream & { [Symbol.asyncIterator]?: unknown };
    if (typeof stream.pipe === 'function' && !stream[Symbol.asyncIterator]) iterable = stream.pipe(new PassThrough()) as unknown as AsyncIterable<Buffer>;
    const parser = new SaxesParser();
    const decoder = new StringDecoder('utf8');
    let error: unknown;
    let events: SaxEvent[] = [];
    parser.on('error', (err) => (error = err));
    parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
    parser.on('text', (value) => events.push({ eventType: 'text', value }));
    parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
    for await (const chunk of iterable) {
      parser.write(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      if (error) throw error;
      yield events;
      events = [];
    }
    const rest = decoder.end();
    if (rest) {
      parser.write(rest);
      if (error) throw error;
      yield events;
    }
  }

  const m = new Module(target);
  m.filename = target;
  m.loaded = true;
  m.exports = parseSax;
  require.cache[target] = m;
}
