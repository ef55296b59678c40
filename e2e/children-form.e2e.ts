import { describe, test } from 'vitest';
import { randomGiven } from './children-support';
import { expect, signIn, useBrowser } from './support';

// A grassroots union officer (cdcs1) registers a child with a disability: the
// form says the data is sensitive and asks for the parent's and (from age 7)
// the child's consent before saving. A viewer of the district (kiemtra) sees
// only that the child has a priority circumstance, not which one.

const NOTICE =
  'Thông tin sức khỏe, khuyết tật, hộ nghèo là dữ liệu cá nhân nhạy cảm; chỉ lưu khi cha/mẹ (và trẻ từ đủ 7 tuổi) đồng ý.';

describe('Thêm trẻ có hoàn cảnh nhạy cảm', () => {
  const b = useBrowser();
  const name = `Đỗ Khánh Linh ${randomGiven()}`;

  test('cdcs1 records the consents and saves the child', async () => {
    const { page } = b;
    await signIn(page, 'cdcs1@lantern.test');
    await page.getByTestId('nav-children').click();
    await page.getByTestId('children-table').waitFor();
    await page.getByTestId('child-add').click();
    const dialog = page.getByRole('dialog', { name: 'Thêm trẻ' });
    await dialog.waitFor();

    await dialog.getByTestId('child-full-name').fill(name);
    await dialog.getByTestId('child-birth-date').fill('12/03/2014');
    await dialog.getByTestId('child-sex-female').check();
    await dialog.getByTestId('child-parent-0-name').fill('Đỗ Văn Thành');
    await dialog.getByTestId('child-parent-0-phone').fill('0988 111 222');

    // No consent block until a sensitive circumstance is ticked.
    expect(await dialog.getByTestId('child-consent').count()).toBe(0);
    await dialog.getByTestId('child-circumstance-disability').check();
    await dialog.getByTestId('child-consent-notice').waitFor();
    expect(await dialog.getByTestId('child-consent-notice').textContent()).toBe(NOTICE);
    await dialog.getByLabel('Mức độ khuyết tật').click();
    await page.getByRole('option', { name: 'Nặng', exact: true }).click();

    // Saving without the consents is refused, under "Người đồng ý" (born 2014: the child's too).
    await dialog.getByTestId('child-save').click();
    const parentGivenBy = dialog.getByTestId('child-parentConsent');
    await parentGivenBy.getByText('Cần ghi nhận sự đồng ý trước khi lưu hoàn cảnh nhạy cảm.').waitFor();
    await dialog.getByTestId('child-childConsent').getByText('Cần ghi nhận sự đồng ý trước khi lưu hoàn cảnh nhạy cảm.').waitFor();

    await dialog.getByTestId('parentConsent-given-by').fill('Đỗ Văn Thành');
    await dialog.getByTestId('childConsent-given-by').fill(name);
    await dialog.getByTestId('child-save').click();

    await page.waitForURL((url) => /^\/tre-em\/[0-9a-f-]{36}$/.test(url.pathname));
    expect(await page.getByTestId('child-title').textContent()).toBe(name);
    await page.getByText('Khuyết tật (Nặng)', { exact: true }).waitFor();
    expect(await page.getByTestId('child-parentConsent').textContent()).toMatch(/Ghi nhận bởi cdcs1@lantern\.test lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  });

  test('kiemtra (viewer) sees that a priority circumstance is hidden, not which', async () => {
    const { page } = b;
    await signIn(page, 'kiemtra@lantern.test');
    await page.goto('/tre-em');
    await page.getByTestId('children-table').waitFor();
    expect(await page.getByTestId('child-add').count()).toBe(0);
    await page.getByTestId('children-search').fill(name.replace('Đỗ', 'do').replace('Khánh', 'khanh'));
    const row = page.getByTestId('children-table').locator('[data-testid^="child-row-"]').filter({ hasText: name });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Có hoàn cảnh ưu tiên (thông tin nhạy cảm được ẩn)');
    expect(text).not.toContain('Khuyết tật');
    expect(text).toContain('Đỗ Văn Thành');
  });
});
