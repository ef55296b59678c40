import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { campaigns, orgs, reports } from '../schema/index';
import type { AuthContext } from '../../lib/authorization';
import { noJobs } from '../../lib/jobs';
import { outboxOnlyMailer } from '../../lib/mailer';
import type { Unit } from '../../modules/reports/reports.queries';
import { approveReport, returnReport, saveReport, submitReport, type ReportDeps } from '../../modules/reports/reports.service';

/** What the Long Biên unions wrote by hand in their 2021 reports. */
const WORDS: Record<string, { difficulties: string; proposals: string; highlights: string }> = {
  default: {
    highlights: 'Tổ chức tặng quà tận tay các cháu, ưu tiên các cháu có hoàn cảnh khó khăn; tuyên truyền phòng chống xâm hại trẻ em qua nhóm Zalo phụ huynh.',
    difficulties: 'Dịch Covid-19 diễn biến phức tạp, không tổ chức được Đêm hội tập trung; một số phụ huynh đang cách ly nên nhận quà muộn.',
    proposals: 'Đề nghị LĐLĐ quận tiếp tục hỗ trợ kinh phí cho các cháu có hoàn cảnh đặc biệt khó khăn.',
  },
};

/** Submitted on these days of September 2021 (the deadline was 25/09/2021). */
const PLAN_45: { code: string; fate: 'approved' | 'late' | 'returned' | 'draft'; day: number }[] = [
  { code: 'LB-TH-NL', fate: 'returned', day: 22 },
  { code: 'LB-MN-HS', fate: 'approved', day: 20 },
  { code: 'LB-THCS-AM', fate: 'approved', day: 21 },
  { code: 'LB-THPT-NGT', fate: 'approved', day: 23 },
  { code: 'LB-TTYT', fate: 'approved', day: 24 },
  { code: 'LB-UBND-BD', fate: 'approved', day: 22 },
  { code: 'LB-MAY-DG', fate: 'approved', day: 24 },
  { code: 'LB-XD-LB', fate: 'approved', day: 25 },
  { code: 'LB-XD-SD', fate: 'approved', day: 25 },
  { code: 'LB-DT-SD', fate: 'late', day: 28 },
  { code: 'LB-VT-LB', fate: 'draft', day: 24 },
];

/**
 * Plan 45's results reports: most Long Biên unions approved, one submitted
 * late, one returned, one still a draft; LB-THCS-GT, LB-BV-DG and the
 * district's own office (LB-UBND-Q) have not started. Then the district's
 * report to the city (Plan 41), which is the approved consolidation, approved
 * by the city.
 */
export async function loadDemoReports(db: Db, admin: AuthContext): Promise<void> {
  const deps: ReportDeps = { db, jobs: noJobs, mailer: outboxOnlyMailer, publicUrl: 'http://localhost:3000' };
  const unitOf = async (code: string): Promise<Unit | null> => {
    const [o] = await db.select({ id: orgs.id, code: orgs.code, name: orgs.name, shortName: orgs.shortName, path: sql<string>`${orgs.path}::text` }).from(orgs).where(eq(orgs.code, code));
    return o ?? null;
  };
  const planOf = async (docNumber: string) => (await db.select().from(campaigns).where(eq(campaigns.docNumber, docNumber)))[0]!;
  const plan45 = await planOf('45/KH-LĐLĐ');
  const plan41 = await planOf('41/KH-LĐLĐ');
  const backdate = async (campaignId: string, orgId: number, set: Record<string, unknown>) =>
    db.update(reports).set(set).where(and(eq(reports.campaignId, campaignId), eq(reports.orgId, orgId)));
  const at = (day: number, hour = 16) => new Date(Date.UTC(2021, 8, day, hour - 7, 30));
  // The registers were written in September 2021, before the reports were approved.
  await db.execute(sql`update benefits set created_at = least(created_at, '2021-09-10 09:00+07'),
    updated_at = coalesce(delivered_at, approved_at, '2021-09-15 09:00+07') where campaign_id = ${plan45.id}`);
  await db.execute(sql`update activities set created_at = held_on::timestamptz - interval '5 days',
    updated_at = held_on::timestamptz + interval '22 hours' where campaign_id = ${plan45.id}`);

  for (const r of PLAN_45) {
    const unit = await unitOf(r.code);
    if (!unit) continue;
    const assigned = await db.execute(sql`select 1 from campaign_assignments where campaign_id = ${plan45.id} and org_id = ${unit.id} and status = 'active'`);
    if (assigned.rows.length === 0) continue;
    await saveReport(db, admin, plan45, unit, { version: 0, manual: WORDS['default']! });
    if (r.fate === 'draft') continue;
    await submitReport(deps, admin, plan45, unit, {});
    await backdate(plan45.id, unit.id, { submittedAt: at(r.day), late: r.day > 25 });
    if (r.fate === 'returned') {
      await returnReport(deps, admin, plan45, unit, 'Đề nghị bổ sung số lượt phụ huynh tham gia buổi truyền thông trực tuyến và khó khăn khi tặng quà trong thời gian giãn cách.');
      await backdate(plan45.id, unit.id, { returnedAt: at(r.day + 1, 9) });
    } else if (r.fate === 'approved') {
      await approveReport(deps, admin, plan45, unit);
      await backdate(plan45.id, unit.id, { approvedAt: at(Math.min(r.day + 2, 29), 10) });
    }
  }

  // The district's report to the city is its approved consolidation of Plan 45.
  const district = await unitOf('HN-LB');
  if (district) {
    await saveReport(db, admin, plan41, district, {
      version: 0,
      manual: {
        highlights: 'LĐLĐ quận chỉ đạo 100% CĐCS trực thuộc triển khai Kế hoạch số 45/KH-LĐLĐ; nhiều đơn vị chuyển sang hình thức trực tuyến phù hợp với tình hình dịch.',
        difficulties: 'Dịch Covid-19 nên các hoạt động tập trung phải hủy hoặc chuyển sang trực tuyến.',
        proposals: 'Đề nghị LĐLĐ Thành phố tiếp tục phân bổ kinh phí hỗ trợ con CNVCLĐ có hoàn cảnh khó khăn.',
      },
    });
    await submitReport(deps, admin, plan41, district, {});
    await backdate(plan41.id, district.id, { submittedAt: at(29), late: false });
    await approveReport(deps, admin, plan41, district);
    await backdate(plan41.id, district.id, { approvedAt: at(30, 10) });
  }
}
