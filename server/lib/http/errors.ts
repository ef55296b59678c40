import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../errors';
import { translate, type Locale, type MessageKey } from '../i18n';

z.config(z.locales.vi());
const englishZod = z.locales.en().localeError;

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

function fieldName(instancePath: string): string {
  return instancePath.replace(/^\//, '').replace(/\//g, '.') || '_';
}

/** The single error shape; never a stack trace or SQL text. */
export function toErrorResponse(err: unknown, locale: Locale, log: FastifyRequest['log']): { status: number; body: ErrorBody } {
  if (err instanceof AppError) {
    const fields = err.fields
      ? Object.fromEntries(
          Object.entries(err.fields).map(([k, v]) => [k, typeof v === 'string' ? v : translate(locale, v.key, v.params)]),
        )
      : undefined;
    return { status: err.status, body: { error: { code: err.code, message: translate(locale, err.key, err.params), ...(fields ? { fields } : {}) } } };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const fields: Record<string, string> = {};
    for (const v of err.validation) {
      const name = fieldName(v.instancePath);
      let message = v.message ?? '';
      if (locale === 'en') {
        const issue = { code: v.keyword, ...(v.params as object), path: [] } as unknown as Parameters<typeof englishZod>[0];
        const out = englishZod(issue);
        message = typeof out === 'string' ? out : (out?.message ?? message);
      }
      fields[name] ??= message;
    }
    return { status: 400, body: { error: { code: 'VALIDATION', message: translate(locale, 'request.invalid'), fields } } };
  }
  const fe = err as FastifyError;
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const key: MessageKey =
      fe.statusCode === 429 ? 'rate.limited' : fe.statusCode === 413 ? 'request.tooLarge' : fe.statusCode === 404 ? 'request.notFound' : 'request.invalid';
    const code = fe.statusCode === 429 ? 'RATE_LIMITED' : fe.statusCode === 413 ? 'TOO_LARGE' : 'BAD_REQUEST';
    return { status: fe.statusCode, body: { error: { code, message: translate(locale, key) } } };
  }
  log.error({ err }, 'unhandled error');
  return { status: 500, body: { error: { code: 'INTERNAL', message: translate(locale, 'server.error') } } };
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorResponse(err, request.locale ?? 'vi', request.log);
  void reply.status(status).type('application/json; charset=utf-8').send(body);
}
