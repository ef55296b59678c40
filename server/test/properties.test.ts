/**
 * Property-based tests over every JSON endpoint, generated from the zod
 * schemas as the OpenAPI document publishes them (the same schemas that
 * validate the requests).
 *
 * For each route: payloads that fit the schema, payloads with hostile or
 * out-of-bounds values at random places, fully random JSON and broken JSON
 * text, with path ids of real demo records or random strings. Two properties:
 *   1. the answer is never a 5xx, an error is JSON in the one error shape, and
 *      no answer carries a stack trace, a file path or SQL text;
 *   2. a rejected write (4xx on POST/PUT/PATCH/DELETE) changes no row: triggers
 *      on every table count the rows written, and those counts roll back with
 *      the transaction, so a rejected call must leave the count where it was.
 *      A batch of certainly-invalid writes is also checked against an md5 of
 *      every table's content.
 *
 * A fixed seed per route, 20 runs per route as the admin and 5 as a unit
 * officer. When hunting: PROPERTY_SEED and PROPERTY_RUNS change them,
 * PROPERTY_SHRINK=1 shrinks a failure (off by default: the database moves
 * between runs), PROPERTY_DEBUG=1 prints each route's statuses and
 * PROPERTY_DEBUG_FILE=path appends every call and answer to a file. A failure
 * names the route, the request, the answer, the seed and the counterexample.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestContext, type Client, type TestContext } from './helpers';

const SEED = Number(process.env.PROPERTY_SEED ?? 20_240_917);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 20);
const UNIT_RUNS = Math.max(3, Math.round(RUNS / 4));

// ---------------------------------------------------------------------------
// Which routes, and why some are left out

/** A route whose path names a file (.docx, .pdf, .xlsx, .html…) answers a download, not JSON. */
const DOWNLOAD = /\.(?!json$)[a-z]+$/;

/** Routes with an input schema that these properties do not drive, and why (besides DOWNLOAD). */
const SKIPPED: Record<string, string> = {
  'POST /api/v1/orgs/import': 'multipart upload (Excel/CSV); covered by orgs.import.test.ts',
  'POST /api/v1/orgs/{id}/children/import': 'multipart upload (children Excel import, its own work stream and tests)',
  'POST /api/v1/activities/{id}/files': 'multipart upload (evidence photos and documents); covered by activities.test.ts',
  'GET /api/v1/campaigns/{id}/document.docx': 'file download (Word), not a JSON answer',
  'GET /api/v1/campaigns/{id}/document.pdf': 'file download (PDF), not a JSON answer',
  'GET /api/v1/campaigns/{id}/vouchers.html': 'file download (printable HTML vouchers), not a JSON answer',
  'GET /api/v1/campaigns/{id}/signature-list.xlsx': 'file download (Excel), not a JSON answer',
  'GET /api/v1/orgs/{id}/children/template.xlsx': 'file download (Excel template), not a JSON answer',
  'GET /api/v1/orgs/{id}/children/export.xlsx': 'file download (Excel export), not a JSON answer',
  'GET /api/v1/sponsors/{id}/thank-you.docx': 'file download (Word letter), not a JSON answer',
  'GET /api/v1/activity-files/{id}': 'file download (stored evidence file), not a JSON answer',
  'GET /api/v1/activity-files/{id}/thumbnail': 'file download (thumbnail image), not a JSON answer',
  'GET /api/v1/campaigns/{id}/consolidated.xlsx': 'file download (Excel), not a JSON answer',
  'GET /api/v1/campaigns/{id}/consolidated.docx': 'file download (Word), not a JSON answer',
};

/** Routes without a body, querystring or params schema: nothing to derive payloads from. */
const NO_INPUT: Record<string, string> = {
  'GET /api/v1/openapi.json': 'the API description itself',
  'GET /api/v1/health': 'liveness probe',
  'POST /api/v1/auth/logout': 'would end the session that drives the test',
  'POST /api/v1/auth/logout-all': 'would end the session that drives the test',
  'GET /api/v1/auth/me': 'no input',
  'POST /api/v1/auth/totp/setup': 'no input',
  'GET /api/v1/orgs/import/template': 'file download without input',
};

/** Writes that end or move demo records: run last, so the other routes meet the demo data whole. */
const DESTRUCTIVE = /(?:\/(?:move|merge|dissolve|close|erase)$)|^DELETE /;

// ---------------------------------------------------------------------------
// JSON Schema (OpenAPI 3.0 flavour, as fastify-type-provider-zod writes it) → arbitraries

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  nullable?: boolean;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  default?: unknown;
}

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** A number literal JSON.stringify cannot write (-0, 1e400, 2^53 + 1 as typed): sent as written. */
class RawNumber {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `${RAW_MARK}${this.text}${RAW_MARK}`;
  }
  toString(): string {
    return this.text;
  }
}
const RAW_MARK = '\u0001raw\u0001';
const RAW_RE = /"\\u0001raw\\u0001(.*?)\\u0001raw\\u0001"/g;

