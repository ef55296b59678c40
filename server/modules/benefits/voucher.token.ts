import { safeEqual, tokenHash } from '../../lib/crypto';

/**
 * The code printed on a voucher: the benefit's id (base64url of its 16
 * bytes) and a keyed signature of it — no personal data. Signed with the
 * session secret, so a code cannot be made up from an id alone.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function signature(idPart: string, secret: string | undefined): string {
  // 96 bits of the HMAC-SHA256 are plenty for a code that is checked online.
  return Buffer.from(tokenHash(`voucher.v1:${idPart}`, secret).slice(0, 24), 'hex').toString('base64url');
}

export function signVoucherToken(benefitId: string, secret: string | undefined): string {
  const idPart = Buffer.from(benefitId.replace(/-/g, ''), 'hex').toString('base64url');
  return `${idPart}.${signature(idPart, secret)}`;
}

/** The benefit id of a genuine code (spaces typed in are ignored), else null. */
export function verifyVoucherToken(token: string, secret: string | undefined): string | null {
  const clean = token.replace(/\s+/g, '');
  const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{16})$/.exec(clean);
  if (!m) return null;
  const [, idPart, sig] = m as unknown as [string, string, string];
  if (!safeEqual(sig, signature(idPart, secret))) return null;
  const hex = Buffer.from(idPart, 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return UUID.test(id) ? id : null;
}
