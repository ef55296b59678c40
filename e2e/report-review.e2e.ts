import type { Page } from 'playwright-core';
import { describe, test } from 'vitest';
import { apiWrite } from './children-support';
import { findPlan } from './plan-support';
import { expect, signIn, useBrowser } from './support';

// The district officer (longbien, LĐLĐ quận Long Biên) follows the reports of
// plan 45/KH-LĐLĐ on one status board: returns one submitted report with a
// comment, approves the rest in bulk, sees the counts change, and downloads
// the district's consolidated report as Excel.

interface Board {
  counts: Record<string, number>;
  rows: { orgId: number; code: string; name: string; status: string; state: string }[];
}

async function boardOf(page: Page, campaignId: string): Promise<Board> {
  const res = await page.request.get(`/api/v1/campaigns/${campaignId}/status-board`);
  if (!res.ok()) throw new Error(`GET status-board answered ${res.status()}`);
  return (await res.json()) as Board;
}

const countOf = async (page: Page, state: string) => Number(await page.getByTestId(`board-count-${state}`).getAttribute('data-count'));

/** Waits until the board shows the server's answer for this state filter and search (not the previous one's rows). */
const settledBoard = (page: Page, state: string, q: string) =>
  page.locator(`[data-testid="status-board"][data-filter="${state}"][data-q="${q}"][data-settled="true"]`).waitFor();

const shownCodes = async (page: Page) =>
  Promise.all((await page.locator('[data-testid^="board-row-"]').all()).map(async (row) => (await row.getAttribute('data-testid'))!.slice('board-row-'.length)));

