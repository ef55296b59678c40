import type { Locator, Page } from 'playwright-core';
import { describe, test } from 'vitest';
import { findPlan } from './plan-support';
import { expect, signIn, useBrowser } from './support';

// The Long Biên district officer opens plan 45/KH-LĐLĐ, tab "Quỹ, tài trợ",
// adds a new sponsor from the receipt form and records 50.000.000 đ received
// from it: the unit's sponsor money grows by that amount. Then 20.000.000 đ
// of it is earmarked to the THCS Gia Thụy union, whose officer (cdcs1) sees
// that sponsor's money in their own unit's funds, sponsors one child of the
// union with part of it (nhận đỡ đầu) and finds the sponsorship on the child's page.

const RECEIVED = 50_000_000;
const EARMARKED = 20_000_000;
const FOR_CHILD = 5_000_000;
const GIA_THUY = 'Công đoàn Trường THCS Gia Thụy (LB-THCS-GT)';

/** "1.500.000 đ" → 1500000 */
function money(text: string | null): number {
  const digits = (text ?? '').replace(/[^\d-]/g, '');
  return digits ? Number(digits) : 0;
}

/** 1500000 → "1.500.000 đ", as the app writes money. */
function dong(n: number): string {
  return `${n.toLocaleString('de-DE')} đ`;
}

async function openFundsTab(page: Page, planId: string): Promise<void> {
  await page.goto(`/ke-hoach/${planId}`);
  await page.getByTestId('campaign-tab-funds').click();
  await page.getByTestId('funds-unit-view').waitFor();
}

async function sponsorLeft(page: Page): Promise<number> {
  return money(await page.getByTestId('funds-left-sponsor').textContent());
}

/** The row of one sponsor in the unit's "Theo nhà tài trợ" table. */
function sponsorRow(page: Page, name: string): Locator {
  return page.getByTestId('funds-sponsors').locator('tr', { hasText: name });
}

/** Wait until a locator's text is exactly `text` (the lists refetch after a write). */
async function waitForText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).waitFor();
}

