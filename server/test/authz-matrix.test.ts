/**
 * The authorisation matrix: every non-public route of the route table, for
 * every kind of caller, against a record inside and a record outside the
 * caller's subtree. A route added without an entry here fails the first test.
 *
 * Callers (demo accounts): a viewer and a federation officer of Long Biên, a
 * unit officer of one Long Biên union (THCS Gia Thụy), the federation officer
 * of Hoàn Kiếm (outside Long Biên), and the city administrator.
 *
 * Records live in three "sites", built once in beforeAll:
 *  - GT: the union LB-THCS-GT under HN-LB;
 *  - HK: the union HK-THCS-TV under HN-HK;
 *  - DG: outside the unit officer's union: the sibling union LB-BV-DG's own
 *    records, and for plan- and district-level records Hoàn Kiếm's (every
 *    Long Biên plan is addressed to the officer's union, so none is outside).
 * A route about a plan as a whole uses the site's plan (Plan 45 of Long Biên,
 * or a plan of Hoàn Kiếm made here); a route about a union within a plan uses
 * the city's Plan 41, which is addressed to both districts: the plan is
 * visible to every caller, only the union is inside or outside.
 * Inside / outside per caller: viewer, district officer and administrator
 * GT / HK, unit officer GT / DG, Hoàn Kiếm's officer HK / GT. The
 * administrator sits above both, so both of its cases are inside.
 *
 * Outcomes: a status per caller and case. Outside the subtree a record is
 * "not found" (404) by design; a permission the role lacks is 403 at the
 * guard. A write that changes state first creates (as the administrator) the
 * record it acts on, so every call is judged on its own. `more` holds further
 * cases of a route: a record outside the subtree named in the body, an id no
 * unit can have.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../../common/permissions';
import { signVoucherToken } from '../modules/benefits/voucher.token';
import { createTestContext, type Client, type Reply, type TestContext } from './helpers';

// ------------------------------------------------------------------ callers and sites

const ACTORS = {
  viewer: { email: 'kiemtra@lantern.test', role: 'viewer', home: 'HN-LB' },
  unit: { email: 'cdcs1@lantern.test', role: 'unit_officer', home: 'LB-THCS-GT' },
  district: { email: 'longbien@lantern.test', role: 'federation_officer', home: 'HN-LB' },
  outsider: { email: 'hoankiem@lantern.test', role: 'federation_officer', home: 'HN-HK' },
  admin: { email: 'admin@lantern.test', role: 'admin', home: 'HN' },
} as const satisfies Record<string, { email: string; role: Role; home: string }>;
type Actor = keyof typeof ACTORS;
const ACTOR_KEYS = Object.keys(ACTORS) as Actor[];

type SiteName = 'GT' | 'DG' | 'HK';
/** The site of the record inside, then outside, each caller's subtree. */
const SITES_OF: Record<Actor, readonly [SiteName, SiteName]> = {
  viewer: ['GT', 'HK'],
  unit: ['GT', 'DG'],
  district: ['GT', 'HK'],
  outsider: ['HK', 'GT'],
  admin: ['GT', 'HK'],
};

/** The records of one site. */
interface Site {
  name: SiteName;
  /** A grassroots union, and its code. */
  org: number;
  orgCode: string;
  /** The district whose officers write district-level records for the site (plans, transfers, new units). */
  district: number;
  districtCode: string;
  /** A plan, for routes about a plan as a whole. */
  plan: string;
  /** The plan the union takes part in, for routes about the union within a plan. */
  unitPlan: string;
  child: string;
  child2: string;
  /** Another record of `child` (same name and date of birth) in another union: a pair that may be ruled "not the same child". */
  twin: string;
  /** A planned benefit, and an approved one whose voucher is scanned. */
  benefit: string;
  voucher: string;
  /** A sponsor of the union with money received, and one with none. */
  sponsor: string;
  emptySponsor: string;
  pledge: string;
  activity: string;
  file: string;
  commendation: string;
  /** A viewer account of the union. */
  user: string;
  userEmail: string;
}

// ------------------------------------------------------------------ the matrix's vocabulary

/** An exact status, or any of several. */
type Outcome = number | readonly number[];
/** Per caller: [record inside the subtree, record outside it]. */
type Expect = Record<Actor, readonly [Outcome, Outcome]>;

interface Req {
  /** Values for the :params of the route's path. */
  params?: Record<string, string | number>;
  query?: Record<string, string | number>;
  body?: unknown;
  /** A multipart file (field "file"), instead of a JSON body. */
  upload?: { name: string; content: Buffer };
}

interface Entry {
  /** The request about a record of site `s`; it may first create (as the administrator) the record it changes. */
  req: (s: Site) => Req | Promise<Req>;
  expect: Expect;
  /** The route is about the caller's own account or no unit at all: one case per caller (the first of `expect`). */
  noRecord?: true;
  /** A list: the ids of the units its rows belong to, each checked against the caller's subtree. */
  rows?: (body: any) => number[];
  /** subtree (default): the row's unit is in the caller's subtree; line: in it or above it; own: one of the caller's own units. */
  rowScope?: 'subtree' | 'line' | 'own';
  /** More to check on an allowed answer; `inside`: the site lies in the caller's subtree. A message when wrong. */
  check?: (body: any, inside: boolean) => string | null;
  /** The call needs its own session: fresh (it ends it), all (it ends every session of the caller). */
  session?: 'fresh' | 'all';
  /** Further cases: a record outside the subtree named in the body or the query, an id no unit can have. */
  more?: Extra[];
}

/** One more call of the route, by one caller (rows are checked as for the entry). */
interface Extra {
  what: string;
  as: Actor;
  req: () => Req | Promise<Req>;
  expect: Outcome;
  check?: (body: any) => string | null;
}

/** Every role may read (a record outside the subtree is not found). */
const readers = (ok: Outcome): Expect => ({ viewer: [ok, 404], unit: [ok, 404], district: [ok, 404], outsider: [ok, 404], admin: [ok, ok] });
/** Unit officers, federation officers and administrators write inside their subtree; viewers may not. */
const writers = (ok: Outcome): Expect => ({ viewer: [403, 403], unit: [ok, 404], district: [ok, 404], outsider: [ok, 404], admin: [ok, ok] });
/** Federation officers and administrators only (orgs.write, users.write, campaigns.write, reports.review). */
const officers = (ok: Outcome): Expect => ({ viewer: [403, 403], unit: [403, 403], district: [ok, 404], outsider: [ok, 404], admin: [ok, ok] });
/** The sensitive-data permission (unit officers and administrators), inside the subtree. */
const sensitive = (ok: Outcome): Expect => ({ viewer: [403, 403], unit: [ok, 404], district: [403, 403], outsider: [403, 403], admin: [ok, ok] });
/** Administrators only. */
const adminOnly = (ok: Outcome): Expect => ({ viewer: [403, 403], unit: [403, 403], district: [403, 403], outsider: [403, 403], admin: [ok, ok] });
/** Every signed-in caller (no record involved). */
const everyone = (ok: Outcome): Expect => ({ viewer: [ok, ok], unit: [ok, ok], district: [ok, ok], outsider: [ok, ok], admin: [ok, ok] });

const orgIdsOf = (items: { orgId: number }[]) => items.map((x) => x.orgId);

