import { describe, test } from 'vitest';
import { findPlan, listPlans, openPlans } from './plan-support';
import { expect, signIn, useBrowser } from './support';

// The city's plan 41/KH-LĐLĐ and the plans that implement it: Long Biên's
// 45/KH-LĐLĐ with its coverage; Hoàn Kiếm has none yet. Hoàn Kiếm does not see
// Long Biên's plan at all.

describe('Cây kế hoạch', () => {
  const b = useBrowser();

  test('hanoi sees 45/KH-LĐLĐ of Long Biên under plan 41, and Hoàn Kiếm without a plan', async () => {
    const { page } = b;
    await signIn(page, 'hanoi@lantern.test');
    const plan41 = await findPlan(page, '41/KH-LĐLĐ', 'HN');
    const plan45 = await findPlan(page, '45/KH-LĐLĐ', 'HN-LB');

    await openPlans(page);
    await page.getByRole('tab', { name: 'Tất cả kế hoạch' }).click();
    const row = page.getByTestId('campaigns-list-all').getByTestId(`campaign-row-${plan41.id}`);
    await row.waitFor();
    await row.getByRole('link').first().click();
    await page.waitForURL((url) => url.pathname === `/ke-hoach/${plan41.id}`);

    await page.getByRole('tab', { name: 'Cây kế hoạch' }).click();
    const tree = page.getByTestId('plan-tree');
    await tree.waitFor();

    const node = tree.getByTestId(`plan-tree-node-${plan45.id}`);
    await node.waitFor();
    expect(await node.getByText('45/KH-LĐLĐ', { exact: true }).count()).toBe(1);
    expect(await node.getByTestId('plan-tree-org').textContent()).toBe('Liên đoàn Lao động quận Long Biên');
    expect(await node.getByTestId('plan-tree-coverage').textContent()).toMatch(
      /^\d+\/\d+ đơn vị đã nhận \(\d+(,\d)?%\)$/,
    );
    expect(await node.getByRole('progressbar').count()).toBe(1);

    const without = tree.getByTestId(`plan-tree-without-${plan41.id}`);
    await without.waitFor();
    expect(await without.getByText('Chưa có kế hoạch thực hiện:', { exact: true }).count()).toBe(1);
    expect(await without.getByText('Liên đoàn Lao động quận Hoàn Kiếm', { exact: false }).count()).toBe(1);
    expect(await without.getByText('Liên đoàn Lao động quận Long Biên', { exact: false }).count()).toBe(0);

    // The node links to plan 45.
    await node.getByRole('link', { name: '45/KH-LĐLĐ' }).click();
    await page.waitForURL((url) => url.pathname === `/ke-hoach/${plan45.id}`);
    await page.getByTestId('campaign-implements').getByText('Thực hiện Kế hoạch 41/KH-LĐLĐ của Liên đoàn Lao động Thành phố Hà Nội').waitFor();
  });

  test('hoankiem does not see 45/KH-LĐLĐ of Long Biên in his list', async () => {
    const { page } = b;
    await signIn(page, 'hoankiem@lantern.test');
    await openPlans(page);
    await page.getByRole('tab', { name: 'Tất cả kế hoạch' }).click();
    const list = page.getByTestId('campaigns-list-all');
    await list.waitFor();
    // The city's plan, addressed to Hoàn Kiếm, is listed; Long Biên's is not.
    await list.locator('[data-doc-number="41/KH-LĐLĐ"]').first().waitFor();
    expect(await list.locator('[data-doc-number="45/KH-LĐLĐ"]').count()).toBe(0);
    expect(await list.getByText('Liên đoàn Lao động quận Long Biên', { exact: true }).count()).toBe(0);
    // Nor through the API.
    const plans = await listPlans(page);
    expect(plans.some((p) => p.issuingOrg.code === 'HN-LB')).toBe(false);
  });
});
