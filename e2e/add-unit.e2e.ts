import type { Locator, Page } from 'playwright-core';
import { describe, test } from 'vitest';
import { expect, orgNode, signIn, tree, uniqueCode, useBrowser } from './support';

// A district federation officer adds a grassroots union through the
// "Thêm đơn vị" modal; a unit officer cannot add units at all.

const LONG_BIEN = 'Liên đoàn Lao động quận Long Biên (HN-LB)';

interface NewUnit {
  code: string;
  name: string;
}

async function openAddModal(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
  const dialog = page.getByRole('dialog', { name: 'Thêm đơn vị' });
  await dialog.waitFor();
  return dialog;
}

/** Fill the modal for a grassroots union under HN-LB and press "Lưu". */
async function fillAndSave(page: Page, dialog: Locator, unit: NewUnit): Promise<void> {
  const parent = dialog.getByLabel('Đơn vị cấp trên');
  await parent.click();
  await parent.fill('HN-LB');
  // The option's accessible name also holds its expand/collapse toggle: click the label itself.
  await page.getByRole('option').filter({ hasText: LONG_BIEN }).getByText(LONG_BIEN, { exact: true }).click();
  expect(await parent.inputValue()).toContain('HN-LB');

  await dialog.getByLabel('Mã đơn vị').fill(unit.code);
  await dialog.getByRole('textbox', { name: /^Tên đơn vị/ }).fill(unit.name);

  await dialog.getByLabel('Loại đơn vị').click();
  await page.getByRole('option', { name: 'Công đoàn cơ sở', exact: true }).click();

  await dialog.getByRole('button', { name: 'Lưu', exact: true }).click();
}

describe('Thêm đơn vị', () => {
  const b = useBrowser();

  test('longbien adds a grassroots union under HN-LB and it appears in the tree', async () => {
    const { page } = b;
    const unit = { code: uniqueCode('LB-E2E'), name: `Công đoàn Trường Mầm non Thử nghiệm ${Date.now()}` };
    await signIn(page, 'longbien@lantern.test');
    expect(await orgNode(page, unit.code).count()).toBe(0);

    const dialog = await openAddModal(page);
    await fillAndSave(page, dialog, unit);
    await dialog.waitFor({ state: 'hidden' });

    const node = orgNode(page, unit.code);
    await node.waitFor();
    expect(await node.getByText(unit.name, { exact: true }).count()).toBe(1);
    // It sits under Long Biên: inside HN-LB's list item.
    const underLongBien = tree(page).locator('li', { has: orgNode(page, 'HN-LB') }).first();
    expect(await underLongBien.getByTestId(`org-node-${unit.code}`).count()).toBe(1);

    // Still there after a reload (saved on the server, not only in the page).
    await page.reload();
    await orgNode(page, unit.code).waitFor();
  });

  test('a duplicate code shows the server’s Vietnamese conflict message', async () => {
    const { page } = b;
    await signIn(page, 'longbien@lantern.test');
    const dialog = await openAddModal(page);
    await fillAndSave(page, dialog, { code: 'LB-THCS-GT', name: 'Công đoàn Trường THCS Gia Thụy (trùng mã)' });

    const message = 'Mã đơn vị "LB-THCS-GT" đã được dùng cho một đơn vị đang hoạt động.';
    await dialog.getByText(message).first().waitFor();
    expect(await dialog.isVisible()).toBe(true);
    // Nothing new in the tree: the one existing LB-THCS-GT only.
    await dialog.getByRole('button', { name: 'Hủy', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await orgNode(page, 'LB-THCS-GT').count()).toBe(1);
  });

  test('cdcs1 (unit officer) does not see the "Thêm đơn vị" button', async () => {
    const { page } = b;
    await signIn(page, 'cdcs1@lantern.test');
    await orgNode(page, 'LB-THCS-GT').waitFor();
    expect(await page.getByRole('button', { name: 'Thêm đơn vị' }).count()).toBe(0);
    expect(await page.getByTestId('org-add').count()).toBe(0);
  });
});
