import nodemailer from 'nodemailer';
import type { Env } from '../env';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

export interface Mailer {
  /** Whether mail leaves the machine; without SMTP it stays in the outbox. */
  readonly enabled: boolean;
  send(message: MailMessage): Promise<void>;
}

/** Without SMTP: mail stays in the outbox. */
export const outboxOnlyMailer: Mailer = {
  enabled: false,
  async send() {
    throw new Error('SMTP_URL is not set');
  },
};

export function createMailer(env: Env): Mailer {
  if (!env.SMTP_URL) return outboxOnlyMailer;
  const transport = nodemailer.createTransport(env.SMTP_URL);
  return {
    enabled: true,
    async send(message) {
      await transport.sendMail({
        from: env.MAIL_FROM,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? undefined,
      });
    },
  };
}
