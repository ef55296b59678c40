import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** A random token to hand out (cookie, link); only its hash is stored. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

const DEVELOPMENT_SECRET = 'lantern-development-secret-not-for-production';

/**
 * What the database stores for a handed-out token (session cookie, one-time
 * link): an HMAC keyed with SESSION_SECRET, so a copy of the tables alone
 * cannot be turned into working cookies or links.
 */
export function tokenHash(token: string, secret: string | undefined): string {
  return createHmac('sha256', secret ?? DEVELOPMENT_SECRET).update(token).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes).
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Same work as a real check, so timing does not tell which e-mails exist.
    await hash(password, ARGON2);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** At least 10 characters with a letter and a digit. */
export function isStrongPassword(p: string): boolean {
  return p.length >= 10 && p.length <= 200 && /\p{L}/u.test(p) && /\d/.test(p);
}

/**
 * The key for data encrypted at rest: DATA_KEY when set, else one derived
 * from SESSION_SECRET (or the development secret), so a fresh clone works.
 */
export function dataKey(env: { DATA_KEY?: string | undefined; SESSION_SECRET?: string | undefined }): Buffer {
  if (env.DATA_KEY) return Buffer.from(env.DATA_KEY, 'base64');
  return createHash('sha256').update(`lantern-data-key:${env.SESSION_SECRET ?? DEVELOPMENT_SECRET}`).digest();
}

/** AES-256-GCM: "v1.<iv>.<tag>.<ciphertext>" in base64url. */
export function encryptText(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function decryptText(stored: string, key: Buffer): string {
  const [v, iv, tag, body] = stored.split('.');
  if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unknown encrypted value format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
