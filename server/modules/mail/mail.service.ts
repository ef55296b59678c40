import { sql } from 'drizzle-orm';
import { outbox } from '../../db/schema/index';
import type { Tx } from '../../db/client';
import type { Jobs } from '../../lib/jobs';
import type { MailMessage, Mailer } from '../../lib/mailer';
import type { UnitOfWork } from '../../lib/transaction';

export const SEND_MAIL_JOB = 'mail.send';

/**
 * Writes the message to the outbox inside the caller's transaction. With SMTP
 * set it is sent by a job after commit; without, it stays in the outbox
 * (status "stored") for administrators to read. Nothing is lost either way.
 */
export async function queueMail(
  tx: Tx,
  uow: UnitOfWork,
  deps: { mailer: Mailer; jobs: Jobs },
  message: MailMessage,
): Promise<string> {
  const [row] = await tx
    .insert(outbox)
    .values({
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html ?? null,
      status: initialMailStatus(deps.mailer),
    })
    .returning({ id: outbox.id });
  const id = row!.id;
  if (deps.mailer.enabled) uow.afterCommit(() => deps.jobs.send(SEND_MAIL_JOB, { id }));
  return id;
}

/** After commit, hands the given outbox rows to the sending job (when SMTP is set). */
export function sendAfterCommit(uow: UnitOfWork, deps: { mailer: Mailer; jobs: Jobs }, ids: string[]): void {
  if (deps.mailer.enabled && ids.length > 0) uow.afterCommit(() => deps.jobs.sendMany(SEND_MAIL_JOB, ids.map((id) => ({ id }))));
}

/** The outbox status a new row starts with. */
export function initialMailStatus(mailer: Mailer): 'pending' | 'stored' {
  return mailer.enabled ? 'pending' : 'stored';
}

/**
 * Tells units something: an in-app notice for each, and a mail to each unit's
 * addresses ("Kính gửi <unit>, …"), in the caller's transaction, sent after commit.
 */
export async function notifyOrgs(
  tx: Tx,
  uow: UnitOfWork,
  deps: { mailer: Mailer; jobs: Jobs },
  n: { orgIds: number[]; campaignId: string | null; kind: string; title: string; body: string },
): Promise<void> {
  if (n.orgIds.length === 0) return;
  const ids = n.orgIds.join(',');
  await tx.execute(sql`
    insert into notices (org_id, campaign_id, kind, title, body)
    select o.id, ${n.campaignId}::uuid, ${n.kind}, ${n.title}, ${n.body}
    from orgs o where o.id = any(string_to_array(${ids}, ',')::int[])`);
  const mails = await tx.execute(sql`
    insert into outbox ("to", subject, text, status)
    select array_to_string(o.emails, ', '), ${`Lantern: ${n.title}`},
           'Kính gửi ' || o.name || ',' || chr(10) || chr(10) || ${n.body} || chr(10) || chr(10) || 'Trân trọng.',
           ${initialMailStatus(deps.mailer)}
    from orgs o where o.id = any(string_to_array(${ids}, ',')::int[]) and cardinality(o.emails) > 0
    returning id`);
  sendAfterCommit(uow, deps, (mails.rows as { id: string }[]).map((r) => r.id));
}