/** A path segment sent as written, not encoded: malformed escapes, dot segments. */
class RawSegment {
  constructor(readonly text: string) {}
}
const RAW_SEGMENTS = ['%', '%E0%A4%A', '%ZZ', '%00', '%2F', '..', '.', '%2e%2e', ';x', 'a%20b', '%C0%AE'].map((t) => new RawSegment(t));

/** A request body sent as this exact text. */
class RawBody {
  constructor(readonly text: string) {}
}
const NO_BODY = Symbol('no body');
type Body = unknown | RawBody | typeof NO_BODY;

function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(RAW_RE, '$1');
}

/** An own enumerable key, even "__proto__", as JSON.parse would make it. */
function withOwnKeys(target: Record<string, unknown>, extra: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of extra) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

function nested(depth: number, leaf: unknown, array: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = array ? [v] : { a: v };
  return v;
}

const VIET = 'Nguyễn Thị Hồng Nhung, Trường THCS Gia Thụy, quận Long Biên — Tết Trung thu';
const HOSTILE_STRINGS: string[] = [
  '',
  ' ',
  ' \t\n\r ',
  VIET,
  VIET.normalize('NFD'),
  'ĐẶNG THỊ ÁNH TUYẾT'.normalize('NFD'),
  'Nguyễn'.normalize('NFD') + 'Nguyễn',
  '\u0000',
  'tên\u0000ẩn',
  '\u0001\u0002\u0003\u001b[31m\u007f\u0085\u009f',
  '\u200b\u200d\ufeff\u2028\u2029',
  '\u202eevil.exe',
  '\ud800',
  'a\udfffb\ud83d',
  '👨‍👩‍👧‍👦🏮🥮',
  "=cmd|' /C calc'!A0",
  "+SUM(1+1)*cmd|' /C calc'!A0",
  '@SUM(1+1)',
  '-2+3',
  '\t=HYPERLINK("http://x")',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  "'; drop table orgs; --",
  "' or '1'='1",
  '\\',
  '%',
  '%00',
  '%s%n%x%d',
  '${7*7}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '0x1F',
  '1e309',
  '99999999999999999999999999999999',
  ' 1 ',
  '1,5',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '2024-02-30',
  '2023-02-29',
  '0000-00-00',
  '0001-01-01',
  '9999-12-31',
  '2024-13-01',
  '2024-2-3',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '00000000-0000-0000-0000-00000000000g',
  'a'.repeat(256),
  'a'.repeat(10_001),
  'ắ'.repeat(5_001),
  'x'.repeat(200_000),
];

const HOSTILE_NUMBERS: unknown[] = [
  0,
  -1,
  1.5,
  -2147483649,
  -2147483648,
  2147483647,
  2147483648,
  4294967296,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  new RawNumber('-0'),
  new RawNumber('1e400'),
  new RawNumber('-1e400'),
  new RawNumber('1e-400'),
  new RawNumber('9007199254740993'),
  new RawNumber('123456789012345678901234567890'),
  new RawNumber('1.0000000000000002'),
  new RawNumber('2e0'),
];

const HOSTILE_OTHER: unknown[] = [
  null,
  true,
  false,
  [],
  {},
  [null],
  [[]],
  { '': '' },
  withOwnKeys({}, [['__proto__', { polluted: 'yes' }]]),
  withOwnKeys({}, [['constructor', { prototype: { polluted: 'yes' } }]]),
  { toString: 'x', valueOf: 1, hasOwnProperty: 'no' },
  nested(64, 1, false),
  nested(1_000, 'x', false),
  nested(1_000, 0, true),
  Array.from({ length: 2_000 }, (_, i) => i),
  Array.from({ length: 300 }, () => ({ a: 'b'.repeat(100) })),
];

const hostileValue = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 4 },
  { arbitrary: fc.constantFrom(...HOSTILE_NUMBERS), weight: 2 },
  { arbitrary: fc.constantFrom(...HOSTILE_OTHER), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
);

/** Request bodies that are not JSON, or JSON that a parser should refuse. */
const RAW_BODIES: RawBody[] = [
  '',
  ' ',
  '{',
  '{"a":',
  '[1,]',
  '{"a":1,}',
  "{'a':1}",
  'nul',
  'undefined',
  'NaN',
  '1e99999',
  '"\\u0000"',
  '"\\ud800"',
  '\ufeff{}',
  '{"a":1,"a":2}',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"a":{"__proto__":{"polluted":"yes"}}}',
  '['.repeat(50_000) + ']'.repeat(50_000),
  '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000),
  ' '.repeat(100_000) + '{}',
].map((t) => new RawBody(t));

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/JSON',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
];

