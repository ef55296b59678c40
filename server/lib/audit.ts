import { auditLog } from '../db/schema/index';
import type { DbOrTx } from '../db/client';

/** Who acts: a signed-in user, or the system (CLI, seed, jobs). */
export interface Actor {
  id: string | null;
  email: string;
  ip?: string | null;
}

export const systemActor: Actor = { id: null, email: 'system' };

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | number;
  orgId?: number | null;
  before?: unknown;
  after?: unknown;
}

/** Appends one row; call it inside the write's own transaction. */
export async function recordAudit(tx: DbOrTx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: actor.id,
    actorEmail: actor.email,
    action: entry.action,
    entityType: entry.entityType,
    entityId: String(entry.entityId),
    orgId: entry.orgId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    ip: actor.ip ?? null,
  });
}
