import { z } from 'zod';
import { ORG_KINDS } from '../../../common/org-kinds';
import { isoDate, paging, unitId } from '../../lib/http/schemas';

export const orgCode = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Mã chỉ gồm chữ không dấu, số và các dấu . _ -');
const orgName = z.string().trim().min(2).max(255);
const phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^[0-9+().\s-]*$/, 'Số điện thoại chỉ gồm chữ số và các dấu + . - ( )');
const emails = z.array(z.string().trim().toLowerCase().pipe(z.email())).max(10);

export const orgStatus = z.enum(['active', 'dissolved', 'merged']);

export interface OrgNode {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  kind: (typeof ORG_KINDS)[number];
  status: 'active' | 'dissolved' | 'merged';
  children: OrgNode[];
}

export const orgNode: z.ZodType<OrgNode> = z.lazy(() =>
  z.object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    shortName: z.string().nullable(),
    kind: z.enum(ORG_KINDS),
    status: orgStatus,
    children: z.array(orgNode),
  }),
).meta({ id: 'OrgNode' });

export const treeOut = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  kind: z.enum(ORG_KINDS),
  status: orgStatus,
  children: z.array(orgNode),
  date: z.string(),
  additionalRoots: z.array(orgNode).optional(),
});

export const treeQuery = z.object({ date: isoDate.optional() });

export const orgSummary = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  kind: z.enum(ORG_KINDS),
  status: orgStatus,
  parentId: z.number().int().nullable(),
  parentName: z.string().nullable(),
});

export const listQuery = z.object({
  q: z.string().max(200).optional(),
  kind: z.enum(ORG_KINDS).optional(),
  status: z.enum(['active', 'all']).default('active'),
  ...paging,
});

export const listOut = z.object({ items: z.array(orgSummary), total: z.number().int() });

export const orgOut = orgSummary.omit({ parentName: true }).extend({
  ancestors: z.array(z.object({ id: z.number().int(), code: z.string(), name: z.string() })),
  emails: z.array(z.string()),
  phone: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  mergedIntoId: z.number().int().nullable(),
  children: z.array(orgSummary),
  version: z.number().int(),
  permissions: z.object({
    update: z.boolean(),
    move: z.boolean(),
    merge: z.boolean(),
    dissolve: z.boolean(),
    createChild: z.boolean(),
  }),
});
export type OrgOut = z.infer<typeof orgOut>;

export const createOrgBody = z.object({
  parentId: unitId,
  code: orgCode,
  name: orgName,
  kind: z.enum(ORG_KINDS),
  shortName: z.string().trim().max(100).nullish(),
  emails: emails.optional(),
  phone: phone.nullish(),
  validFrom: isoDate.optional(),
});
export type CreateOrgInput = z.infer<typeof createOrgBody>;

export const updateOrgBody = z
  .object({
    code: orgCode.optional(),
    name: orgName.optional(),
    shortName: z.string().trim().max(100).nullish(),
    kind: z.enum(ORG_KINDS).optional(),
    emails: emails.optional(),
    phone: phone.nullish(),
    version: z.number().int().positive().optional(),
  })
  .strict();
export type UpdateOrgInput = z.infer<typeof updateOrgBody>;

export const moveBody = z.object({ newParentId: unitId, effectiveDate: isoDate.optional() });
export const mergeBody = z.object({ survivorId: unitId, effectiveDate: isoDate.optional() });
export const dissolveBody = z.object({ effectiveDate: isoDate.optional(), reason: z.string().trim().max(1000).optional() }).nullish();

export const historyOut = z.object({
  items: z.array(
    z.object({
      validFrom: z.string(),
      validTo: z.string().nullable(),
      code: z.string(),
      name: z.string(),
      kind: z.enum(ORG_KINDS),
      parentId: z.number().int().nullable(),
      parentName: z.string().nullable(),
      event: z.enum(['created', 'updated', 'moved', 'merged', 'dissolved', 'absorbed']),
    }),
  ),
});

export const importQuery = z.object({ mode: z.enum(['dry-run', 'all', 'valid-only']).default('dry-run') });
export const importOut = z.object({
  total: z.number().int(),
  valid: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })),
  created: z.number().int(),
  committed: z.boolean(),
});
