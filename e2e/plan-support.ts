import type { Page } from 'playwright-core';

/** A plan as the list API answers it (only the fields the journeys read). */
export interface PlanSummary {
  id: string;
  docNumber: string;
  year: number;
  issuingOrg: { id: number; code: string; name: string };
  myAssignment: { acknowledgedAt: string | null } | null;
}

export interface PlanCoverage {
  inScope: number;
  acknowledged: number;
  percent: number;
}

/** The signed-in user's plans, through the API with the page's cookies. */
export async function listPlans(page: Page, query = ''): Promise<PlanSummary[]> {
  const res = await page.request.get(`/api/v1/campaigns${query}`);
  if (!res.ok()) throw new Error(`GET /campaigns answered ${res.status()}`);
  return ((await res.json()) as { items: PlanSummary[] }).items;
}

/** The plan with this document number and issuing unit code (the demo data has exactly one). */
export async function findPlan(page: Page, docNumber: string, orgCode: string): Promise<PlanSummary> {
  const plan = (await listPlans(page)).find((p) => p.docNumber === docNumber && p.issuingOrg.code === orgCode);
  if (!plan) throw new Error(`Plan ${docNumber} of ${orgCode} is not visible.`);
  return plan;
}

export async function planCoverage(page: Page, id: string): Promise<PlanCoverage> {
  const res = await page.request.get(`/api/v1/campaigns/${id}/coverage`);
  if (!res.ok()) throw new Error(`GET coverage answered ${res.status()}`);
  return (await res.json()) as PlanCoverage;
}

/** "12 / 14 đơn vị đã nhận kế hoạch (85,7%)", as the plan page writes it. */
export function coverageSentence(c: PlanCoverage): string {
  const p = Math.round(c.percent * 10) / 10;
  const percent = Number.isInteger(p) ? String(p) : p.toFixed(1).replace('.', ',');
  return `${c.acknowledged} / ${c.inScope} đơn vị đã nhận kế hoạch (${percent}%)`;
}

/** Open "Kế hoạch" from the navbar and wait for the page. */
export async function openPlans(page: Page): Promise<void> {
  await page.getByTestId('nav-campaigns').click();
  await page.waitForURL((url) => url.pathname === '/ke-hoach');
}
