import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';
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

/**
 * The plaintext of encryptText's value. During a key rotation a value not yet
 * re-encrypted (rotate-data-key) is still read with DATA_KEY_PREVIOUS.
 */
export function decryptText(stored: string, key: Buffer): string {
  const [v, iv, tag, body] = stored.split('.');
  if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unknown encrypted value format');
  const open = (k: Buffer) => {
    const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  };
  try {
    return open(key);
  } catch (err) {
    const previous = previousDataKey();
    if (!previous || previous.equals(key)) throw err;
    return open(previous);
  }
}

// ---------------------------------------------------------------- sensitive columns

/** The keys for data encrypted at rest: the current one, and during a rotation the one it replaces (read only). */
export interface DataKeys {
  current: Buffer;
  previous?: Buffer | null | undefined;
}

interface KeyRing {
  current: { id: string; key: Buffer };
  previous: { id: string; key: Buffer } | null;
  byId: Map<string, Buffer>;
}

/** A key's public name, stored with every value it encrypts: a hash, which tells nothing about the key. */
export function dataKeyId(key: Buffer): string {
  return createHash('sha256').update('lantern-data-key-id\0').update(key).digest('base64url').slice(0, 8);
}

/** The key ring the settings describe: DATA_KEY (or the derived key) and DATA_KEY_PREVIOUS. */
export function dataKeysOf(env: { DATA_KEY?: string | undefined; DATA_KEY_PREVIOUS?: string | undefined; SESSION_SECRET?: string | undefined }): DataKeys {
  return { current: dataKey(env), previous: env.DATA_KEY_PREVIOUS ? Buffer.from(env.DATA_KEY_PREVIOUS, 'base64') : null };
}

function ringOf(keys: DataKeys): KeyRing {
  if (keys.current.length !== 32) throw new Error('DATA_KEY must be 32 bytes');
  const current = { id: dataKeyId(keys.current), key: keys.current };
  const previous = keys.previous && !keys.previous.equals(keys.current) ? { id: dataKeyId(keys.previous), key: keys.previous } : null;
  if (previous && previous.key.length !== 32) throw new Error('DATA_KEY_PREVIOUS must be 32 bytes');
  const byId = new Map([[current.id, current.key]]);
  if (previous) byId.set(previous.id, previous.key);
  return { current, previous, byId };
}

let configuredRing: KeyRing | null = null;
let fallbackRing: { from: string; ring: KeyRing } | null = null;

/**
 * Sets the keys the sensitive columns are encrypted with, from the settings
 * (server/db/open.ts); `null` goes back to the default. Until it is called
 * the keys come from the process environment, so scripts and tests work.
 */
export function configureDataKeys(keys: DataKeys | null): void {
  configuredRing = keys ? ringOf(keys) : null;
}

function keyRing(): KeyRing {
  if (configuredRing) return configuredRing;
  const env = {
    DATA_KEY: process.env.DATA_KEY || undefined,
    DATA_KEY_PREVIOUS: process.env.DATA_KEY_PREVIOUS || undefined,
    SESSION_SECRET: process.env.SESSION_SECRET || undefined,
  };
  const from = `${env.DATA_KEY}|${env.DATA_KEY_PREVIOUS}|${env.SESSION_SECRET}`;
  if (fallbackRing?.from !== from) fallbackRing = { from, ring: ringOf(dataKeysOf(env)) };
  return fallbackRing.ring;
}

/** The name of the key new values are encrypted with. */
export function currentDataKeyId(): string {
  return keyRing().current.id;
}

/** The key a rotation replaces (DATA_KEY_PREVIOUS), if any. */
export function previousDataKey(): Buffer | null {
  return keyRing().previous?.key ?? null;
}

/** How one sensitive column is encrypted. */
export interface CipherSpec {
  /** Bound to the ciphertext (GCM associated data): a value copied into another column does not decrypt. */
  context: string;
  /** The plaintext is padded to a multiple of this many bytes, so the length does not tell what it holds. */
  padTo: number;
  /**
   * The same value gives the same ciphertext under one key (the IV is an HMAC
   * of the value), so equality still works in SQL (an ID number shared by
   * two parents); it tells which rows are equal, nothing else.
   */
  deterministic?: boolean;
}

const SEALED_PREFIX = 'v2.';

/** Whether a stored string is a sealed value ("v2.<key id>.<iv>.<tag>.<ciphertext>"). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX) && stored.split('.').length === 5;
}

/** The key id a sealed value names, or null for anything else (legacy plaintext). */
export function sealedKeyId(stored: string): string | null {
  return isSealed(stored) ? stored.split('.')[1]! : null;
}

/**
 * Random IVs, drawn from the system's generator 4,096 at a time: one draw per
 * value cost as much as the encryption itself when an import seals 100,000
 * values. Each IV is handed out once.
 */
const IV_BYTES = 12;
const ivPool = Buffer.alloc(IV_BYTES * 4096);
let ivNext = ivPool.length;
function randomIv(): Buffer {
  if (ivNext === ivPool.length) {
    randomFillSync(ivPool);
    ivNext = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivNext, ivNext + IV_BYTES));
  ivNext += IV_BYTES;
  return iv;
}

/** AES-256-GCM under the current key: "v2.<key id>.<iv>.<tag>.<ciphertext>" in base64url. */
export function sealText(plain: string, spec: CipherSpec): string {
  const { id, key } = keyRing().current;
  const raw = Buffer.from(plain, 'utf8');
  // Zero bytes never occur in PostgreSQL text, so they mark the padding unambiguously.
  const padded = Buffer.alloc(Math.max(spec.padTo, Math.ceil(raw.length / spec.padTo) * spec.padTo));
  raw.copy(padded);
  const iv = spec.deterministic
    ? createHmac('sha256', createHmac('sha256', key).update('lantern-siv').digest()).update(spec.context).update('\0').update(padded).digest().subarray(0, 12)
    : randomIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(spec.context, 'utf8'));
  const body = Buffer.concat([cipher.update(padded), cipher.final()]);
  return [SEALED_PREFIX.slice(0, -1), id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export class DataKeyError extends Error {}

/** The plaintext of a sealed value; throws DataKeyError when its key is neither DATA_KEY nor DATA_KEY_PREVIOUS. */
export function openSealed(stored: string, spec: CipherSpec): string {
  const [v, id, iv, tag, body] = stored.split('.');
  if (`${v}.` !== SEALED_PREFIX || !id || !iv || !tag || body === undefined) throw new Error('Unknown encrypted value format');
  const key = keyRing().byId.get(id);
  if (!key) throw new DataKeyError(`A value of ${spec.context} is encrypted with a key that is neither DATA_KEY nor DATA_KEY_PREVIOUS (key id ${id})`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(spec.context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const padded = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  let end = padded.length;
  while (end > 0 && padded[end - 1] === 0) end--;
  return padded.subarray(0, end).toString('utf8');
}

/**
 * For the re-encryption pass: encryptText's value under the current key when
 * it is still under DATA_KEY_PREVIOUS, null when it is already current.
 * Throws when neither key opens it.
 */
export function reencryptText(stored: string): string | null {
  const ring = keyRing();
  const [v, iv, tag, body] = stored.split('.');
  if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unknown encrypted value format');
  const open = (k: Buffer) => {
    const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  };
  try {
    open(ring.current.key);
    return null;
  } catch {
    if (!ring.previous) throw new DataKeyError('A two-factor secret is encrypted with a key that is neither DATA_KEY nor DATA_KEY_PREVIOUS');
    return encryptText(open(ring.previous.key), ring.current.key);
  }
}
