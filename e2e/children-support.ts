import type { Page } from 'playwright-core';

/** The signed-in user's CSRF token and grants, through the API with the page's cookies. */
export async function me(page: Page): Promise<{ csrfToken: string; grants: { orgId: number; orgCode: string; role: string }[] }> {
  const res = await page.request.get('/api/v1/auth/me');
  if (!res.ok()) throw new Error(`GET /auth/me answered ${res.status()}`);
  const body = (await res.json()) as { csrfToken: string; user: { grants: { orgId: number; orgCode: string; role: string }[] } };
  return { csrfToken: body.csrfToken, grants: body.user.grants };
}

/** The id of the unit the user holds a role at (the first grant). */
export async function ownOrgId(page: Page): Promise<number> {
  const { grants } = await me(page);
  const g = grants[0];
  if (!g) throw new Error('The user has no grant.');
  return g.orgId;
}

/** A JSON write through the API with the CSRF header the server expects. */
export async function apiWrite<T>(page: Page, method: 'POST' | 'PATCH', path: string, data: unknown): Promise<T> {
  const { csrfToken } = await me(page);
  const res = await page.request.fetch(path, { method, data, headers: { 'x-csrf-token': csrfToken } });
  if (!res.ok()) throw new Error(`${method} ${path} answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as T;
}

export interface BenefitTotals {
  count: number;
  value: number;
}

export async function benefitTotals(page: Page, campaignId: string, orgId: number): Promise<BenefitTotals> {
  const res = await page.request.get(`/api/v1/campaigns/${campaignId}/benefits?orgId=${orgId}`);
  if (!res.ok()) throw new Error(`GET benefits answered ${res.status()}`);
  return ((await res.json()) as { totals: BenefitTotals }).totals;
}

/** Letters only, so a test name passes the name rules: "Ngọc" + a random tail. */
export function randomGiven(): string {
  const letters = 'abcdeghiklmnopqrstuvxy';
  let s = '';
  for (let i = 0; i < 5; i++) s += letters[Math.floor(Math.random() * letters.length)];
  return s.charAt(0).toUpperCase() + s.slice(1);
}
