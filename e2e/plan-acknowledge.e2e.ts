import { describe, test } from 'vitest';
import { findPlan, openPlans, planCoverage } from './plan-support';
import { expect, signIn, useBrowser } from './support';

// A grassroots union officer confirms "Đã nhận kế hoạch" for plan 45/KH-LĐLĐ
// of Long Biên from their inbox; the district then sees one more unit in the
// plan's coverage (demo data: LB-THCS-GT has not acknowledged plan 45).

describe('Đơn vị xác nhận đã nhận kế hoạch', () => {
  const b = useBrowser();

  test('cdcs1 acknowledges 45/KH-LĐLĐ and longbien sees the coverage go up by one', async () => {
    const { page, context } = b;

    // Before: the district's coverage, read through the API (another journey may have changed it).
    await signIn(page, 'longbien@lantern.test');
    const plan45 = await findPlan(page, '45/KH-LĐLĐ', 'HN-LB');
    const before = await planCoverage(page, plan45.id);
    expect(before.inScope).toBeGreaterThanOrEqual(12);
    await context.clearCookies();

    // cdcs1: "Kế hoạch" → "Kế hoạch gửi đơn vị tôi" lists 45/KH-LĐLĐ, not yet acknowledged.
    await signIn(page, 'cdcs1@lantern.test');
    await openPlans(page);
    await page.getByRole('tab', { name: 'Kế hoạch gửi đơn vị tôi' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Kế hoạch gửi đơn vị tôi' }).getAttribute('aria-selected')).toBe('true');
    const inbox = page.getByTestId('campaigns-list-inbox');
    const row = inbox.getByTestId(`campaign-row-${plan45.id}`);
    await row.waitFor();
    expect(await row.getByText('45/KH-LĐLĐ', { exact: true }).count()).toBe(1);
    expect(await row.getByText('Liên đoàn Lao động quận Long Biên', { exact: true }).count()).toBe(1);
    await row.getByText('Chưa nhận', { exact: true }).waitFor();

    const ack = row.getByTestId(`ack-${plan45.id}`);
    expect(await ack.textContent()).toContain('Đã nhận kế hoạch');
    await ack.click();

    // The row now says when it was received, and the button is gone.
    await row.getByTestId('ack-done').waitFor();
    expect(await row.getByTestId('ack-done').textContent()).toMatch(/^Đã nhận \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(await row.getByTestId(`ack-${plan45.id}`).count()).toBe(0);

    // The plan page says so too, with the officer's name.
    await row.getByRole('link', { name: /Tết trung thu/ }).click();
    await page.waitForURL((url) => url.pathname === `/ke-hoach/${plan45.id}`);
    const done = page.getByTestId('campaign-ack-done');
    await done.waitFor();
    expect(await done.textContent()).toMatch(
      /Đơn vị đã nhận kế hoạch lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(Phạm Thị Hồng Nhung\)/,
    );
    expect(await page.getByTestId('campaign-ack').count()).toBe(0);
    await context.clearCookies();

    // longbien: the coverage sentence on plan 45 counts one more unit.
    await signIn(page, 'longbien@lantern.test');
    await page.goto(`/ke-hoach/${plan45.id}`);
    const sentence = page.getByTestId('campaign-coverage').getByTestId('campaign-coverage-sentence');
    await sentence.waitFor();
    const after = { ...before, acknowledged: before.acknowledged + 1 };
    const expected = new RegExp(`^${after.acknowledged} / ${after.inScope} đơn vị đã nhận kế hoạch \\(\\d+(,\\d)?%\\)$`);
    expect(await sentence.textContent()).toMatch(expected);
    // LB-THCS-GT is no longer listed among the units that have not acknowledged.
    expect(await page.getByTestId('coverage-missing-LB-THCS-GT').count()).toBe(0);
    const unitRow = page.getByTestId('assignment-LB-THCS-GT');
    await unitRow.waitFor();
    expect(await unitRow.textContent()).toContain('Phạm Thị Hồng Nhung');
  });
});
