import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';

/** The password of every demo account (server/db/seed/demo.ts). */
export const DEMO_PASSWORD = 'TrungThu@2021';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserHandle {
  /** The page of the current test, in a fresh browser context. */
  readonly page: Page;
  readonly context: BrowserContext;
  readonly baseUrl: string;
}

/**
 * One Chromium per test file, a fresh context (cookies, storage) per test.
 * Call once at the top of a file; read `.page` inside tests.
 */
export function useBrowser(): BrowserHandle {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const baseUrl = inject('baseUrl');

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    if (!browser) throw new Error('Chromium did not start.');
    context = await browser.newContext({
      baseURL: baseUrl,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 1280, height: 800 },
    });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    page = undefined;
  });

  return {
    get page() {
      if (!page) throw new Error('No page outside a test.');
      return page;
    },
    get context() {
      if (!context) throw new Error('No browser context outside a test.');
      return context;
    },
    baseUrl,
  };
}

/** Fill the sign-in form and press "Đăng nhập" (does not wait for the result). */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/dang-nhap');
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Mật khẩu', { exact: false }).first().fill(password);
  await form.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** Sign in through the form and wait for the union tree (/don-vi). */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await submitSignIn(page, email, password);
  await page.waitForURL((url) => url.pathname === '/don-vi');
  await tree(page).waitFor();
}

export function tree(page: Page): Locator {
  return page.getByTestId('org-tree');
}

export function orgNode(page: Page, code: string): Locator {
  return page.getByTestId(`org-node-${code}`);
}

/** Codes of the units drawn in the tree, sorted. */
export async function visibleCodes(page: Page): Promise<string[]> {
  const ids = await tree(page)
    .locator('[data-testid^="org-node-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
  return ids.map((id) => id.slice('org-node-'.length)).sort();
}

/** A code no other run (or test) has used: letters, digits and dashes. */
export function uniqueCode(prefix: string): string {
  const stamp = Date.now().toString(36).toUpperCase();
  const rand = Math.floor(Math.random() * 36 ** 3).toString(36).toUpperCase().padStart(3, '0');
  return `${prefix}-${stamp}${rand}`;
}

export { expect };
