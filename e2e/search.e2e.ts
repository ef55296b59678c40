import type { Page } from 'playwright-core';
import { describe, test } from 'vitest';
import { expect, signIn, useBrowser } from './support';

// Searching the units in one's scope: accents and letter case do not matter,
// and neither does the Unicode form the keyboard produced (NFC or NFD).

const GIA_THUY = 'Công đoàn Trường THCS Gia Thụy';

async function search(page: Page, text: string) {
  await page.getByTestId('org-search').fill(text);
  const results = page.getByTestId('org-search-results');
  await results.waitFor();
  return results;
}

describe('Tìm đơn vị', () => {
  const b = useBrowser();

  test('"gia thuy" without diacritics finds Công đoàn Trường THCS Gia Thụy', async () => {
    const { page } = b;
    await signIn(page, 'longbien@lantern.test');
    const results = await search(page, 'gia thuy');
    await results.getByText(GIA_THUY, { exact: true }).waitFor();
    expect(await results.getByTestId('org-result-LB-THCS-GT').count()).toBe(1);
  });

  test('"GIA THỤY" typed in NFD form finds it too', async () => {
    const { page } = b;
    await signIn(page, 'longbien@lantern.test');
    const nfd = 'GIA THỤY'.normalize('NFD');
    expect(nfd).not.toBe('GIA THỤY'.normalize('NFC'));
    const results = await search(page, nfd);
    await results.getByText(GIA_THUY, { exact: true }).waitFor();
    expect(await results.getByTestId('org-result-LB-THCS-GT').count()).toBe(1);
  });

  test('hoankiem searching "gia thuy" finds nothing (the unit is outside their scope)', async () => {
    const { page } = b;
    await signIn(page, 'hoankiem@lantern.test');
    const results = await search(page, 'gia thuy');
    await results.getByText('Không tìm thấy đơn vị phù hợp.').waitFor();
    expect(await results.getByText(GIA_THUY).count()).toBe(0);
    expect(await results.locator('[data-testid^="org-result-"]').count()).toBe(0);
  });
});
