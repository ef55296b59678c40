import { describe, expect, it } from 'vitest';
import { festivalDate, lunarToSolar, solarToLunar } from './lunar';

function daysInMonth(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Every solar date from 1/1/from to 31/12/to, in order, as plain numbers. */
function* solarDays(from: number, to: number): Generator<{ day: number; month: number; year: number }> {
  for (let year = from; year <= to; year++) {
    for (let month = 1; month <= 12; month++) {
      const n = daysInMonth(month, year);
      for (let day = 1; day <= n; day++) yield { day, month, year };
    }
  }
}

describe('festivalDate', () => {
  it('puts Trung thu on 15/8 lunar', () => {
    expect(festivalDate('trung_thu', 2021)).toBe('2021-09-21');
    expect(festivalDate('trung_thu', 2022)).toBe('2022-09-10');
    expect(festivalDate('trung_thu', 2023)).toBe('2023-09-29');
    expect(festivalDate('trung_thu', 2024)).toBe('2024-09-17');
    expect(festivalDate('trung_thu', 2025)).toBe('2025-10-06');
    expect(festivalDate('trung_thu', 2026)).toBe('2026-09-25');
  });

  it('puts Tết Nguyên đán on 1/1 lunar', () => {
    expect(festivalDate('tet_nguyen_dan', 2021)).toBe('2021-02-12');
    expect(festivalDate('tet_nguyen_dan', 2022)).toBe('2022-02-01');
    expect(festivalDate('tet_nguyen_dan', 2023)).toBe('2023-01-22');
    expect(festivalDate('tet_nguyen_dan', 2024)).toBe('2024-02-10');
    expect(festivalDate('tet_nguyen_dan', 2025)).toBe('2025-01-29');
    expect(festivalDate('tet_nguyen_dan', 2026)).toBe('2026-02-17');
  });

  it('puts Tết Thiếu nhi on 1 June', () => {
    expect(festivalDate('tet_thieu_nhi', 2025)).toBe('2025-06-01');
    expect(festivalDate('tet_thieu_nhi', 1999)).toBe('1999-06-01');
  });
});

describe('solarToLunar', () => {
  it('converts known dates', () => {
    expect(solarToLunar(21, 9, 2021)).toEqual({ day: 15, month: 8, year: 2021, leap: false });
    expect(solarToLunar(10, 2, 2024)).toEqual({ day: 1, month: 1, year: 2024, leap: false });
    // The day before Tết belongs to the last month of the previous lunar year.
    expect(solarToLunar(9, 2, 2024)).toEqual({ day: 30, month: 12, year: 2023, leap: false });
  });

  it('knows the leap 2nd month of 2023', () => {
    expect(solarToLunar(21, 3, 2023)).toEqual({ day: 30, month: 2, year: 2023, leap: false });
    expect(solarToLunar(22, 3, 2023)).toEqual({ day: 1, month: 2, year: 2023, leap: true });
    expect(solarToLunar(20, 4, 2023)).toEqual({ day: 1, month: 3, year: 2023, leap: false });
    expect(lunarToSolar(1, 2, 2023, true)).toEqual({ day: 22, month: 3, year: 2023 });
    expect(lunarToSolar(1, 2, 2023)).toEqual({ day: 20, month: 2, year: 2023 });
  });

  it('knows the leap 4th month of 2020', () => {
    expect(solarToLunar(23, 5, 2020)).toEqual({ day: 1, month: 4, year: 2020, leap: true });
    expect(solarToLunar(22, 5, 2020)).toEqual({ day: 30, month: 4, year: 2020, leap: false });
    expect(lunarToSolar(1, 4, 2020, true)).toEqual({ day: 23, month: 5, year: 2020 });
  });

  it('reckons at UTC+7, where Vietnam and China (UTC+8) disagree', () => {
    // Tết Ất Sửu 1985: 21/01/1985 in Vietnam, 20/02/1985 in China.
    expect(festivalDate('tet_nguyen_dan', 1985)).toBe('1985-01-21');
    expect(solarToLunar(21, 1, 1985)).toEqual({ day: 1, month: 1, year: 1985, leap: false });
    expect(solarToLunar(20, 2, 1985)).toEqual({ day: 1, month: 2, year: 1985, leap: false });
    // Tết Mậu Thân 1968: 29/01 in the North (UTC+7), 30/01 at UTC+8.
    expect(festivalDate('tet_nguyen_dan', 1968)).toBe('1968-01-29');
    // Tết Đinh Hợi 2007: 17/02 in Vietnam, 18/02 in China.
    expect(festivalDate('tet_nguyen_dan', 2007)).toBe('2007-02-17');
  });

  it('starts a month on the true new moon, even when it falls late after the mean one', () => {
    // The new moon of May 2054 falls, at UTC+7, a day after the mean estimate.
    expect(solarToLunar(7, 5, 2054)).toEqual({ day: 30, month: 3, year: 2054, leap: false });
    expect(solarToLunar(8, 5, 2054)).toEqual({ day: 1, month: 4, year: 2054, leap: false });
    expect(lunarToSolar(1, 4, 2054)).toEqual({ day: 8, month: 5, year: 2054 });
  });

  it('rejects solar dates that do not exist', () => {
    expect(() => solarToLunar(30, 2, 2024)).toThrow(RangeError);
    expect(() => solarToLunar(29, 2, 2023)).toThrow(RangeError);
    expect(() => solarToLunar(1, 13, 2023)).toThrow(RangeError);
    expect(() => solarToLunar(1.5, 1, 2023)).toThrow(RangeError);
  });
});

describe('lunarToSolar', () => {
  it('returns null for a leap month the year does not have', () => {
    expect(lunarToSolar(1, 3, 2021, true)).toBeNull();
    expect(lunarToSolar(1, 3, 2023, true)).toBeNull(); // 2023 is leap in month 2, not 3
    expect(lunarToSolar(1, 2, 2024, true)).toBeNull(); // 2024 has no leap month
  });

  it('returns null for day 30 of a 29-day month', () => {
    // Tháng Giêng Giáp Thìn ran 10/02/2024 to 09/03/2024: 29 days.
    expect(lunarToSolar(29, 1, 2024)).toEqual({ day: 9, month: 3, year: 2024 });
    expect(lunarToSolar(30, 1, 2024)).toBeNull();
    expect(lunarToSolar(1, 2, 2024)).toEqual({ day: 10, month: 3, year: 2024 });
  });

  it('returns null for out-of-range input', () => {
    expect(lunarToSolar(0, 1, 2024)).toBeNull();
    expect(lunarToSolar(31, 1, 2024)).toBeNull();
    expect(lunarToSolar(1, 0, 2024)).toBeNull();
    expect(lunarToSolar(1, 13, 2024)).toBeNull();
  });
});

describe('round trip', () => {
  it('maps every day from 1900-01-01 to 2100-12-31 back to itself', () => {
    let previous: ReturnType<typeof solarToLunar> | null = null;
    let count = 0;
    for (const solar of solarDays(1900, 2100)) {
      const lunar = solarToLunar(solar.day, solar.month, solar.year);
      const back = lunarToSolar(lunar.day, lunar.month, lunar.year, lunar.leap);
      if (back === null || back.day !== solar.day || back.month !== solar.month || back.year !== solar.year) {
        expect.fail(`${JSON.stringify(solar)} → ${JSON.stringify(lunar)} → ${JSON.stringify(back)}`);
      }
      // Lunar days run 1, 2, … up to 29 or 30, then start again at 1.
      if (lunar.day < 1 || lunar.day > 30) expect.fail(`${JSON.stringify(solar)} → ${JSON.stringify(lunar)}`);
      if (previous) {
        const next = lunar.day === previous.day + 1 || (lunar.day === 1 && previous.day >= 29 && previous.day <= 30);
        if (!next) expect.fail(`${JSON.stringify(previous)} then ${JSON.stringify(lunar)}`);
      }
      previous = lunar;
      count++;
    }
    expect(count).toBe(73_414);
  });

  it('gives every lunar year 12 or 13 months, at most one of them leap', () => {
    for (let year = 1901; year <= 2099; year++) {
      let leaps = 0;
      for (let month = 1; month <= 12; month++) {
        expect(lunarToSolar(1, month, year)).not.toBeNull();
        if (lunarToSolar(1, month, year, true)) leaps++;
      }
      expect(leaps).toBeLessThanOrEqual(1);
    }
  });
});
