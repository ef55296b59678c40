import { z } from 'zod';

/**
 * Settings, validated once at start. A wrong value stops the process with a
 * message that names the setting.
 */
const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    LANTERN_DATA_DIR: z.string().min(1).default('./data'),
    /** Where evidence files (activity photos, documents) go: a folder under LANTERN_DATA_DIR, or an S3-compatible store. */
    FILE_STORE: z.enum(['local', 's3']).default('local'),
    S3_ENDPOINT: z.string().url().optional(),
    S3_BUCKET: z.string().min(3).max(63).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    PUBLIC_URL: z.string().url().default('http://localhost:3000'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * Key for data encrypted at rest (two-factor secrets; children's
     * circumstances and members' ID numbers): 32 bytes, base64. Without it a
     * key is derived from SESSION_SECRET. To change it, see DATA_KEY_PREVIOUS.
     */
    DATA_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)')
      .optional(),
    /**
     * During a key rotation only: the key DATA_KEY replaces, used to read
     * what is not yet re-encrypted (`npm run cli -- rotate-data-key`), never
     * to write. Removed once the command has run.
     */
    DATA_KEY_PREVIOUS: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)')
      .optional(),
    /** Roles that must use two-factor sign-in (comma-separated), e.g. "admin,federation_officer". */
    TOTP_REQUIRED_ROLES: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((r) => r.trim()).filter(Boolean))
      .pipe(z.array(z.enum(['admin', 'federation_officer', 'unit_officer', 'viewer']))),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().min(3).default('Lantern <no-reply@lantern.test>'),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(120),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(12),
    LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
    LOGIN_LOCK_THRESHOLD: z.coerce.number().int().min(1).default(5),
    LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
    RESET_TOKEN_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(60),
    LANTERN_DEMO_DATA: z.enum(['auto', 'yes', 'no']).default('auto'),
    LANTERN_JOBS: z.enum(['on', 'off']).default('on'),
    /** Children of a plan closed more than this many years ago are anonymised by the daily retention job (their figures stay). */
    DATA_RETENTION_YEARS: z.coerce.number().int().min(1).max(100).default(5),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.FILE_STORE === 's3') {
      for (const key of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const)
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when FILE_STORE=s3' });
    }
    if (env.NODE_ENV === 'production') {
      if (!env.SESSION_SECRET)
        ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production' });
      // A key derived from SESSION_SECRET would change with it, and what it encrypted could no longer be read.
      if (!env.DATA_KEY)
        ctx.addIssue({ code: 'custom', path: ['DATA_KEY'], message: 'is required in production (the key of the encrypted columns must not change when SESSION_SECRET does)' });
      if (!env.PUBLIC_URL.startsWith('https://'))
        ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must be https:// in production' });
      if (env.LANTERN_DEMO_DATA === 'yes')
        ctx.addIssue({ code: 'custom', path: ['LANTERN_DEMO_DATA'], message: 'demo data is never loaded in production' });
    }
  });

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(settings)'}: ${i.message}`);
    throw new EnvError(`Invalid settings:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Whether demo data should be loaded on a fresh database. */
export function wantsDemoData(env: Env): boolean {
  if (env.NODE_ENV === 'production') return false;
  if (env.LANTERN_DEMO_DATA === 'yes') return true;
  if (env.LANTERN_DEMO_DATA === 'no') return false;
  return !env.DATABASE_URL; // auto: the embedded database gets the showroom
}
