import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog } from '../../db/schema/index';
import { inScope, scopePaths } from '../../lib/authorization';
import type { App } from '../../lib/http/types';

const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(100).optional(),
});

const auditOut = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      at: z.string(),
      actorEmail: z.string().nullable(),
      action: z.string(),
      entityType: z.string(),
      entityId: z.string(),
      orgId: z.number().int().nullable(),
      before: z.unknown(),
      after: z.unknown(),
    }),
  ),
});

export async function auditRoutes(app: App): Promise<void> {
  const { db } = app.deps;
  app.get(
    '/',
    { config: { access: 'audit.read' }, schema: { tags: ['audit'], summary: 'Nhật ký thay đổi (mới nhất trước)', querystring: auditQuery, response: { 200: auditOut } } },
    async (request) => {
      const roots = scopePaths(request.auth!, 'audit.read');
      const conds: SQL[] = [
        sql`(${auditLog.orgId} is null or exists (select 1 from orgs o where o.id = "audit_log"."org_id" and ${inScope(sql`o.path`, roots)}))`,
      ];
      if (request.query.before) conds.push(lt(auditLog.id, request.query.before));
      if (request.query.entityType) conds.push(eq(auditLog.entityType, request.query.entityType));
      if (request.query.entityId) conds.push(eq(auditLog.entityId, request.query.entityId));
      const rows = await db
        .select()
        .from(auditLog)
        .where(and(...conds))
        .orderBy(desc(auditLog.id))
        .limit(request.query.limit);
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorEmail: r.actorEmail,
          action: r.action,
          entityType: r.entityType,
          entityId: r.entityId,
          orgId: r.orgId,
          before: r.before,
          after: r.after,
        })),
      };
    },
  );
}
