/**
 * Vietnamese text: one normal form for names, diacritic-free folding for
 * search, and a sort key that orders the Vietnamese way under a plain
 * byte-wise ("C") collation, so the database can sort without ICU.
 */

/** NFC, trimmed, inner white space collapsed: how every name is stored. */
export function normalizeName(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Lower case without diacritics, đ → d: "Nguyễn Văn Đức" → "nguyen van duc". */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const ALPHABET = [
  'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n',
  'o', 'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];
const LETTER_WEIGHT = new Map(ALPHABET.map((l, i) => [l, i]));
// Tones in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
const TONE_WEIGHT = new Map([
  ['\u0300', 1],
  ['\u0309', 2],
  ['\u0303', 3],
  ['\u0301', 4],
  ['\u0323', 5],
]);
// Marks that make a letter of its own (ă, â, ê, ô, ơ, ư).
const LETTER_MARKS = new Set(['\u0306', '\u0302', '\u031b']);

function weightChar(n: number): string {
  // Printable, ascending, two characters per weight: '!' (33) upwards.
  return String.fromCharCode(33 + Math.floor(n / 90), 33 + (n % 90));
}

/**
 * A key whose byte order is the Vietnamese order: letters first (a < ă < â <
 * b … < đ …), then tones (a < à < ả < ã < á < ạ), then case.
 */
export function vietnameseSortKey(s: string): string {
  const primary: string[] = [];
  const tones: string[] = [];
  const cases: string[] = [];
  const text = normalizeName(s);
  for (const ch of text) {
    const nfd = ch.normalize('NFD');
    const base = nfd[0] ?? '';
    const marks = nfd.slice(1);
    const lower = base.toLowerCase();
    let letter = lower;
    let tone = 0;
    for (const m of marks) {
      if (LETTER_MARKS.has(m)) letter = (lower + m).normalize('NFC');
      else tone = TONE_WEIGHT.get(m) ?? tone;
    }
    if (lower === 'đ' || ch === 'Đ' || ch === 'đ') letter = 'đ';
    let w: number;
    if (letter === ' ') w = 1;
    else if (/[0-9]/.test(letter)) w = 10 + Number(letter);
    else if (LETTER_WEIGHT.has(letter)) w = 100 + (LETTER_WEIGHT.get(letter) ?? 0);
    else w = 20 + Math.min(letter.codePointAt(0) ?? 0, 60) % 60; // punctuation and others, before letters
    primary.push(weightChar(w));
    tones.push(String(tone));
    cases.push(ch !== ch.toLowerCase() ? '1' : '0');
  }
  return `${primary.join('')} ${tones.join('')} ${cases.join('')}`;
}

/** Compare two strings the Vietnamese way (same order as the sort key). */
export function compareVietnamese(a: string, b: string): number {
  const ka = vietnameseSortKey(a);
  const kb = vietnameseSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
