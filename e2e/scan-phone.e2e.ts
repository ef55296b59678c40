import type { Page } from 'playwright-core';
import { describe, test } from 'vitest';
import { apiWrite, ownOrgId } from './children-support';
import { findPlan } from './plan-support';
import { expect, signIn, useBrowser } from './support';

// On a phone (390 × 844), a grassroots union officer (cdcs1) hands out a gift:
// the voucher's code, typed in on "Quét phiếu nhận quà", records the delivery
// once ("Đã giao"); the same code again says when it was received.

interface Benefit {
  id: string;
  status: string;
  version: number;
}

/** No element wider than the screen: the page does not scroll sideways. */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('Quét phiếu nhận quà trên điện thoại', () => {
  const b = useBrowser();

  test('cdcs1 confirms a voucher by its code: delivered, then already received', async () => {
    const { page } = b;
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, 'cdcs1@lantern.test');
    const plan45 = await findPlan(page, '45/KH-LĐLĐ', 'HN-LB');
    const orgId = await ownOrgId(page);

    // A gift in kind (no money, so no budget is used) for the last child of the unit's eligible list, approved.
    const eligible = await page.request.get(`/api/v1/campaigns/${plan45.id}/eligible?orgId=${orgId}`);
    expect(eligible.ok()).toBe(true);
    const items = ((await eligible.json()) as { items: { childId: string; fullName: string }[] }).items;
    const child = items[items.length - 1]!;
    const item = `Đèn ông sao ${Date.now()}`;
    const created = await apiWrite<Benefit>(page, 'POST', `/api/v1/campaigns/${plan45.id}/benefits`, { childId: child.childId, kind: 'in_kind', item });
    const approved = await apiWrite<Benefit>(page, 'PATCH', `/api/v1/benefits/${created.id}`, { status: 'approved', version: created.version });
    expect(approved.status).toBe('approved');

    // The code printed under the QR code on that child's voucher.
    const vouchers = await page.request.get(`/api/v1/campaigns/${plan45.id}/vouchers.html?orgId=${orgId}`);
    expect(vouchers.status()).toBe(200);
    const html = await vouchers.text();
    const card = html.split('<section class="voucher">').find((s) => s.includes(item));
    const token = card && /<div class="token">([^<]+)<\/div>/.exec(card)?.[1];
    expect(token).toBeTruthy();

    // "Quét phiếu" from the phone menu.
    await page.getByRole('button', { name: 'Mở menu' }).click();
    await page.getByTestId('nav-scan').click();
    await page.waitForURL((url) => url.pathname === '/quet-phieu');
    await page.getByRole('heading', { name: 'Quét phiếu nhận quà' }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // First time: delivered, with the child, the unit and the gift.
    await page.getByTestId('scan-token-input').fill(token!);
    await page.getByTestId('scan-submit').click();
    const result = page.getByTestId('scan-result');
    await result.and(page.locator('[data-status="delivered"]')).waitFor();
    const first = (await result.textContent()) ?? '';
    expect(first).toContain('Đã giao');
    expect(first).toContain(child.fullName);
    expect(first).toContain('Công đoàn Trường THCS Gia Thụy');
    expect(first).toContain('Hiện vật');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // Second time: already received, at the time of the first scan.
    await page.getByTestId('scan-token-input').fill(token!);
    await page.getByTestId('scan-submit').click();
    await result.and(page.locator('[data-status="already_delivered"]')).waitFor();
    expect(await page.getByTestId('scan-status').textContent()).toMatch(/^Đã nhận lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });
});
