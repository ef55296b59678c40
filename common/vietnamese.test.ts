import { describe, expect, it } from 'vitest';
import { compareVietnamese, foldVietnamese, normalizeName, vietnameseSortKey } from './vietnamese';
import { formatDate, formatMoney, formatNumber, parseVietnameseDate } from './format';
import { parseOrgKind } from './org-kinds';

describe('Vietnamese text', () => {
  it('folds diacritics and đ for search', () => {
    expect(foldVietnamese('Liên đoàn Lao động quận Long Biên')).toBe('lien doan lao dong quan long bien');
    expect(foldVietnamese('ĐỖ QUANG HUY')).toBe('do quang huy');
  });

  it('treats NFC and NFD input as the same name', () => {
    const nfc = 'Nguyễn Thị Thụy'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(normalizeName(nfd)).toBe(nfc);
    expect(foldVietnamese(nfd)).toBe(foldVietnamese(nfc));
    expect(vietnameseSortKey(nfd)).toBe(vietnameseSortKey(nfc));
  });

  it('sorts the Vietnamese way: letters, then tones, then case', () => {
    const words = ['Đức', 'Dũng', 'Anh', 'Ánh', 'Ân', 'Ăn', 'Bình', 'Ơn', 'Ôn', 'On', 'Ưng', 'Uyên', 'an'];
    const sorted = [...words].sort(compareVietnamese);
    expect(sorted).toEqual(['an', 'Anh', 'Ánh', 'Ăn', 'Ân', 'Bình', 'Dũng', 'Đức', 'On', 'Ôn', 'Ơn', 'Uyên', 'Ưng']);
    // Tones in dictionary order: a à ả ã á ạ.
    expect(['ạ', 'á', 'ã', 'ả', 'à', 'a'].sort(compareVietnamese)).toEqual(['a', 'à', 'ả', 'ã', 'á', 'ạ']);
    // Whole words before longer ones; letters decide before tones.
    expect(['Hà Nội', 'Hà', 'Hạ Long', 'Ha Giang'].sort(compareVietnamese)).toEqual(['Hà', 'Ha Giang', 'Hạ Long', 'Hà Nội']);
  });

  it('formats dates dd/mm/yyyy and money in đồng', () => {
    expect(formatDate('2021-09-21')).toBe('21/09/2021');
    expect(parseVietnameseDate('1/6/2026')).toBe('2026-06-01');
    expect(parseVietnameseDate('31/02/2026')).toBeNull();
    expect(formatMoney(1500000)).toBe('1.500.000 đ');
    expect(formatMoney(300000n)).toBe('300.000 đ');
  });

  it('writes numbers the Vietnamese way: dots between thousands, a comma before decimals', () => {
    expect(formatNumber(100000)).toBe('100.000');
    expect(formatNumber(1234567)).toBe('1.234.567');
    expect(formatNumber(-2500)).toBe('-2.500');
    expect(formatNumber(85.75)).toBe('85,75');
    expect(formatNumber(0.004)).toBe('0');
    expect(formatNumber(-0.001)).toBe('0');
    expect(formatNumber(Number.NaN)).toBe('');
  });

  it('reads a unit kind typed in a sheet', () => {
    expect(parseOrgKind('Công đoàn cơ sở')).toBe('grassroots');
    expect(parseOrgKind('CĐCS')).toBe('grassroots');
    expect(parseOrgKind('cong doan co so')).toBe('grassroots');
    expect(parseOrgKind('LĐLĐ quận, huyện')).toBe('district_federation');
    expect(parseOrgKind('công ty')).toBeNull();
  });
});
