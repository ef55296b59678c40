import { z } from 'zod';
import { ACHIEVEMENT_LEVELS, CIRCUMSTANCES, DISABILITY_LEVELS } from '../../../common/children';
import { PRIORITY_GROUPS } from '../../../common/campaigns';
import { isoDate, paging, unitId } from '../../lib/http/schemas';

const name = z.string().trim().min(2).max(120);
const phone = z.string().trim().max(40).regex(/^[0-9+().\s-]*$/, 'Số điện thoại chỉ gồm chữ số và các dấu + . - ( )');

export const circumstanceIn = z.object({
  code: z.enum(CIRCUMSTANCES),
  level: z.enum(DISABILITY_LEVELS).optional(),
  note: z.string().trim().max(500).optional(),
});
export const achievementIn = z.object({
  schoolYear: z.string().regex(/^\d{4}-\d{4}$/, 'Năm học có dạng 2020-2021'),
  level: z.enum(ACHIEVEMENT_LEVELS),
  note: z.string().trim().max(300).optional(),
});
export const consentIn = z.object({
  givenBy: z.string().trim().min(2).max(120),
  date: isoDate,
  method: z.enum(['paper', 'app']),
});
export const parentIn = z.union([
  z.object({ memberId: z.string().uuid() }),
  z.object({
    fullName: name,
    phone: phone.optional(),
    department: z.string().trim().max(200).optional(),
    isUnionMember: z.boolean().optional(),
    idNumber: z.string().trim().regex(/^\d{9}$|^\d{12}$/, 'Số CCCD/CMND gồm 12 (hoặc 9) chữ số').optional(),
  }),
]);
export type ParentInput = z.infer<typeof parentIn>;

const childFields = {
  fullName: name,
  birthDate: isoDate,
  sex: z.enum(['male', 'female']),
  school: z.string().trim().max(200).nullish(),
  grade: z.string().trim().max(40).nullish(),
  parents: z.array(parentIn).min(1).max(2),
  circumstances: z.array(circumstanceIn).max(CIRCUMSTANCES.length).optional(),
  achievements: z.array(achievementIn).max(30).optional(),
  parentConsent: consentIn.nullish(),
  childConsent: consentIn.nullish(),
};
export const createChildBody = z.object({ orgId: unitId, ...childFields });
export type CreateChildInput = z.infer<typeof createChildBody>;
export const updateChildBody = z
  .object({
    fullName: childFields.fullName.optional(),
    birthDate: childFields.birthDate.optional(),
    sex: childFields.sex.optional(),
    school: childFields.school,
    grade: childFields.grade,
    parents: childFields.parents.optional(),
    circumstances: childFields.circumstances,
    achievements: childFields.achievements,
    parentConsent: childFields.parentConsent,
    childConsent: childFields.childConsent,
    version: z.number().int().positive().optional(),
  })
  .strict();
export type UpdateChildInput = z.infer<typeof updateChildBody>;

const consentOut = z.object({
  givenBy: z.string(),
  date: z.string(),
  method: z.enum(['paper', 'app']),
  recordedBy: z.string(),
  recordedAt: z.string(),
  /** Set once the consent is withdrawn (the child is then anonymised). */
  withdrawnAt: z.string().optional(),
  withdrawnBy: z.enum(['parent', 'child']).optional(),
  withdrawalRecordedBy: z.string().optional(),
});

export const childOut = z.object({
  id: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  fullName: z.string(),
  birthDate: z.string(),
  age: z.number().int(),
  sex: z.enum(['male', 'female']),
  school: z.string().nullable(),
  grade: z.string().nullable(),
  parents: z.array(z.object({ memberId: z.string(), fullName: z.string(), orgId: z.number().int(), orgName: z.string(), phone: z.string().nullable(), department: z.string().nullable(), isUnionMember: z.boolean() })),
  /** Without the sensitive-data permission: only the circumstances that are not sensitive. */
  circumstances: z.array(circumstanceIn),
  /** True when a sensitive circumstance applies but is hidden from this caller. */
  sensitiveHidden: z.boolean(),
  hasPriority: z.boolean(),
  achievements: z.array(achievementIn),
  parentConsent: consentOut.nullable(),
  childConsent: consentOut.nullable(),
  duplicates: z.array(z.object({ childId: z.string(), orgId: z.number().int(), orgName: z.string() })),
  /** When the child's personal data was replaced (consent withdrawn, erased on request, retention); null otherwise. */
  anonymizedAt: z.string().nullable(),
  version: z.number().int(),
});
export type ChildOut = z.infer<typeof childOut>;

export const childListQuery = z.object({
  q: z.string().max(200).optional(),
  campaignId: z.string().uuid().optional(),
  eligible: z.enum(['true', 'false']).optional(),
  group: z.enum(PRIORITY_GROUPS).optional(),
  ...paging,
});
export const childListOut = z.object({ items: z.array(childOut), total: z.number().int() });

export const eligibleOut = z.object({
  festivalDate: z.string(),
  ageLimit: z.number().int(),
  items: z.array(
    z.object({
      rank: z.number().int(),
      childId: z.string(),
      fullName: z.string(),
      birthDate: z.string(),
      ageOnFestival: z.number().int(),
      orgId: z.number().int(),
      orgName: z.string(),
      /** Null when the group is sensitive and the caller may not see it. */
      priorityGroup: z.enum(PRIORITY_GROUPS).nullable(),
      duplicates: z.array(z.object({ childId: z.string(), orgId: z.number().int(), orgName: z.string() })),
    }),
  ),
});

export const dismissBody = z.object({ otherChildId: z.string().uuid(), reason: z.string().trim().min(3).max(500) });