describe('Ghi nhận tài trợ và phân bổ cho công đoàn cơ sở', () => {
  const b = useBrowser();

  test('longbien records a 50.000.000 đ receipt from a new sponsor and earmarks 20.000.000 đ to THCS Gia Thụy; cdcs1 sees it', async () => {
    const { page } = b;
    const sponsorName = `Ngân hàng Thử nghiệm ${Date.now().toString(36).toUpperCase()}`;

    // ---- the district officer records the receipt
    await signIn(page, 'longbien@lantern.test');
    const plan45 = await findPlan(page, '45/KH-LĐLĐ', 'HN-LB');
    await openFundsTab(page, plan45.id);
    const before = await sponsorLeft(page);

    await page.getByTestId('funds-action-receipt').click();
    const receipt = page.getByRole('dialog', { name: 'Ghi khoản nhận tài trợ' });
    await receipt.waitFor();

    // A sponsor not recorded yet: add it from the receipt form.
    await receipt.getByTestId('receipt-sponsor-new').click();
    const sponsorDialog = page.getByRole('dialog', { name: 'Thêm nhà tài trợ' });
    await sponsorDialog.waitFor();
    expect(await sponsorDialog.getByTestId('sponsor-org').inputValue()).toContain('HN-LB');
    await sponsorDialog.getByTestId('sponsor-name').fill(sponsorName);
    await sponsorDialog.getByTestId('sponsor-public').check();
    await sponsorDialog.getByTestId('sponsor-save').click();
    await sponsorDialog.waitFor({ state: 'hidden' });
    expect(await receipt.getByTestId('receipt-sponsor').inputValue()).toBe(sponsorName);

    const amount = receipt.getByTestId('receipt-amount');
    await amount.fill(String(RECEIVED));
    await amount.blur();
    expect(await amount.inputValue()).toBe(dong(RECEIVED));
    await receipt.getByTestId('receipt-no').fill('PT-E2E-01');
    // The date is typed as dd/mm/yyyy and defaults to today.
    expect(await receipt.getByTestId('receipt-date').inputValue()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    await receipt.getByTestId('receipt-save').click();
    await receipt.waitFor({ state: 'hidden' });

    // The ledger's sponsor money grew by exactly the receipt.
    await waitForText(page.getByTestId('funds-left-sponsor'), dong(before + RECEIVED));
    const row = sponsorRow(page, sponsorName);
    await row.waitFor();
    expect(await row.getByTestId('funds-sponsor-in').textContent()).toBe(dong(RECEIVED));
    expect(await row.getByTestId('funds-sponsor-left').textContent()).toBe(dong(RECEIVED));
    expect(await page.getByTestId('funds-ledger').getByText(sponsorName).count()).toBeGreaterThan(0);
    // The thank-you letter of this sponsor is one click away.
    const letter = row.getByRole('link', { name: 'Thư cảm ơn' });
    expect(await letter.getAttribute('href')).toContain(`thank-you.docx?campaignId=${plan45.id}`);

    // ---- part of it earmarked to the THCS Gia Thụy union
    await page.getByTestId('funds-action-transfer').click();
    const transfer = page.getByRole('dialog', { name: 'Chuyển kinh phí cho đơn vị trực thuộc' });
    await transfer.waitFor();
    await transfer.getByTestId('transfer-source').click();
    await page.getByRole('option', { name: new RegExp(sponsorName) }).click();
    expect(await transfer.getByTestId('fund-source-left').textContent()).toContain(dong(RECEIVED));
    const to = transfer.getByTestId('transfer-to');
    await to.click();
    await to.fill('Gia Thụy');
    await page.getByRole('option').filter({ hasText: GIA_THUY }).getByText(GIA_THUY, { exact: true }).click();
    const earmark = transfer.getByTestId('transfer-amount');
    await earmark.fill(String(EARMARKED));
    await earmark.blur();
    await transfer.getByTestId('transfer-save').click();
    await transfer.waitFor({ state: 'hidden' });

    await waitForText(sponsorRow(page, sponsorName).getByTestId('funds-sponsor-left'), dong(RECEIVED - EARMARKED));
    await waitForText(page.getByTestId('funds-left-sponsor'), dong(before + RECEIVED - EARMARKED));
    const earmarkRow = page.getByTestId('funds-earmarks').locator('tr', { hasText: sponsorName });
    await earmarkRow.waitFor();
    expect(await earmarkRow.textContent()).toContain('Công đoàn Trường THCS Gia Thụy');
    expect(await earmarkRow.textContent()).toContain(dong(EARMARKED));

    // ---- the union officer sees that money in their unit's funds
    await page.context().clearCookies();
    await signIn(page, 'cdcs1@lantern.test');
    await openFundsTab(page, plan45.id);
    // The unit picker shows the unit's name once the tree has loaded.
    await page.waitForFunction(() => (document.querySelector('[data-testid="funds-unit"]') as HTMLInputElement | null)?.value.includes('LB-THCS-GT'));
    expect(await page.getByTestId('funds-unit').inputValue()).toContain('LB-THCS-GT');
    const theirs = sponsorRow(page, sponsorName);
    await theirs.waitFor();
    expect(await theirs.getByTestId('funds-sponsor-in').textContent()).toBe(dong(EARMARKED));
    expect(await theirs.getByTestId('funds-sponsor-left').textContent()).toBe(dong(EARMARKED));
    const line = page.getByTestId('funds-ledger').locator('tr', { hasText: sponsorName });
    expect(await line.first().textContent()).toContain('Nhận từ Liên đoàn Lao động quận Long Biên');

    // ---- the union sponsors one of its children with part of that money
    const orgId = (await page.request.get('/api/v1/auth/me').then((r) => r.json()) as { user: { grants: { orgId: number }[] } }).user.grants[0]!.orgId;
    const kids = (await page.request.get(`/api/v1/orgs/${orgId}/children?limit=1`).then((r) => r.json())) as { items: { id: string; fullName: string }[] };
    const child = kids.items[0]!;
    await page.getByTestId('funds-action-child').click();
    const sponsorChild = page.getByRole('dialog', { name: 'Nhận đỡ đầu trẻ' });
    await sponsorChild.waitFor();
    await sponsorChild.getByTestId('child-earmark-source').click();
    await page.getByRole('option', { name: new RegExp(sponsorName) }).click();
    const picker = sponsorChild.getByTestId('child-earmark-child');
    await picker.click();
    await picker.fill(child.fullName);
    await page.getByRole('option', { name: new RegExp(child.fullName) }).first().click();
    await sponsorChild.getByTestId('child-earmark-amount').fill(String(FOR_CHILD));
    await sponsorChild.getByLabel('Từ ngày').fill('01/09/2021');
    await sponsorChild.getByLabel('Đến ngày').fill('31/05/2022');
    await sponsorChild.getByTestId('child-earmark-save').click();
    await sponsorChild.waitFor({ state: 'hidden' });
    await waitForText(sponsorRow(page, sponsorName).getByTestId('funds-sponsor-left'), dong(EARMARKED - FOR_CHILD));

    await page.goto(`/tre-em/${child.id}`);
    const card = page.getByTestId('child-sponsorships');
    const sponsorship = card.locator('[data-testid^="child-sponsorship-"]', { hasText: sponsorName });
    await sponsorship.waitFor();
    const text = (await sponsorship.textContent()) ?? '';
    expect(text).toContain(dong(FOR_CHILD));
    expect(text).toContain('01/09/2021 – 31/05/2022');
    expect(text).toContain('45/KH-LĐLĐ');
  });

  test('the public page of a plan is off until the issuing unit turns it on, and names only sponsors who agreed', async () => {
    const { page } = b;
    await signIn(page, 'longbien@lantern.test');
    const plan45 = await findPlan(page, '45/KH-LĐLĐ', 'HN-LB');
    // The switch shows the page's state once the app has asked for it.
    const probed = page.waitForResponse((r) => r.url().includes(`/api/v1/public/campaigns/${plan45.id}/funds`));
    await openFundsTab(page, plan45.id);
    await probed;
    const toggle = page.getByTestId('funds-public-switch');
    if (await toggle.isChecked()) {
      await toggle.click({ force: true });
      await page.getByTestId('funds-public-link').waitFor({ state: 'hidden' });
    }
    const off = await page.request.get(`/api/v1/public/campaigns/${plan45.id}/funds`);
    expect(off.status()).toBe(404);

    await toggle.click({ force: true });
    const link = page.getByTestId('funds-public-link');
    await link.waitFor();
    expect(await link.inputValue()).toMatch(new RegExp(`/cong-khai/${plan45.id}$`));

    // Children the plan's sponsors took on: none of them may show on the public page.
    const earmarks = (await page.request.get(`/api/v1/campaigns/${plan45.id}/funds/earmarks?target=child`).then((r) => r.json())) as {
      items: { childName: string | null }[];
    };
    const childNames = earmarks.items.map((e) => e.childName).filter((n): n is string => !!n);
    expect(childNames.length).toBeGreaterThan(0);

    // Anyone, signed out, reads the totals and the named sponsors.
    await page.context().clearCookies();
    await page.goto(`/cong-khai/${plan45.id}`);
    await page.getByTestId('public-funds').waitFor();
    expect(await page.getByText('Kế hoạch số 45/KH-LĐLĐ').count()).toBe(1);
    const named = (await page.getByTestId('public-sponsors').textContent()) ?? '';
    const sponsors = (await page.request.get(`/api/v1/public/campaigns/${plan45.id}/funds`).then((r) => r.json())) as { sponsors: { name: string }[] };
    for (const s of sponsors.sponsors) expect(named).toContain(s.name);
    expect(money(await page.getByTestId('public-total-in-amount').textContent())).toBeGreaterThan(0);
    const body = (await page.locator('body').textContent()) ?? '';
    for (const name of childNames) expect(body).not.toContain(name);
  });
});
