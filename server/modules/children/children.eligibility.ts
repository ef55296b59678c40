import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { children } from '../../db/schema/index';
import { ageOn, priorityGroupOf, type AchievementEntry, type CircumstanceEntry } from '../../../common/children';
import { DEFAULT_CAMPAIGN_SETTINGS, PRIORITY_GROUPS, type CampaignSettings, type PriorityGroup } from '../../../common/campaigns';
import { compareVietnamese } from '../../../common/vietnamese';
import type { CampaignRow } from '../campaigns/campaigns.queries';
import { listChildrenBelow, type ChildWithOrg } from './children.queries';

/**
 * Who is eligible in a campaign, and in which order: shared by the eligible
 * list of the children register and by the allocation of benefits.
 */

export function campaignSettings(c: { settings: unknown }): CampaignSettings {
  return { ...DEFAULT_CAMPAIGN_SETTINGS, ...(c.settings as Partial<CampaignSettings>) };
}

/** SQL: born by the festival day and younger than the age limit on it. */
export function eligibleOn(festival: string, ageLimit: number): SQL {
  return sql`${children.birthDate} <= ${festival}::date and ${children.birthDate} > (${festival}::date - make_interval(years => ${ageLimit}))`;
}

/**
 * SQL: the child's record still holds personal data. An anonymised child
 * (consent withdrawn, erased on request, past the retention period) is in no
 * eligible list and gets no new benefit; it still counts in the figures of
 * the plans that existed when it was anonymised (reports.derive.ts).
 */
export function notAnonymized(): SQL {
  return isNull(children.anonymizedAt);
}

export function priorityOrderOf(settings: CampaignSettings): PriorityGroup[] {
  return settings.priorityOrder.length ? settings.priorityOrder : [...PRIORITY_GROUPS];
}

export interface RankedChild {
  child: ChildWithOrg;
  group: PriorityGroup;
  ageOnFestival: number;
}

/** The child's group under the campaign, and whether the campaign's required groups let them in. */
export function classify(child: Pick<ChildWithOrg, 'circumstances' | 'achievements'>, c: Pick<CampaignRow, 'year'>, settings: CampaignSettings) {
  const order = priorityOrderOf(settings);
  const group = priorityGroupOf((child.circumstances as CircumstanceEntry[]) ?? [], (child.achievements as AchievementEntry[]) ?? [], order, c.year);
  const idx = group === 'other' ? order.length : order.indexOf(group);
  const admitted = settings.requiredGroups.length === 0 || settings.requiredGroups.includes(group);
  return { group, idx, admitted };
}

/**
 * The eligible children registered at or below `orgPath`: priority group
 * first, then the younger child, then the name the Vietnamese way.
 */
export async function rankEligible(db: DbOrTx, c: CampaignRow, settings: CampaignSettings, orgPath: string): Promise<RankedChild[]> {
  const { rows } = await listChildrenBelow(db, orgPath, { limit: 100_000, offset: 0, extra: [eligibleOn(c.festivalDate, settings.ageLimit), notAnonymized()] });
  return rows
    .map((r) => ({ r, ...classify(r, c, settings), age: ageOn(r.birthDate, c.festivalDate) }))
    .filter((x) => x.admitted)
    .sort((a, b) => a.idx - b.idx || b.r.birthDate.localeCompare(a.r.birthDate) || compareVietnamese(a.r.fullName, b.r.fullName))
    .map((x) => ({ child: x.r, group: x.group, ageOnFestival: x.age }));
}

/** One child against the same rules (age on the festival day, required groups). */
export async function isEligible(db: DbOrTx, c: CampaignRow, settings: CampaignSettings, child: ChildWithOrg): Promise<boolean> {
  const [ok] = await db
    .select({ id: children.id })
    .from(children)
    .where(and(eq(children.id, child.id), eligibleOn(c.festivalDate, settings.ageLimit), notAnonymized()));
  return !!ok && classify(child, c, settings).admitted;
}