/** Larger than any unit id (the database's integer range): refused as invalid input (400), never a server error. */
const BEYOND = 2 ** 31;
const beyond = (req: () => Req | Promise<Req>): Extra => ({ what: 'a unit id beyond the integer range', as: 'admin', req, expect: 400 });
/** The Long Biên officer, acting inside Long Biên, names a Hoàn Kiếm record in the body. */
const naming = (what: string, expect: Outcome, req: () => Req | Promise<Req>): Extra => ({ what: `a Long Biên write naming ${what}`, as: 'district', req, expect });

// ------------------------------------------------------------------ state

let t: TestContext;
let dataDir: string;
const clients = {} as Record<Actor, Client>;
const orgs = new Map<string, { id: number; path: string }>();
const sites = {} as Record<SiteName, Site>;
let childTemplate: Buffer;
/** Plan 41 of the city (addressed to both districts), and a draft city plan only the city sees. */
let plan41: string;
let cityDraft: string;
/** The child registered by both GT and DG (a flagged duplicate pair). */
let khang: { gt: string; dg: string };
let counter = 0;
const next = () => ++counter;
/** Years for copies of a plan, one per call (a plan number is unique per issuing unit and year). */
let copyYear = 2040;

const org = (code: string) => {
  const o = orgs.get(code);
  if (!o) throw new Error(`no unit ${code}`);
  return o;
};
const within = (path: string, root: string) => path === root || path.startsWith(`${root}.`);

