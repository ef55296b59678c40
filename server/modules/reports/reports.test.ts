import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';
import { sendReportReminders } from './reports.service';

let t: TestContext;
let cdcs1: Client;
let cdcs2: Client;
let viewer: Client;
let longbien: Client;
let hanoi: Client;
let gt: number;
let dg: number;
let lb: number;
let plan45: string;
let plan41: string;

const reportUrl = (org: number, tail = '') => `/api/v1/campaigns/${plan45}/reports/${org}${tail}`;

beforeAll(async () => {
  t = await createTestContext();
  cdcs1 = await t.signIn('cdcs1@lantern.test');
  cdcs2 = await t.signIn('cdcs2@lantern.test');
  viewer = await t.signIn('kiemtra@lantern.test');
  longbien = await t.signIn('longbien@lantern.test');
  hanoi = await t.signIn('hanoi@lantern.test');
  gt = await orgId(cdcs1, 'LB-THCS-GT');
  dg = await orgId(cdcs2, 'LB-BV-DG');
  lb = await orgId(longbien, 'HN-LB');
  const list = (await longbien.get('/api/v1/campaigns?year=2021')).body.items as { id: string; docNumber: string }[];
  plan45 = list.find((c) => c.docNumber === '45/KH-LĐLĐ')!.id;
  plan41 = list.find((c) => c.docNumber !== '45/KH-LĐLĐ')!.id;
});

afterAll(async () => {
  await t.close();
});

/** Independent sums over the registers for the given units: what an auditor would compute by hand. */
async function independentSums(orgIds: number[]) {
  const ids = orgIds.join(',');
  const res = await t.database.db.execute(sql`
    select
      (select count(distinct child_id)::int from benefits where campaign_id = ${plan45} and status = 'delivered'
         and kind not in ('scholarship', 'reward') and org_id = any(string_to_array(${ids}, ',')::int[])) as gifted,
      (select coalesce(sum(value), 0)::bigint from benefits where campaign_id = ${plan45} and status = 'delivered'
         and org_id = any(string_to_array(${ids}, ',')::int[])) as value,
      (select count(*)::int from benefits where campaign_id = ${plan45} and status = 'delivered' and kind = 'scholarship'
         and org_id = any(string_to_array(${ids}, ',')::int[])) as scholarships,
      (select count(*)::int from children where org_id = any(string_to_array(${ids}, ',')::int[])) as registered,
      (select coalesce(sum(participants_children), 0)::int from activities where campaign_id = ${plan45} and status in ('held', 'held_online')
         and org_id = any(string_to_array(${ids}, ',')::int[])) as participants`);
  const r = res.rows[0] as Record<string, unknown>;
  return { gifted: Number(r['gifted']), value: Number(r['value']), scholarships: Number(r['scholarships']), registered: Number(r['registered']), participants: Number(r['participants']) };
}

