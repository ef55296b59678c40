import { describe, test } from 'vitest';
import { benefitTotals, ownOrgId } from './children-support';
import { findPlan } from './plan-support';
import { expect, signIn, useBrowser } from './support';

// A grassroots union officer (cdcs1) opens plan 45/KH-LĐLĐ of Long Biên, tab
// "Trẻ nhận quà", and lets the app suggest gifts for the unit's eligible
// children within a budget of 900.000 đ: three gifts of 300.000 đ.

describe('Đề xuất phân bổ quà theo thứ tự ưu tiên', () => {
  const b = useBrowser();

  test('cdcs1 allocates a 900.000 đ budget on plan 45: three gifts, 900.000 đ', async () => {
    const { page } = b;
    await signIn(page, 'cdcs1@lantern.test');
    const plan45 = await findPlan(page, '45/KH-LĐLĐ', 'HN-LB');
    const orgId = await ownOrgId(page);
    // Another journey may have recorded a gift in kind (no value) for this unit: compare with before.
    const before = await benefitTotals(page, plan45.id, orgId);

    await page.goto(`/ke-hoach/${plan45.id}`);
    await page.getByRole('tab', { name: 'Trẻ nhận quà' }).click();

    // The eligible children, in priority order (rank 1 first).
    const eligible = page.getByTestId('eligible-table');
    await eligible.waitFor();
    const ranks = await eligible.locator('tbody tr td:first-child').allTextContents();
    expect(ranks.length).toBeGreaterThanOrEqual(3);
    expect(ranks.slice(0, 3)).toEqual(['1', '2', '3']);

    const budget = page.getByTestId('allocate-budget');
    await budget.fill('900000');
    await budget.blur();
    expect(await budget.inputValue()).toBe('900.000 đ');
    await page.getByTestId('allocate-run').click();

    const result = page.getByTestId('allocate-result');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('Đã đề xuất 3 suất, tổng 900.000 đ');
    expect(text).toContain('Còn lại 0 đ');

    // The unit's gifts: three new suggestions of 300.000 đ each, 900.000 đ in all.
    const table = page.getByTestId('benefits-table');
    await table.locator('[data-status="planned"]').nth(2).waitFor();
    const planned = table.locator('[data-status="planned"]');
    expect(await planned.count()).toBe(3);
    for (const value of await planned.locator('td:nth-child(3)').allTextContents()) expect(value).toBe('300.000 đ');
    const totals = page.getByTestId('benefits-totals');
    expect(await totals.textContent()).toBe(`${before.count + 3} suất, tổng ${(before.value + 900_000).toLocaleString('de-DE')} đ`);

    const after = await benefitTotals(page, plan45.id, orgId);
    expect(after.count - before.count).toBe(3);
    expect(after.value - before.value).toBe(900_000);

    // Vouchers and the signature list are one click away.
    expect(await page.getByTestId('vouchers-link').getAttribute('target')).toBe('_blank');
    expect(await page.getByTestId('vouchers-link').getAttribute('href')).toBe(`/api/v1/campaigns/${plan45.id}/vouchers.html?orgId=${orgId}`);
    const list = await page.request.get((await page.getByTestId('signature-list-link').getAttribute('href'))!);
    expect(list.status()).toBe(200);
  });
});
