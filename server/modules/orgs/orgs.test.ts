import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';
import type { OrgNode } from './orgs.schemas';

let t: TestContext;
let admin: Client;
let longbien: Client;
beforeAll(async () => {
  t = await createTestContext();
  admin = await t.signIn('admin@lantern.test');
  longbien = await t.signIn('longbien@lantern.test');
});
afterAll(() => t.close());

function codes(node: OrgNode): string[] {
  return [node.code, ...node.children.flatMap(codes)];
}

/** Live units below (and including) a unit, computed with a plain recursive query over parent ids. */
async function expectedSubtree(code: string): Promise<string[]> {
  const res = await t.database.db.execute(sql`
    with recursive s as (select id, code from orgs where code = ${code} and status = 'active'
      union all select o.id, o.code from orgs o join s on o.parent_id = s.id where o.status = 'active')
    select code from s`);
  return (res.rows as { code: string }[]).map((r) => r.code).sort();
}

describe('each demo account sees exactly its part of the tree', () => {
  const cases: [string, string][] = [
    ['admin@lantern.test', 'HN'],
    ['hanoi@lantern.test', 'HN'],
    ['longbien@lantern.test', 'HN-LB'],
    ['kiemtra@lantern.test', 'HN-LB'],
    ['cdcs1@lantern.test', 'LB-THCS-GT'],
    ['cdcs2@lantern.test', 'LB-BV-DG'],
    ['hoankiem@lantern.test', 'HN-HK'],
  ];
  for (const [email, root] of cases) {
    it(`${email} → ${root}`, async () => {
      const c = await t.signIn(email);
      const res = await c.get('/api/v1/orgs/tree');
      expect(res.status).toBe(200);
      expect(res.body.code).toBe(root);
      expect(codes(res.body).sort()).toEqual(await expectedSubtree(root));
      const list = await c.get('/api/v1/orgs?limit=500');
      expect(list.body.items.map((o: { code: string }) => o.code).sort()).toEqual(await expectedSubtree(root));
      expect(list.body.total).toBe((await expectedSubtree(root)).length);
    });
  }

  it('shows the city over the district over at least 12 grassroots unions', async () => {
    const res = await (await t.signIn('hanoi@lantern.test')).get('/api/v1/orgs/tree');
    expect(res.body.name).toBe('Liên đoàn Lao động Thành phố Hà Nội');
    const lb = res.body.children.find((c: OrgNode) => c.code === 'HN-LB');
    expect(lb.name).toBe('Liên đoàn Lao động quận Long Biên');
    expect(lb.children.filter((c: OrgNode) => c.kind === 'grassroots').length).toBeGreaterThanOrEqual(12);
  });

  it('a unit officer gets 404, not 403, for another unit', async () => {
    const cdcs1 = await t.signIn('cdcs1@lantern.test');
    const other = await orgId(admin, 'LB-BV-DG');
    const res = await cdcs1.get(`/api/v1/orgs/${other}`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('Không tìm thấy đơn vị.');
    expect((await cdcs1.get(`/api/v1/orgs/${other}/history`)).status).toBe(404);
    const own = await cdcs1.get(`/api/v1/orgs/${await orgId(cdcs1, 'LB-THCS-GT')}`);
    expect(own.status).toBe(200);
    expect(own.body.permissions).toEqual({ update: false, move: false, merge: false, dissolve: false, createChild: false });
  });

  it('a district officer cannot reach the other district, even to write', async () => {
    const hk = await orgId(admin, 'HN-HK');
    expect((await longbien.get(`/api/v1/orgs/${hk}`)).status).toBe(404);
    const res = await longbien.post('/api/v1/orgs', { parentId: hk, code: 'HK-NEW', name: 'Công đoàn thử', kind: 'grassroots' });
    expect(res.status).toBe(404);
  });
});

describe('adding and editing units', () => {
  it('adds a unit (201) and refuses a live code twice (409, in Vietnamese)', async () => {
    const parentId = await orgId(longbien, 'HN-LB');
    const res = await longbien.post('/api/v1/orgs', {
      parentId,
      code: 'LB-MN-GT',
      name: 'Công đoàn Trường Mầm non Gia Thượng',
      kind: 'grassroots',
      emails: ['cd.mngiathuong@longbien.edu.vn'],
      phone: '024 3827 8899',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: 'LB-MN-GT', kind: 'grassroots', parentId, status: 'active', emails: ['cd.mngiathuong@longbien.edu.vn'] });
    expect(res.body.ancestors.map((a: { code: string }) => a.code)).toEqual(['HN', 'HN-LB']);
    const dup = await longbien.post('/api/v1/orgs', { parentId, code: 'LB-MN-GT', name: 'Trùng mã', kind: 'grassroots' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('Mã đơn vị "LB-MN-GT" đã được dùng cho một đơn vị đang hoạt động.');
    expect(dup.body.error.fields.code).toBeTruthy();
  });

  it('validates input with field messages and never a stack trace', async () => {
    const res = await longbien.post('/api/v1/orgs', { parentId: 'x', code: 'có dấu', name: '', kind: 'company' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['code', 'kind', 'name', 'parentId']);
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|select |insert /i);
  });

  it('refuses units under a grassroots union', async () => {
    const gt = await orgId(longbien, 'LB-THCS-GT');
    const res = await longbien.post('/api/v1/orgs', { parentId: gt, code: 'LB-TO-1', name: 'Tổ công đoàn 1', kind: 'grassroots' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('Công đoàn cơ sở không có đơn vị trực thuộc.');
  });

  it('a viewer and a unit officer cannot write (403)', async () => {
    const parentId = await orgId(longbien, 'HN-LB');
    for (const email of ['kiemtra@lantern.test', 'cdcs1@lantern.test']) {
      const c = await t.signIn(email);
      const res = await c.post('/api/v1/orgs', { parentId, code: 'LB-NOPE', name: 'Không được', kind: 'grassroots' });
      expect(res.status).toBe(403);
    }
  });

  it('renames with history and refuses a stale edit', async () => {
    const id = await orgId(longbien, 'LB-VT-LB');
    const before = (await longbien.get(`/api/v1/orgs/${id}`)).body;
    const res = await longbien.patch(`/api/v1/orgs/${id}`, { name: 'Công đoàn Công ty CP Vận tải Long Biên', version: before.version });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Công đoàn Công ty CP Vận tải Long Biên');
    const stale = await longbien.patch(`/api/v1/orgs/${id}`, { name: 'Tên khác', version: before.version });
    expect(stale.status).toBe(409);
    const history = (await longbien.get(`/api/v1/orgs/${id}/history`)).body.items;
    expect(history.map((h: { name: string }) => h.name)).toEqual(['Công đoàn Công ty CP Vận tải Thủy bộ Long Biên', 'Công đoàn Công ty CP Vận tải Long Biên']);
    expect(history.map((h: { parentName: string }) => h.parentName)).toEqual(['Liên đoàn Lao động quận Long Biên', 'Liên đoàn Lao động quận Long Biên']);
    const audit = await t.database.db.execute(sql`select before, after from audit_log where action = 'org.update' and entity_id = ${String(id)}`);
    expect(audit.rows).toHaveLength(1);
    expect((audit.rows[0] as { before: { name: string } }).before.name).toBe('Công đoàn Công ty CP Vận tải Thủy bộ Long Biên');
  });
});

describe('moves, merges and dissolutions keep history', () => {
  it('a move keeps the tree of an earlier date readable', async () => {
    const hanoi = await t.signIn('hanoi@lantern.test');
    const unit = await orgId(hanoi, 'LB-MAY-DG');
    const hk = await orgId(hanoi, 'HN-HK');
    const res = await hanoi.post(`/api/v1/orgs/${unit}/move`, { newParentId: hk, effectiveDate: '2025-07-01' });
    expect(res.status).toBe(200);
    expect(res.body.ancestors.map((a: { code: string }) => a.code)).toEqual(['HN', 'HN-HK']);

    const now = (await longbien.get('/api/v1/orgs/tree')).body;
    expect(codes(now)).not.toContain('LB-MAY-DG');
    const then = (await longbien.get('/api/v1/orgs/tree?date=2021-09-21')).body;
    expect(then.date).toBe('2021-09-21');
    expect(codes(then)).toContain('LB-MAY-DG');
    const hkNow = (await (await t.signIn('hoankiem@lantern.test')).get('/api/v1/orgs/tree')).body;
    expect(codes(hkNow)).toContain('LB-MAY-DG');
    // The district officer no longer reaches it.
    expect((await longbien.get(`/api/v1/orgs/${unit}`)).status).toBe(404);
    // A unit cannot move below itself, and the district cannot move itself.
    expect((await hanoi.post(`/api/v1/orgs/${hk}/move`, { newParentId: unit })).status).toBe(422);
    expect((await longbien.post(`/api/v1/orgs/${await orgId(longbien, 'HN-LB')}/move`, { newParentId: hk })).status).toBe(403);
  });

  it('a move dated before the unit’s last change is refused with the date', async () => {
    const unit = await orgId(longbien, 'LB-DT-SD');
    const target = await orgId(longbien, 'HN-LB');
    await longbien.post('/api/v1/orgs', { parentId: target, code: 'LB-KCN', name: 'Công đoàn Khu công nghiệp Sài Đồng', kind: 'sector_union' });
    const res = await longbien.post(`/api/v1/orgs/${unit}/move`, { newParentId: await orgId(longbien, 'LB-KCN'), effectiveDate: '2015-01-01' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/Ngày hiệu lực không được trước ngày \d{2}\/\d{2}\/\d{4}/);
  });

  it('a merge moves child units and people to the survivor, and the old tree still shows the merged unit', async () => {
    const hanoi = await t.signIn('hanoi@lantern.test');
    // A sector union with one grassroots union and an officer account, merged into the Long Biên federation.
    const lb = await orgId(hanoi, 'HN-LB');
    const hn = await orgId(hanoi, 'HN');
    const sector = (await hanoi.post('/api/v1/orgs', { parentId: hn, code: 'HN-CDN-GD', name: 'Công đoàn ngành Giáo dục Hà Nội', kind: 'sector_union', validFrom: '2020-01-01' })).body;
    const school = (await hanoi.post('/api/v1/orgs', { parentId: sector.id, code: 'GD-THPT-VN', name: 'Công đoàn Trường THPT Việt Nam - Ba Lan', kind: 'grassroots', validFrom: '2020-01-01' })).body;
    const officer = await hanoi.post('/api/v1/users', { email: 'nganhgd@lantern.test', fullName: 'Hoàng Thị Mai', role: 'federation_officer', orgId: sector.id });
    expect(officer.status).toBe(201);

    const res = await hanoi.post(`/api/v1/orgs/${sector.id}/merge`, { survivorId: lb, effectiveDate: '2024-01-01' });
    expect(res.status).toBe(200);
    expect(res.body.code).toBe('HN-LB');
    expect(res.body.children.map((c: { code: string }) => c.code)).toContain('GD-THPT-VN');
    expect(res.body.children.every((c: { parentName: string }) => c.parentName === 'Liên đoàn Lao động quận Long Biên')).toBe(true);

    const merged = (await hanoi.get(`/api/v1/orgs/${sector.id}`)).body;
    expect(merged).toMatchObject({ status: 'merged', validTo: '2024-01-01', mergedIntoId: lb });
    const movedSchool = (await hanoi.get(`/api/v1/orgs/${school.id}`)).body;
    expect(movedSchool.parentId).toBe(lb);
    const user = (await hanoi.get(`/api/v1/users/${officer.body.id}`)).body;
    expect(user.grants.map((g: { orgCode: string }) => g.orgCode)).toEqual(['HN-LB']);

    const before = (await hanoi.get('/api/v1/orgs/tree?date=2023-06-01')).body;
    const sectorThen = before.children.find((c: OrgNode) => c.code === 'HN-CDN-GD');
    expect(sectorThen.children.map((c: OrgNode) => c.code)).toEqual(['GD-THPT-VN']);
    const after = (await hanoi.get('/api/v1/orgs/tree?date=2024-06-01')).body;
    expect(codes(after)).not.toContain('HN-CDN-GD');
    expect(after.children.find((c: OrgNode) => c.code === 'HN-LB').children.map((c: OrgNode) => c.code)).toContain('GD-THPT-VN');

    const history = (await hanoi.get(`/api/v1/orgs/${sector.id}/history`)).body.items;
    expect(history.at(-1)).toMatchObject({ event: 'merged', validFrom: '2024-01-01' });
    // The code of an ended unit is free again.
    expect((await hanoi.post('/api/v1/orgs', { parentId: hn, code: 'HN-CDN-GD', name: 'Công đoàn ngành Giáo dục Hà Nội (mới)', kind: 'sector_union' })).status).toBe(201);
  });

  it('the demo history: the 2024 merger shows on the tree of Trung thu 2021', async () => {
    const then = (await longbien.get('/api/v1/orgs/tree?date=2021-09-21')).body;
    expect(codes(then)).toContain('LB-XD-SD');
    expect(codes((await longbien.get('/api/v1/orgs/tree')).body)).not.toContain('LB-XD-SD');
  });

  it("a merge before a plan's festival takes the merged unit's benefits and what is left of its money to the survivor", async () => {
    const db = t.database.db;
    const idOf = async (code: string) => ((await db.execute(sql`select id from orgs where code = ${code} and status = 'active'`)).rows[0] as { id: number }).id;
    const from = await idOf('LB-UBND-BD');
    const to = await idOf('LB-TTYT');
    const plan = ((await db.execute(sql`select id from campaigns where doc_number = '45/KH-LĐLĐ'`)).rows[0] as { id: string }).id;
    const benefitIds = (await db.execute(sql`select id from benefits where campaign_id = ${plan} and org_id = ${from} and status <> 'cancelled'`)).rows.map((r) => (r as { id: string }).id);
    const balance = async (org: number) =>
      Number(
        (
          (
            await db.execute(sql`
              select (select coalesce(sum(case when direction = 'in' then amount else -amount end), 0) from fund_entries where campaign_id = ${plan} and org_id = ${org})
                   - (select coalesce(sum(value), 0) from benefits where campaign_id = ${plan} and org_id = ${org} and status <> 'cancelled')
                   - (select coalesce(sum(cost), 0) from activities where campaign_id = ${plan} and org_id = ${org} and cost_source is not null
                        and status not in ('cancelled_epidemic', 'cancelled_other')) as b`)
          ).rows[0] as { b: string }
        ).b,
      );
    const before = { from: await balance(from), to: await balance(to) };
    expect(benefitIds.length).toBeGreaterThan(0);
    // Plan 45's festival was 21/09/2021: a merge on 10/09/2021 falls inside the campaign.
    const res = await longbien.post(`/api/v1/orgs/${from}/merge`, { survivorId: to, effectiveDate: '2021-09-10' });
    expect(res.status).toBe(200);
    const moved = await db.execute(sql`select count(*)::int as n from benefits where id = any(string_to_array(${benefitIds.join(',')}, ',')::uuid[]) and org_id = ${to}`);
    expect((moved.rows[0] as { n: number }).n).toBe(benefitIds.length);
    expect(await balance(from)).toBe(0);
    expect(await balance(to)).toBe(before.to + before.from);
  });

  it('dissolves a unit without children; refuses one with live children', async () => {
    const hanoi = await t.signIn('hanoi@lantern.test');
    const lb = await orgId(hanoi, 'HN-LB');
    const blocked = await hanoi.post(`/api/v1/orgs/${lb}/dissolve`, {});
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.message).toMatch(/^Đơn vị còn \d+ đơn vị trực thuộc đang hoạt động/);
    const unit = await orgId(longbien, 'LB-TH-NL');
    const res = await longbien.post(`/api/v1/orgs/${unit}/dissolve`, { reason: 'Trường công lập tự chủ, giải thể CĐCS theo chủ trương 2025' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('dissolved');
    expect(codes((await longbien.get('/api/v1/orgs/tree')).body)).not.toContain('LB-TH-NL');
    const again = await longbien.post(`/api/v1/orgs/${unit}/dissolve`);
    expect(again.status).toBe(422);
    const listAll = await longbien.get('/api/v1/orgs?q=ngoc lam&status=all');
    expect(listAll.body.items[0]).toMatchObject({ code: 'LB-TH-NL', status: 'dissolved' });
  });
});

describe('search and order', () => {
  it('finds by name or code without diacritics, NFC or NFD alike', async () => {
    for (const q of ['long bien', 'LONG BIÊN', 'Long Biên'.normalize('NFD'), 'hn-lb']) {
      const res = await longbien.get(`/api/v1/orgs?q=${encodeURIComponent(q)}`);
      expect(res.body.items.map((o: { code: string }) => o.code), q).toContain('HN-LB');
    }
    const duc = await longbien.get(`/api/v1/orgs?q=${encodeURIComponent('duc giang')}`);
    expect(duc.body.items.map((o: { code: string }) => o.code)).toContain('LB-BV-DG');
    const none = await (await t.signIn('hoankiem@lantern.test')).get('/api/v1/orgs?q=gia%20thuy');
    expect(none.body).toEqual({ items: [], total: 0 });
    const wild = await longbien.get(`/api/v1/orgs?q=${encodeURIComponent('%')}`);
    expect(wild.body.total).toBe(0);
  });

  it('lists in Vietnamese order', async () => {
    const res = await longbien.get('/api/v1/orgs?limit=500');
    const names: string[] = res.body.items.map((o: { name: string }) => o.name);
    const collator = new Intl.Collator('vi');
    const expected = [...names].sort((a, b) => collator.compare(a, b));
    expect(names).toEqual(expected);
  });
});
