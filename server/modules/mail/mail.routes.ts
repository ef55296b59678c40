import { desc } from 'drizzle-orm';
import { z } from 'zod';
import { outbox } from '../../db/schema/index';
import type { App } from '../../lib/http/types';

const outboxOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      to: z.string(),
      subject: z.string(),
      text: z.string(),
      status: z.enum(['pending', 'sent', 'stored', 'failed']),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
    }),
  ),
});

export async function mailRoutes(app: App): Promise<void> {
  const { db } = app.deps;
  app.get(
    '/',
    {
      config: { access: 'outbox.read' },
      schema: { tags: ['mail'], summary: 'Hộp thư đi: mọi thư hệ thống đã tạo', querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }), response: { 200: outboxOut } },
    },
    async (request) => {
      const rows = await db.select().from(outbox).orderBy(desc(outbox.createdAt)).limit(request.query.limit);
      return {
        items: rows.map((r) => ({
          id: r.id,
          to: r.to,
          subject: r.subject,
          text: r.text,
          status: r.status as 'pending' | 'sent' | 'stored' | 'failed',
          attempts: r.attempts,
          lastError: r.lastError,
          createdAt: r.createdAt.toISOString(),
          sentAt: r.sentAt?.toISOString() ?? null,
        })),
      };
    },
  );
}
