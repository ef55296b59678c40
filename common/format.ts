/** Formats a person reads: dd/mm/yyyy dates and whole đồng written 1.500.000 đ. */

/** "2021-09-21" or a Date → "21/09/2021". */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  const iso = typeof value === 'string' ? value : toIsoDate(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return '';
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/** A timestamp shown in Vietnam time: "21/09/2021 19:30". */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  const local = new Date(d.getTime() + 7 * 3600_000);
  const iso = local.toISOString();
  return `${formatDate(iso.slice(0, 10))} ${iso.slice(11, 16)}`;
}

/** The calendar date in Vietnam (UTC+7) of an instant, as yyyy-mm-dd. */
export function toIsoDate(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** "21/09/2021" → "2021-09-21", or null when it is not a real date. */
export function parseVietnameseDate(s: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(s);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** 1500000 → "1.500.000 đ". */
export function formatMoney(amount: number | bigint): string {
  const s = BigInt(amount).toString();
  const neg = s.startsWith('-');
  return `${neg ? '-' : ''}${groupThousands(neg ? s.slice(1) : s)} đ`;
}

const groupThousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** A number the Vietnamese way: 1234567 → "1.234.567", 85.75 → "85,75" (at most two decimals). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  const rounded = Math.round(n * 100) / 100;
  const [int, frac] = Math.abs(rounded).toFixed(2).split('.') as [string, string];
  const decimals = frac.replace(/0+$/, '');
  return `${rounded < 0 ? '-' : ''}${groupThousands(int)}${decimals ? `,${decimals}` : ''}`;
}