const RAW_QUERIES = ['a=%', '%ZZ=1', 'q=%E0%A4%A', 'limit=1&limit=2', 'x[y]=1', '=', '&&&', 'q=%00', `q=${'a'.repeat(5_000)}`, '__proto__=1', 'constructor[prototype][x]=1'];

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const dateBetween = (from: string, to: Date) => fc.date({ min: new Date(`${from}T00:00:00Z`), max: to, noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
/** Mostly recent dates (services refuse most far futures), sometimes any date of the century. */
const isoDate = fc.oneof(
  { arbitrary: dateBetween('2008-01-01', new Date('2027-06-30T00:00:00Z')), weight: 3 },
  { arbitrary: dateBetween('2000-01-01', new Date('2100-12-31T00:00:00Z')), weight: 1 },
);

/** Ids of demo records, by kind, so that payloads reach the services and not only the 404s. */
type Pools = Record<string, (string | number)[]>;

/** Which demo records a property or path segment names. */
function poolFor(name: string): string | null {
  const n = name.toLowerCase();
  if (n.endsWith('orgid') || n.endsWith('orgids') || ['parentid', 'survivorid', 'newparentid'].includes(n)) return 'orgs';
  if (n === 'childid' || n === 'otherchildid') return 'children';
  if (n === 'memberid') return 'members';
  if (n.endsWith('sponsorid')) return 'sponsors';
  if (n === 'pledgeid') return 'pledges';
  if (n === 'receiptid') return 'receipts';
  if (n === 'campaignid' || n === 'implementsid') return 'campaigns';
  if (n === 'userid') return 'users';
  return null;
}

/** The demo records a path parameter names, from the segment before it. */
function pathPool(path: string, param: string): string | null {
  if (param !== 'id') return poolFor(param) ?? (param === 'grantId' ? 'grants' : null);
  const segs = path.split('/');
  const before = segs[segs.indexOf('{id}') - 1] ?? '';
  const bySegment: Record<string, string> = {
    orgs: 'orgs',
    users: 'users',
    campaigns: 'campaigns',
    children: 'children',
    benefits: 'benefits',
    sponsors: 'sponsors',
    activities: 'activities',
    'activity-files': 'activityFiles',
    commendations: 'commendations',
  };
  return bySegment[before] ?? null;
}

class Arbitraries {
  constructor(
    private readonly pools: Pools,
    private readonly components: Record<string, Schema>,
  ) {}

  private resolve(s: Schema): Schema {
    if (!s.$ref) return s;
    const name = s.$ref.split('/').pop()!;
    return this.components[name] ?? {};
  }

  private pool(name: string, type: 'integer' | 'string'): fc.Arbitrary<unknown> | null {
    const kind = poolFor(name);
    const ids = (kind && this.pools[kind]) || [];
    const fit = ids.filter((id) => typeof id === (type === 'integer' ? 'number' : 'string'));
    return fit.length ? fc.constantFrom(...fit) : null;
  }

  /** A value of the schema; with `mutate`, any node may be swapped for a hostile or out-of-bounds one. */
  gen(schema: Schema, name: string, mutate: boolean, depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const base = this.shape(s, name, mutate, depth);
    return mutate ? fc.oneof({ arbitrary: base, weight: 6 }, { arbitrary: this.violating(s, name, depth), weight: 1 }) : base;
  }

  private shape(s: Schema, name: string, mutate: boolean, depth: number): fc.Arbitrary<unknown> {
    if (s.anyOf?.length || s.oneOf?.length) {
      const arbs = (s.anyOf ?? s.oneOf ?? []).map((b) => this.gen(b, name, mutate, depth + 1));
      const one = fc.oneof(...arbs);
      return s.nullable ? fc.oneof({ arbitrary: fc.constant(null), weight: 1 }, { arbitrary: one, weight: 4 }) : one;
    }
    if (s.allOf?.length) return this.gen(s.allOf[0]!, name, mutate, depth + 1);
    const base = this.typed(s, name, mutate, depth);
    return s.nullable ? fc.oneof({ arbitrary: fc.constant(null), weight: 1 }, { arbitrary: base, weight: 4 }) : base;
  }

  private typed(s: Schema, name: string, mutate: boolean, depth: number): fc.Arbitrary<unknown> {
    if (s.const !== undefined) return fc.constant(s.const);
    if (s.enum?.length) return fc.constantFrom(...s.enum);
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    switch (type) {
      case 'string':
        return this.string(s, name);
      case 'integer':
      case 'number':
        return this.number(s, name, type === 'integer');
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const items = this.gen(s.items ?? {}, name, mutate, depth + 1);
        const min = s.minItems ?? 0;
        const max = Math.max(min, Math.min(s.maxItems ?? 4, 4));
        const arbs: fc.Arbitrary<unknown>[] = [fc.array(items, { minLength: min, maxLength: max })];
        if (s.maxItems !== undefined && s.maxItems <= 20 && depth < 2) arbs.push(fc.array(this.gen(s.items ?? {}, name, false, depth + 1), { minLength: s.maxItems, maxLength: s.maxItems }));
        return fc.oneof({ arbitrary: arbs[0]!, weight: 5 }, ...arbs.slice(1).map((a) => ({ arbitrary: a, weight: 1 })));
      }
      case 'object':
        return this.object(s, mutate, depth);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private string(s: Schema, name: string): fc.Arbitrary<unknown> {
    const min = s.minLength ?? 0;
    const max = s.maxLength ?? 120;
    const fits = (v: string) => v.length >= min && v.length <= max;
    const options: fc.Arbitrary<unknown>[] = [];
    if (s.format === 'uuid') {
      const ids = this.pool(name, 'string');
      if (ids) options.push(ids, ids);
      options.push(fc.uuid());
      if (!ids) {
        const all = Object.values(this.pools).flat().filter((v): v is string => typeof v === 'string');
        if (all.length) options.push(fc.constantFrom(...all));
      }
      return fc.oneof(...options);
    }
    if (s.format === 'email' || /^e-?mails?$/i.test(name)) {
      const plain = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,15}$/), fc.constantFrom('lantern.test', 'congdoan.vn', 'gmail.com')).map(([l, d]) => `${l}@${d}`);
      return fc.oneof({ arbitrary: plain.filter(fits), weight: 4 }, { arbitrary: fc.emailAddress().filter(fits), weight: 1 }, { arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 40) }), weight: 1 });
    }
    if (s.format === 'date-time') return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    if (s.format === 'uri') return fc.webUrl().filter(fits);
    if (s.pattern === DATE_PATTERN) return fc.oneof({ arbitrary: isoDate, weight: 4 }, { arbitrary: fc.stringMatching(new RegExp(s.pattern)), weight: 1 });
    if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter(fits);
    const cap = Math.min(max, 40);
    options.push(fc.string({ minLength: min, maxLength: cap }), fc.string({ minLength: min, maxLength: cap, unit: 'grapheme' }));
    // Vietnamese in both normal forms, and strings of exactly the bounds.
    const samples = [VIET, VIET.normalize('NFD'), 'Tết Trung thu', 'Quỹ'.normalize('NFD'), 'a'.repeat(max), 'ờ'.repeat(max), 'a'.repeat(Math.max(min, 1))].filter(fits);
    if (samples.length) options.push(fc.constantFrom(...samples));
    return fc.oneof(...options);
  }

  private number(s: Schema, name: string, integer: boolean): fc.Arbitrary<unknown> {
    const [min, max] = bounds(s, integer);
    if (!integer) return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    const options: fc.Arbitrary<unknown>[] = [fc.integer({ min, max }), fc.constantFrom(min, max)];
    const ids = this.pool(name, 'integer');
    if (ids) options.push(ids, ids);
    return fc.oneof(...options);
  }

  /** An object of the schema's keys, never null nor swapped whole (a querystring is always a set of keys). */
  objectOf(s: Schema, mutate: boolean, depth = 0): fc.Arbitrary<Record<string, unknown>> {
    return this.object(s, mutate, depth);
  }

  private object(s: Schema, mutate: boolean, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const props = s.properties ?? {};
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, v] of Object.entries(props)) model[k] = this.gen(v, k, mutate, depth + 1);
    const required = (s.required ?? []).filter((k) => k in props);
    let arb: fc.Arbitrary<Record<string, unknown>> = fc.record(model, { requiredKeys: required }) as fc.Arbitrary<Record<string, unknown>>;
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), this.gen(s.additionalProperties, '', mutate, depth + 1), { maxKeys: 4 });
      arb = fc.tuple(arb, extra).map(([o, e]) => ({ ...e, ...o }));
    }
    return arb;
  }

  /** Out of bounds for this schema, the wrong type, or plainly hostile. */
  violating(schema: Schema, name: string, depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const specific: unknown[] = [];
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    if (s.enum?.length) {
      const first = String(s.enum[0]);
      specific.push(first.toUpperCase(), ` ${first}`, `${first}\u0000`, first.normalize('NFD') + 'x', s.enum);
    }
    if (type === 'string') {
      if (s.minLength) specific.push('a'.repeat(s.minLength - 1));
      if (s.maxLength !== undefined) specific.push('a'.repeat(s.maxLength + 1), 'ắ'.repeat(s.maxLength + 1), ' '.repeat(s.maxLength + 1));
      specific.push(42, ['a'], { a: 'b' });
    }
    if (type === 'integer' || type === 'number') {
      const [min, max] = bounds(s, type === 'integer');
      specific.push(min - 1, max + 1, max * 2, min + 0.5, String(min), `${max}`, new RawNumber(`${max}0`), new RawNumber('-0'));
    }
    if (type === 'array') {
      specific.push({ 0: 'a' }, 'a,b');
      if (s.maxItems !== undefined && s.maxItems < 1_000) specific.push(Array.from({ length: s.maxItems + 1 }, () => null));
    }
    const options: fc.Arbitrary<unknown>[] = [hostileValue];
    if (specific.length) options.push(fc.constantFrom(...specific));
    if (type === 'array' && s.maxItems !== undefined && s.maxItems <= 60 && depth < 2) {
      options.push(fc.array(this.gen(s.items ?? {}, name, false, depth + 1), { minLength: s.maxItems + 1, maxLength: s.maxItems + 1 }));
    }
    if (type === 'object' && s.properties) {
      const valid = this.objectOf(s, false, depth + 1);
      const hostileKeys = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ' ', 'a'.repeat(300), '$where', 'id'), fc.string({ maxLength: 10 }));
      // Every required key dropped in turn, and unknown or dangerous keys added.
      const required = s.required ?? [];
      if (required.length) options.push(fc.tuple(valid, fc.constantFrom(...required)).map(([o, k]) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== k))));
      options.push(fc.tuple(valid, fc.array(fc.tuple(hostileKeys, hostileValue), { minLength: 1, maxLength: 3 })).map(([o, extra]) => withOwnKeys(o, extra)));
    }
    return fc.oneof(...options);
  }
}

