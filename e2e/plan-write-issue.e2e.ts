import type { Page } from 'playwright-core';
import { describe, test } from 'vitest';
import { openPlans } from './plan-support';
import { expect, signIn, useBrowser } from './support';

// A district officer writes a Mid-Autumn plan for 2026 in the editor (the
// festival date comes from the lunar calendar: 15/8 âm lịch = 25/09/2026),
// issues it to every unit below, and downloads the Word file.

async function fillEditor(page: Page, docNumber: string): Promise<void> {
  const form = page.getByTestId('campaign-form');
  // The issuing unit defaults to the officer's own.
  expect(await form.getByRole('textbox', { name: 'Đơn vị ban hành', exact: true }).inputValue()).toContain('HN-LB');

  await form.getByLabel('Loại kế hoạch').click();
  await page.getByRole('option', { name: 'Tết Trung thu', exact: true }).click();
  const year = form.getByTestId('campaign-year');
  await year.fill('2026');
  await year.blur();

  // The festival date is prefilled from the lunar calendar.
  const festival = form.getByRole('textbox', { name: 'Ngày tổ chức', exact: true });
  await expect.poll(() => festival.inputValue(), { timeout: 10_000 }).toBe('25/09/2026');
  await form.getByTestId('campaign-festival-hint').getByText('Theo âm lịch: 15/8 âm lịch = 25/09/2026').waitFor();

  await form.getByRole('textbox', { name: 'Số văn bản', exact: true }).fill(docNumber);
  await form.getByRole('textbox', { name: 'Địa danh', exact: true }).fill('Long Biên');
  await form.getByRole('textbox', { name: 'Tiêu đề', exact: true }).fill('Kế hoạch tổ chức “Tết Trung thu” cho con CNVCLĐ năm 2026');
  await form.getByRole('textbox', { name: 'Trích yếu', exact: true }).fill('Tổ chức “Tết Trung thu” cho con CNVCLĐ năm 2026');
  await form.getByRole('textbox', { name: 'Mở đầu', exact: true }).fill('Ban thường vụ LĐLĐ quận Long Biên xây dựng kế hoạch như sau:');
  await form
    .getByTestId('campaign-section-0')
    .getByRole('textbox', { name: 'Nội dung phần', exact: true })
    .fill('- Chăm lo cho con CNVCLĐ.\n\n1. Tặng quà\n\n- Mức quà **300.000 đồng**/suất.');
  await form.getByRole('textbox', { name: 'Họ tên', exact: true }).fill('Lê Văn Đức');
}

describe('Lập và ban hành kế hoạch', () => {
  const b = useBrowser();

  test('longbien writes a Trung thu 2026 plan, issues it and downloads the .docx', async () => {
    const { page } = b;
    const docNumber = `${Date.now() % 10000}/KH-LĐLĐ`;
    await signIn(page, 'longbien@lantern.test');
    await openPlans(page);
    await page.getByRole('link', { name: 'Lập kế hoạch' }).click();
    await page.waitForURL((url) => url.pathname === '/ke-hoach/moi');

    await fillEditor(page, docNumber);
    await page.getByTestId('campaign-save').click();

    // Saved as a draft: the plan page.
    await page.waitForURL((url) => /^\/ke-hoach\/[0-9a-f-]{36}$/.test(url.pathname));
    const id = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByTestId('campaign-doc-number').getByText(docNumber, { exact: true }).waitFor();
    expect(await page.getByTestId('campaign-status').first().textContent()).toBe('Dự thảo');
    expect(await page.getByTestId('campaign-festival-date').textContent()).toContain('25/09/2026');

    // The text tab renders the markup: a bold sub-heading and a bold run.
    await page.getByRole('tab', { name: 'Nội dung' }).click();
    const content = page.getByTestId('campaign-content');
    await content.getByText('1. Tặng quà', { exact: true }).waitFor();
    expect(await content.locator('strong', { hasText: '300.000 đồng' }).count()).toBe(1);

    // Issue through the confirm modal.
    await page.getByTestId('campaign-issue').click();
    const dialog = page.getByRole('dialog', { name: 'Ban hành kế hoạch' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('mọi đơn vị trực thuộc Liên đoàn Lao động quận Long Biên');
    await dialog.getByRole('button', { name: 'Ban hành', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    await expect.poll(() => page.getByTestId('campaign-status').first().textContent()).toBe('Đã ban hành');
    const sentence = page.getByTestId('campaign-coverage').getByTestId('campaign-coverage-sentence');
    await sentence.waitFor();
    const m = /^0 \/ (\d+) đơn vị đã nhận kế hoạch \(0%\)$/.exec((await sentence.textContent()) ?? '');
    expect(m, (await sentence.textContent()) ?? '').not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(12);
    expect(await page.getByTestId('campaign-issue').count()).toBe(0);

    // The Word file: the link answers 200 with a .docx, with the page's cookies.
    const href = await page.getByTestId('campaign-docx').getAttribute('href');
    expect(href).toBe(`/api/v1/campaigns/${id}/document.docx`);
    const res = await page.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('officedocument.wordprocessingml');
    const body = await res.body();
    expect(body.subarray(0, 2).toString()).toBe('PK');

    // And clicking it downloads the file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('campaign-docx').click()]);
    expect(download.suggestedFilename()).toMatch(/^ke-hoach-.*\.docx$/);
  });
});
