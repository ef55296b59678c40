import { describe, expect, it } from 'vitest';
import { moneyInWords, numberInWords } from './money-words';

describe('moneyInWords', () => {
  it('reads the amounts a report carries', () => {
    expect(moneyInWords(0)).toBe('Không đồng');
    expect(moneyInWords(1_500_000)).toBe('Một triệu năm trăm nghìn đồng');
    expect(moneyInWords(1_000_005)).toBe('Một triệu không trăm linh năm đồng');
    expect(moneyInWords(50_000_000)).toBe('Năm mươi triệu đồng');
    expect(moneyInWords(1_234_567_890)).toBe('Một tỷ hai trăm ba mươi bốn triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi đồng');
    expect(moneyInWords(300_000)).toBe('Ba trăm nghìn đồng');
    expect(moneyInWords(6_000_000)).toBe('Sáu triệu đồng');
  });

  it('follows the rules for mười, mươi, mốt, lăm and linh', () => {
    expect(numberInWords(5)).toBe('năm');
    expect(numberInWords(10)).toBe('mười');
    expect(numberInWords(11)).toBe('mười một');
    expect(numberInWords(15)).toBe('mười lăm');
    expect(numberInWords(21)).toBe('hai mươi mốt');
    expect(numberInWords(25)).toBe('hai mươi lăm');
    expect(numberInWords(34)).toBe('ba mươi bốn');
    expect(numberInWords(100)).toBe('một trăm');
    expect(numberInWords(105)).toBe('một trăm linh năm');
    expect(numberInWords(110)).toBe('một trăm mười');
    expect(numberInWords(2_050)).toBe('hai nghìn không trăm năm mươi');
    expect(numberInWords(1_005_000)).toBe('một triệu không trăm linh năm nghìn');
    expect(numberInWords(1_000_001)).toBe('một triệu không trăm linh một');
  });

  it('reads billions and beyond, negatives and fractions of a đồng', () => {
    expect(moneyInWords(3_000_000_000)).toBe('Ba tỷ đồng');
    expect(moneyInWords(1_000_000_000_000)).toBe('Một nghìn tỷ đồng');
    expect(moneyInWords(1_001_000_000_000)).toBe('Một nghìn không trăm linh một tỷ đồng');
    expect(moneyInWords(2_000_000_015)).toBe('Hai tỷ không trăm mười lăm đồng');
    expect(moneyInWords(12_345_000_000_000_000_000n)).toBe('Mười hai tỷ ba trăm bốn mươi lăm triệu tỷ đồng');
    expect(moneyInWords(-250_000)).toBe('Âm hai trăm năm mươi nghìn đồng');
    expect(moneyInWords(999.6)).toBe('Một nghìn đồng');
    expect(() => moneyInWords(Number.NaN)).toThrow(RangeError);
  });
});
