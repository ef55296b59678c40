import { describe, test } from 'vitest';
import { expect, orgNode, signIn, submitSignIn, useBrowser, visibleCodes } from './support';

// Sign in through the form, land on the union tree, and see exactly the units
// of one's own scope (demo data: server/db/seed/demo.ts).

const LONG_BIEN_UNITS = [
  'LB-THCS-GT',
  'LB-BV-DG',
  'LB-TH-NL',
  'LB-MN-HS',
  'LB-THCS-AM',
  'LB-THPT-NGT',
  'LB-TTYT',
  'LB-UBND-BD',
  'LB-UBND-Q',
  'LB-MAY-DG',
  'LB-DT-SD',
  'LB-XD-LB',
  'LB-VT-LB',
];
const HOAN_KIEM_UNITS = ['HK-THCS-TV', 'HK-TH-DB', 'HK-TM-TT', 'HK-UBND-HB'];

/** Units added by other journeys in this run (add-unit.e2e.ts) carry this prefix. */
const ADDED_BY_JOURNEYS = /^LB-E2E-/;

const sorted = (codes: string[]) => [...codes].sort();

interface Scope {
  email: string;
  /** Exactly these units are drawn (ignoring units other journeys added under HN-LB). */
  units: string[];
  mustSee: string[];
  mustNotSee: string[];
  canAdd: boolean;
}

const SCOPES: Scope[] = [
  {
    email: 'longbien@lantern.test',
    units: ['HN-LB', ...LONG_BIEN_UNITS],
    mustSee: ['HN-LB', 'LB-THCS-GT', 'LB-BV-DG'],
    mustNotSee: ['HN', 'HN-HK', 'HK-THCS-TV'],
    canAdd: true,
  },
  {
    email: 'cdcs1@lantern.test',
    units: ['LB-THCS-GT'],
    mustSee: ['LB-THCS-GT'],
    mustNotSee: ['LB-BV-DG', 'HN-LB', 'HN'],
    canAdd: false,
  },
  {
    email: 'cdcs2@lantern.test',
    units: ['LB-BV-DG'],
    mustSee: ['LB-BV-DG'],
    mustNotSee: ['LB-THCS-GT', 'HN-LB', 'HN'],
    canAdd: false,
  },
  {
    email: 'hoankiem@lantern.test',
    units: ['HN-HK', ...HOAN_KIEM_UNITS],
    mustSee: ['HN-HK', 'HK-THCS-TV'],
    mustNotSee: ['HN', 'HN-LB', 'LB-THCS-GT'],
    canAdd: true,
  },
  {
    email: 'admin@lantern.test',
    units: ['HN', 'HN-LB', ...LONG_BIEN_UNITS, 'HN-HK', ...HOAN_KIEM_UNITS],
    mustSee: ['HN', 'HN-LB', 'HN-HK', 'LB-THCS-GT', 'HK-THCS-TV'],
    mustNotSee: [],
    canAdd: true,
  },
  {
    email: 'kiemtra@lantern.test',
    units: ['HN-LB', ...LONG_BIEN_UNITS],
    mustSee: ['HN-LB', 'LB-THCS-GT'],
    mustNotSee: ['HN', 'HN-HK'],
    canAdd: false,
  },
];

describe('Đăng nhập và phạm vi cây tổ chức', () => {
  const b = useBrowser();

  for (const scope of SCOPES) {
    test(`${scope.email} sees exactly the units of their scope`, async () => {
      const { page } = b;
      await signIn(page, scope.email);
      for (const code of scope.mustSee) await orgNode(page, code).waitFor();

      const codes = (await visibleCodes(page)).filter((c) => !ADDED_BY_JOURNEYS.test(c));
      expect(codes).toEqual(sorted(scope.units));
      for (const code of scope.mustNotSee) expect(await orgNode(page, code).count(), code).toBe(0);

      const addButton = page.getByRole('button', { name: 'Thêm đơn vị' });
      expect(await addButton.count()).toBe(scope.canAdd ? 1 : 0);
    });
  }

  test('a wrong password shows the Vietnamese error and stays on the sign-in page', async () => {
    const { page } = b;
    await submitSignIn(page, 'longbien@lantern.test', 'SaiMatKhau@2021');
    await page.getByRole('alert').filter({ hasText: 'Email hoặc mật khẩu không đúng.' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dang-nhap');
    expect(await page.getByTestId('org-tree').count()).toBe(0);
  });

  test('at 360 px wide, the tree page has no horizontal scroll', async () => {
    const { page } = b;
    await page.setViewportSize({ width: 360, height: 740 });
    await signIn(page, 'admin@lantern.test');
    await orgNode(page, 'LB-BV-DG').waitFor();
    // Let fonts and late layout settle before measuring.
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      body: document.body.scrollWidth,
      inner: window.innerWidth,
    }));
    expect(widths.inner).toBe(360);
    expect(widths.scroll).toBeLessThanOrEqual(360);
    expect(widths.body).toBeLessThanOrEqual(360);
  });
});
