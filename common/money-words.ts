/**
 * Money in words, as Vietnamese financial documents write it ("Bằng chữ: …"):
 * 1500000 → "Một triệu năm trăm nghìn đồng". Northern usage: "nghìn", "linh",
 * "tỷ"; 21 → "hai mươi mốt", 15 → "mười lăm", 105 → "một trăm linh năm";
 * a zero hundreds digit after a higher group is read ("một triệu không trăm
 * linh năm"). Whole đồng: a fraction is rounded.
 */

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;
const BILLION = 1_000_000_000n;

/** Three digits (0–999). `full`: a higher group was read, so leading zeros are read too. */
function readTriple(n: number, full: boolean): string[] {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const out: string[] = [];
  if (full || h > 0) out.push(DIGITS[h]!, 'trăm');
  if (t === 0) {
    if (u > 0) out.push(...(out.length ? ['linh'] : []), DIGITS[u]!);
  } else {
    out.push(t === 1 ? 'mười' : `${DIGITS[t]!} mươi`);
    if (u === 1) out.push(t === 1 ? 'một' : 'mốt');
    else if (u === 5) out.push('lăm');
    else if (u > 0) out.push(DIGITS[u]!);
  }
  return out;
}

/** Below one billion: triệu, nghìn and units, zero groups skipped. */
function readBelowBillion(n: number, full: boolean): string[] {
  const groups: [number, string][] = [
    [Math.floor(n / 1_000_000), 'triệu'],
    [Math.floor((n % 1_000_000) / 1000), 'nghìn'],
    [n % 1000, ''],
  ];
  const out: string[] = [];
  for (const [value, scale] of groups) {
    if (value === 0) continue;
    out.push(...readTriple(value, full || out.length > 0));
    if (scale) out.push(scale);
  }
  return out;
}

function readWhole(n: bigint, full: boolean): string[] {
  if (n < BILLION) return readBelowBillion(Number(n), full);
  const high = n / BILLION;
  const low = n % BILLION;
  return [...readWhole(high, full), 'tỷ', ...(low > 0n ? readBelowBillion(Number(low), true) : [])];
}

/** A whole number in words, lower case: 1005 → "một nghìn không trăm linh năm". */
export function numberInWords(amount: number | bigint): string {
  let n: bigint;
  if (typeof amount === 'bigint') n = amount;
  else {
    if (!Number.isFinite(amount)) throw new RangeError(`Số không hợp lệ: ${amount}`);
    n = BigInt(Math.round(amount));
  }
  const negative = n < 0n;
  if (negative) n = -n;
  const words = n === 0n ? DIGITS[0] : readWhole(n, false).join(' ');
  return negative ? `âm ${words}` : words;
}

/** An amount of money in words, first letter capital: 50000000 → "Năm mươi triệu đồng". */
export function moneyInWords(amount: number | bigint): string {
  const words = `${numberInWords(amount)} đồng`;
  return words.charAt(0).toLocaleUpperCase('vi-VN') + words.slice(1);
}
