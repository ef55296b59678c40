import { customType } from 'drizzle-orm/pg-core';
import { isSealed, openSealed, sealText, type CipherSpec } from '../../lib/crypto';

/**
 * Columns encrypted at rest (decision 013): the SQL type stays (jsonb, text),
 * the stored value is a sealed string ("v2.<key id>.<iv>.<tag>.<ciphertext>",
 * for jsonb a JSON string). Drizzle encrypts on write and decrypts on read;
 * raw SQL uses sealJson/openJson and sealString/openString. A value written
 * before encryption (a jsonb array, a plain text) is still read as it is,
 * until `npm run cli -- rotate-data-key` encrypts it.
 */

/** Children's circumstances: padded to 128 bytes, so one to four codes cannot be told apart by length. */
export const CIRCUMSTANCES_CIPHER: CipherSpec = { context: 'children.circumstances', padTo: 128 };
/** Members' ID numbers: deterministic, so duplicate detection still compares them in SQL; 9 and 12 digits look alike. */
export const ID_NUMBER_CIPHER: CipherSpec = { context: 'members.id_number', padTo: 16, deterministic: true };

/** The jsonb text to store for a value: a JSON string holding the sealed JSON. */
export function sealJson(value: unknown, spec: CipherSpec): string {
  return JSON.stringify(sealText(JSON.stringify(value ?? null), spec));
}

/** A jsonb column's value as the driver returns it (parsed or as text), decrypted; legacy plaintext as it is. */
export function openJson(stored: unknown, spec: CipherSpec): unknown {
  let v = stored;
  if (typeof v === 'string' && !isSealed(v)) {
    try {
      v = JSON.parse(v);
    } catch {
      return v;
    }
  }
  return typeof v === 'string' && isSealed(v) ? JSON.parse(openSealed(v, spec)) : v;
}

export function sealString(value: string, spec: CipherSpec): string;
export function sealString(value: string | null | undefined, spec: CipherSpec): string | null;
export function sealString(value: string | null | undefined, spec: CipherSpec): string | null {
  return value == null ? null : sealText(value, spec);
}

/** A text column's value decrypted; legacy plaintext as it is. */
export function openString(stored: string | null | undefined, spec: CipherSpec): string | null {
  if (stored == null) return null;
  return isSealed(stored) ? openSealed(stored, spec) : stored;
}

/** A jsonb column stored encrypted. */
export function encryptedJson(name: string, spec: CipherSpec) {
  return customType<{ data: unknown; driverData: unknown }>({
    dataType: () => 'jsonb',
    toDriver: (value) => sealJson(value, spec),
    fromDriver: (value) => openJson(value, spec),
  })(name);
}

/** A text column stored encrypted. */
export function encryptedText(name: string, spec: CipherSpec) {
  return customType<{ data: string; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => sealText(value, spec),
    fromDriver: (value) => openString(value, spec)!,
  })(name);
}
