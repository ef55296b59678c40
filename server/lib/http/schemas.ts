import { z } from 'zod';

/** The one error shape every route may answer with. */
export const errorOut = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày phải có dạng yyyy-mm-dd')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'Ngày không hợp lệ');

/** A unit's id in a body (orgs.id is a PostgreSQL integer: a larger number is refused, not sent to the database). */
export const unitId = z.number().int().positive().max(2147483647);
/** The same in a path or a query string. */
export const unitIdParam = z.coerce.number().int().positive().max(2147483647);
/** `?orgId=`: the unit a list or a figure is for (the caller's own when absent). */
export const unitQuery = z.object({ orgId: unitIdParam.optional() });

export const idParam = z.object({ id: unitIdParam });
export const uuidParam = z.object({ id: z.string().uuid() });

export const paging = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};
