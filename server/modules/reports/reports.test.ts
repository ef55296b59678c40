import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';
import { campaigns, orgs } from '../../db/schema/index';
import { todayInVietnam } from '../../lib/dates';
import { statusBoard, statusBoardCounts } from './reports.queries';
import { BOARD_STATES } from './reports.schemas';
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

describe('the status board, filtered and paged in the database', () => {
  type Row = { orgId: number; code: string; name: string; state: string; status: string; acknowledgedAt: string | null; changedSinceApproval: boolean };
  const boardUrl = (query = '') => `/api/v1/campaigns/${plan45}/status-board?orgId=${lb}${query}`;
  let full: { total: number; counts: Record<string, number>; rows: Row[]; [k: string]: unknown };

  /**
   * The board as it was computed before filtering moved into the database:
   * one query for every unit of the subtree, the state by these rules in
   * JavaScript. The reference the new answer must equal.
   */
  async function referenceBoard(campaignId: string, unitPath: string, deadline: string | null, today: string) {
    const rows = (
      await t.database.db.execute(sql`
        select o.id, o.code, o.name, a.acknowledged_at, r.status, r.submitted_at, r.late, r.returned_at, r.return_comment, r.approved_at,
          x.until as exception_until,
          (r.status = 'approved' and (
            (select max(b.updated_at) from benefits b where b.campaign_id = a.campaign_id and b.org_id = o.id) > r.approved_at
            or (select max(v.updated_at) from activities v where v.campaign_id = a.campaign_id and v.org_id = o.id) > r.approved_at
          )) as changed
        from campaign_assignments a
        join orgs o on o.id = a.org_id
        left join reports r on r.campaign_id = a.campaign_id and r.org_id = a.org_id
        left join report_exceptions x on x.campaign_id = a.campaign_id and x.org_id = a.org_id
        where a.campaign_id = ${campaignId} and a.status = 'active' and o.path <@ ${unitPath}::ltree
        order by o.sort_key collate "C", o.id`)
    ).rows as Record<string, unknown>[];
    const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
    const deadlinePassed = !!deadline && today > deadline;
    return rows.map((r) => {
      const status = (r['status'] as string | null) ?? 'not_started';
      const changed = r['changed'] === true;
      let state: string;
      if (status === 'approved') state = changed ? 'changed_since_approval' : 'approved';
      else if (status === 'submitted') state = r['late'] ? 'submitted_late' : 'submitted_on_time';
      else if (status === 'returned') state = 'returned';
      else if (deadlinePassed) state = 'not_submitted';
      else if (status === 'draft') state = 'draft';
      else state = r['acknowledged_at'] ? 'not_started' : 'not_acknowledged';
      return {
        orgId: Number(r['id']),
        code: String(r['code']),
        name: String(r['name']),
        acknowledgedAt: iso(r['acknowledged_at']),
        status,
        state,
        submittedAt: iso(r['submitted_at']),
        late: (r['late'] as boolean | null) ?? null,
        returnedAt: iso(r['returned_at']),
        returnComment: (r['return_comment'] as string | null) ?? null,
        approvedAt: iso(r['approved_at']),
        changedSinceApproval: changed,
        exceptionUntil: r['exception_until'] ? String(r['exception_until']).slice(0, 10) : null,
      };
    });
  }

  const lbPath = async () => String(((await t.database.db.execute(sql`select path::text as p from orgs where id = ${lb}`)).rows[0] as { p: string }).p);

  beforeAll(async () => {
    // One approved unit records an activity after its approval: "changed since approval".
    const [approvedUnit] = (
      await t.database.db.execute(sql`
        select r.org_id from reports r join orgs o on o.id = r.org_id
        where r.campaign_id = ${plan45} and r.status = 'approved' and o.path <@ ${await lbPath()}::ltree order by o.sort_key collate "C" limit 1`)
    ).rows as { org_id: number }[];
    await t.database.db.execute(sql`
      insert into activities (campaign_id, org_id, kind, channel, title, held_on, status, updated_at)
      values (${plan45}, ${approvedUnit!.org_id}, 'other', 'in_person', 'Bổ sung sau khi duyệt', '2021-09-30', 'held', now() + interval '1 minute')`);
    const res = await longbien.get(boardUrl());
    expect(res.status).toBe(200);
    full = res.body;
  });

  it('answers the call without parameters as before: every unit, the same rows, counts and percentages', async () => {
    const [c] = await t.database.db.select().from(campaigns).where(eq(campaigns.id, plan45));
    const reference = await referenceBoard(plan45, await lbPath(), c!.reportDeadline, todayInVietnam());
    expect(full.rows).toEqual(reference);
    expect(reference.some((r) => r.state === 'changed_since_approval')).toBe(true);
    expect(full.total).toBe(reference.length);
    const counts = Object.fromEntries(BOARD_STATES.map((s) => [s, reference.filter((r) => r.state === s).length]));
    expect(full.counts).toEqual(counts);
    const submitted = reference.filter((r) => r.status === 'submitted' || r.status === 'approved').length;
    const approved = reference.filter((r) => r.status === 'approved').length;
    const pct = (n: number) => Math.round((n / reference.length) * 1000) / 10;
    expect(full.percentSubmitted).toBe(pct(submitted));
    expect(full.percentApproved).toBe(pct(approved));
    // The new counts, so that no screen counts rows itself.
    expect(full.submitted).toBe(submitted);
    expect(full.approved).toBe(approved);
    expect(full.acknowledged).toBe(reference.filter((r) => r.acknowledgedAt).length);
    expect(full.matching).toBe(reference.length);
  });

  it('computes each state in SQL by the same rules, before the deadline and after it', async () => {
    const [c] = await t.database.db.select().from(campaigns).where(eq(campaigns.id, plan45));
    const [o] = await t.database.db.select().from(orgs).where(eq(orgs.id, lb));
    const unit = { id: o!.id, code: o!.code, name: o!.name, shortName: o!.shortName, path: o!.path };
    for (const today of ['2021-08-01', c!.reportDeadline!, '2021-12-31']) {
      const reference = await referenceBoard(plan45, unit.path, c!.reportDeadline, today);
      expect(await statusBoard(t.database.db, c!, unit, {}, today)).toEqual(reference);
      const counts = await statusBoardCounts(t.database.db, c!, unit, {}, today);
      expect(counts.counts).toEqual(Object.fromEntries(BOARD_STATES.map((s) => [s, reference.filter((r) => r.state === s).length])));
      // Each state filtered in the database gives the rows of that state.
      for (const s of BOARD_STATES) {
        const rows = await statusBoard(t.database.db, c!, unit, { states: [s] }, today);
        expect(rows.map((r) => r.orgId)).toEqual(reference.filter((r) => r.state === s).map((r) => r.orgId));
      }
      // And every pair of states (approved and changed since approval are told apart by sub-queries).
      for (const [i, s1] of BOARD_STATES.entries()) {
        for (const s2 of BOARD_STATES.slice(i + 1)) {
          const rows = await statusBoard(t.database.db, c!, unit, { states: [s1, s2] }, today);
          expect(rows.map((r) => r.orgId), `${s1},${s2}`).toEqual(reference.filter((r) => r.state === s1 || r.state === s2).map((r) => r.orgId));
          expect((await statusBoardCounts(t.database.db, c!, unit, { states: [s1, s2] }, today)).matching).toBe(rows.length);
        }
      }
    }
    // Before the deadline the units not yet done are told apart; after it they are all "not submitted".
    const before = new Set((await referenceBoard(plan45, unit.path, c!.reportDeadline, '2021-08-01')).map((r) => r.state));
    expect(before.has('not_submitted')).toBe(false);
    expect([...before].some((s) => ['not_acknowledged', 'not_started', 'draft'].includes(s))).toBe(true);
  });

  it('filters by one state or several, and keeps the counts of the whole subtree', async () => {
    const present = BOARD_STATES.filter((s) => full.counts[s]! > 0);
    expect(present.length).toBeGreaterThanOrEqual(3);
    const wholeCounts = { total: full.total, counts: full.counts, percentSubmitted: full.percentSubmitted, percentApproved: full.percentApproved, acknowledged: full.acknowledged, submitted: full.submitted, approved: full.approved };
    for (const s of present) {
      const res = await longbien.get(boardUrl(`&state=${s}`));
      expect(res.status).toBe(200);
      const expected = full.rows.filter((r) => r.state === s);
      expect(res.body.rows).toEqual(expected);
      expect(res.body.matching).toBe(expected.length);
      expect(res.body).toMatchObject(wholeCounts);
    }
    const [a, b] = [present[0]!, present[present.length - 1]!];
    const expected = full.rows.filter((r) => r.state === a || r.state === b);
    const comma = await longbien.get(boardUrl(`&state=${a},${b}`));
    expect(comma.body.rows).toEqual(expected);
    expect(comma.body.matching).toBe(expected.length);
    expect((await longbien.get(boardUrl(`&state=${a}&state=${b}`))).body.rows).toEqual(expected);
    // "Approved" and "changed since approval" are told apart.
    const approvedOnly = (await longbien.get(boardUrl('&state=approved'))).body.rows as Row[];
    expect(approvedOnly.every((r) => !r.changedSinceApproval)).toBe(true);
    const changed = (await longbien.get(boardUrl('&state=changed_since_approval'))).body.rows as Row[];
    expect(changed.length).toBe(full.counts['changed_since_approval']);
    expect(changed.every((r) => r.changedSinceApproval && r.status === 'approved')).toBe(true);
  });

  it('finds units by name or code without diacritics, whatever the case', async () => {
    const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
    const withWords = (...words: string[]) => full.rows.filter((r) => words.every((w) => fold(`${r.code} ${r.name}`).includes(w)));
    const expected = withWords('duc', 'giang');
    expect(expected.length).toBeGreaterThanOrEqual(2);
    for (const q of ['duc giang', 'ĐỨC GIANG', 'Đức  Giang']) {
      const res = await longbien.get(boardUrl(`&q=${encodeURIComponent(q)}`));
      expect(res.status).toBe(200);
      expect(res.body.rows).toEqual(expected);
      expect(res.body.matching).toBe(expected.length);
      expect(res.body.total).toBe(full.total);
    }
    const byCode = (await longbien.get(boardUrl(`&q=${encodeURIComponent('lb-thcs')}`))).body.rows as Row[];
    expect(byCode.map((r) => r.code)).toEqual(withWords('lb-thcs').map((r) => r.code));
    expect(byCode.length).toBeGreaterThan(0);
    // Search and state together; a search that finds nothing; a "%" is a character, not a wildcard.
    const s = expected[0]!.state;
    const both = await longbien.get(boardUrl(`&q=duc+giang&state=${s}`));
    expect(both.body.rows).toEqual(expected.filter((r) => r.state === s));
    const none = await longbien.get(boardUrl('&q=khongcodonvinaynhu'));
    expect(none.body).toMatchObject({ rows: [], matching: 0, total: full.total });
    expect((await longbien.get(boardUrl('&q=%25'))).body.matching).toBe(0);
  });

  it('pages without overlap nor gap, in the order of the full list', async () => {
    for (const [query, expected] of [
      ['', full.rows],
      ['&state=approved,not_submitted,changed_since_approval', full.rows.filter((r) => ['approved', 'not_submitted', 'changed_since_approval'].includes(r.state))],
    ] as const) {
      const pages: Row[][] = [];
      for (let offset = 0; offset < expected.length + 3; offset += 3) {
        const res = await longbien.get(boardUrl(`${query}&limit=3&offset=${offset}`));
        expect(res.status).toBe(200);
        expect(res.body.matching).toBe(expected.length);
        expect(res.body.total).toBe(full.total);
        expect(res.body.counts).toEqual(full.counts);
        expect(res.body.rows.length).toBe(Math.max(0, Math.min(3, expected.length - offset)));
        pages.push(res.body.rows);
      }
      expect(pages.flat()).toEqual(expected);
      expect(new Set(pages.flat().map((r) => r.orgId)).size).toBe(expected.length);
    }
    // A first page without offset; a limit alone.
    expect((await longbien.get(boardUrl('&limit=5'))).body.rows).toEqual(full.rows.slice(0, 5));
    expect((await longbien.get(boardUrl('&limit=500'))).body.rows).toEqual(full.rows);
  });

  it('refuses an unknown state, a limit outside 1–500 or a negative offset, in Vietnamese', async () => {
    for (const query of ['&state=done', '&state=approved,done', '&limit=0', '&limit=501', '&limit=abc', '&limit=2.5', '&offset=-1']) {
      const res = await longbien.get(boardUrl(query));
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION');
      expect(res.body.error.message).toBe('Dữ liệu gửi lên chưa hợp lệ.');
      const field = query.slice(1, query.indexOf('='));
      expect(Object.keys(res.body.error.fields).some((k) => k.startsWith(field)), query).toBe(true);
    }
    expect((await longbien.get(boardUrl('&state=done'))).body.error.fields['state.0']).toMatch(/Trạng thái không hợp lệ/);
    expect((await longbien.get(boardUrl('&limit=501'))).body.error.fields['limit']).toBe('Số dòng mỗi trang phải từ 1 đến 500');
    // A unit officer still sees only its own unit, whatever it asks.
    const own = await cdcs1.get(`/api/v1/campaigns/${plan45}/status-board?orgId=${gt}&limit=10&state=${BOARD_STATES.join(',')}`);
    expect(own.body.rows.map((r: Row) => r.orgId)).toEqual([gt]);
    expect(own.body.total).toBe(1);
  });
});