function bounds(s: Schema, integer: boolean): [number, number] {
  let min = s.minimum ?? -Number.MAX_SAFE_INTEGER;
  let max = s.maximum ?? Number.MAX_SAFE_INTEGER;
  const step = integer ? 1 : Number.EPSILON;
  if (s.exclusiveMinimum === true) min += step;
  else if (typeof s.exclusiveMinimum === 'number') min = s.exclusiveMinimum + step;
  if (s.exclusiveMaximum === true) max -= step;
  else if (typeof s.exclusiveMaximum === 'number') max = s.exclusiveMaximum - step;
  min = Math.max(min, -Number.MAX_SAFE_INTEGER);
  max = Math.min(max, Number.MAX_SAFE_INTEGER);
  return integer ? [Math.ceil(min), Math.floor(max)] : [min, max];
}

// ---------------------------------------------------------------------------
// Requests

interface Route {
  key: string;
  method: string;
  path: string;
  params: Parameter[];
  query: Parameter[];
  body: Schema | null;
  write: boolean;
}

interface Call {
  params: Record<string, unknown>;
  query: Record<string, unknown> | string;
  body: Body;
  contentType: string;
}

/** encodeURIComponent that does not throw on lone surrogates. */
function enc(v: unknown): string {
  const s = typeof v === 'string' ? v : typeof v === 'object' && v !== null && !(v instanceof RawNumber) ? JSON.stringify(v) : String(v ?? '');
  return encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

function urlOf(route: Route, call: Call): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, p: string) => {
    const v = call.params[p];
    return v instanceof RawSegment ? v.text : enc(v);
  });
  let qs: string;
  if (typeof call.query === 'string') qs = call.query;
  else {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(call.query)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) && v.length ? v : [v]) parts.push(`${enc(k)}=${enc(one)}`);
    }
    qs = parts.join('&');
  }
  return qs ? `${path}?${qs}` : path;
}

