/**
 * Concurrency: many people doing the same thing at the same moment get one
 * result, and nobody's edit is silently lost.
 * - 50 submissions of one report at once: one submission.
 * - 20 officers saving one child, each against the version they read: one
 *   edit is kept, the others are refused with a message (no lost update).
 * - 100 scans of one voucher at once: one delivery.
 * Through the app (inject), on PGlite, or PostgreSQL when TEST_DATABASE_URL is set.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, orgId, type Client, type Reply, type TestContext } from './helpers';

let t: TestContext;
let cdcs1: Client;
let longbien: Client;
let gt: number;
let plan45: string;

const n = async (query: ReturnType<typeof sql>) => Number(((await t.database.db.execute(query)).rows[0] as { n: number }).n);

/** Every answer is a success or a clean refusal: never a server error. */
function expectNoServerError(replies: Reply[]) {
  const bad = replies.filter((r) => r.status >= 500);
  expect(bad.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
}

beforeAll(async () => {
  t = await createTestContext();
  cdcs1 = await t.signIn('cdcs1@lantern.test');
  longbien = await t.signIn('longbien@lantern.test');
  gt = await orgId(cdcs1, 'LB-THCS-GT');
  plan45 = ((await longbien.get('/api/v1/campaigns?year=2021')).body.items as { id: string; docNumber: string }[]).find((c) => c.docNumber === '45/KH-LĐLĐ')!.id;
});
afterAll(() => t.close());

describe('50 submissions of one report at the same moment', () => {
  it('give one submission: one audit entry, one notice, the others told it is already submitted', async () => {
    const url = `/api/v1/campaigns/${plan45}/reports/${gt}`;
    expect((await cdcs1.get(url)).body.status).toBe('not_started');
    const audits = sql`select count(*)::int as n from audit_log where action = 'report.submit' and org_id = ${gt}`;
    const notices = sql`select count(*)::int as n from notices where kind = 'report.submitted' and campaign_id = ${plan45} and title = 'Báo cáo đã nộp: Công đoàn Trường THCS Gia Thụy'`;
    const [auditsBefore, noticesBefore] = [await n(audits), await n(notices)];

    const replies = await Promise.all(Array.from({ length: 50 }, () => cdcs1.post(`${url}/submit`, {})));
    expectNoServerError(replies);
    for (const r of replies) if (r.status !== 200) expect(r.status).toBeGreaterThanOrEqual(400);
    const ok = replies.filter((r) => r.status === 200);
    expect(ok.filter((r) => r.body.alreadySubmitted === false)).toHaveLength(1);
    for (const r of ok) expect(r.body.status).toBe('submitted');

    const after = (await cdcs1.get(url)).body;
    expect(after.status).toBe('submitted');
    // Everyone who was answered 200 saw the one snapshot.
    for (const r of ok) expect(r.body.figures).toEqual(after.figures);
    expect(await n(audits)).toBe(auditsBefore + 1);
    expect(await n(notices)).toBe(noticesBefore + 1);
    expect(await n(sql`select count(*)::int as n from reports where campaign_id = ${plan45} and org_id = ${gt}`)).toBe(1);
  });
});

describe('20 officers editing one child at the same moment', () => {
  it('keep exactly one edit; the 19 made on the version they read are refused with a message', async () => {
    // Twenty people's sessions: the unit's officer, the district's, the city's and the administrator.
    const emails = ['cdcs1@lantern.test', 'longbien@lantern.test', 'hanoi@lantern.test', 'admin@lantern.test'];
    const officers = await Promise.all(Array.from({ length: 20 }, (_, i) => t.signIn(emails[i % emails.length]!)));
    const list = (await cdcs1.get(`/api/v1/orgs/${gt}/children?limit=5`)).body.items as { id: string }[];
    const id = list[0]!.id;
    // Each reads the child, then saves an edit of their own against the version read.
    const read = await Promise.all(officers.map((o) => o.get(`/api/v1/children/${id}`)));
    const version = read[0]!.body.version as number;
    for (const r of read) expect(r.body.version).toBe(version);
    const edit = (i: number) => ({ school: `Trường Tiểu học số ${i + 1}`, grade: `${(i % 5) + 1}A${i + 1}` });
    const auditsBefore = await n(sql`select count(*)::int as n from audit_log where action = 'child.update' and entity_id = ${id}`);

    const replies = await Promise.all(officers.map((o, i) => o.patch(`/api/v1/children/${id}`, { version, ...edit(i) })));
    expectNoServerError(replies);
    const won = replies.map((r, i) => ({ r, i })).filter(({ r }) => r.status === 200);
    expect(won).toHaveLength(1);
    const stale = replies.filter((r) => r.status !== 200);
    expect(stale).toHaveLength(19);
    for (const r of stale) {
      expect(r.status).toBe(409);
      expect(r.body.error.message).toBe('Hồ sơ đã được người khác sửa. Vui lòng tải lại và thực hiện lại.');
    }

    // What is stored is the winner's edit, one version on, with one audit entry.
    const winner = won[0]!;
    const stored = (await cdcs1.get(`/api/v1/children/${id}`)).body;
    expect(stored).toMatchObject({ ...edit(winner.i), version: version + 1 });
    expect(winner.r.body).toMatchObject({ ...edit(winner.i), version: version + 1 });
    const [row] = (await t.database.db.execute(sql`select school, grade, version from children where id = ${id}`)).rows as { school: string; grade: string; version: number }[];
    expect(row).toEqual({ ...edit(winner.i), version: version + 1 });
    expect(await n(sql`select count(*)::int as n from audit_log where action = 'child.update' and entity_id = ${id}`)).toBe(auditsBefore + 1);

    // A loser reloads and saves again: accepted on the new version.
    const loser = replies.findIndex((r) => r.status === 409);
    const retry = await officers[loser]!.patch(`/api/v1/children/${id}`, { version: version + 1, ...edit(loser) });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ ...edit(loser), version: version + 2 });
  });
});

