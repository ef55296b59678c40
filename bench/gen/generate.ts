import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../server/db/client';
import { campaigns, roleGrants, users } from '../../server/db/schema/index';
import { systemActor } from '../../server/lib/audit';
import type { AuthContext } from '../../server/lib/authorization';
import { hashPassword } from '../../server/lib/crypto';
import { noJobs } from '../../server/lib/jobs';
import { outboxOnlyMailer } from '../../server/lib/mailer';
import { ageOn, type AchievementEntry, type CircumstanceEntry } from '../../common/children';
import type { OrgKind } from '../../common/org-kinds';
import { foldVietnamese, vietnameseSortKey } from '../../common/vietnamese';
import { CITY_SECTIONS } from '../../server/db/seed/campaigns';
import { DEPARTMENTS, FAMILY, FEMALE_GIVEN, FEMALE_MIDDLE, MALE_GIVEN, MALE_MIDDLE } from '../../server/db/seed/children';
import { DEMO_PASSWORD, isEmpty, loadDemoData } from '../../server/db/seed/demo';
import { closeCampaign, createCampaign, issueCampaign } from '../../server/modules/campaigns/campaigns.service';
import type { CampaignRow } from '../../server/modules/campaigns/campaigns.queries';
import { searchTextOf } from '../../server/modules/orgs/orgs.queries';
import { composeFigures, templateOf } from '../../server/modules/reports/reports.queries';
import { reencryptSensitiveData } from '../../server/modules/children/children.encryption';
import { BulkLoader, type Cell, type TableSpec } from './bulk';
import { deriveOwnBulk } from './figures';
import { addDays, Random } from './random';
import { CITY_DISTRICTS, COMPANY_BRANDS, INDUSTRIES, MANUAL_WORDS, PLACES, PROVINCES, SCHOOL_NAMES, SECTOR_UNIONS, SPONSOR_ORGS, type Scale } from './scales';

/**
 * The generated tree lives beside the demo under its own root: a city
 * federation (tiny, city) or a confederation of provinces (province,
 * national). Every row is what the app itself would have written for the
 * same facts: names normalised, folded and sort-keyed by common/vietnamese,
 * members' match keys and children's duplicate keys by the children service,
 * org paths as insertOrg builds them, one org_versions row per unit, plans
 * created and issued by the campaigns service, reports' snapshots composed
 * by composeFigures from figures equal to deriveOwn's, circumstances
 * encrypted at the end by the app's re-encryption pass.
 */

export interface GenerateOptions {
  scale: Scale;
  seed?: number;
  log?: (line: string) => void;
}

export interface GenerateResult {
  rootId: number;
  rootCode: string;
  campaign2021: string;
  campaign2020: string;
  counts: Record<string, number>;
  rates: Map<string, { rows: number; ms: number }>;
  seconds: number;
}

type Level = 'root' | 'region' | 'intermediate' | 'grassroots';
interface GenOrg {
  id: number;
  code: string;
  name: string;
  shortName: string;
  kind: OrgKind;
  parent: GenOrg | null;
  path: string;
  level: Level;
  validFrom: string;
  members: number;
  children: number;
  place: string;
}

type Fate = 'approved' | 'submitted' | 'late' | 'returned' | 'draft' | 'none';

export const GEN_ROOT = { city: 'G-HCM', confederation: 'G-VN' } as const;
export const GEN_PASSWORD = DEMO_PASSWORD;

const T = {
  orgs: { table: 'orgs', columns: ['id', 'code', 'name', 'short_name', 'kind', 'parent_id', 'path', 'emails', 'phone', 'status', 'valid_from', 'search_text', 'sort_key', 'created_at', 'updated_at'] },
  orgVersions: { table: 'org_versions', columns: ['org_id', 'valid_from', 'code', 'name', 'short_name', 'kind', 'parent_id', 'event'], after: ['orgs'] },
  audit: { table: 'audit_log', columns: ['actor_email', 'action', 'entity_type', 'entity_id', 'org_id', 'after'], json: ['after'] },
  members: { table: 'members', columns: ['id', 'org_id', 'full_name', 'search_text', 'sort_key', 'department', 'phone', 'is_union_member', 'match_key', 'created_at', 'updated_at'] },
  children: {
    table: 'children',
    columns: ['id', 'org_id', 'full_name', 'search_text', 'sort_key', 'birth_date', 'sex', 'school', 'grade', 'circumstances', 'achievements', 'parent_consent', 'child_consent', 'dup_key', 'created_at', 'updated_at'],
    json: ['circumstances', 'achievements', 'parent_consent', 'child_consent'],
  },
  childParents: { table: 'child_parents', columns: ['child_id', 'member_id'], after: ['members', 'children'] },
  sponsors: { table: 'sponsors', columns: ['id', 'org_id', 'kind', 'name', 'search_text', 'sort_key', 'contact_name', 'phone', 'publicly_named', 'created_at', 'updated_at'] },
  pledges: { table: 'pledges', columns: ['id', 'campaign_id', 'org_id', 'sponsor_id', 'form', 'item', 'quantity', 'unit_value', 'amount', 'pledged_on', 'created_at'], after: ['sponsors'] },
  receipts: {
    table: 'receipts',
    columns: ['id', 'campaign_id', 'org_id', 'sponsor_id', 'pledge_id', 'form', 'item', 'quantity', 'unit_value', 'amount', 'received_on', 'receipt_no', 'method', 'created_at'],
    after: ['pledges'],
  },
  transfers: { table: 'fund_transfers', columns: ['id', 'campaign_id', 'from_org_id', 'to_org_id', 'source', 'amount', 'transferred_on', 'note', 'created_at'] },
  entries: {
    table: 'fund_entries',
    columns: ['campaign_id', 'org_id', 'source', 'sponsor_id', 'direction', 'kind', 'amount', 'occurred_on', 'receipt_id', 'transfer_id', 'note', 'created_at'],
    after: ['receipts', 'fund_transfers'],
  },
  benefits: {
    table: 'benefits',
    columns: ['id', 'campaign_id', 'org_id', 'child_id', 'kind', 'value', 'funding_source', 'sponsor_id', 'status', 'approved_at', 'delivered_at', 'received_by', 'cancelled_at', 'cancel_reason', 'version', 'created_at', 'updated_at'],
    after: ['children', 'sponsors'],
  },
  activities: {
    table: 'activities',
    columns: ['id', 'campaign_id', 'org_id', 'kind', 'channel', 'title', 'held_on', 'place', 'topics', 'description', 'participants_children', 'participants_parents', 'participants_members', 'reach', 'cost', 'cost_source', 'status', 'status_note', 'created_at', 'updated_at'],
  },
  commendations: { table: 'commendations', columns: ['id', 'campaign_id', 'org_id', 'subject_kind', 'person_name', 'person_title', 'sponsor_id', 'reason', 'decision_no', 'decision_date', 'created_at'], after: ['sponsors'] },
  reports: {
    table: 'reports',
    columns: ['id', 'campaign_id', 'org_id', 'status', 'manual', 'figures', 'submitted_at', 'late', 'returned_at', 'return_comment', 'approved_at', 'version', 'created_at', 'updated_at'],
    json: ['manual', 'figures'],
  },
} satisfies Record<string, TableSpec>;