describe('a unit report', () => {
  it('starts with its figures computed from the registers, and saves what only the unit knows', async () => {
    const r = await cdcs1.get(reportUrl(gt));
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('not_started');
    expect(r.body.version).toBe(0);
    const sums = await independentSums([gt]);
    expect(r.body.figures.children_registered).toBe(sums.registered);
    expect(r.body.figures.gifted_children).toBe(sums.gifted);
    expect(r.body.figures.units_in_scope).toBe(1);

    const saved = await cdcs1.put(reportUrl(gt), { version: 0, manual: { difficulties: 'Dịch Covid-19 nên không tổ chức tập trung.', proposals: '' } });
    expect(saved.status).toBe(200);
    expect(saved.body.status).toBe('draft');
    expect(saved.body.figures.difficulties).toBe('Dịch Covid-19 nên không tổ chức tập trung.');

    const stale = await cdcs1.put(reportUrl(gt), { version: 0, manual: { proposals: 'Tăng mức quà' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/người khác thay đổi/);

    const bad = await cdcs1.put(reportUrl(gt), { version: saved.body.version, manual: { highlights: 12 } });
    expect(bad.status).toBe(422);
  });

  it('is not written by a viewer nor by another unit, and a unit outside scope answers 404', async () => {
    expect((await viewer.put(reportUrl(gt), { version: 0, manual: {} })).status).toBe(403);
    expect((await cdcs2.put(reportUrl(gt), { version: 0, manual: {} })).status).toBe(404);
    expect((await cdcs2.post(reportUrl(gt, '/submit'), {})).status).toBe(404);
  });

  it('submits once however many times it is sent at the same moment, late against the 25/09/2021 deadline', async () => {
    const current = (await cdcs1.get(reportUrl(gt))).body;
    const results = await Promise.all(Array.from({ length: 5 }, () => cdcs1.post(reportUrl(gt, '/submit'), { version: current.version })));
    for (const r of results) expect(r.status).toBe(200);
    expect(results.filter((r) => r.body.alreadySubmitted === false)).toHaveLength(1);
    const after = (await cdcs1.get(reportUrl(gt))).body;
    expect(after.status).toBe('submitted');
    expect(after.late).toBe(true);
    const audits = await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'report.submit' and org_id = ${gt}`);
    expect((audits.rows[0] as { n: number }).n).toBe(1);
    // Frozen: editing a submitted report is refused.
    expect((await cdcs1.put(reportUrl(gt), { version: after.version, manual: { proposals: 'x' } })).status).toBe(409);
  });

  it('is returned with a comment by the upper level only, fixed, resubmitted and approved', async () => {
    expect((await cdcs1.post(reportUrl(gt, '/approve'), {})).status).toBe(403);
    const returned = await longbien.post(reportUrl(gt, '/return'), { comment: 'Bổ sung khó khăn, đề xuất.' });
    expect(returned.status).toBe(200);
    expect(returned.body.status).toBe('returned');
    expect(returned.body.returnComment).toBe('Bổ sung khó khăn, đề xuất.');
    const fixed = await cdcs1.put(reportUrl(gt), { version: returned.body.version, manual: { proposals: 'Đề nghị hỗ trợ thêm quà cho các cháu khó khăn.' } });
    expect(fixed.status).toBe(200);
    expect((await cdcs1.post(reportUrl(gt, '/submit'), { version: fixed.body.version })).body.status).toBe('submitted');
    const approved = await longbien.post(reportUrl(gt, '/approve'), {});
    expect(approved.body.status).toBe('approved');
    expect((await longbien.post(reportUrl(gt, '/reopen'), {})).status).toBe(400);
    const reopened = await longbien.post(reportUrl(gt, '/reopen'), { reason: 'Sai số liệu quà' });
    expect(reopened.body.status).toBe('draft');
    expect((await cdcs1.post(reportUrl(gt, '/submit'), {})).body.status).toBe('submitted');
    expect((await longbien.post(`/api/v1/campaigns/${plan45}/reports/approve`, { orgIds: [gt] })).body).toEqual({ done: 1, skipped: [] });
  });
});

describe('the lock date', () => {
  it('closes entry after it, unless the upper level grants the unit an exception', async () => {
    const tpl = (await longbien.get(`/api/v1/campaigns/${plan45}/report-template`)).body;
    const set = await longbien.put(`/api/v1/campaigns/${plan45}/report-template`, { version: tpl.version, lockDate: '2021-10-05' });
    expect(set.status).toBe(200);
    expect(set.body.lockDate).toBe('2021-10-05');
    expect((await longbien.put(`/api/v1/campaigns/${plan45}/report-template`, { version: set.body.version, sections: tpl.sections })).status).toBe(422);

    const refused = await cdcs2.post(reportUrl(dg, '/submit'), {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain('05/10/2021');
    expect((await cdcs2.post(reportUrl(dg, '/exception'), { until: '2099-12-31', reason: 'x' })).status).toBe(403);
    const granted = await longbien.post(reportUrl(dg, '/exception'), { until: '2099-12-31', reason: 'Đơn vị bị phong tỏa do dịch' });
    expect(granted.body.exceptionUntil).toBe('2099-12-31');
    expect((await cdcs2.post(reportUrl(dg, '/submit'), {})).body.status).toBe('submitted');
  });
});

describe('consolidation and the status board', () => {
  it("adds up the district's units and equals an independent sum over the registers", async () => {
    const approved = await t.database.db.execute(sql`select org_id from reports where campaign_id = ${plan45} and status = 'approved'`);
    const approvedIds = (approved.rows as { org_id: number }[]).map((r) => Number(r.org_id));
    const cons = await longbien.get(`/api/v1/campaigns/${plan45}/consolidated?orgId=${lb}&include=approved`);
    expect(cons.status).toBe(200);
    // The district's own part (its own activities) is live; the units' parts are their snapshots.
    const sums = await independentSums([...approvedIds, lb]);
    expect(cons.body.figures.gifted_children).toBe(sums.gifted);
    expect(cons.body.figures.benefits_value).toBe(sums.value);
    expect(cons.body.figures.scholarships_count).toBe(sums.scholarships);
    expect(cons.body.figures.participants_children).toBe(sums.participants);
    expect(cons.body.units.approved).toBe(approvedIds.length);

    const withSubmitted = await longbien.get(`/api/v1/campaigns/${plan45}/consolidated?orgId=${lb}&include=submitted`);
    const pendingIds = (await t.database.db.execute(sql`select org_id from reports where campaign_id = ${plan45} and status = 'submitted'`)).rows.map((r) => Number((r as { org_id: number }).org_id));
    const all = await independentSums([...approvedIds, ...pendingIds, lb]);
    expect(withSubmitted.body.figures.benefits_value).toBe(all.value);
    expect((cons.body.figures.benefits_value as number) + (cons.body.pending.benefits_value as number)).toBe(all.value);
  });

  it('shows one row per unit with its state, and counts', async () => {
    const board = await longbien.get(`/api/v1/campaigns/${plan45}/status-board?orgId=${lb}`);
    expect(board.status).toBe(200);
    const rows = board.body.rows as { orgId: number; state: string }[];
    expect(rows.length).toBe(board.body.total);
    expect(rows.find((r) => r.orgId === gt)!.state).toBe('approved');
    expect(rows.find((r) => r.orgId === dg)!.state).toBe('submitted_late');
    const sum = Object.values(board.body.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sum).toBe(rows.length);
    // A unit officer sees only its own unit.
    const own = await cdcs1.get(`/api/v1/campaigns/${plan45}/status-board?orgId=${gt}`);
    expect(own.body.rows.map((r: { orgId: number }) => r.orgId)).toEqual([gt]);
    expect((await cdcs1.get(`/api/v1/campaigns/${plan45}/status-board?orgId=${lb}`)).status).toBe(404);
  });

  it("makes the district's approved consolidation its report for the city's plan", async () => {
    const r = await hanoi.get(`/api/v1/campaigns/${plan41}/reports/${lb}`);
    expect(r.status).toBe(200);
    expect(r.body.fromImplementingPlan.docNumber).toBe('45/KH-LĐLĐ');
    const cons = (await longbien.get(`/api/v1/campaigns/${plan45}/consolidated?orgId=${lb}&include=approved`)).body;
    expect(r.body.figures.gifted_children).toBe(cons.figures.gifted_children);
    expect(r.body.figures.benefits_value).toBe(cons.figures.benefits_value);
  });
});

describe('reminders', () => {
  it('go out once per unit even when two processes run the schedule at the same time', async () => {
    const deps = { db: t.database.db, jobs: t.app.deps.jobs, mailer: t.app.deps.mailer, publicUrl: 'http://localhost' };
    const before = await t.database.db.execute(sql`select count(*)::int as n from outbox where subject like '%Hôm nay là hạn nộp báo cáo%'`);
    const [a, b] = await Promise.all([sendReportReminders(deps, '2021-09-25'), sendReportReminders(deps, '2021-09-25')]);
    const pending = await t.database.db.execute(sql`
      select count(*)::int as n from campaign_assignments a left join reports r on r.campaign_id = a.campaign_id and r.org_id = a.org_id
      where a.campaign_id = ${plan45} and a.status = 'active' and coalesce(r.status, 'draft') in ('draft', 'returned')`);
    const n = (pending.rows[0] as { n: number }).n;
    expect(a + b).toBe(n);
    expect(n).toBeGreaterThan(0);
    const again = await sendReportReminders(deps, '2021-09-25');
    expect(again).toBe(0);
    const after = await t.database.db.execute(sql`select count(*)::int as n from outbox where subject like '%Hôm nay là hạn nộp báo cáo%'`);
    expect((after.rows[0] as { n: number }).n - (before.rows[0] as { n: number }).n).toBeGreaterThan(0);
  });
});

describe('year over year', () => {
  it("shows the same unit's figures in the earlier plans of the same kind, side by side", async () => {
    const copy = await longbien.post(`/api/v1/campaigns/${plan45}/copy`, { year: 2022 });
    expect(copy.status).toBe(201);
    expect((await longbien.post(`/api/v1/campaigns/${copy.body.id}/issue`, {})).status).toBe(200);
    const yoy = await longbien.get(`/api/v1/campaigns/${copy.body.id}/year-over-year?orgId=${lb}`);
    expect(yoy.status).toBe(200);
    expect(yoy.body.years.map((y: { year: number }) => y.year)).toEqual([2022, 2021]);
    const cons = (await longbien.get(`/api/v1/campaigns/${plan45}/consolidated?orgId=${lb}`)).body;
    expect(yoy.body.years[1].figures).toEqual(cons.figures);
    expect(yoy.body.years[0].figures.gifted_children).toBe(0);
  });
});
