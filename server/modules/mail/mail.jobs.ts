import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { outbox } from '../../db/schema/index';
import type { Db } from '../../db/client';
import type { JobDefinition } from '../../lib/jobs';
import type { Mailer } from '../../lib/mailer';
import { SEND_MAIL_JOB } from './mail.service';

/** Sends one outbox message; a message already sent is not sent again. */
export const sendMailJob: JobDefinition<{ id: string }, { db: Db; mailer: Mailer }> = {
  name: SEND_MAIL_JOB,
  payload: z.object({ id: z.string().uuid() }),
  retryLimit: 5,
  async handle({ id }, { db, mailer }) {
    const [msg] = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.id, id), eq(outbox.status, 'pending')));
    if (!msg || !mailer.enabled) return;
    try {
      await mailer.send({ to: msg.to, subject: msg.subject, text: msg.text, html: msg.html });
      await db.update(outbox).set({ status: 'sent', sentAt: sql`now()`, attempts: sql`${outbox.attempts} + 1` }).where(eq(outbox.id, id));
    } catch (err) {
      await db
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, lastError: String((err as Error).message ?? err).slice(0, 500) })
        .where(eq(outbox.id, id));
      throw err;
    }
  },
};