function describeCall(route: Route, call: Call): string {
  const body = call.body === NO_BODY ? '(none)' : call.body instanceof RawBody ? `raw ${JSON.stringify(call.body.text.slice(0, 200))}` : jsonText(call.body).slice(0, 500);
  return `${route.method} ${urlOf(route, call).slice(0, 300)} [${call.contentType}] body=${body}`;
}

// ---------------------------------------------------------------------------
// What every answer must look like

const STACK_PATTERNS: [RegExp, string][] = [
  [/node_modules/, 'a node_modules path'],
  [/\n\s+at\s/, 'a stack frame'],
  [/\bat\s+\S+\s+\((?:\/|file:|node:|[A-Za-z]:\\)/, 'a stack frame'],
  [/(?:^|[\s("'])(?:\/[\w.-]+)+\.(?:ts|js|mjs|cjs)(?::\d+)?/, 'a source file path'],
  [/\b(?:Type|Reference|Range|Syntax|Drizzle\w*|Database|Postgres\w*)?Error: /, 'an exception message'],
];
/** Database text in an error: drizzle's "Failed query", quoted identifiers in SQL, PostgreSQL's own messages. */
const SQL_PATTERNS: [RegExp, string][] = [
  [/Failed query|\bselect\s[^]*\sfrom\s+"\w+"|insert into\s+"\w+"|update\s+"\w+"\s+set\b|delete from\s+"\w+"/i, 'SQL text'],
  [/violates|duplicate key|syntax error at|relation "|column "|invalid input syntax|out of range for type|invalid byte sequence|unsupported Unicode escape/i, 'a database error'],
];

interface Answer {
  status: number;
  type: string;
  text: string;
}

function checkAnswer(answer: Answer, what: string): void {
  if (answer.status >= 500) throw new Error(`${answer.status} for ${what}: ${answer.text.slice(0, 500)}`);
  for (const [re, label] of STACK_PATTERNS) {
    if (re.test(answer.text)) throw new Error(`answer carries ${label} (${answer.status}) for ${what}: ${answer.text.slice(0, 500)}`);
  }
  if (answer.status < 400) return;
  for (const [re, label] of SQL_PATTERNS) {
    if (re.test(answer.text)) throw new Error(`error carries ${label} (${answer.status}) for ${what}: ${answer.text.slice(0, 500)}`);
  }
  if (!answer.type.includes('application/json')) throw new Error(`${answer.status} is ${answer.type || 'untyped'}, not JSON, for ${what}`);
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new Error(`${answer.status} says JSON but is not, for ${what}: ${answer.text.slice(0, 300)}`);
  }
  const shapeError = errorShapeProblem(body);
  if (shapeError) throw new Error(`${answer.status} not in the error shape (${shapeError}) for ${what}: ${answer.text.slice(0, 500)}`);
}

/** The one error shape of server/lib/http/errors.ts, exactly: { error: { code, message, fields? } }. */
function errorShapeProblem(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'not an object';
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'error') return `top-level keys ${keys.join(',')}`;
  const error = (body as { error: unknown }).error as Record<string, unknown>;
  if (!error || typeof error !== 'object') return 'error is not an object';
  const extra = Object.keys(error).filter((k) => !['code', 'message', 'fields'].includes(k));
  if (extra.length) return `unexpected keys ${extra.join(',')}`;
  if (typeof error.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(error.code)) return `code ${String(error.code)}`;
  if (typeof error.message !== 'string' || !error.message) return 'empty message';
  if (error.fields !== undefined) {
    if (!error.fields || typeof error.fields !== 'object') return 'fields is not an object';
    if (Object.values(error.fields).some((v) => typeof v !== 'string')) return 'a field message is not a string';
  }
  return null;
}

// ---------------------------------------------------------------------------

// The context is opened while the file is collected: the route list comes from its OpenAPI document.

const t: TestContext = await createTestContext();
/** Payloads sent, printed at the end. */
const tried = { payloads: 0, routes: new Set<string>() };
afterAll(async () => {
  console.log(`property tests: ${tried.payloads} payloads on ${tried.routes.size} JSON routes (each checked: no 5xx, no stack trace, a refused write changes nothing)`);
  await t.close();
});
const admin: Client = await t.signIn('admin@lantern.test');
const unit: Client = await t.signIn('cdcs1@lantern.test');
const doc = (await admin.get('/api/v1/openapi.json')).body as OpenApi;

async function ids(sqlText: string): Promise<(string | number)[]> {
  const res = await t.database.executeSql(sqlText);
  return res.rows.map((r) => r.id as string | number);
}

const keepUsers = `(select id from users where email in ('admin@lantern.test', 'cdcs1@lantern.test'))`;
const rootOrgId = Number((await t.database.executeSql(`select id from orgs where code = 'HN'`)).rows[0]!.id);
const pools: Pools = {
  orgs: await ids(`select id from orgs order by (code in ('HN', 'HN-LB', 'LB-THCS-GT')) desc, id limit 12`),
  // The two accounts that drive the test keep their grants and their status.
  users: await ids(`select id from users where id not in ${keepUsers} order by email`),
  grants: await ids(`select id from role_grants where user_id not in ${keepUsers} order by id`),
  campaigns: await ids(`select id from campaigns order by id`),
  children: await ids(`select id from children order by id limit 8`),
  members: await ids(`select id from members order by id limit 8`),
  benefits: await ids(`select id from benefits order by id limit 8`),
  sponsors: await ids(`select id from sponsors order by id`),
  pledges: await ids(`select id from pledges order by id`),
  receipts: await ids(`select id from receipts order by id`),
  activities: await ids(`select id from activities order by id limit 8`),
  activityFiles: await ids(`select id from activity_files order by id limit 8`),
  commendations: await ids(`select id from commendations order by id`),
};
const arbs = new Arbitraries(pools, doc.components?.schemas ?? {});

const routes: Route[] = [];
for (const [path, ops] of Object.entries(doc.paths)) {
  for (const [m, op] of Object.entries(ops)) {
    const method = m.toUpperCase();
    const cleanPath = path.length > 1 ? path.replace(/\/$/, '') : path;
    const key = `${method} ${cleanPath}`;
    if (SKIPPED[key] || DOWNLOAD.test(cleanPath)) continue;
    const params = (op.parameters ?? []).filter((p) => p.in === 'path');
    const query = (op.parameters ?? []).filter((p) => p.in === 'query');
    const json = op.requestBody?.content['application/json'];
    if (!params.length && !query.length && !json) continue;
    routes.push({ key, method, path: cleanPath, params, query, body: json?.schema ?? null, write: method !== 'GET' });
  }
}
const rank = (r: Route) => (!r.write ? 0 : DESTRUCTIVE.test(r.key) ? 2 : 1);
routes.sort((a, b) => rank(a) - rank(b));

// ---------------------------------------------------------------------------
// "A rejected write changes nothing": a row-write counter kept by triggers

/** Tables a request may touch without writing anything of the business: the session's last-seen time. */
const UNCOUNTED_TABLES = ['sessions'];

async function installWriteCounter(): Promise<string[]> {
  const res = await t.database.executeSql(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`);
  const tables = res.rows.map((r) => String(r.table_name)).filter((n) => !UNCOUNTED_TABLES.includes(n));
  await t.database.executeSql(`
    create table property_test_writes (seq bigserial primary key, tbl text not null);
    create function property_test_count() returns trigger language plpgsql as $$
    begin
      insert into property_test_writes (tbl) values (TG_TABLE_NAME);
      return null;
    end $$;`);
  for (const table of tables) {
    await t.database.executeSql(`
      create trigger property_test_rows after insert or update or delete on "${table}" for each row execute function property_test_count();
      create trigger property_test_truncate after truncate on "${table}" for each statement execute function property_test_count();`);
  }
  return tables;
}
const counted = await installWriteCounter();

/** Row writes so far; the counter's rows roll back with the transaction that wrote them. */
async function writeMark(): Promise<number> {
  const res = await t.database.executeSql('select coalesce(max(seq), 0)::int as m from property_test_writes');
  return Number(res.rows[0]!.m);
}

/** Rows written since the mark, by table: "users: 1, audit_log: 1"; "" when none. */
async function writesSince(mark: number): Promise<string> {
  const res = await t.database.executeSql('select tbl, count(*)::int as n from property_test_writes where seq > $1 group by tbl order by tbl', [mark]);
  return res.rows.map((r) => `${String(r.tbl)}: ${String(r.n)}`).join(', ');
}

/** Refusals that write by design, and where. */
const REJECTION_WRITES: Record<string, { tables: string[]; why: string }> = {
  'POST /api/v1/auth/login': { tables: ['users'], why: 'a failed sign-in on an existing account counts toward the lockout' },
};

function writesAllowed(routeKey: string, written: string): boolean {
  const allowed = REJECTION_WRITES[routeKey]?.tables ?? [];
  return written.split(', ').every((entry) => allowed.includes(entry.split(':')[0]!));
}

/** md5 of every counted table's content, row by row, in a stable order. */
async function contentChecksum(): Promise<string> {
  const parts = counted.map((n) => `select '${n}' as t, count(*)::int as n, coalesce(md5(string_agg(md5(x::text), '' order by md5(x::text))), '') as h from "${n}" x`);
  const res = await t.database.executeSql(`select string_agg(t || ':' || n || ':' || h, ',' order by t) as sum from (${parts.join(' union all ')}) s`);
  return String(res.rows[0]!.sum);
}

// ---------------------------------------------------------------------------

let requestCount = 0;
async function send(client: Client, route: Route, call: Call): Promise<Answer> {
  const headers: Record<string, string> = { cookie: client.cookie };
  if (route.method !== 'GET') headers['x-csrf-token'] = client.csrfToken;
  let payload: string | undefined;
  if (call.body !== NO_BODY) {
    payload = call.body instanceof RawBody ? call.body.text : jsonText(call.body);
    headers['content-type'] = call.contentType;
  }
  // Each call from its own loopback address: the per-address rate limits would otherwise answer 429 to most of a run.
  const n = ++requestCount;
  const remoteAddress = `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  const res = await t.app.inject({ method: route.method as 'GET', url: urlOf(route, call), headers, payload, remoteAddress });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), text: res.body };
}

function callArbitrary(route: Route, avoidOrgs: number[]): fc.Arbitrary<Call> {
  const params: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of route.params) {
    const kind = pathPool(route.path, p.name);
    const known = ((kind && pools[kind]) || []).filter((id) => kind !== 'orgs' || !avoidOrgs.includes(id as number));
    const options: { arbitrary: fc.Arbitrary<unknown>; weight: number }[] = [
      { arbitrary: arbs.gen(p.schema, p.name, false), weight: 2 },
      { arbitrary: fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 20_000), ...HOSTILE_NUMBERS), weight: 1 },
      { arbitrary: fc.string({ maxLength: 30, unit: 'binary' }), weight: 1 },
      { arbitrary: fc.constantFrom(...RAW_SEGMENTS), weight: 1 },
    ];
    if (known.length) options.push({ arbitrary: fc.constantFrom(...known), weight: 8 });
    params[p.name] = fc.oneof(...options);
  }
  let query: fc.Arbitrary<Record<string, unknown> | string> = fc.constant({});
  if (route.query.length) {
    const schema: Schema = {
      type: 'object',
      properties: Object.fromEntries(route.query.map((p) => [p.name, p.schema])),
      required: route.query.filter((p) => p.required).map((p) => p.name),
    };
    query = fc.oneof(
      { arbitrary: arbs.objectOf(schema, false), weight: 3 },
      { arbitrary: arbs.objectOf(schema, true), weight: 4 },
      { arbitrary: fc.dictionary(fc.constantFrom(...route.query.map((p) => p.name), 'x'), hostileValue, { maxKeys: 3 }), weight: 1 },
      { arbitrary: fc.constantFrom(...RAW_QUERIES), weight: 1 },
    );
  }
  let body: fc.Arbitrary<Body>;
  if (route.body) {
    body = fc.oneof(
      { arbitrary: arbs.gen(route.body, '', false), weight: 3 },
      { arbitrary: arbs.gen(route.body, '', true), weight: 5 },
      { arbitrary: arbs.violating(route.body, ''), weight: 1 },
      { arbitrary: fc.jsonValue(), weight: 1 },
      { arbitrary: fc.constantFrom<Body>(...RAW_BODIES, NO_BODY), weight: 1 },
    );
  } else if (route.method === 'GET') {
    body = fc.constant(NO_BODY);
  } else {
    body = fc.oneof({ arbitrary: fc.constant<Body>(NO_BODY), weight: 4 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 }, { arbitrary: fc.constantFrom<Body>(...RAW_BODIES), weight: 1 });
  }
  const contentType = fc.oneof({ arbitrary: fc.constant('application/json'), weight: 12 }, { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 1 });
  return fc.record({ params: fc.record(params), query, body, contentType }) as fc.Arbitrary<Call>;
}

