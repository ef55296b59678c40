import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, test } from 'vitest';
import { ownOrgId, randomGiven } from './children-support';
import { expect, signIn, useBrowser } from './support';

// A grassroots union officer (cdcs1, Công đoàn Trường THCS Gia Thụy) imports
// the children of members from Excel: the template downloads, the check shows
// its progress while it runs, a file with an impossible date is refused with
// the row and column named, the fixed file is imported, and the new child is
// in the register.

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Row {
  fullName: string;
  birthDate: string;
  sex: 'Nam' | 'Nữ';
  parent: string;
  phone: string;
}

/** An .xlsx laid out like the template: the header row, then one child a row. */
async function workbook(rows: Row[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Danh sach tre');
  ws.addRow(['Họ tên con *', 'Ngày sinh *', 'Giới tính (Nam/Nữ) *', 'Họ tên cha/mẹ (đoàn viên) *', 'Điện thoại', 'Trường']);
  for (const r of rows) ws.addRow([r.fullName, r.birthDate, r.sex, r.parent, r.phone, 'Trường THCS Gia Thụy']);
  // Dates and phones as text, as the template formats them.
  ws.getColumn(2).numFmt = '@';
  ws.getColumn(5).numFmt = '@';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function chooseFile(page: Page, name: string, buffer: Buffer): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('children-import-file').click();
  await (await chooser).setFiles({ name, mimeType: XLSX, buffer });
  await page.getByTestId('children-import-file').filter({ hasText: name }).waitFor();
}

describe('Nhập danh sách trẻ từ Excel', () => {
  const b = useBrowser();

  test('cdcs1 downloads the template, sees the bad date, fixes it and imports three children', async () => {
    const { page } = b;
    await signIn(page, 'cdcs1@lantern.test');
    const orgId = await ownOrgId(page);

    // The template downloads as an Excel workbook.
    const template = await page.request.get(`/api/v1/orgs/${orgId}/children/template.xlsx`);
    expect(template.status()).toBe(200);
    expect(template.headers()['content-type']).toContain(XLSX);
    expect((await template.body()).subarray(0, 2).toString()).toBe('PK');

    // "Trẻ em" → "Nhập từ Excel".
    await page.getByTestId('nav-children').click();
    await page.waitForURL((url) => url.pathname === '/tre-em');
    await page.getByTestId('children-table').waitFor();
    await page.getByTestId('children-import').click();
    await page.waitForURL((url) => url.pathname === '/tre-em/nhap-excel');

    const tail = randomGiven();
    const rows: Row[] = [
      { fullName: `Trần Thị Ánh ${tail}`, birthDate: '14/02/2015', sex: 'Nữ', parent: `Trần Văn Lộc ${tail}`, phone: '0912000111' },
      { fullName: `Lê Minh Đức ${tail}`, birthDate: '30/02/2016', sex: 'Nam', parent: `Lê Văn Hòa ${tail}`, phone: '0912000222' },
      { fullName: `Lê Thu Hằng ${tail}`, birthDate: '02/09/2012', sex: 'Nữ', parent: `Lê Văn Hòa ${tail}`, phone: '0912000222' },
    ];

    // 30/02/2016 is not a date: "Kiểm tra" names row 3 (the header is row 1), column "Ngày sinh".
    // While the check runs the page shows its progress, asking the server how far it is: the upload is
    // held back here until the indicator is seen, so the server has not started (phase "waiting").
    await chooseFile(page, 'danh-sach-con.xlsx', await workbook(rows));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const isImport = (url: URL) => url.pathname === `/api/v1/orgs/${orgId}/children/import`;
    let continued!: () => void;
    const passed = new Promise<void>((resolve) => (continued = resolve));
    await page.route(isImport, async (route) => {
      await held;
      await route.continue();
      continued();
    });
    const polled = page.waitForResponse((r) => r.url().includes(`/api/v1/orgs/${orgId}/children/import/progress?id=`) && r.status() === 200);
    await page.getByTestId('children-import-check').click();
    const indicator = page.getByTestId('children-import-progress');
    await indicator.waitFor();
    expect(await indicator.getByRole('progressbar').count()).toBe(1);
    expect(await (await polled).json()).toEqual({ phase: 'waiting', rows: 0, total: null });
    release();
    // Let the held upload through before removing the route, so the two never race.
    await passed;
    await page.unroute(isImport);
    const errors = page.getByTestId('children-import-errors');
    await errors.waitFor();
    const errorRow = errors.locator('tbody tr').filter({ hasText: '30/02/2016' });
    expect(await errorRow.count()).toBe(1);
    const cells = await errorRow.locator('td').allTextContents();
    expect(cells[0]).toBe('3');
    expect(cells[1]).toContain('Ngày sinh');
    expect(await page.getByTestId('children-import-commit').isDisabled()).toBe(true);

    // The fixed file checks clean; "Nhập" imports all three.
    rows[1]!.birthDate = '28/02/2016';
    await chooseFile(page, 'danh-sach-con-da-sua.xlsx', await workbook(rows));
    await page.getByTestId('children-import-check').click();
    await page.getByTestId('children-import-summary').waitFor();
    expect(await page.getByTestId('children-import-errors').count()).toBe(0);
    expect(await page.getByTestId('children-import-valid').textContent()).toContain('3');
    expect(await page.getByTestId('children-import-will-create').textContent()).toContain('3');
    const commit = page.getByTestId('children-import-commit');
    expect(await commit.isEnabled()).toBe(true);
    await commit.click();

    const result = page.getByTestId('children-import-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Đã nhập xong: 3 trẻ mới');
    expect(await page.getByTestId('children-import-created').textContent()).toContain('3');

    // The register lists the new child; the search needs no diacritics.
    await page.getByTestId('children-import-view-list').click();
    await page.waitForURL((url) => url.pathname === '/tre-em');
    await page.getByTestId('children-search').fill(`le minh duc ${tail.toLowerCase()}`);
    const table = page.getByTestId('children-table');
    await table.getByText(`Lê Minh Đức ${tail}`, { exact: true }).waitFor();
    const row = table.locator('[data-testid^="child-row-"]').filter({ hasText: `Lê Minh Đức ${tail}` });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('28/02/2016');
    expect(await row.textContent()).toContain(`Lê Văn Hòa ${tail}`);
  });
});
