import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { children, orgs } from '../../db/schema/index';
import { SENSITIVE_CIRCUMSTANCES } from '../../../common/children';
import { PRIORITY_GROUPS } from '../../../common/campaigns';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';

let t: TestContext;
let cdcs1: Client;
let viewer: Client;
let longbien: Client;
let gt: number;
let plan45: string;

beforeAll(async () => {
  t = await createTestContext();
  cdcs1 = await t.signIn('cdcs1@lantern.test');
  viewer = await t.signIn('kiemtra@lantern.test');
  longbien = await t.signIn('longbien@lantern.test');
  gt = await orgId(cdcs1, 'LB-THCS-GT');
  plan45 = (await longbien.get('/api/v1/campaigns?year=2021')).body.items.find((c: { docNumber: string }) => c.docNumber === '45/KH-LĐLĐ').id;
});
afterAll(() => t.close());

const consent = (givenBy: string) => ({ givenBy, date: '2026-11-20', method: 'paper' as const });

describe('the register', () => {
  it('lists a union’s children in Vietnamese order, searchable without diacritics', async () => {
    const res = await cdcs1.get(`/api/v1/orgs/${gt}/children?limit=200`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBeGreaterThanOrEqual(20);
    const names: string[] = res.body.items.map((c: { fullName: string }) => c.fullName);
    const collator = new Intl.Collator('vi');
    expect(names).toEqual([...names].sort((a, b) => collator.compare(a, b)));
    const found = await cdcs1.get(`/api/v1/orgs/${gt}/children?q=${encodeURIComponent('nguyen minh khang')}`);
    expect(found.body.items.map((c: { fullName: string }) => c.fullName)).toEqual(['Nguyễn Minh Khang']);
    const other = await orgId(longbien, 'LB-BV-DG');
    expect((await cdcs1.get(`/api/v1/orgs/${other}/children`)).status).toBe(404);
  });

  it('shows sensitive circumstances only to callers with the permission', async () => {
    // Circumstances are encrypted at rest (decision 013): counted after Drizzle decrypts them.
    const rows = await t.database.db
      .select({ circumstances: children.circumstances })
      .from(children)
      .innerJoin(orgs, eq(orgs.id, children.orgId))
      .where(sql`${orgs.path} <@ (select path from orgs where code = 'HN-LB')`);
    const sensitiveCount = rows.filter((r) => (r.circumstances as { code: string }[]).some((e) => SENSITIVE_CIRCUMSTANCES.has(e.code as never))).length;
    expect(sensitiveCount).toBeGreaterThan(0);
    const lb = await orgId(longbien, 'HN-LB');
    for (const c of [viewer, longbien]) {
      const res = await c.get(`/api/v1/orgs/${lb}/children?limit=500`);
      expect(res.status).toBe(200);
      const body = JSON.stringify(res.body);
      for (const code of SENSITIVE_CIRCUMSTANCES) expect(body).not.toContain(`"${code}"`);
      expect(res.body.items.filter((x: { sensitiveHidden: boolean }) => x.sensitiveHidden).length).toBeGreaterThan(0);
      const eligible = await c.get(`/api/v1/campaigns/${plan45}/eligible?orgId=${lb}`);
      for (const g of ['disabled_or_dioxin', 'poor_household', 'near_poor_household', 'work_accident', 'serious_illness'])
        expect(JSON.stringify(eligible.body)).not.toContain(`"${g}"`);
      expect((await c.get(`/api/v1/orgs/${lb}/children?campaignId=${plan45}&group=poor_household`)).status).toBe(403);
    }
    const own = await cdcs1.get(`/api/v1/orgs/${gt}/children?limit=200`);
    expect(own.body.items.every((x: { sensitiveHidden: boolean }) => x.sensitiveHidden === false)).toBe(true);
  });

  it('logs each read of sensitive circumstances by a permitted user (who, which children, when), and none for others', async () => {
    const db = t.database.db;
    const count = async () => Number(((await db.execute(sql`select count(*)::int as n from audit_log where action = 'child.sensitive_read'`)).rows[0] as { n: number }).n);
    const before = await count();
    const lb = await orgId(longbien, 'HN-LB');
    await viewer.get(`/api/v1/orgs/${lb}/children?limit=500`);
    await longbien.get(`/api/v1/orgs/${lb}/children?limit=500`);
    expect(await count()).toBe(before);
    const own = await cdcs1.get(`/api/v1/orgs/${gt}/children?limit=200`);
    const withSensitive = (own.body.items as { id: string; circumstances: { code: string }[] }[])
      .filter((c) => c.circumstances.some((x) => SENSITIVE_CIRCUMSTANCES.has(x.code as never)))
      .map((c) => c.id);
    expect(withSensitive.length).toBeGreaterThan(0);
    const [row] = (
      await db.execute(sql`select actor_email, after, at from audit_log where action = 'child.sensitive_read' order by id desc limit 1`)
    ).rows as { actor_email: string; after: { childIds: string[]; via: string }; at: string }[];
    expect(row!.actor_email).toBe('cdcs1@lantern.test');
    expect(row!.after.childIds.sort()).toEqual(withSensitive.sort());
    await cdcs1.get(`/api/v1/children/${withSensitive[0]}`);
    const [single] = (await db.execute(sql`select entity_id from audit_log where action = 'child.sensitive_read' order by id desc limit 1`)).rows as { entity_id: string }[];
    expect(single!.entity_id).toBe(withSensitive[0]);
  });

  it('refuses sensitive circumstances without recorded consent, the child’s own from age 7', async () => {
    const base = { orgId: gt, fullName: 'Lê Thị Bảo Ngọc', birthDate: '2016-05-04', sex: 'female', parents: [{ fullName: 'Lê Văn Tâm', phone: '0903 111 222', department: 'Tổ Ngữ văn' }] };
    const none = await cdcs1.post('/api/v1/children', { ...base, circumstances: [{ code: 'disability', level: 'mild' }] });
    expect(none.status).toBe(422);
    expect(none.body.error.message).toBe('Hoàn cảnh nhạy cảm (sức khỏe, khuyết tật, nghèo) chỉ được lưu khi đã ghi nhận sự đồng ý của cha/mẹ.');
    const parentOnly = await cdcs1.post('/api/v1/children', { ...base, circumstances: [{ code: 'disability', level: 'mild' }], parentConsent: consent('Lê Văn Tâm') });
    expect(parentOnly.status).toBe(422);
    expect(parentOnly.body.error.fields).toHaveProperty('childConsent');
    const ok = await cdcs1.post('/api/v1/children', {
      ...base,
      fullName: 'Lê Thị Bảo Ngọc'.normalize('NFD'),
      circumstances: [{ code: 'disability', level: 'mild' }],
      parentConsent: consent('Lê Văn Tâm'),
      childConsent: consent('Lê Thị Bảo Ngọc'),
    });
    expect(ok.status).toBe(201);
    expect(ok.body.fullName).toBe('Lê Thị Bảo Ngọc'.normalize('NFC'));
    expect(ok.body.circumstances).toEqual([{ code: 'disability', level: 'mild' }]);
    expect(ok.body.parentConsent).toMatchObject({ givenBy: 'Lê Văn Tâm', method: 'paper', recordedBy: 'cdcs1@lantern.test' });
    const twice = await cdcs1.post('/api/v1/children', { ...base, parents: base.parents });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toBe('Đơn vị đã có trẻ "Lê Thị Bảo Ngọc" sinh ngày 04/05/2016.');
    const future = await cdcs1.post('/api/v1/children', { ...base, fullName: 'Trẻ Tương Lai', birthDate: '2099-01-01' });
    expect(future.status).toBe(422);
    expect(future.body.error.message).toBe('Ngày sinh không được sau ngày hôm nay.');

    // A federation officer without the permission can neither set nor erase sensitive circumstances.
    expect((await longbien.patch(`/api/v1/children/${ok.body.id}`, { circumstances: [{ code: 'poor_household' }] })).status).toBe(403);
    const seen = await longbien.patch(`/api/v1/children/${ok.body.id}`, { circumstances: [{ code: 'policy_family' }] });
    expect(seen.status).toBe(200);
    expect(seen.body.circumstances).toEqual([{ code: 'policy_family' }]);
    expect(seen.body.sensitiveHidden).toBe(true);
    const own = (await cdcs1.get(`/api/v1/children/${ok.body.id}`)).body;
    expect(own.circumstances.map((c: { code: string }) => c.code).sort()).toEqual(['disability', 'policy_family']);
    const stale = await cdcs1.patch(`/api/v1/children/${ok.body.id}`, { school: 'Trường Tiểu học Gia Thụy', version: ok.body.version });
    expect(stale.status).toBe(409);
    const audit = await t.database.db.execute(sql`select after from audit_log where entity_id = ${ok.body.id} and action = 'child.create'`);
    expect(JSON.stringify(audit.rows)).not.toContain('disability');
  });
});

describe('duplicates and eligibility', () => {
  it('flags the child registered by two unions on both sides, until an officer rules otherwise', async () => {
    const mine = (await cdcs1.get(`/api/v1/orgs/${gt}/children?q=${encodeURIComponent('Nguyễn Minh Khang')}`)).body.items[0];
    expect(mine.duplicates).toEqual([expect.objectContaining({ orgName: 'Công đoàn Bệnh viện Đa khoa Đức Giang' })]);
    const cdcs2 = await t.signIn('cdcs2@lantern.test');
    const theirs = (await cdcs2.get(`/api/v1/children/${mine.duplicates[0].childId}`)).body;
    expect(theirs.duplicates).toEqual([expect.objectContaining({ childId: mine.id, orgName: 'Công đoàn Trường THCS Gia Thụy' })]);
    const eligible = (await cdcs1.get(`/api/v1/campaigns/${plan45}/eligible?orgId=${gt}`)).body.items;
    expect(eligible.find((e: { childId: string }) => e.childId === mine.id).duplicates).toHaveLength(1);

    expect((await cdcs1.post(`/api/v1/children/${mine.id}/not-duplicate`, { otherChildId: theirs.id, reason: 'Hai cháu khác nhau, trùng tên và ngày sinh' })).status).toBe(204);
    expect((await cdcs1.get(`/api/v1/children/${mine.id}`)).body.duplicates).toEqual([]);
    expect((await cdcs2.get(`/api/v1/children/${theirs.id}`)).body.duplicates).toEqual([]);
    const audit = await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'child.not_duplicate' and entity_id = ${mine.id}`);
    expect((audit.rows[0] as { n: number }).n).toBe(1);
  });

  it('lists the eligible children of a campaign in priority order, under the age limit on the festival day', async () => {
    const res = await cdcs1.get(`/api/v1/campaigns/${plan45}/eligible?orgId=${gt}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ festivalDate: '2021-09-21', ageLimit: 16 });
    const items = res.body.items as { rank: number; birthDate: string; ageOnFestival: number; priorityGroup: string; fullName: string }[];
    expect(items.length).toBeGreaterThan(5);
    // Independent check: children of the unit born after 21/09/2005 and already born on the festival day.
    const all = (await cdcs1.get(`/api/v1/orgs/${gt}/children?limit=500`)).body.items as { birthDate: string }[];
    const expected = all.filter((c) => c.birthDate > '2005-09-21' && c.birthDate <= '2021-09-21').length;
    expect(expected).toBeLessThan(all.length); // the register also holds children born after that Trung thu
    expect(items).toHaveLength(expected);
    expect(items.every((c) => c.ageOnFestival < 16)).toBe(true);
    const rankOf = (g: string) => (g === 'other' ? PRIORITY_GROUPS.length : PRIORITY_GROUPS.indexOf(g as never));
    for (let i = 1; i < items.length; i++) {
      const a = items[i - 1]!;
      const b = items[i]!;
      expect(rankOf(a.priorityGroup) <= rankOf(b.priorityGroup), `${a.fullName} before ${b.fullName}`).toBe(true);
      if (a.priorityGroup === b.priorityGroup) expect(a.birthDate >= b.birthDate).toBe(true); // the younger first
    }
    expect(items.map((c) => c.rank)).toEqual(items.map((_, i) => i + 1));
  });
});

describe('the register follows the tree', () => {
  it('a merge moves the merged union’s members and children to the survivor', async () => {
    const hanoi = await t.signIn('hanoi@lantern.test');
    const from = await orgId(hanoi, 'LB-VT-LB');
    const to = await orgId(hanoi, 'LB-XD-LB');
    const count = async (id: number) => ((await t.database.db.execute(sql`select count(*)::int as n from children where org_id = ${id}`)).rows[0] as { n: number }).n;
    const [a, b] = [await count(from), await count(to)];
    expect(a).toBeGreaterThan(0);
    expect((await hanoi.post(`/api/v1/orgs/${from}/merge`, { survivorId: to })).status).toBe(200);
    expect(await count(from)).toBe(0);
    expect(await count(to)).toBe(a + b);
    const members = await t.database.db.execute(sql`select count(*)::int as n from members where org_id = ${from}`);
    expect((members.rows[0] as { n: number }).n).toBe(0);
  });
});