/** The answer of a set-up call made as the administrator, or a failure naming it. */
async function must<T = any>(what: string, p: Promise<Reply<T>>, status: number): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`set-up "${what}": ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
}
const admin = () => clients.admin;

/**
 * Set while the request is built for a caller whose role lacks the route's
 * permission: the guard refuses it whatever it names, so what a write would
 * act on is not made (a placeholder id stands in).
 */
let refusedAtGuard = false;
const NO_UUID = '00000000-0000-4000-8000-000000000000';

async function png(): Promise<Buffer> {
  const n = next();
  return sharp({ create: { width: 4, height: 4, channels: 3, background: { r: n % 256, g: Math.floor(n / 256) % 256, b: 77 } } })
    .png()
    .toBuffer();
}

// ------------------------------------------------------------------ what a write acts on, made fresh

async function newUnit(parentId: number, kind = 'grassroots'): Promise<number> {
  if (refusedAtGuard) return 1;
  const n = next();
  return (await must('unit', admin().post('/api/v1/orgs', { parentId, code: `AZ-${n}`, name: `Công đoàn thử quyền ${n}`, kind }), 201)).id;
}

/** A new draft plan of the unit (implementing another, when given). */
function planBody(issuingOrgId: number, implementsId: string | null = null) {
  const n = next();
  const body = { issuingOrgId, kind: 'trung_thu', year: 2021, docNumber: `${n}/KH-THU`, place: 'Hà Nội', issueDate: '2021-08-26', title: `Kế hoạch thử quyền ${n}`, subject: 'Thử quyền' };
  return implementsId ? { ...body, implementsId } : body;
}

const childBody = (orgId: number) => ({ orgId, fullName: `Lê Thị Thử ${next()}`, birthDate: '2014-06-01', sex: 'female', parents: [{ fullName: 'Lê Văn Thử', phone: '0988000222' }] });

async function newPlan(issuingOrgId: number): Promise<string> {
  if (refusedAtGuard) return NO_UUID;
  const id = (await must('plan', admin().post('/api/v1/campaigns', planBody(issuingOrgId)), 201)).id as string;
  await must('issue plan', admin().post(`/api/v1/campaigns/${id}/issue`), 200);
  return id;
}

/** A new union of the site's district, added to the site's plan. */
async function newAssignedUnit(s: Site): Promise<number> {
  if (refusedAtGuard) return 1;
  const unit = await newUnit(s.district);
  await must('assign', admin().post(`/api/v1/campaigns/${s.plan}/assignments`, { orgId: unit, reason: 'Đơn vị mới thành lập' }), 201);
  return unit;
}

async function newChild(orgId: number, opts: { withConsent?: boolean; fullName?: string } = {}): Promise<string> {
  if (refusedAtGuard) return NO_UUID;
  const n = next();
  const consent = opts.withConsent ? { parentConsent: { givenBy: `Trần Văn Cha ${n}`, date: '2021-08-28', method: 'paper' } } : {};
  const body = { orgId, fullName: opts.fullName ?? `Trần Minh Thử ${n}`, birthDate: '2015-03-12', sex: 'male', parents: [{ fullName: `Trần Văn Cha ${n}`, phone: '0912000111' }], ...consent };
  return (await must('child', admin().post('/api/v1/children', body), 201)).id;
}

async function newSponsor(orgId: number): Promise<string> {
  return (await must('sponsor', admin().post('/api/v1/sponsors', { orgId, kind: 'organization', name: `Công ty Tài trợ Thử ${next()}` }), 201)).id;
}

async function newPledge(s: Site): Promise<string> {
  if (refusedAtGuard) return NO_UUID;
  const body = { orgId: s.org, sponsorId: s.sponsor, form: 'cash', amount: 2_000_000, pledgedOn: '2021-09-01' };
  return (await must('pledge', admin().post(`/api/v1/campaigns/${s.unitPlan}/funds/pledges`, body), 201)).id;
}

async function newActivity(s: Site): Promise<string> {
  if (refusedAtGuard) return NO_UUID;
  const body = { orgId: s.org, kind: 'communication', channel: 'zalo', title: `Tin nhắn thử quyền ${next()}`, heldOn: '2021-09-15', participants: {}, status: 'held' };
  return (await must('activity', admin().post(`/api/v1/campaigns/${s.unitPlan}/activities`, body), 201)).id;
}

async function newFile(activityId: string): Promise<string> {
  if (refusedAtGuard) return NO_UUID;
  return (await must('file', admin().upload(`/api/v1/activities/${activityId}/files`, 'anh.png', await png()), 201)).id;
}

async function newCommendation(s: Site): Promise<string> {
  if (refusedAtGuard) return NO_UUID;
  const body = { orgId: s.org, subjectKind: 'person', personName: 'Nguyễn Thị Thử', reason: 'Tích cực tổ chức Trung thu' };
  return (await must('commendation', admin().post(`/api/v1/campaigns/${s.unitPlan}/commendations`, body), 201)).id;
}

/** Puts the union's report of its plan in a state: not started, submitted or approved. */
async function reportIn(s: Site, state: 'not_started' | 'submitted' | 'approved'): Promise<void> {
  if (refusedAtGuard) return;
  await t.database.db.execute(sql`delete from reports where campaign_id = ${s.unitPlan}::uuid and org_id = ${s.org}`);
  const base = `/api/v1/campaigns/${s.unitPlan}/reports/${s.org}`;
  if (state === 'not_started') return;
  await must('submit report', admin().post(`${base}/submit`, {}), 200);
  if (state === 'approved') await must('approve report', admin().post(`${base}/approve`), 200);
}

const scalar = async (q: ReturnType<typeof sql>) => (await t.database.db.execute(q)).rows[0] as Record<string, unknown>;

// ------------------------------------------------------------------ the matrix

const MATRIX: Record<string, Entry> = {
  // ---------------------------------------------------------------- own account
  'POST /api/v1/auth/logout': { noRecord: true, session: 'fresh', req: () => ({}), expect: everyone(204) },
  'POST /api/v1/auth/logout-all': { noRecord: true, session: 'all', req: () => ({}), expect: everyone(204) },
  'GET /api/v1/auth/me': { noRecord: true, req: () => ({}), expect: everyone(200) },
  'PATCH /api/v1/auth/me': { noRecord: true, req: () => ({ body: { locale: 'vi' } }), expect: everyone(200) },
  // Allowed, judged by the service: the current password is wrong (422), so nothing changes.
  'POST /api/v1/auth/password': { noRecord: true, req: () => ({ body: { currentPassword: 'khong-dung', newPassword: 'MatKhauMoi@2024' } }), expect: everyone(422) },
  'POST /api/v1/auth/totp/setup': { noRecord: true, req: () => ({}), expect: everyone(200) },
  // Allowed; a made-up code is refused (422).
  'POST /api/v1/auth/totp/enable': { noRecord: true, req: () => ({ body: { code: '000000' } }), expect: everyone(422) },
  // Allowed; the wrong password is refused (422).
  'POST /api/v1/auth/totp/disable': { noRecord: true, req: () => ({ body: { password: 'khong-dung' } }), expect: everyone(422) },

  // ---------------------------------------------------------------- units
  'GET /api/v1/orgs/tree': {
    noRecord: true,
    req: () => ({}),
    expect: everyone(200),
    rows: (b) => {
      const ids: number[] = [];
      const walk = (n: { id: number; children: unknown[] }) => {
        ids.push(n.id);
        for (const c of n.children) walk(c as typeof n);
      };
      walk(b);
      for (const r of b.additionalRoots ?? []) walk(r);
      return ids;
    },
  },
  // A search by the site's code: outside the subtree it finds nothing.
  'GET /api/v1/orgs': {
    req: (s) => ({ query: { q: s.orgCode, status: 'all' } }),
    expect: everyone(200),
    rows: (b) => b.items.map((o: { id: number }) => o.id),
    check: (b, inside) => (inside === b.items.length > 0 ? null : `found ${b.items.length} units`),
  },
  'GET /api/v1/orgs/import/template': { noRecord: true, req: () => ({}), expect: officers(200) },
  // A dry run of one unit under the site's district: valid inside, "parent not found" outside.
  'POST /api/v1/orgs/import': {
    req: async (s) => {
      const n = next();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Don vi');
      ws.addRow(['Mã đơn vị *', 'Tên đơn vị *', 'Tên viết tắt', 'Loại đơn vị *', 'Mã đơn vị cấp trên *', 'Email liên hệ', 'Điện thoại']);
      ws.addRow([`AZ-I${n}`, `Công đoàn nhập thử ${n}`, '', 'Công đoàn cơ sở', s.districtCode, '', '']);
      return { query: { mode: 'dry-run' }, upload: { name: 'don-vi.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) } };
    },
    expect: { ...officers(200), district: [200, 200], outsider: [200, 200] },
    check: (b, inside) => (b.valid === (inside ? 1 : 0) ? null : `valid ${b.valid}, errors ${JSON.stringify(b.errors)}`),
  },
  'GET /api/v1/orgs/:id': { req: (s) => ({ params: { id: s.org } }), expect: readers(200) },
  'GET /api/v1/orgs/:id/history': { req: (s) => ({ params: { id: s.org } }), expect: readers(200) },
  'POST /api/v1/orgs': {
    req: (s) => ({ body: { parentId: s.district, code: `AZ-${next()}`, name: 'Công đoàn thử quyền', kind: 'grassroots' } }),
    expect: officers(201),
    more: [beyond(() => ({ body: { parentId: BEYOND, code: `AZ-${next()}`, name: 'Công đoàn thử quyền', kind: 'grassroots' } }))],
  },
  'PATCH /api/v1/orgs/:id': { req: (s) => ({ params: { id: s.org }, body: { phone: '024 3000 0000' } }), expect: officers(200) },
  'POST /api/v1/orgs/:id/move': {
    req: async (s) => {
      const sector = await newUnit(s.district, 'sector_union');
      return { params: { id: await newUnit(s.district) }, body: { newParentId: sector } };
    },
    expect: officers(200),
    more: [
      naming('a Hoàn Kiếm parent', 404, async () => ({ params: { id: await newUnit(sites.GT.district) }, body: { newParentId: sites.HK.district } })),
      beyond(async () => ({ params: { id: await newUnit(sites.GT.district) }, body: { newParentId: BEYOND } })),
    ],
  },
  'POST /api/v1/orgs/:id/merge': {
    req: async (s) => {
      const survivor = await newUnit(s.district);
      return { params: { id: await newUnit(s.district) }, body: { survivorId: survivor } };
    },
    expect: officers(200),
    more: [
      naming('a Hoàn Kiếm survivor', 404, async () => ({ params: { id: await newUnit(sites.GT.district) }, body: { survivorId: sites.HK.org } })),
      beyond(async () => ({ params: { id: await newUnit(sites.GT.district) }, body: { survivorId: BEYOND } })),
    ],
  },
  'POST /api/v1/orgs/:id/dissolve': { req: async (s) => ({ params: { id: await newUnit(s.district) }, body: { reason: 'Doanh nghiệp giải thể' } }), expect: officers(200) },

  // ---------------------------------------------------------------- accounts
  'GET /api/v1/users': {
    req: (s) => ({ query: { q: s.userEmail } }),
    expect: { ...everyone(200), unit: [403, 403] },
    rows: (b) => b.items.flatMap((u: { grants: { orgId: number }[] }) => (u.grants.length ? u.grants.map((g) => g.orgId) : [0])),
    check: (b, inside) => (inside === b.items.length > 0 ? null : `found ${b.items.length} accounts`),
  },
  'GET /api/v1/users/:id': { req: (s) => ({ params: { id: s.user } }), expect: { ...readers(200), unit: [403, 403] } },
  'POST /api/v1/users': {
    req: (s) => ({ body: { email: `thu-quyen-${next()}@lantern.test`, fullName: 'Người Dùng Thử', role: 'viewer', orgId: s.org } }),
    expect: officers(201),
    more: [beyond(() => ({ body: { email: `thu-quyen-${next()}@lantern.test`, fullName: 'Người Dùng Thử', role: 'viewer', orgId: BEYOND } }))],
  },
  'PATCH /api/v1/users/:id': { req: (s) => ({ params: { id: s.user }, body: { fullName: 'Người Xem Thử' } }), expect: officers(200) },
  'POST /api/v1/users/:id/grants': {
    req: async (s) => {
      await t.database.db.execute(sql`delete from role_grants where user_id = ${s.user}::uuid and org_id = ${s.district}`);
      return { params: { id: s.user }, body: { role: 'viewer', orgId: s.district } };
    },
    expect: officers(201),
    more: [
      naming('a Hoàn Kiếm unit for the role', 404, () => ({ params: { id: sites.GT.user }, body: { role: 'viewer', orgId: sites.HK.org } })),
      beyond(() => ({ params: { id: sites.GT.user }, body: { role: 'viewer', orgId: BEYOND } })),
    ],
  },
  'DELETE /api/v1/users/:id/grants/:grantId': {
    req: async (s) => {
      await t.database.db.execute(sql`insert into role_grants (user_id, org_id, role) values (${s.user}::uuid, ${s.district}, 'viewer') on conflict do nothing`);
      const g = await scalar(sql`select id from role_grants where user_id = ${s.user}::uuid and org_id = ${s.district}`);
      return { params: { id: s.user, grantId: String(g.id) } };
    },
    expect: officers(204),
  },
  'GET /api/v1/audit': {
    noRecord: true,
    req: () => ({ query: { limit: 200 } }),
    expect: adminOnly(200),
    rows: (b) => b.items.map((e: { orgId: number | null }) => e.orgId).filter((x: number | null) => x !== null),
  },
  'GET /api/v1/outbox': { noRecord: true, req: () => ({}), expect: adminOnly(200) },

  // ---------------------------------------------------------------- plans
  // The plans a caller sees: issued in or above the subtree, or addressed into it.
  'GET /api/v1/campaigns': { noRecord: true, req: () => ({ query: { year: 2021 } }), expect: everyone(200), rows: (b) => b.items.map((c: { issuingOrg: { id: number } }) => c.issuingOrg.id), rowScope: 'line' },
  'POST /api/v1/campaigns': {
    req: (s) => ({ body: planBody(s.district) }),
    expect: officers(201),
    more: [
      { what: "implementing the city's plan addressed to it (Plan 41)", as: 'district', req: () => ({ body: planBody(sites.GT.district, plan41) }), expect: 201 },
      // Else the new plan's "implements" would show the hidden plan's number and title.
      { what: 'implementing a draft city plan it cannot see', as: 'district', req: () => ({ body: planBody(sites.GT.district, cityDraft) }), expect: 422 },
      beyond(() => ({ body: planBody(BEYOND, null) })),
    ],
  },
  'GET /api/v1/campaigns/:id': { req: (s) => ({ params: { id: s.plan } }), expect: readers(200) },
  'PATCH /api/v1/campaigns/:id': {
    req: (s) => ({ params: { id: s.plan }, body: {} }),
    expect: officers(200),
    more: [{ what: 'linking its plan to a draft city plan it cannot see', as: 'district', req: async () => ({ params: { id: await newPlan(sites.GT.district) }, body: { implementsId: cityDraft } }), expect: 422 }],
  },
  // Issuing an issued plan changes nothing (200).
  'POST /api/v1/campaigns/:id/issue': { req: (s) => ({ params: { id: s.plan } }), expect: officers(200) },
  'POST /api/v1/campaigns/:id/close': { req: async (s) => ({ params: { id: await newPlan(s.district) } }), expect: officers(200) },
  'POST /api/v1/campaigns/:id/copy': { req: (s) => ({ params: { id: s.plan }, body: { year: ++copyYear } }), expect: officers(201) },
  // For the union named, in the city's plan (addressed to both districts): a union outside the
  // caller's subtree is refused with 403 NOT_ADDRESSED, nothing recorded.
  'POST /api/v1/campaigns/:id/acknowledgements': {
    req: (s) => ({ params: { id: s.unitPlan }, body: { orgId: s.org } }),
    expect: { ...writers(201), unit: [201, 403], district: [201, 403], outsider: [201, 403] },
    more: [beyond(() => ({ params: { id: plan41 }, body: { orgId: BEYOND } }))],
  },
  'GET /api/v1/campaigns/:id/coverage': {
    req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }),
    expect: readers(200),
    rows: (b) => [b.orgId, ...b.missing.map((m: { orgId: number }) => m.orgId)],
    more: [beyond(() => ({ params: { id: plan41 }, query: { orgId: BEYOND } }))],
  },
  'GET /api/v1/campaigns/:id/assignments': { req: (s) => ({ params: { id: s.plan } }), expect: readers(200), rows: (b) => orgIdsOf(b.items) },
  'POST /api/v1/campaigns/:id/assignments': {
    req: async (s) => ({ params: { id: s.plan }, body: { orgId: await newUnit(s.district), reason: 'Đơn vị mới thành lập' } }),
    expect: officers(201),
    more: [
      naming('a Hoàn Kiếm union to address', 404, () => ({ params: { id: sites.GT.plan }, body: { orgId: sites.HK.org, reason: 'Đơn vị mới thành lập' } })),
      beyond(() => ({ params: { id: sites.GT.plan }, body: { orgId: BEYOND, reason: 'Đơn vị mới thành lập' } })),
    ],
  },
  'POST /api/v1/campaigns/:id/assignments/:orgId/exclude': {
    req: async (s) => ({ params: { id: s.plan, orgId: await newAssignedUnit(s) }, body: { reason: 'Không còn hoạt động' } }),
    expect: officers(200),
    more: [beyond(() => ({ params: { id: sites.GT.plan, orgId: BEYOND }, body: { reason: 'Không còn hoạt động' } }))],
  },
  'POST /api/v1/campaigns/:id/reminders': { req: (s) => ({ params: { id: s.plan }, body: {} }), expect: officers(200) },
  // The plans below and the units "without a plan yet": only those in the caller's subtree (the plan's issuer is above it).
  'GET /api/v1/campaigns/:id/plan-tree': {
    req: (s) => ({ params: { id: s.plan } }),
    expect: readers(200),
    rows: (b) => {
      const ids: number[] = [];
      const walk = (n: { issuingOrg: { id: number }; withoutPlan: { orgId: number }[]; children: unknown[] }) => {
        ids.push(n.issuingOrg.id, ...orgIdsOf(n.withoutPlan));
        for (const c of n.children) walk(c as typeof n);
      };
      walk(b);
      return ids;
    },
    rowScope: 'line',
    more: [
      { what: "the city's plan (Plan 41), addressed to both districts", as: 'district', req: () => ({ params: { id: plan41 } }), expect: 200 },
      { what: "the city's plan (Plan 41), addressed to both districts", as: 'outsider', req: () => ({ params: { id: plan41 } }), expect: 200 },
      { what: "the city's plan (Plan 41)", as: 'unit', req: () => ({ params: { id: plan41 } }), expect: 200 },
    ],
  },
  'GET /api/v1/campaigns/:id/document.docx': { req: (s) => ({ params: { id: s.plan } }), expect: readers(200) },
  // 501 when the server has no LibreOffice.
  'GET /api/v1/campaigns/:id/document.pdf': { req: (s) => ({ params: { id: s.plan } }), expect: readers([200, 501]) },
  'GET /api/v1/calendar/lunar': { noRecord: true, req: () => ({ query: { year: 2021, month: 8, day: 15 } }), expect: everyone(200) },
  'GET /api/v1/calendar/solar': { noRecord: true, req: () => ({ query: { date: '2021-09-21' } }), expect: everyone(200) },
  // Notices addressed to the caller's own units only.
  'GET /api/v1/notices': { noRecord: true, req: () => ({ query: { limit: 200 } }), expect: everyone(200), rows: (b) => orgIdsOf(b.items), rowScope: 'own' },

  // ---------------------------------------------------------------- children
  'GET /api/v1/orgs/:id/children': { req: (s) => ({ params: { id: s.org } }), expect: readers(200), rows: (b) => orgIdsOf(b.items) },
  'POST /api/v1/children': {
    req: (s) => ({ body: childBody(s.org) }),
    expect: writers(201),
    more: [
      naming('a Hoàn Kiếm member as the parent', 404, async () => {
        const m = await scalar(sql`select member_id from child_parents where child_id = ${sites.HK.child}::uuid limit 1`);
        return { body: { ...childBody(sites.GT.org), parents: [{ memberId: String(m.member_id) }] } };
      }),
      beyond(() => ({ body: childBody(BEYOND) })),
    ],
  },
  'GET /api/v1/children/:id': { req: (s) => ({ params: { id: s.child } }), expect: readers(200) },
  'PATCH /api/v1/children/:id': { req: (s) => ({ params: { id: s.child }, body: { school: 'Trường THCS Thử' } }), expect: writers(200) },
  // The pair: this child and one that can be the same child (same name and date of birth), wherever it is registered.
  'POST /api/v1/children/:id/not-duplicate': {
    req: (s) => ({ params: { id: s.child }, body: { otherChildId: s.twin, reason: 'Hai trẻ khác nhau' } }),
    expect: writers(204),
    more: [
      { what: 'its flagged duplicate, registered by the sibling union', as: 'unit', req: () => ({ params: { id: khang.gt }, body: { otherChildId: khang.dg, reason: 'Hai trẻ khác nhau' } }), expect: 204 },
      { what: 'its flagged duplicate, registered by the sibling union', as: 'district', req: () => ({ params: { id: khang.gt }, body: { otherChildId: khang.dg, reason: 'Hai trẻ khác nhau' } }), expect: 204 },
      { what: 'a child of Hoàn Kiếm that is not the same child', as: 'unit', req: () => ({ params: { id: sites.GT.child }, body: { otherChildId: sites.HK.child, reason: 'Hai trẻ khác nhau' } }), expect: 404 },
      { what: 'an id no child has', as: 'unit', req: () => ({ params: { id: sites.GT.child }, body: { otherChildId: randomUUID(), reason: 'Hai trẻ khác nhau' } }), expect: 404 },
      { what: 'the child itself', as: 'unit', req: () => ({ params: { id: sites.GT.child }, body: { otherChildId: sites.GT.child, reason: 'Hai trẻ khác nhau' } }), expect: 404 },
      { what: 'the Long Biên pair, from outside both unions', as: 'outsider', req: () => ({ params: { id: khang.gt }, body: { otherChildId: khang.dg, reason: 'Hai trẻ khác nhau' } }), expect: 404 },
    ],
  },
  // A data subject's rights: the sensitive-data permission over the child's union (unit officers, administrators).
  'GET /api/v1/children/:id/data-export.json': { req: (s) => ({ params: { id: s.child } }), expect: sensitive(200) },
  'GET /api/v1/children/:id/data-export.docx': { req: (s) => ({ params: { id: s.child } }), expect: sensitive(200) },
  'POST /api/v1/children/:id/consent/withdraw': {
    req: async (s) => ({ params: { id: await newChild(s.org, { withConsent: true }) }, body: { by: 'parent', note: 'Phụ huynh đề nghị' } }),
    expect: sensitive(200),
  },
  'POST /api/v1/children/:id/erase': { req: async (s) => ({ params: { id: await newChild(s.org) }, body: { reason: 'Phụ huynh yêu cầu xóa' } }), expect: sensitive(200) },
  'GET /api/v1/campaigns/:id/eligible': {
    req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }),
    expect: readers(200),
    rows: (b) => b.items.map((x: { orgId: number }) => x.orgId),
    more: [beyond(() => ({ params: { id: plan41 }, query: { orgId: BEYOND } }))],
  },

  // ---------------------------------------------------------------- benefits
  'GET /api/v1/campaigns/:id/benefits': { req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }), expect: readers(200), rows: (b) => orgIdsOf(b.items) },
  'POST /api/v1/campaigns/:id/benefits': {
    req: async (s) => ({ params: { id: s.unitPlan }, body: { childId: await newChild(s.org), kind: 'gift' } }),
    expect: writers(201),
    more: [
      naming('a Hoàn Kiếm child', 404, () => ({ params: { id: plan41 }, body: { childId: sites.HK.child2, kind: 'scholarship' } })),
      naming('a Hoàn Kiếm sponsor as the payer', 422, () => ({ params: { id: plan41 }, body: { childId: sites.GT.child2, kind: 'scholarship', fundingSource: 'sponsor', sponsorId: sites.HK.sponsor } })),
    ],
  },
  // Allowed; paid by a sponsor with nothing received, so nothing is allocated (every child skipped).
  'POST /api/v1/campaigns/:id/allocate': {
    req: (s) => ({ params: { id: s.unitPlan }, body: { orgId: s.org, kinds: ['gift'], fundingSource: 'sponsor', sponsorId: s.emptySponsor } }),
    expect: writers(200),
    check: (b) => (b.created.length === 0 ? null : `allocated ${b.created.length}`),
    more: [beyond(() => ({ params: { id: plan41 }, body: { orgId: BEYOND, kinds: ['gift'] } }))],
  },
  'GET /api/v1/benefits/:id': { req: (s) => ({ params: { id: s.benefit } }), expect: readers(200) },
  'PATCH /api/v1/benefits/:id': {
    req: (s) => ({ params: { id: s.benefit }, body: { note: 'Đã gọi điện cho phụ huynh' } }),
    expect: writers(200),
    more: [naming('a Hoàn Kiếm sponsor as the payer', 422, () => ({ params: { id: sites.GT.benefit }, body: { fundingSource: 'sponsor', sponsorId: sites.HK.sponsor } }))],
  },
  // The first scan inside delivers, the next ones answer "already delivered" (200 too).
  'POST /api/v1/deliveries/scan': { req: (s) => ({ body: { token: signVoucherToken(s.voucher, t.env.SESSION_SECRET) } }), expect: writers(200) },
  'GET /api/v1/campaigns/:id/vouchers.html': { req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }), expect: readers(200) },
  'GET /api/v1/campaigns/:id/signature-list.xlsx': { req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }), expect: readers(200) },
  'GET /api/v1/orgs/:id/children/template.xlsx': { req: (s) => ({ params: { id: s.org } }), expect: writers(200) },
  // A dry run of the template: nothing is written.
  'POST /api/v1/orgs/:id/children/import': { req: (s) => ({ params: { id: s.org }, query: { dryRun: 'true' }, upload: { name: 'mau.xlsx', content: childTemplate } }), expect: writers(200) },
  'GET /api/v1/orgs/:id/children/import/progress': { req: (s) => ({ params: { id: s.org }, query: { id: randomUUID() } }), expect: writers(200) },
  'GET /api/v1/orgs/:id/children/export.xlsx': { req: (s) => ({ params: { id: s.org } }), expect: readers(200) },

  // ---------------------------------------------------------------- money
  // The sponsors a union may use: outside the subtree the union is not found.
  'GET /api/v1/sponsors': { req: (s) => ({ query: { orgId: s.org } }), expect: readers(200), rows: (b) => orgIdsOf(b.items), rowScope: 'line' },
  'POST /api/v1/sponsors': { req: (s) => ({ body: { orgId: s.org, kind: 'individual', name: `Nguyễn Văn Hảo Tâm ${next()}` } }), expect: writers(201) },
  'GET /api/v1/sponsors/:id': { req: (s) => ({ params: { id: s.sponsor } }), expect: readers(200) },
  'PATCH /api/v1/sponsors/:id': {
    req: async (s) => ({ params: { id: s.sponsor }, body: { notes: 'Đã gửi thư cảm ơn', version: Number((await scalar(sql`select version from sponsors where id = ${s.sponsor}::uuid`)).version) } }),
    expect: writers(200),
  },
  'GET /api/v1/sponsors/:id/thank-you.docx': { req: (s) => ({ params: { id: s.sponsor }, query: { campaignId: s.unitPlan, orgId: s.org } }), expect: readers(200) },
  'GET /api/v1/campaigns/:id/funds': {
    req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }),
    expect: readers(200),
    rows: (b) => [b.org.id, ...orgIdsOf(b.entries)],
  },
  'GET /api/v1/campaigns/:id/funds/summary': {
    req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }),
    expect: readers(200),
    rows: (b) => [b.org.id, ...b.children.map((c: { org: { id: number } }) => c.org.id)],
  },
  'POST /api/v1/campaigns/:id/funds/allocations': { req: (s) => ({ params: { id: s.unitPlan }, body: { orgId: s.org, amount: 1000 } }), expect: writers(201) },
  // From the district down to the union: the district is above the unit officer, so not found for them.
  'POST /api/v1/campaigns/:id/funds/transfers': {
    req: (s) => ({ params: { id: s.unitPlan }, body: { fromOrgId: s.district, toOrgId: s.org, source: 'unit_funds', amount: 1000 } }),
    expect: { ...writers(201), unit: [404, 404] },
    more: [naming('a Hoàn Kiếm union to receive', 422, () => ({ params: { id: plan41 }, body: { fromOrgId: sites.GT.district, toOrgId: sites.HK.org, source: 'unit_funds', amount: 1000 } }))],
  },
  'GET /api/v1/campaigns/:id/funds/pledges': { req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }), expect: readers(200), rows: (b) => orgIdsOf(b.items) },
  'POST /api/v1/campaigns/:id/funds/pledges': {
    req: (s) => ({ params: { id: s.unitPlan }, body: { orgId: s.org, sponsorId: s.sponsor, form: 'cash', amount: 500_000, pledgedOn: '2021-09-02' } }),
    expect: writers(201),
    more: [naming('a Hoàn Kiếm sponsor', 422, () => ({ params: { id: plan41 }, body: { orgId: sites.GT.org, sponsorId: sites.HK.sponsor, form: 'cash', amount: 500_000, pledgedOn: '2021-09-02' } }))],
  },
  'POST /api/v1/campaigns/:id/funds/pledges/:pledgeId/cancel': {
    req: async (s) => ({ params: { id: s.unitPlan, pledgeId: await newPledge(s) }, body: { reason: 'Nhà tài trợ rút lại' } }),
    expect: writers(200),
  },
  'GET /api/v1/campaigns/:id/funds/receipts': { req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }), expect: readers(200), rows: (b) => orgIdsOf(b.items) },
  'POST /api/v1/campaigns/:id/funds/receipts': {
    req: (s) => ({ params: { id: s.unitPlan }, body: { orgId: s.org, sponsorId: s.sponsor, form: 'cash', amount: 1000, method: 'cash', receivedOn: '2021-09-10' } }),
    expect: writers(201),
    more: [
      naming('a Hoàn Kiếm sponsor', 422, () => ({ params: { id: plan41 }, body: { orgId: sites.GT.org, sponsorId: sites.HK.sponsor, form: 'cash', amount: 1000, method: 'cash', receivedOn: '2021-09-10' } })),
      naming('a Hoàn Kiếm pledge', 404, () => ({ params: { id: plan41 }, body: { orgId: sites.GT.org, pledgeId: sites.HK.pledge, form: 'cash', amount: 1000, method: 'cash', receivedOn: '2021-09-10' } })),
    ],
  },
  'GET /api/v1/campaigns/:id/funds/earmarks': { req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }), expect: readers(200), rows: (b) => orgIdsOf(b.items) },
  'POST /api/v1/campaigns/:id/funds/earmarks': {
    req: (s) => ({ params: { id: s.unitPlan }, body: { orgId: s.org, sponsorId: s.sponsor, amount: 1000, childId: s.child } }),
    expect: writers(201),
    more: [
      naming('a Hoàn Kiếm child', 422, () => ({ params: { id: plan41 }, body: { orgId: sites.GT.org, sponsorId: sites.GT.sponsor, amount: 1000, childId: sites.HK.child } })),
      naming('a Hoàn Kiếm union to receive', 422, () => ({ params: { id: plan41 }, body: { orgId: sites.GT.district, sponsorId: sites.GT.sponsor, amount: 1000, targetOrgId: sites.HK.org } })),
    ],
  },
  // Recorded by the child's union or a unit above it.
  'GET /api/v1/children/:id/sponsorships': { req: (s) => ({ params: { id: s.child } }), expect: readers(200), rows: (b) => orgIdsOf(b.items), rowScope: 'line' },
  // Only at the issuing unit: Plan 45 is the district's, so the unit officer may not (403).
  'PUT /api/v1/campaigns/:id/funds/public': {
    req: (s) => ({ params: { id: s.plan }, body: { enabled: true } }),
    expect: { ...writers(200), unit: [403, 404] },
  },

  // ---------------------------------------------------------------- activities
  'GET /api/v1/campaigns/:id/activities': { req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }), expect: readers(200), rows: (b) => orgIdsOf(b.items) },
  'POST /api/v1/campaigns/:id/activities': {
    req: (s) => ({ params: { id: s.unitPlan }, body: { orgId: s.org, kind: 'parent_training', channel: 'zoom', title: `Tập huấn thử ${next()}`, heldOn: '2021-09-12', participants: { parents: 10 }, status: 'held' } }),
    expect: writers(201),
    more: [
      naming('a Hoàn Kiếm sponsor as the payer', 422, () => ({
        params: { id: plan41 },
        body: { orgId: sites.GT.org, kind: 'communication', channel: 'zalo', title: 'Tin nhắn thử', heldOn: '2021-09-12', participants: {}, status: 'held', cost: 1000, costSource: 'sponsor', costSponsorId: sites.HK.sponsor },
      })),
    ],
  },
  'GET /api/v1/activities/:id': { req: (s) => ({ params: { id: s.activity } }), expect: readers(200) },
  'PATCH /api/v1/activities/:id': {
    req: async (s) => ({ params: { id: s.activity }, body: { description: 'Bổ sung kết quả', version: Number((await scalar(sql`select version from activities where id = ${s.activity}::uuid`)).version) } }),
    expect: writers(200),
  },
  'DELETE /api/v1/activities/:id': { req: async (s) => ({ params: { id: await newActivity(s) } }), expect: writers(204) },
  'GET /api/v1/activities/:id/files': { req: (s) => ({ params: { id: s.activity } }), expect: readers(200) },
  'POST /api/v1/activities/:id/files': { req: async (s) => ({ params: { id: s.activity }, upload: { name: 'anh.png', content: await png() } }), expect: writers(201) },
  'GET /api/v1/activity-files/:id': { req: (s) => ({ params: { id: s.file } }), expect: readers(200) },
  'GET /api/v1/activity-files/:id/thumbnail': { req: (s) => ({ params: { id: s.file } }), expect: readers(200) },
  'DELETE /api/v1/activity-files/:id': { req: async (s) => ({ params: { id: await newFile(s.activity) } }), expect: writers(204) },
  'GET /api/v1/campaigns/:id/commendations': { req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }), expect: readers(200), rows: (b) => orgIdsOf(b.items) },
  'POST /api/v1/campaigns/:id/commendations': {
    req: (s) => ({ params: { id: s.unitPlan }, body: { orgId: s.org, subjectKind: 'person', personName: 'Phạm Văn Thử', reason: 'Vận động tài trợ' } }),
    expect: writers(201),
    more: [naming('a Hoàn Kiếm sponsor', 422, () => ({ params: { id: plan41 }, body: { orgId: sites.GT.org, subjectKind: 'sponsor', sponsorId: sites.HK.sponsor, reason: 'Đồng hành cùng công đoàn' } }))],
  },
  'DELETE /api/v1/commendations/:id': { req: async (s) => ({ params: { id: await newCommendation(s) } }), expect: writers(204) },

  // ---------------------------------------------------------------- reports
  'GET /api/v1/campaigns/:id/report-template': { req: (s) => ({ params: { id: s.plan } }), expect: readers(200) },
  'PUT /api/v1/campaigns/:id/report-template': {
    req: async (s) => {
      const current = await must('template', admin().get(`/api/v1/campaigns/${s.plan}/report-template`), 200);
      return { params: { id: s.plan }, body: { version: current.version, remindDaysBefore: 3 } };
    },
    expect: officers(200),
  },
  'GET /api/v1/campaigns/:id/reports/:orgId': { req: (s) => ({ params: { id: s.unitPlan, orgId: s.org } }), expect: readers(200) },
  'PUT /api/v1/campaigns/:id/reports/:orgId': {
    req: async (s) => {
      await reportIn(s, 'not_started');
      return { params: { id: s.unitPlan, orgId: s.org }, body: { version: 0, manual: {} } };
    },
    expect: writers(200),
  },
  'POST /api/v1/campaigns/:id/reports/:orgId/submit': {
    req: async (s) => {
      await reportIn(s, 'not_started');
      return { params: { id: s.unitPlan, orgId: s.org }, body: {} };
    },
    expect: writers(200),
  },
  'POST /api/v1/campaigns/:id/reports/:orgId/return': {
    req: async (s) => {
      await reportIn(s, 'submitted');
      return { params: { id: s.unitPlan, orgId: s.org }, body: { comment: 'Đề nghị bổ sung số liệu' } };
    },
    expect: officers(200),
  },
  'POST /api/v1/campaigns/:id/reports/:orgId/approve': {
    req: async (s) => {
      await reportIn(s, 'submitted');
      return { params: { id: s.unitPlan, orgId: s.org } };
    },
    expect: officers(200),
  },
  'POST /api/v1/campaigns/:id/reports/:orgId/reopen': {
    req: async (s) => {
      await reportIn(s, 'approved');
      return { params: { id: s.unitPlan, orgId: s.org }, body: { reason: 'Sửa số liệu' } };
    },
    expect: officers(200),
  },
  'POST /api/v1/campaigns/:id/reports/:orgId/exception': {
    req: (s) => ({ params: { id: s.unitPlan, orgId: s.org }, body: { until: '2030-12-31', reason: 'Đơn vị xin nộp muộn' } }),
    expect: officers(200),
  },
  // Per union: one outside the caller's subtree is skipped as not found, and nothing is approved.
  'POST /api/v1/campaigns/:id/reports/approve': {
    req: async (s) => {
      await reportIn(s, 'submitted');
      return { params: { id: s.unitPlan }, body: { orgIds: [s.org] } };
    },
    expect: { ...officers(200), district: [200, 200], outsider: [200, 200] },
    check: (b, inside) => (b.done === (inside ? 1 : 0) && b.skipped.length === (inside ? 0 : 1) ? null : `done ${b.done}, skipped ${JSON.stringify(b.skipped)}`),
    more: [beyond(() => ({ params: { id: plan41 }, body: { orgIds: [BEYOND] } }))],
  },
  // Only unions the caller reviews are reminded: none outside the subtree.
  'POST /api/v1/campaigns/:id/reports/remind': {
    req: async (s) => {
      await reportIn(s, 'not_started');
      return { params: { id: s.unitPlan }, body: { orgIds: [s.org] } };
    },
    expect: { ...officers(200), district: [200, 200], outsider: [200, 200] },
    check: (b, inside) => (b.count === (inside ? 1 : 0) ? null : `reminded ${b.count}`),
    more: [beyond(() => ({ params: { id: plan41 }, body: { orgIds: [BEYOND] } }))],
  },
  'GET /api/v1/campaigns/:id/status-board': {
    req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }),
    expect: readers(200),
    rows: (b) => [b.org.id, ...orgIdsOf(b.rows)],
  },
  'GET /api/v1/campaigns/:id/year-over-year': { req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }), expect: readers(200), rows: (b) => [b.org.id] },
  'GET /api/v1/campaigns/:id/consolidated': { req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }), expect: readers(200), rows: (b) => [b.org.id] },
  'GET /api/v1/campaigns/:id/consolidated.xlsx': { req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }), expect: readers(200) },
  'GET /api/v1/campaigns/:id/consolidated.docx': { req: (s) => ({ params: { id: s.unitPlan }, query: { orgId: s.org } }), expect: readers(200) },
};

// ------------------------------------------------------------------ running it

async function send(client: Client, key: string, r: Req): Promise<Reply> {
  const [method, path] = key.split(' ') as [string, string];
  let url = path.replace(/:(\w+)/g, (_, name: string) => {
    const v = r.params?.[name];
    if (v === undefined) throw new Error(`${key}: no value for :${name}`);
    return encodeURIComponent(String(v));
  });
  if (r.query) url += `?${new URLSearchParams(Object.entries(r.query).map(([k, v]) => [k, String(v)]))}`;
  if (r.upload) {
    if (method !== 'POST') throw new Error(`${key}: uploads are POST`);
    return client.upload(url, r.upload.name, r.upload.content);
  }
  switch (method) {
    case 'GET':
      return client.get(url);
    case 'POST':
      return client.post(url, r.body);
    case 'PATCH':
      return client.patch(url, r.body);
    case 'PUT':
      return client.put(url, r.body);
    case 'DELETE':
      return client.delete(url);
    default:
      throw new Error(`${key}: method ${method}`);
  }
}

const matches = (want: Outcome, got: number) => (typeof want === 'number' ? want === got : want.includes(got));
const show = (want: Outcome) => (typeof want === 'number' ? String(want) : want.join('|'));
const brief = (r: Reply) => (typeof r.body === 'object' && r.body !== null ? JSON.stringify(r.body) : String(r.raw.length ? `${r.raw.length} bytes` : '')).slice(0, 240);

/** The listed units that lie outside what the caller may see (from the database: units made during the run included). */
async function strayUnits(ids: number[], actor: Actor, scope: Entry['rowScope']): Promise<number[]> {
  const home = org(ACTORS[actor].home);
  const unique = [...new Set(ids)];
  if (scope === 'own') return unique.filter((id) => id !== home.id);
  if (unique.length === 0) return [];
  const reach = scope === 'line' ? sql`(o.path <@ ${home.path}::ltree or o.path @> ${home.path}::ltree)` : sql`o.path <@ ${home.path}::ltree`;
  const res = await t.database.db.execute(sql`
    select u.id from unnest(string_to_array(${unique.join(',')}, ',')::int[]) as u(id)
    where not exists (select 1 from orgs o where o.id = u.id and ${reach})`);
  return (res.rows as { id: number }[]).map((r) => Number(r.id));
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lantern-authz-'));
  t = await createTestContext({ env: { LANTERN_DATA_DIR: dataDir } });
  for (const a of ACTOR_KEYS) clients[a] = await t.signIn(ACTORS[a].email);
  const refreshOrgs = async () => {
    const res = await t.database.db.execute(sql`select id, code, path::text as path from orgs`);
    for (const r of res.rows as { id: number; code: string; path: string }[]) orgs.set(r.code, { id: Number(r.id), path: r.path });
  };
  await refreshOrgs();
  const planId = async (docNumber: string) => String((await scalar(sql`select id from campaigns where doc_number = ${docNumber}`)).id);
  plan41 = await planId('41/KH-LĐLĐ');
  const plan45 = await planId('45/KH-LĐLĐ');

  // Hoàn Kiếm's plan, issued to its unions, with money for its union and the district.
  const hkPlan: string = (
    await must(
      'Hoàn Kiếm plan',
      admin().post('/api/v1/campaigns', {
        issuingOrgId: org('HN-HK').id,
        kind: 'trung_thu',
        year: 2021,
        docNumber: '38/KH-LĐLĐ',
        place: 'Hoàn Kiếm',
        issueDate: '2021-08-23',
        title: 'Kế hoạch tổ chức “Tết Trung thu” cho con CNVCLĐ quận Hoàn Kiếm năm 2021',
        subject: 'Tổ chức “Tết Trung thu” cho con CNVCLĐ năm 2021',
        implementsId: plan41,
        reportDeadline: '2021-09-25',
      }),
      201,
    )
  ).id;
  await must('issue Hoàn Kiếm plan', admin().post(`/api/v1/campaigns/${hkPlan}/issue`), 200);
  // Money of the city's plan for the three unions and both districts.
  for (const code of ['HN-LB', 'HN-HK', 'LB-THCS-GT', 'LB-BV-DG', 'HK-THCS-TV'])
    await must('allocation', admin().post(`/api/v1/campaigns/${plan41}/funds/allocations`, { orgId: org(code).id, amount: 50_000_000 }), 201);

  const build = async (name: SiteName, orgCode: string, districtCode: string, plan: string, unitPlan: string, twinCode: string): Promise<Site> => {
    const s = { name, org: org(orgCode).id, orgCode, district: org(districtCode).id, districtCode, plan, unitPlan } as Site;
    const childName = `Trần Minh Thử ${next()}`;
    s.child = await newChild(s.org, { fullName: childName });
    s.twin = await newChild(org(twinCode).id, { fullName: childName });
    s.child2 = await newChild(s.org);
    s.sponsor = await newSponsor(s.org);
    s.emptySponsor = await newSponsor(s.org);
    const receipt = { orgId: s.org, sponsorId: s.sponsor, form: 'cash', amount: 5_000_000, method: 'bank_transfer', receivedOn: '2021-09-08' };
    await must('receipt', admin().post(`/api/v1/campaigns/${unitPlan}/funds/receipts`, receipt), 201);
    s.pledge = await newPledge(s);
    const benefitsUrl = `/api/v1/campaigns/${unitPlan}/benefits`;
    s.benefit = (await must('benefit', admin().post(benefitsUrl, { childId: s.child, kind: 'gift' }), 201)).id;
    s.voucher = (await must('benefit', admin().post(benefitsUrl, { childId: s.child2, kind: 'gift' }), 201)).id;
    await must('approve benefit', admin().patch(`/api/v1/benefits/${s.voucher}`, { status: 'approved' }), 200);
    s.activity = await newActivity(s);
    s.file = await newFile(s.activity);
    s.commendation = await newCommendation(s);
    s.userEmail = `xem-${name.toLowerCase()}@lantern.test`;
    s.user = (await must('user', admin().post('/api/v1/users', { email: s.userEmail, fullName: 'Người Xem Thử', role: 'viewer', orgId: s.org }), 201)).id;
    return s;
  };
  sites.GT = await build('GT', 'LB-THCS-GT', 'HN-LB', plan45, plan41, 'LB-TH-NL');
  sites.HK = await build('HK', 'HK-THCS-TV', 'HN-HK', hkPlan, plan41, 'HK-TH-DB');
  sites.DG = await build('DG', 'LB-BV-DG', 'HN-HK', hkPlan, plan41, 'LB-TH-NL');

  // A draft plan of the city: only the city's officers see it.
  cityDraft = (await must('city draft', admin().post('/api/v1/campaigns', planBody(org('HN').id)), 201)).id;
  const twins = await t.database.db.execute(sql`
    select c.id, o.code from children c join orgs o on o.id = c.org_id
    where c.full_name = 'Nguyễn Minh Khang' and o.code in ('LB-THCS-GT', 'LB-BV-DG')`);
  const byCode = new Map((twins.rows as { id: string; code: string }[]).map((r) => [r.code, r.id]));
  khang = { gt: byCode.get('LB-THCS-GT')!, dg: byCode.get('LB-BV-DG')! };

  const template = await admin().get(`/api/v1/orgs/${sites.GT.org}/children/template.xlsx`);
  childTemplate = template.raw;
  await refreshOrgs();
});

/** What the matrix tried, printed at the end: routes × roles × records. */
const tried = { routes: 0, requests: 0 };

afterAll(async () => {
  console.log(`authorisation matrix: ${tried.routes} routes × ${ACTOR_KEYS.length} roles (a record inside and outside the caller's subtree) = ${tried.requests} requests judged`);
  await t?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('authorisation matrix', () => {
  it('has one entry per non-public route of the route table, and no other', () => {
    const routes = t.app.routeTable.filter((r) => r.access !== 'public').map((r) => `${r.method} ${r.url}`);
    const missing = routes.filter((r) => !(r in MATRIX));
    const stale = Object.keys(MATRIX).filter((k) => !routes.includes(k));
    expect(missing, 'routes without an entry in MATRIX').toEqual([]);
    expect(stale, 'MATRIX entries for no route').toEqual([]);
  });

  for (const [key, entry] of Object.entries(MATRIX)) {
    it(key, async () => {
      const failures: string[] = [];
      /** Checks one answer; returns nothing, records what is wrong. */
      const judge = async (label: string, actor: Actor, res: Reply, want: Outcome, check: ((body: any) => string | null) | null) => {
        if (!matches(want, res.status)) {
          failures.push(`${label}: expected ${show(want)}, got ${res.status} ${brief(res)}`);
          return;
        }
        if (res.status < 200 || res.status >= 300) return;
        if (entry.rows) {
          const stray = await strayUnits(entry.rows(res.body), actor, entry.rowScope);
          if (stray.length) failures.push(`${label}: rows of units outside the caller's reach: ${stray.join(', ')}`);
        }
        const wrong = check?.(res.body);
        if (wrong) failures.push(`${label}: ${wrong}`);
      };
      const access = t.app.routeTable.find((r) => `${r.method} ${r.url}` === key)?.access;
      for (const actor of ACTOR_KEYS) {
        refusedAtGuard = access !== undefined && access !== 'signed-in' && !ROLE_PERMISSIONS[ACTORS[actor].role].includes(access as Permission);
        for (const c of entry.noRecord ? [0] : [0, 1]) {
          const site = sites[SITES_OF[actor][c]!];
          const label = `${actor} ${entry.noRecord ? 'self' : c === 0 ? 'inside' : 'outside'}${entry.noRecord ? '' : ` (${site.name})`}`;
          const r = await entry.req(site);
          const client = entry.session ? await t.signIn(ACTORS[actor].email) : clients[actor];
          const res = await send(client, key, r);
          tried.requests++;
          if (entry.session === 'all') clients[actor] = await t.signIn(ACTORS[actor].email);
          const inside = within(org(site.orgCode).path, org(ACTORS[actor].home).path);
          await judge(label, actor, res, entry.expect[actor][c]!, entry.check ? (b) => entry.check!(b, inside) : null);
        }
      }
      refusedAtGuard = false;
      tried.routes++;
      for (const x of entry.more ?? []) {
        const res = await send(clients[x.as], key, await x.req());
        tried.requests++;
        await judge(`${x.as}: ${x.what}`, x.as, res, x.expect, x.check ?? null);
      }
      expect(failures, key).toEqual([]);
    });
  }
});