function routeSeed(key: string): number {
  let h = SEED | 0;
  for (const ch of key) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

/** Both properties over `numRuns` generated calls of one route. */
async function runRoute(client: Client, route: Route, numRuns: number, avoidOrgs: number[] = []): Promise<void> {
  const statuses: Record<number, number> = {};
  await fc.assert(
    fc.asyncProperty(callArbitrary(route, avoidOrgs), async (call) => {
      const what = describeCall(route, call);
      const before = route.write ? await writeMark() : 0;
      const answer = await send(client, route, call);
      tried.payloads++;
      tried.routes.add(route.key);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (process.env.PROPERTY_DEBUG_FILE) appendFileSync(process.env.PROPERTY_DEBUG_FILE, `${answer.status} ${what.slice(0, 400)} => ${answer.text.slice(0, 300)}\n`);
      checkAnswer(answer, what);
      if (route.write && answer.status >= 400) {
        const after = await writeMark();
        const written = after === before ? '' : await writesSince(before);
        if (written && !writesAllowed(route.key, written)) throw new Error(`rejected write (${answer.status}) changed rows (${written}) for ${what}: ${answer.text.slice(0, 300)}`);
      }
    }),
    // Each route its own fixed seed; no shrinking unless asked (PROPERTY_SHRINK=1): the database moves between runs.
    { seed: routeSeed(route.key), numRuns, endOnFailure: !process.env.PROPERTY_SHRINK },
  );
  if (process.env.PROPERTY_DEBUG) console.error(`${route.key} ${JSON.stringify(statuses)}`);
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').toBeUndefined();
}

const openapiKey = (r: { method: string; url: string }) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '')}`;

it('every JSON route is driven here or listed with a reason', () => {
  const table = t.app.routeTable.map(openapiKey);
  const covered = new Set(routes.map((r) => r.key));
  expect(table.filter((k) => !covered.has(k) && !SKIPPED[k] && !NO_INPUT[k] && !DOWNLOAD.test(k))).toEqual([]);
  for (const k of [...Object.keys(SKIPPED), ...Object.keys(NO_INPUT)]) expect(table, k).toContain(k);
  expect(routes.length).toBeGreaterThan(80);
});

it('the write counter sees a refusal that writes by design: a failed sign-in counts on the account', async () => {
  const mark = await writeMark();
  const res = await t.anonymous().post('/api/v1/auth/login', { email: 'kiemtra@lantern.test', password: 'not the password' });
  expect(res.status).toBe(401);
  expect(await writesSince(mark)).toBe('users: 1');
  expect(writesAllowed('POST /api/v1/auth/login', 'users: 1')).toBe(true);
  expect(writesAllowed('POST /api/v1/orgs', 'users: 1')).toBe(false);
});

it('a batch of certainly-invalid writes to every write route: all 4xx, not one row written, same content md5', async () => {
  const before = await contentChecksum();
  const mark = await writeMark();
  let sent = 0;
  for (const route of routes.filter((r) => r.write)) {
    const realParams = Object.fromEntries(route.params.map((p) => [p.name, (pools[pathPool(route.path, p.name) ?? ''] ?? [])[0] ?? 1]));
    const calls: Call[] = [
      { params: realParams, query: {}, body: new RawBody('{"broken":'), contentType: 'application/json' },
      { params: realParams, query: {}, body: new RawBody('{"__proto__":{"polluted":"yes"}}'), contentType: 'application/json' },
    ];
    if (route.params.length) calls.push({ params: Object.fromEntries(route.params.map((p) => [p.name, 'not-an-id'])), query: {}, body: {}, contentType: 'application/json' });
    if (route.body) calls.push({ params: realParams, query: {}, body: 'a string, not an object', contentType: 'application/json' });
    for (const call of calls) {
      const what = describeCall(route, call);
      const answer = await send(admin, route, call);
      tried.payloads++;
      tried.routes.add(route.key);
      checkAnswer(answer, what);
      expect(answer.status, what).toBeGreaterThanOrEqual(400);
      sent++;
    }
  }
  expect(sent).toBeGreaterThan(150);
  expect(await writesSince(mark)).toBe('');
  expect(await contentChecksum()).toBe(before);
});

describe('a unit officer (in English): random and boundary payloads on every JSON route', () => {
  it('never a 5xx or a stack trace; rejected writes change nothing', async () => {
    expect((await unit.patch('/api/v1/auth/me', { locale: 'en' })).status).toBe(200);
    const failures: string[] = [];
    for (const route of routes) {
      try {
        await runRoute(unit, route, UNIT_RUNS, [rootOrgId]);
      } catch (err) {
        failures.push(`${route.key}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('the admin: random and boundary payloads on every JSON route', () => {
  // One test per route, so that a failure names its route: reads, then writes, then the writes that end records.
  for (const route of routes) {
    it(route.key, async () => {
      await runRoute(admin, route, RUNS, DESTRUCTIVE.test(route.key) ? [rootOrgId] : []);
    });
  }
});