describe('LĐLĐ quận theo dõi, trả lại và duyệt báo cáo', () => {
  const b = useBrowser();

  test('longbien returns one report with a comment, approves the rest in bulk, and downloads the consolidated .xlsx', async () => {
    const { page } = b;
    await signIn(page, 'longbien@lantern.test');
    const plan45 = await findPlan(page, '45/KH-LĐLĐ', 'HN-LB');
    const start = await boardOf(page, plan45.id);
    const idOf = (code: string) => {
      const row = start.rows.find((r) => r.code === code);
      if (!row) throw new Error(`${code} is not on the board of plan 45.`);
      return row.orgId;
    };
    // Two more reports to review: the demo leaves these units not started; the
    // district submits them on the units' behalf (a report already submitted stays as it is).
    for (const code of ['LB-THCS-GT', 'LB-BV-DG']) {
      await apiWrite(page, 'POST', `/api/v1/campaigns/${plan45.id}/reports/${idOf(code)}/submit`, {});
    }
    const before = await boardOf(page, plan45.id);
    const submitted = before.rows.filter((r) => r.status === 'submitted');
    expect(submitted.map((r) => r.code)).toEqual(expect.arrayContaining(['LB-THCS-GT', 'LB-BV-DG']));
    expect(submitted.length).toBeGreaterThanOrEqual(3);

    await page.goto(`/ke-hoach/${plan45.id}`);
    await page.getByTestId('campaign-tab-reports').click();
    const board = page.getByTestId('status-board');
    await board.waitFor();
    expect(await board.textContent()).toContain('Hạn nộp: 25/09/2021');
    // Every state is counted at the top; 2021 is long past, so the submitted reports are late.
    expect(await countOf(page, 'submitted_late')).toBe(before.counts['submitted_late']);
    expect(await countOf(page, 'approved')).toBe(before.counts['approved']);
    expect(await page.getByTestId('board-count-returned').textContent()).toContain('Bị trả lại');
    expect(await page.getByTestId('board-row-LB-BV-DG').getAttribute('data-state')).toBe('submitted_late');

    // Return one report with a comment: its row opens the report in a drawer.
    await page.getByTestId('board-open-LB-BV-DG').click();
    const drawer = page.getByRole('dialog', { name: 'Báo cáo', exact: true });
    await drawer.getByTestId('unit-report').waitFor();
    expect(await drawer.getByTestId('report-state').textContent()).toBe('Nộp muộn');
    await drawer.getByTestId('report-return').click();
    const returnDialog = page.getByRole('dialog', { name: 'Trả lại báo cáo' });
    await returnDialog.waitFor();
    // A comment is required.
    await returnDialog.getByTestId('review-confirm').click();
    await returnDialog.getByText('Vui lòng nhập nhận xét.').waitFor();
    const comment = 'Đề nghị bổ sung số cháu được tặng quà theo nhóm ưu tiên và các khó khăn khi giãn cách.';
    await returnDialog.getByTestId('review-text').fill(comment);
    await returnDialog.getByTestId('review-confirm').click();
    await returnDialog.waitFor({ state: 'detached' });
    await drawer.locator('[data-testid="report-state"][data-state="returned"]').waitFor();
    expect(await drawer.getByTestId('report-return-comment').textContent()).toContain(comment);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await page.locator('[data-testid="board-row-LB-BV-DG"][data-state="returned"]').waitFor();
    expect(await countOf(page, 'returned')).toBe(before.counts['returned']! + 1);

    // Approve the rest in bulk: show the late ones (the server filters), select them all, approve.
    await page.getByTestId('board-count-submitted_late').click();
    await settledBoard(page, 'submitted_late', '');
    const lateRows = page.locator('[data-testid^="board-row-"]');
    expect(await lateRows.count()).toBe(submitted.length - 1);
    await page.getByTestId('board-select-all').check();
    const approveButton = page.getByTestId('board-approve');
    expect(await approveButton.textContent()).toBe(`Duyệt các báo cáo đã nộp (${submitted.length - 1})`);
    await approveButton.click();
    const approveDialog = page.getByRole('dialog', { name: 'Duyệt nhiều báo cáo' });
    await approveDialog.getByRole('button', { name: 'Duyệt' }).click();
    await approveDialog.waitFor({ state: 'detached' });

    // The counts change: nothing left to approve, the approved ones went up.
    await page.locator('[data-testid="board-count-submitted_late"][data-count="0"]').waitFor();
    const approvedNow = (await countOf(page, 'approved')) + (await countOf(page, 'changed_since_approval'));
    expect(approvedNow).toBe(before.counts['approved']! + before.counts['changed_since_approval']! + submitted.length - 1);
    const after = await boardOf(page, plan45.id);
    expect(after.rows.find((r) => r.code === 'LB-THCS-GT')!.status).toBe('approved');
    expect(after.rows.find((r) => r.code === 'LB-BV-DG')!.status).toBe('returned');
    expect(after.rows.filter((r) => r.status === 'submitted')).toHaveLength(0);
    const total = after.rows.length;
    const approvedRows = after.rows.filter((r) => r.status === 'approved').length;
    expect(await page.getByTestId('board-percent-approved').textContent()).toContain(`Đã duyệt: ${approvedRows} / ${total} đơn vị`);

    // The search (typed without diacritics) and the state filter narrow the board through the server;
    // the counts at the top stay those of the whole district.
    await page.getByTestId('board-count-submitted_late').click();
    await settledBoard(page, '', '');
    const fold = (x: string) => x.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
    const ducGiang = after.rows.filter((r) => fold(`${r.code} ${r.name}`).includes('duc') && fold(`${r.code} ${r.name}`).includes('giang'));
    expect(ducGiang.map((r) => r.code)).toEqual(expect.arrayContaining(['LB-BV-DG']));
    expect(ducGiang.length).toBeLessThan(total);
    const searched = page.waitForResponse((r) => r.url().includes('/status-board') && new URL(r.url()).searchParams.get('q') === 'duc giang');
    await page.getByTestId('board-search').fill('duc giang');
    expect(((await (await searched).json()) as Board).rows.map((r) => r.code)).toEqual(ducGiang.map((r) => r.code));
    await settledBoard(page, '', 'duc giang');
    expect(await shownCodes(page)).toEqual(ducGiang.map((r) => r.code));
    expect(await page.getByTestId('board-showing').textContent()).toBe(`Hiển thị 1–${ducGiang.length} trong ${ducGiang.length} đơn vị`);
    const filtered = page.waitForResponse((r) => r.url().includes('/status-board') && new URL(r.url()).searchParams.get('state') === 'returned');
    await page.getByTestId('board-count-returned').click();
    expect(new URL((await filtered).url()).searchParams.get('q')).toBe('duc giang');
    await settledBoard(page, 'returned', 'duc giang');
    const returnedDucGiang = ducGiang.filter((r) => r.state === 'returned').map((r) => r.code);
    expect(returnedDucGiang).toEqual(['LB-BV-DG']);
    expect(await shownCodes(page)).toEqual(returnedDucGiang);
    expect(await page.getByTestId('board-showing').textContent()).toBe('Hiển thị 1–1 trong 1 đơn vị');
    expect(await countOf(page, 'approved')).toBe(after.counts['approved']);
    expect(await page.getByTestId('board-percent-approved').textContent()).toContain(`Đã duyệt: ${approvedRows} / ${total} đơn vị`);

    // The district's consolidated report: the units counted, and the Excel download.
    await page.getByTestId('reports-view').getByText('Tổng hợp, biểu đồ').click();
    await page.getByTestId('consolidated-table').waitFor();
    expect(await page.getByTestId('consolidated-units').textContent()).toContain(`đã duyệt ${approvedRows}`);
    await page.getByTestId('dashboard-children').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('consolidated-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  });
});