describe('100 scans of one voucher at the same moment', () => {
  it('give one delivery: delivered once, one audit entry, the 99 others told when it was received', async () => {
    // An approved gift for one of the unit's children, and its voucher's code.
    const eligible = (await cdcs1.get(`/api/v1/campaigns/${plan45}/eligible?orgId=${gt}`)).body.items as { childId: string }[];
    let benefit: { id: string; version: number } | null = null;
    for (const e of eligible) {
      const res = await cdcs1.post(`/api/v1/campaigns/${plan45}/benefits`, { childId: e.childId, kind: 'gift' });
      if (res.status === 201) {
        benefit = res.body;
        break;
      }
    }
    expect(benefit).not.toBeNull();
    const approved = await cdcs1.patch(`/api/v1/benefits/${benefit!.id}`, { status: 'approved', version: benefit!.version });
    expect(approved.status).toBe(200);
    const html = (await cdcs1.get(`/api/v1/campaigns/${plan45}/vouchers.html?orgId=${gt}`)).raw.toString('utf8');
    const idPart = Buffer.from(benefit!.id.replace(/-/g, ''), 'hex').toString('base64url');
    const token = [...html.matchAll(/class="token">([^<]+)</g)].map((m) => m[1]!).find((x) => x.startsWith(`${idPart}.`))!;
    expect(token).toBeDefined();

    const replies = await Promise.all(Array.from({ length: 100 }, () => cdcs1.post('/api/v1/deliveries/scan', { token })));
    expectNoServerError(replies);
    expect(replies.map((r) => r.status)).toEqual(Array(100).fill(200));
    const delivered = replies.filter((r) => r.body.status === 'delivered');
    expect(delivered).toHaveLength(1);
    const already = replies.filter((r) => r.body.status === 'already_delivered');
    expect(already).toHaveLength(99);
    const at = delivered[0]!.body.benefit.deliveredAt as string;
    for (const r of already) {
      expect(r.body.message).toMatch(/^Đã nhận lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\.$/);
      expect(r.body.benefit.deliveredAt).toBe(at);
    }

    // Recorded once: delivered_at set once (one version on from approved), one audit entry.
    const [row] = (await t.database.db.execute(sql`select status, delivered_at, version from benefits where id = ${benefit!.id}`)).rows as { status: string; delivered_at: Date | string; version: number }[];
    expect(row!.status).toBe('delivered');
    expect(new Date(row!.delivered_at).toISOString()).toBe(at);
    expect(row!.version).toBe(approved.body.version + 1);
    expect(await n(sql`select count(*)::int as n from audit_log where action = 'benefit.deliver' and entity_id = ${benefit!.id}`)).toBe(1);
  });
});