interface Plan {
  row: CampaignRow;
  year: number;
  /** Days of the campaign, for dates of what was done. */
  allocateOn: string;
  approveFrom: string;
  deliverFrom: string;
  deliverTo: string;
  deadline: string;
}

export async function generate(database: Database, opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const { scale } = opts;
  const log = opts.log ?? (() => {});
  const R = new Random(opts.seed ?? 2021);
  const db = database.db;
  const bulk = new BulkLoader(database, database.kind === 'pglite' ? 10_000 : 20_000);
  const counts: Record<string, number> = {};
  const count = (k: string, n = 1) => (counts[k] = (counts[k] ?? 0) + n);
  const add = async (spec: TableSpec, row: Cell[]) => {
    count(spec.table);
    await bulk.add(spec, row);
  };

  if (await isEmpty(db)) {
    log('Loading the demo (accounts, plans 41 and 45)…');
    await loadDemoData(db);
  }
  const rootCode = scale.regions ? GEN_ROOT.confederation : GEN_ROOT.city;
  const existing = await database.executeSql(`select 1 from orgs where code = $1`, [rootCode]);
  if (existing.rows.length) throw new Error(`this database already holds a generated tree (${rootCode}); generate into a fresh one`);

  // ---- The tree -------------------------------------------------------------------------------------------
  const orgsList: GenOrg[] = [];
  const mk = (parent: GenOrg | null, level: Level, kind: OrgKind, code: string, name: string, shortName: string, place: string): GenOrg => {
    const o: GenOrg = { id: 0, code, name, shortName, kind, parent, path: '', level, validFrom: R.date('2008-01-01', '2019-12-31'), members: 0, children: 0, place };
    orgsList.push(o);
    return o;
  };
  const root = scale.regions
    ? mk(null, 'root', 'confederation', rootCode, 'Tổng Liên đoàn Lao động Việt Nam', 'Tổng LĐLĐ Việt Nam', 'Hà Nội')
    : mk(null, 'root', 'provincial_federation', rootCode, 'Liên đoàn Lao động Thành phố Hồ Chí Minh', 'LĐLĐ Thành phố Hồ Chí Minh', 'Thành phố Hồ Chí Minh');
  root.validFrom = '2005-01-01';

  // Regions and how many intermediates and grassroots each holds (by weight).
  const regions: { org: GenOrg; weight: number; code: string }[] = [];
  if (scale.regions) {
    for (const [code, name, weight] of PROVINCES.slice(0, scale.regions)) {
      const o = mk(root, 'region', 'provincial_federation', `G-${code}`, `Liên đoàn Lao động ${name}`, `LĐLĐ ${name.replace(/^tỉnh |^Thành phố /, '')}`, name);
      o.validFrom = '2006-01-01';
      regions.push({ org: o, weight, code });
    }
  } else regions.push({ org: root, weight: 1, code: 'HCM' });
  const split = (total: number, weights: number[], min = 1) => {
    const sum = weights.reduce((a, b) => a + b, 0);
    const out = weights.map((w) => Math.max(min, Math.floor((total * w) / sum)));
    let diff = total - out.reduce((a, b) => a + b, 0);
    for (let i = 0; diff !== 0; i = (i + 1) % out.length) {
      if (diff > 0) (out[i]!++, diff--);
      else if (out[i]! > min) (out[i]!--, diff++);
    }
    return out;
  };
  const interPerRegion = split(scale.intermediates, regions.map((r) => r.weight));
  const intermediates: GenOrg[] = [];
  regions.forEach((reg, ri) => {
    for (let j = 0; j < interPerRegion[ri]!; j++) {
      let name: string;
      let kind: OrgKind;
      let place: string;
      if (scale.regions) {
        kind = 'commune_union';
        const ward = j < PLACES.length ? PLACES[j]! : String(j - PLACES.length + 1);
        const commune = j % 3 === 2 ? 'xã' : 'phường';
        name = `Công đoàn ${commune} ${ward}`;
        place = `${commune} ${ward}`;
      } else if (j < CITY_DISTRICTS.length && j < interPerRegion[ri]! - Math.min(8, Math.floor(interPerRegion[ri]! / 4))) {
        kind = 'district_federation';
        place = CITY_DISTRICTS[j]!;
        name = `Liên đoàn Lao động ${place}`;
      } else {
        kind = 'sector_union';
        const s = SECTOR_UNIONS[j % SECTOR_UNIONS.length]!;
        name = `${s} Thành phố`;
        place = 'Thành phố Hồ Chí Minh';
      }
      const code = `G-${reg.code}-${String(j + 1).padStart(3, '0')}`;
      intermediates.push(mk(reg.org, 'intermediate', kind, code, name, name.replace('Liên đoàn Lao động', 'LĐLĐ').replace('Công đoàn', 'CĐ'), place));
    }
  });
  const grassPerInter = split(scale.grassroots, intermediates.map(() => 0.4 + R.next() * 1.2));
  const grassroots: GenOrg[] = [];
  const rawSize: number[] = [];
  intermediates.forEach((inter, ii) => {
    for (let j = 0; j < grassPerInter[ii]!; j++) {
      const sector = R.weighted([['school', 35], ['agency', 20], ['hospital', 5], ['company', 40]] as const);
      const place = R.pick(PLACES);
      let name: string;
      let size: number;
      if (sector === 'school') {
        const level = R.pick(['Mầm non', 'Tiểu học', 'THCS', 'THPT']);
        name = `Công đoàn Trường ${level} ${R.chance(0.5) ? R.pick(SCHOOL_NAMES) : place}`;
        size = R.int(25, 90);
      } else if (sector === 'agency') {
        name = `Công đoàn ${R.pick(['cơ quan UBND phường', 'Trạm Y tế phường', 'Chi cục Thuế khu vực', 'Kho bạc Nhà nước', 'Bảo hiểm xã hội'])} ${place}`;
        size = R.int(10, 45);
      } else if (sector === 'hospital') {
        name = `Công đoàn ${R.pick(['Bệnh viện Đa khoa', 'Trung tâm Y tế', 'Bệnh viện Nhi'])} ${place}`;
        size = R.int(150, 900);
      } else {
        name = `Công đoàn Công ty ${R.pick(['TNHH', 'CP', 'TNHH MTV'])} ${R.pick(INDUSTRIES)} ${R.pick(COMPANY_BRANDS)}`;
        size = Math.round(Math.exp(3.4 + R.next() * 4.6));
      }
      const code = `${inter.code}-${String(j + 1).padStart(4, '0')}`;
      grassroots.push(mk(inter, 'grassroots', 'grassroots', code, name, name.replace('Công đoàn', 'CĐ'), place));
      rawSize.push(size);
    }
  });
  const memberSizes = split(scale.members, rawSize, 5);
  const childSizes = split(scale.children, memberSizes.map((m) => m * (0.7 + R.next() * 0.6)), 1);
  grassroots.forEach((g, i) => {
    g.members = memberSizes[i]!;
    g.children = Math.min(childSizes[i]!, Math.floor(g.members * 1.6));
  });

  // Ids from the table's own sequence, so the paths can be built here as insertOrg builds them.
  const ids = await database.executeSql(`select nextval('orgs_id_seq')::int as id from generate_series(1, ${orgsList.length})`);
  orgsList.forEach((o, i) => {
    o.id = Number(ids.rows[i]!['id']);
    o.path = o.parent ? `${o.parent.path}.${o.id}` : String(o.id);
  });
  const createdAt = '2020-01-02T01:00:00.000Z';
  for (const o of orgsList) {
    const emails = [`congdoan.${o.id}@vidu.vn`];
    const phone = `028 ${R.int(3800, 3999)} ${R.int(1000, 9999)}`;
    await add(T.orgs, [o.id, o.code, o.name, o.shortName, o.kind, o.parent?.id ?? null, o.path, emails, phone, 'active', o.validFrom, searchTextOf(o), vietnameseSortKey(o.name), createdAt, createdAt]);
    await add(T.orgVersions, [o.id, o.validFrom, o.code, o.name, o.shortName, o.kind, o.parent?.id ?? null, 'created']);
    await add(T.audit, ['system', 'org.create', 'org', String(o.id), o.id, { code: o.code, name: o.name, kind: o.kind, parentId: o.parent?.id ?? null, path: o.path }]);
  }
  await bulk.flush('orgs', 'org_versions', 'audit_log');
  log(`Tree: ${orgsList.length.toLocaleString('en')} units (${regions.length > 1 ? `${regions.length} provinces, ` : ''}${intermediates.length} intermediate, ${grassroots.length.toLocaleString('en')} grassroots)`);

  // ---- Accounts: an officer at the root, one per intermediate union, a unit officer for the first units ----
  const hash = await hashPassword(GEN_PASSWORD);
  const accounts: { email: string; fullName: string; role: 'federation_officer' | 'unit_officer'; orgId: number }[] = [
    { email: 'gen.root@lantern.test', fullName: 'Nguyễn Thị Thu Thủy', role: 'federation_officer', orgId: root.id },
    ...regions.filter((r) => r.org !== root).map((r, i) => ({ email: `gen.p${i + 1}@lantern.test`, fullName: `Trần Văn Tỉnh ${i + 1}`, role: 'federation_officer' as const, orgId: r.org.id })),
    ...intermediates.map((o, i) => ({ email: `gen.q${i + 1}@lantern.test`, fullName: `${R.pick(FAMILY)} ${R.pick(FEMALE_MIDDLE)} ${R.pick(FEMALE_GIVEN)}`, role: 'federation_officer' as const, orgId: o.id })),
    ...grassroots.slice(0, 100).map((o, i) => ({ email: `gen.cs${i + 1}@lantern.test`, fullName: `${R.pick(FAMILY)} ${R.pick(MALE_MIDDLE)} ${R.pick(MALE_GIVEN)}`, role: 'unit_officer' as const, orgId: o.id })),
  ];
  for (let i = 0; i < accounts.length; i += 1000) {
    const chunk = accounts.slice(i, i + 1000);
    const made = await db
      .insert(users)
      .values(chunk.map((a) => ({ email: a.email, fullName: a.fullName, passwordHash: hash, searchText: foldVietnamese(`${a.fullName} ${a.email}`) })))
      .returning({ id: users.id, email: users.email });
    const byEmail = new Map(made.map((u) => [u.email, u.id]));
    await db.insert(roleGrants).values(chunk.map((a) => ({ userId: byEmail.get(a.email)!, orgId: a.orgId, role: a.role })));
  }
  count('users', accounts.length);

  // ---- The plans: Trung thu 2021 and the year before, created and issued by the campaigns service ----------
  const admin: AuthContext = {
    user: { id: '00000000-0000-0000-0000-000000000000', email: 'system', fullName: 'Hệ thống', locale: 'vi' },
    sessionId: 'gen',
    csrfToken: 'gen',
    grants: [{ id: 'gen', role: 'admin', orgId: root.id, orgCode: root.code, orgName: root.name, orgPath: root.path }],
    actor: systemActor,
  };
  const deps = { db, jobs: noJobs, mailer: outboxOnlyMailer, publicUrl: 'http://localhost:3000' };
  const issuer = scale.regions ? 'Đoàn Chủ tịch Tổng Liên đoàn' : 'Ban Thường vụ LĐLĐ Thành phố';
  const makePlan = async (year: number, docNumber: string, issueDate: string, deadline: string): Promise<CampaignRow> => {
    const shift = (s: string) => (year === 2021 ? s : s.replace(/2020-2021/g, '2019-2020').replace(/2021/g, '2020'));
    const id = await createCampaign(db, admin, {
      issuingOrgId: root.id,
      kind: 'trung_thu',
      year,
      docNumber,
      place: scale.regions ? 'Hà Nội' : 'Thành phố Hồ Chí Minh',
      issueDate,
      title: `Kế hoạch tổ chức hoạt động “Tết Trung thu” cho con CNVCLĐ năm ${year}`,
      subject: `Tổ chức hoạt động “Tết Trung thu” cho con CNVCLĐ năm ${year}`,
      preamble: `Căn cứ Chương trình công tác năm ${year}, ${issuer} xây dựng kế hoạch tổ chức hoạt động “Tết Trung thu” cho con CNVCLĐ năm ${year} như sau:`,
      sections: CITY_SECTIONS.map((s) => ({ heading: s.heading, body: shift(s.body).replace(/Công đoàn Thủ đô/g, 'Công đoàn').replace(/LĐLĐ Thành phố/g, root.shortName) })),
      recipients: ['Các LĐLĐ, công đoàn ngành, công đoàn cấp trên trực tiếp cơ sở;', 'Lưu: VT, NC.'],
      signer: { onBehalfOf: scale.regions ? 'TM. ĐOÀN CHỦ TỊCH' : 'TM. BAN THƯỜNG VỤ', position: 'CHỦ TỊCH', name: 'Nguyễn Văn Bình' },
      reportDeadline: deadline,
      entryFrom: issueDate,
      entryTo: deadline,
    } as Parameters<typeof createCampaign>[2]);
    await issueCampaign(deps, admin, id, { asOf: issueDate });
    await db.execute(sql`update campaigns set issued_at = (issue_date::timestamp + interval '1 hour') at time zone 'UTC', created_at = (issue_date::timestamp - interval '2 days') at time zone 'UTC' where id = ${id}`);
    return (await db.select().from(campaigns).where(eq(campaigns.id, id)))[0]!;
  };
  const c2021 = await makePlan(2021, '68/KH-LĐLĐ', '2021-08-18', '2021-09-30');
  const c2020 = await makePlan(2020, '52/KH-LĐLĐ', '2020-09-01', '2020-10-20');
  const plans: Plan[] = [
    { row: c2021, year: 2021, allocateOn: '2021-08-25', approveFrom: '2021-09-08', deliverFrom: '2021-09-15', deliverTo: '2021-09-21', deadline: '2021-09-30' },
    { row: c2020, year: 2020, allocateOn: '2020-09-10', approveFrom: '2020-09-20', deliverFrom: '2020-09-26', deliverTo: '2020-10-01', deadline: '2020-10-20' },
  ];
  log(`Plans issued: ${c2021.docNumber} (2021) and ${c2020.docNumber} (2020), ${(intermediates.length + grassroots.length + regions.filter((r) => r.org !== root).length).toLocaleString('en')} units each`);

  // What became of each unit's report, decided first: the registers follow from it.
  const fates = new Map<string, Fate>();
  const fateKey = (p: Plan, o: GenOrg) => `${p.year}:${o.id}`;
  for (const o of orgsList) {
    if (o === root) continue;
    fates.set(
      fateKey(plans[0]!, o),
      R.weighted<Fate>(o.level === 'grassroots' ? [['approved', 76], ['submitted', 9], ['late', 3], ['returned', 2], ['draft', 5], ['none', 5]] : [['approved', 85], ['submitted', 8], ['late', 2], ['draft', 5]]),
    );
    fates.set(fateKey(plans[1]!, o), R.chance(o.level === 'grassroots' ? 0.92 : 1) ? 'approved' : 'none');
  }
  const reporting = (f: Fate | undefined) => f === 'approved' || f === 'submitted' || f === 'late' || f === 'returned';

  // ---- The registers, one intermediate union at a time ----------------------------------------------------
  const festival = { 2021: c2021.festivalDate, 2020: c2020.festivalDate } as Record<number, string>;
  const roundUp = (v: number, step: number) => Math.ceil(v / step) * step;
  const consent = (givenBy: string, date: string) => ({ givenBy, date, method: 'paper', recordedBy: 'gen', recordedAt: `${date}T02:00:00.000Z` });
  const person = (male: boolean, family = R.pick(FAMILY)) => `${family} ${male ? R.pick(MALE_MIDDLE) : R.pick(FEMALE_MIDDLE)} ${male ? R.pick(MALE_GIVEN) : R.pick(FEMALE_GIVEN)}`;
  // Names repeat (a few thousand combinations), so their folded form and sort key are computed once each.
  const folded = new Map<string, string>();
  const sortKeys = new Map<string, string>();
  const fold = (name: string) => folded.get(name) ?? (folded.set(name, foldVietnamese(name)), folded.get(name)!);
  const sortKey = (name: string) => sortKeys.get(name) ?? (sortKeys.set(name, vietnameseSortKey(name)), sortKeys.get(name)!);
  // memberMatchKey and childDupKey of the children service, on the cached folded name (tested equal).
  const matchKey = (name: string, phone: string) => `${fold(name)}|${phone}`;
  const dupKey = (name: string, birth: string) => `${fold(name)}|${birth}`;
  let sponsorSeq = 0;
  let receiptSeq = 0;

  /** A sponsor of `o` with a cash pledge received in full (and sometimes a gift in kind); returns its id and cash. */
  const sponsorOf = async (o: GenOrg, p: Plan, cash: number) => {
    const id = R.uuid();
    const org = R.chance(0.7);
    const name = org ? `${R.pick(SPONSOR_ORGS)} ${R.pick(COMPANY_BRANDS)}${R.chance(0.3) ? ` - Chi nhánh ${o.place}` : ''}` : person(R.chance(0.6));
    const at = `${addDays(p.allocateOn, -3)}T03:00:00.000Z`;
    if (!sponsorIds.has(`${o.id}:${name}`)) {
      sponsorIds.set(`${o.id}:${name}`, id);
      await add(T.sponsors, [id, o.id, org ? 'organization' : 'individual', name, foldVietnamese(name), vietnameseSortKey(name), org ? person(R.chance(0.5)) : null, `09${R.int(10_000_000, 99_999_999)}`, R.chance(0.7), at, at]);
    }
    const sponsorId = sponsorIds.get(`${o.id}:${name}`)!;
    const pledge = R.uuid();
    const on = R.date(addDays(p.allocateOn, -5), p.allocateOn);
    await add(T.pledges, [pledge, p.row.id, o.id, sponsorId, 'cash', null, null, null, cash, on, at]);
    const receipt = R.uuid();
    const recvOn = R.date(p.allocateOn, addDays(p.allocateOn, 10));
    await add(T.receipts, [receipt, p.row.id, o.id, sponsorId, pledge, 'cash', null, null, null, cash, recvOn, `PT-${++receiptSeq}/${p.year}`, R.chance(0.6) ? 'bank_transfer' : 'cash', at]);
    await add(T.entries, [p.row.id, o.id, 'sponsor', sponsorId, 'in', 'receipt', cash, recvOn, receipt, null, null, at]);
    if (R.chance(0.3)) {
      const qty = R.int(50, 400);
      const unit = R.pick([30_000, 40_000, 50_000, 80_000]);
      const item = R.pick(['Hộp bánh trung thu', 'Đèn ông sao', 'Bộ sách giáo khoa', 'Thùng sữa']);
      const p2 = R.uuid();
      await add(T.pledges, [p2, p.row.id, o.id, sponsorId, 'in_kind', item, qty, unit, qty * unit, on, at]);
      const r2 = R.uuid();
      await add(T.receipts, [r2, p.row.id, o.id, sponsorId, p2, 'in_kind', item, qty, unit, qty * unit, recvOn, `BN-${++receiptSeq}/${p.year}`, null, at]);
      await add(T.entries, [p.row.id, o.id, 'sponsor', sponsorId, 'in', 'receipt', qty * unit, recvOn, r2, null, null, at]);
    }
    sponsorSeq++;
    return sponsorId;
  };
  const sponsorIds = new Map<string, string>();

  /** Activities of a unit in a plan; returns their cost paid from the unit's own funds. */
  const activitiesOf = async (o: GenOrg, p: Plan, n: number) => {
    let unitCost = 0;
    for (let i = 0; i < n; i++) {
      const kind = R.weighted([['festival_night', 35], ['visit_gifts', 20], ['communication', 20], ['parent_training', 10], ['competition', 10], ['other', 5]] as const);
      const status = R.weighted(p.year === 2021 ? ([['held', 35], ['held_online', 40], ['cancelled_epidemic', 15], ['postponed', 5], ['planned', 5]] as const) : ([['held', 75], ['held_online', 15], ['cancelled_epidemic', 10]] as const));
      const channel = status === 'held_online' || kind === 'communication' ? R.pick(['zoom', 'zalo', 'facebook'] as const) : 'in_person';
      const held = status === 'held' || status === 'held_online';
      const big = o.level !== 'grassroots';
      const cost = held && R.chance(0.6) ? roundUp(R.int(5, big ? 300 : 60) * 100_000, 100_000) : 0;
      if (cost && status !== 'cancelled_epidemic') unitCost += cost;
      const title = {
        festival_night: `Đêm hội trăng rằm “Vui Tết Trung thu” cho con CNVCLĐ ${o.shortName}`,
        visit_gifts: `Thăm, tặng quà các cháu có hoàn cảnh khó khăn ${o.shortName}`,
        communication: 'Truyền thông phòng, chống xâm hại trẻ em trên môi trường mạng',
        parent_training: 'Tọa đàm “Cha mẹ đồng hành cùng con học trực tuyến an toàn”',
        competition: 'Cuộc thi “Đèn Trung thu tự làm” cho con đoàn viên',
        other: 'Trao học bổng cho con CNVCLĐ vượt khó học giỏi',
      }[kind];
      const heldOn = R.date(addDays(p.deliverFrom, -5), p.deliverTo);
      const at = `${heldOn}T10:00:00.000Z`;
      await add(T.activities, [
        R.uuid(), p.row.id, o.id, kind, channel, title, heldOn, channel === 'in_person' ? `Hội trường ${o.shortName}` : `Nhóm ${channel === 'zalo' ? 'Zalo' : channel === 'zoom' ? 'Zoom' : 'Facebook'} ${o.shortName}`,
        kind === 'communication' ? ['child_protection', 'abuse_prevention', 'hotline_111'] : kind === 'festival_night' ? ['traditional_culture'] : [], null,
        held ? R.int(10, big ? 900 : 120) : 0, held ? R.int(5, big ? 400 : 80) : 0, held ? R.int(3, big ? 60 : 25) : 0,
        channel !== 'in_person' && held ? R.int(100, big ? 15_000 : 2_000) : null,
        cost, cost ? 'unit_funds' : null, status, status === 'cancelled_epidemic' ? 'Không tổ chức tập trung do giãn cách xã hội.' : null, at, at,
      ]);
    }
    return unitCost;
  };

  const lastLog = { t: performance.now() };
  let doneUnits = 0;
  let doneChildren = 0;
  for (const inter of intermediates) {
    const units = grassroots.filter((g) => g.parent === inter);
    const support: Record<number, number> = { 2021: 0, 2020: 0 };
    for (const g of units) {
      // Members: the first ones are the parents of the registered children.
      const memberIds: string[] = [];
      const memberNames: string[] = [];
      const memberMale: boolean[] = [];
      const memberFamily: string[] = [];
      for (let i = 0; i < g.members; i++) {
        const male = R.chance(0.45);
        const family = R.pick(FAMILY);
        const name = person(male, family);
        const phone = `09${R.int(10_000_000, 99_999_999)}`;
        const id = R.uuid();
        memberIds.push(id);
        memberNames.push(name);
        memberMale.push(male);
        memberFamily.push(family);
        const at = `${R.date('2019-01-01', '2021-08-20')}T02:00:00.000Z`;
        await add(T.members, [id, g.id, name, fold(name), sortKey(name), R.pick(DEPARTMENTS), phone, R.chance(0.95), matchKey(name, phone), at, at]);
      }
      // Children with the demo's spread of circumstances and achievements.
      const kids: { id: string; birth: string; groupish: boolean; excellent2021: boolean; good2021: boolean; priority2020: boolean; parent: string }[] = [];
      let parent = 0;
      let siblings = 0;
      for (let i = 0; i < g.children; i++) {
        if (siblings === 0) {
          parent = (parent + 1) % g.members;
          siblings = R.weighted([[1, 65], [2, 30], [3, 5]] as const);
        }
        siblings--;
        const male = R.chance(0.5);
        const name = person(male, memberMale[parent] ? memberFamily[parent] : R.pick(FAMILY));
        const birth = R.date('2005-10-01', '2021-08-31');
        const circ: CircumstanceEntry[] = [];
        const r = R.next();
        if (r < 0.03) circ.push({ code: 'disability', level: R.chance(0.5) ? 'mild' : 'severe' });
        else if (r < 0.045) circ.push({ code: 'dioxin' });
        else if (r < 0.1) circ.push({ code: 'poor_household' });
        else if (r < 0.15) circ.push({ code: 'near_poor_household' });
        else if (r < 0.18) circ.push({ code: 'policy_family' });
        else if (r < 0.19) circ.push({ code: 'orphan' });
        else if (r < 0.21) circ.push({ code: 'work_accident' });
        else if (r < 0.22) circ.push({ code: 'serious_illness' });
        else if (r < 0.24) circ.push({ code: 'especially_difficult', note: 'Bố mất sớm, mẹ làm lao động tự do' });
        const ach: AchievementEntry[] = [];
        const age = ageOn(birth, '2021-09-21');
        let excellent = false;
        let good = false;
        if (age >= 7 && R.chance(0.25)) ach.push({ schoolYear: '2019-2020', level: R.chance(0.3) ? 'excellent' : 'good' });
        if (age >= 6 && R.chance(0.3)) {
          const level = R.chance(0.3) ? 'excellent' : R.chance(0.5) ? 'overcoming' : 'good';
          ach.push({ schoolYear: '2020-2021', level });
          excellent = level === 'excellent';
          good = !excellent;
        }
        const school = age < 3 ? null : `Trường ${age < 6 ? 'Mầm non' : age < 11 ? 'Tiểu học' : age < 15 ? 'THCS' : 'THPT'} ${R.chance(0.6) ? R.pick(SCHOOL_NAMES) : g.place}`;
        const grade = age < 3 ? null : age < 6 ? R.pick(['Lớp mầm', 'Lớp chồi', 'Lớp lá']) : `${age - 5}${R.pick(['A', 'B', 'C', 'D'])}${age >= 15 ? R.int(1, 9) : ''}`;
        const sensitive = circ.some((c) => !['orphan', 'policy_family', 'especially_difficult'].includes(c.code));
        const regOn = R.date('2021-08-20', '2021-09-05');
        const at = `${regOn}T03:00:00.000Z`;
        const id = R.uuid();
        const parentName = memberNames[parent]!;
        await add(T.children, [
          id, g.id, name, fold(name), sortKey(name), birth, male ? 'male' : 'female', school, grade, circ, ach,
          circ.length ? consent(parentName, regOn) : null, sensitive && ageOn(birth, regOn) >= 7 ? consent(name, regOn) : null,
          dupKey(name, birth), at, at,
        ]);
        await add(T.childParents, [id, memberIds[parent]!]);
        // Now and then both parents are members of the same union.
        if (R.chance(0.04) && g.members > 1) await add(T.childParents, [id, memberIds[(parent + 1) % g.members]!]);
        kids.push({ id, birth, groupish: circ.length > 0, excellent2021: excellent, good2021: good, priority2020: circ.length > 0 || ach.some((a) => a.schoolYear === '2019-2020'), parent: parentName });
      }
      doneChildren += kids.length;

      // Benefits, the unit's money and activities, per plan.
      for (const p of plans) {
        const fate = fates.get(fateKey(p, g));
        const reports = reporting(fate);
        if (p.year === 2020 && !reports) continue;
        const standard = R.weighted([[300_000, 50], [200_000, 15], [400_000, 15], [500_000, 15], [250_000, 3], [600_000, 2]] as const);
        const useUpper = R.chance(0.25);
        const useSponsor = R.chance(0.08);
        let unitSpend = 0;
        let upperSpend = 0;
        let sponsorSpend = 0;
        const pending: Cell[][] = [];
        const share = p.year === 2020 ? 0.6 : reports ? 0.88 : fate === 'draft' ? 0.6 : R.chance(0.5) ? 0.5 : 0;
        for (const k of kids) {
          if (k.birth > festival[p.year]!) continue;
          const wants: { kind: string; value: number }[] = [];
          if (p.year === 2020) {
            if (k.priority2020 && R.chance(share)) wants.push({ kind: 'gift', value: 300_000 });
          } else {
            if (R.chance(share)) wants.push({ kind: 'gift', value: k.groupish ? standard + 200_000 : standard });
            if (k.excellent2021 && R.chance(0.4 * (share ? 1 : 0))) wants.push({ kind: 'scholarship', value: R.pick([1_000_000, 1_500_000, 2_000_000]) });
            if (k.good2021 && R.chance(0.3 * (share ? 1 : 0))) wants.push({ kind: 'reward', value: 200_000 });
          }
          for (const w of wants) {
            const source = useSponsor && R.chance(0.5) ? 'sponsor' : useUpper && R.chance(0.4) ? 'upper_funds' : 'unit_funds';
            let status: string;
            if (reports) status = R.weighted([['delivered', 95], ['approved', 4], ['cancelled', 1]] as const);
            else if (fate === 'draft') status = R.weighted([['delivered', 30], ['approved', 50], ['planned', 20]] as const);
            else status = R.weighted([['approved', 60], ['planned', 40]] as const);
            const createdOn = R.date(addDays(p.allocateOn, 1), addDays(p.approveFrom, -1));
            const approvedAt = status === 'planned' ? null : R.at(R.date(p.approveFrom, addDays(p.deliverFrom, -1)));
            const deliveredAt = status === 'delivered' ? R.at(R.date(p.deliverFrom, p.deliverTo), 8, 21) : null;
            const cancelledAt = status === 'cancelled' ? R.at(R.date(p.approveFrom, p.deliverTo)) : null;
            if (status !== 'cancelled') {
              if (source === 'unit_funds') unitSpend += w.value;
              else if (source === 'upper_funds') upperSpend += w.value;
              else sponsorSpend += w.value;
            }
            const created = R.at(createdOn);
            pending.push([
              R.uuid(), p.row.id, g.id, k.id, w.kind, w.value, source, source === 'sponsor' ? '?' : null, status, approvedAt, deliveredAt,
              deliveredAt ? k.parent : null, cancelledAt, cancelledAt ? 'Gia đình đã chuyển công tác' : null,
              status === 'planned' ? 1 : status === 'delivered' ? 3 : 2, created, deliveredAt ?? cancelledAt ?? approvedAt ?? created,
            ]);
          }
        }
        const sponsorId = sponsorSpend > 0 ? await sponsorOf(g, p, roundUp(sponsorSpend * 1.1, 1_000_000)) : null;
        for (const row of pending) {
          if (row[7] === '?') row[7] = sponsorId;
          await add(T.benefits, row);
        }
        const actCost = p.year === 2021 && g.id % 5 === 0 ? await activitiesOf(g, p, R.int(1, 2)) : 0;
        unitSpend += actCost;
        if (unitSpend > 0 || R.chance(0.5)) {
          const amount = roundUp(unitSpend * 1.1 + 500_000, 1_000_000);
          await add(T.entries, [p.row.id, g.id, 'unit_funds', null, 'in', 'allocation', amount, p.allocateOn, null, null, `Kinh phí công đoàn cơ sở chi cho Tết Trung thu ${p.year}`, `${p.allocateOn}T02:00:00.000Z`]);
        }
        if (upperSpend > 0) {
          const amount = roundUp(upperSpend, 500_000);
          const tid = R.uuid();
          const on = addDays(p.allocateOn, 3);
          const note = `${inter.shortName} hỗ trợ quà Trung thu cho con CNVCLĐ`;
          await add(T.transfers, [tid, p.row.id, inter.id, g.id, 'unit_funds', amount, on, note, `${on}T03:00:00.000Z`]);
          await add(T.entries, [p.row.id, inter.id, 'unit_funds', null, 'out', 'transfer_out', amount, on, null, tid, note, `${on}T03:00:00.000Z`]);
          await add(T.entries, [p.row.id, g.id, 'upper_funds', null, 'in', 'transfer_in', amount, on, null, tid, note, `${on}T03:00:00.000Z`]);
          support[p.year]! += amount;
        }
      }
      doneUnits++;
    }

    // The intermediate union's own part: sponsors, activities, commendations, and the money it passed down.
    for (const p of plans) {
      const own = p.year === 2021 ? await activitiesOf(inter, p, R.int(3, 5)) : await activitiesOf(inter, p, 1);
      for (let s = R.int(p.year === 2021 ? 2 : 1, p.year === 2021 ? 5 : 2); s > 0; s--) await sponsorOf(inter, p, R.int(5, 80) * 1_000_000);
      const amount = roundUp((support[p.year]! + own) * 1.05 + 10_000_000, 10_000_000);
      await add(T.entries, [p.row.id, inter.id, 'unit_funds', null, 'in', 'allocation', amount, addDays(p.allocateOn, -2), null, null, `Trích kinh phí công đoàn chăm lo Tết Trung thu ${p.year}`, `${p.allocateOn}T01:00:00.000Z`]);
      if (p.year === 2021) {
        for (let k = R.int(1, 3); k > 0; k--) {
          await add(T.commendations, [R.uuid(), p.row.id, inter.id, 'person', person(R.chance(0.4)), 'Chủ tịch công đoàn cơ sở', null, 'Có thành tích xuất sắc trong tổ chức Tết Trung thu cho con CNVCLĐ', `${R.int(10, 99)}/QĐ-LĐLĐ`, '2021-10-05', '2021-10-05T03:00:00.000Z']);
        }
      }
    }
    if (performance.now() - lastLog.t > 10_000) {
      lastLog.t = performance.now();
      const s = (performance.now() - started) / 1000;
      log(`  … ${doneUnits.toLocaleString('en')} / ${grassroots.length.toLocaleString('en')} units, ${doneChildren.toLocaleString('en')} children (${Math.round(doneChildren / s).toLocaleString('en')} children/s)`);
    }
  }
  // The regions' and the root's own part (a festival night, sponsors) when there are regions.
  for (const reg of regions) {
    if (reg.org === root) continue;
    for (const p of plans) {
      const own = await activitiesOf(reg.org, p, p.year === 2021 ? 2 : 1);
      await sponsorOf(reg.org, p, R.int(50, 500) * 1_000_000);
      await add(T.entries, [p.row.id, reg.org.id, 'unit_funds', null, 'in', 'allocation', roundUp(own + 50_000_000, 10_000_000), p.allocateOn, null, null, `Kinh phí chăm lo Tết Trung thu ${p.year}`, `${p.allocateOn}T01:00:00.000Z`]);
    }
  }
  await bulk.flush();
  log(`Registers written: ${doneChildren.toLocaleString('en')} children, ${sponsorSeq.toLocaleString('en')} sponsorships`);

  // ---- Acknowledgements of the plans --------------------------------------------------------------------
  const officerNames = Array.from({ length: 40 }, () => person(R.chance(0.3)));
  for (const p of plans) {
    const ackIds: number[] = [];
    const ackAt: string[] = [];
    const ackBy: string[] = [];
    for (const o of orgsList) {
      if (o === root) continue;
      const fate = fates.get(fateKey(p, o));
      if (fate === 'none' ? !R.chance(0.6) : false) continue;
      ackIds.push(o.id);
      ackAt.push(R.at(R.date(addDays(p.row.issueDate, 0), addDays(p.row.issueDate, 6))));
      ackBy.push(R.pick(officerNames));
    }
    for (let i = 0; i < ackIds.length; i += 20_000) {
      await db.execute(sql`
        update campaign_assignments a set acknowledged_at = v.at::timestamptz, acknowledged_by_name = v.name
        from (select unnest(string_to_array(${ackIds.slice(i, i + 20_000).join(',')}, ',')::int[]) as org_id,
                     unnest(string_to_array(${ackAt.slice(i, i + 20_000).join(',')}, ',')) as at,
                     unnest(string_to_array(${ackBy.slice(i, i + 20_000).join('|')}, '|')) as name) v
        where a.campaign_id = ${p.row.id} and a.org_id = v.org_id`);
    }
  }

  // ---- Indexes and statistics before the reports are derived -------------------------------------------
  await database.executeSql('analyze');

  // ---- Reports: snapshots composed from bulk-derived figures (equal to deriveOwn's) -----------------------
  // The kept totals (report_totals, decision 014) are filled once from the loaded reports instead of by the
  // trigger row by row (at city scale 170 s against 4 s).
  await database.executeSql('alter table reports disable trigger reports_totals');
  for (const p of plans) {
    const t = await templateOf(db, p.row.id);
    const units = orgsList.filter((o) => o !== root && fates.get(fateKey(p, o)) !== 'none');
    const step = database.kind === 'pglite' ? 2_000 : 10_000;
    for (let i = 0; i < units.length; i += step) {
      const chunk = units.slice(i, i + step);
      const derived = await deriveOwnBulk(db, p.row, chunk.map((o) => o.id));
      for (const o of chunk) {
        const fate = fates.get(fateKey(p, o))!;
        const manual = { ...R.pick(MANUAL_WORDS) };
        const created = R.at(R.date(addDays(p.deliverTo, -3), p.deliverTo));
        if (fate === 'draft') {
          await add(T.reports, [R.uuid(), p.row.id, o.id, 'draft', manual, null, null, null, null, null, null, 2, created, created]);
          continue;
        }
        const figures = composeFigures(t, derived.get(o.id)!, manual);
        const late = fate === 'late';
        const submitted = late ? R.at(R.date(addDays(p.deadline, 1), addDays(p.deadline, 6))) : R.at(R.date(addDays(p.deliverTo, 1), p.deadline));
        const subDay = submitted.slice(0, 10);
        const status = fate === 'late' ? 'submitted' : fate;
        const returned = fate === 'returned' ? R.at(addDays(subDay, 1)) : null;
        const approved = fate === 'approved' ? R.at(R.date(addDays(subDay, 1), addDays(subDay, 4))) : null;
        const updated = approved ?? returned ?? submitted;
        await add(T.reports, [
          R.uuid(), p.row.id, o.id, status, manual, figures, submitted, late, returned,
          returned ? 'Đề nghị bổ sung số lượt phụ huynh tham gia và khó khăn khi tặng quà trong thời gian giãn cách.' : null,
          approved, status === 'submitted' ? 3 : 4, created, updated,
        ]);
      }
    }
  }
  await bulk.flush();
  await database.executeSql('alter table reports enable trigger reports_totals');
  const planIds = plans.map((p) => p.row.id);
  await db.execute(sql`delete from report_totals where campaign_id = any(string_to_array(${planIds.join(',')}, ',')::uuid[])`);
  await db.execute(sql`
    insert into report_totals (campaign_id, org_id, status, reports, figures)
    select campaign_id, org_id, status, reports, figures from report_totals_recomputed
    where campaign_id = any(string_to_array(${planIds.join(',')}, ',')::uuid[])`);
  await closeCampaign(db, admin, c2020.id);

  // ---- Sensitive columns encrypted as the app stores them ------------------------------------------------
  // The registers were written in plaintext (COPY) so that the figures above could be derived in SQL
  // (circumstances @> …); the app's own re-encryption pass then encrypts them, as after an upgrade.
  const enc = await reencryptSensitiveData(db, { batch: database.kind === 'pglite' ? 5_000 : 20_000 });
  const encrypted = enc.circumstances + enc.idNumbers;
  log(`Sensitive columns encrypted: ${encrypted.toLocaleString('en')} values in ${enc.seconds.toFixed(1)} s (${Math.round(encrypted / Math.max(enc.seconds, 0.001)).toLocaleString('en')} values/s)`);
  await database.executeSql('analyze');
  const seconds = (performance.now() - started) / 1000;
  log(`Reports written; done in ${seconds.toFixed(0)} s`);
  return { rootId: root.id, rootCode, campaign2021: c2021.id, campaign2020: c2020.id, counts, rates: bulk.rates, seconds };
}
