import type { Page } from 'playwright-core';
import { describe, test } from 'vitest';
import { ownOrgId } from './children-support';
import { findPlan } from './plan-support';
import { expect, signIn, useBrowser } from './support';

// A grassroots union officer (cdcs2, Công đoàn Bệnh viện Đa khoa Đức Giang)
// opens plan 45/KH-LĐLĐ of Long Biên, tab "Báo cáo": the figures are already
// there, computed from what the unit recorded. The officer adds what only the
// unit knows (difficulties, proposals), saves, and submits. The deadline
// (25/09/2021) has passed, so the report is recorded as late, and it can no
// longer be submitted again.

interface ReportBody {
  status: string;
  late: boolean | null;
  figures: Record<string, number | string | null>;
  manual: Record<string, number | string | null>;
}

async function reportOf(page: Page, campaignId: string, orgId: number): Promise<ReportBody> {
  const res = await page.request.get(`/api/v1/campaigns/${campaignId}/reports/${orgId}`);
  if (!res.ok()) throw new Error(`GET report answered ${res.status()}`);
  return (await res.json()) as ReportBody;
}

/** 1234 → "1.234", as the report writes counts. */
const count = (n: number) => n.toLocaleString('de-DE');

describe('Công đoàn cơ sở nộp báo cáo kết quả', () => {
  const b = useBrowser();

  test('cdcs2 finds the figures computed, adds difficulties and proposals, saves and submits: late, submit button gone', async () => {
    const { page } = b;
    await signIn(page, 'cdcs2@lantern.test');
    const plan45 = await findPlan(page, '45/KH-LĐLĐ', 'HN-LB');
    const orgId = await ownOrgId(page);
    const before = await reportOf(page, plan45.id, orgId);
    // The demo leaves this unit's report not started (another journey may have returned it since).
    expect(['not_started', 'draft', 'returned']).toContain(before.status);

    await page.goto(`/ke-hoach/${plan45.id}`);
    await page.getByTestId('campaign-tab-reports').click();
    const report = page.getByTestId('unit-report');
    await report.waitFor();
    expect(await report.getAttribute('data-org')).toBe('LB-BV-DG');

    // Not submitted yet, and overdue: the 2021 deadline has passed.
    expect(await page.getByTestId('report-overdue').textContent()).toBe('Quá hạn chưa nộp');
    expect(await report.textContent()).toContain('Hạn nộp: 25/09/2021');

    // The derived figures are already there, read-only, marked as computed from the registers.
    const registered = page.getByTestId('report-value-children_registered');
    expect(await registered.textContent()).toContain(count(before.figures['children_registered'] as number));
    expect(await registered.locator('[data-derived="true"]').count()).toBe(1);
    const eligible = page.getByTestId('report-value-children_eligible');
    expect(await eligible.textContent()).toContain(count(before.figures['children_eligible'] as number));
    expect(await page.getByTestId('report-field-children_registered').count()).toBe(0);
    expect(await report.textContent()).toContain('tính tự động từ sổ sách');

    // What only the unit knows.
    const difficulties = 'Dịch Covid-19 diễn biến phức tạp nên không tổ chức vui Trung thu tập trung; quà được gửi tận nhà.';
    const proposals = 'Đề nghị LĐLĐ quận hỗ trợ thêm quà cho các cháu có hoàn cảnh khó khăn.';
    await page.getByTestId('report-field-difficulties').fill(difficulties);
    await page.getByTestId('report-field-proposals').fill(proposals);
    await page.getByTestId('report-unsaved').waitFor();
    await page.getByTestId('report-save').click();
    await page.getByTestId('report-unsaved').waitFor({ state: 'detached' });
    const saved = await reportOf(page, plan45.id, orgId);
    expect(saved.status).toBe(before.status === 'returned' ? 'returned' : 'draft');
    expect(saved.manual['difficulties']).toBe(difficulties);
    expect(saved.manual['proposals']).toBe(proposals);

    // No rule fails: nothing listed, the submit button is on.
    expect(await page.getByTestId('report-rule-failures').count()).toBe(0);
    await page.getByTestId('report-submit').click();
    const dialog = page.getByRole('dialog', { name: 'Nộp báo cáo' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('nộp muộn');
    // A double click submits once.
    await dialog.getByRole('button', { name: 'Nộp báo cáo' }).dblclick();

    const state = page.locator('[data-testid="report-state"][data-state="submitted_late"]');
    await state.waitFor();
    expect(await state.textContent()).toBe('Nộp muộn');
    await page.getByTestId('report-submit').waitFor({ state: 'detached' });
    expect(await page.getByTestId('report-save').count()).toBe(0);
    expect(await page.getByTestId('report-overdue').count()).toBe(0);
    // The hand-entered answers now read as text, frozen with the rest.
    expect(await page.getByTestId('report-value-difficulties').textContent()).toContain(difficulties);
    expect(await page.getByTestId('report-field-difficulties').count()).toBe(0);

    const after = await reportOf(page, plan45.id, orgId);
    expect(after.status).toBe('submitted');
    expect(after.late).toBe(true);
    expect(after.figures['proposals']).toBe(proposals);
    expect(after.figures['children_registered']).toBe(before.figures['children_registered']);
  });
});
