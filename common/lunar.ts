/**
 * Vietnamese lunar calendar (âm lịch), after Hồ Ngọc Đức's algorithm.
 *
 * New moons and the sun's longitude come from Meeus-style series; days are
 * Julian day numbers; the leap month of a 13-month year is the first month
 * after lunar month 11 that holds no major solar term (trung khí). Everything
 * is reckoned at UTC+7, Vietnam's time zone: the Chinese calendar (UTC+8)
 * falls on a different day in some years (Tết 1985 is 21/01 in Vietnam but
 * 20/02 in China).
 *
 * All functions take and return plain numbers, so the result never depends on
 * the time zone of the machine running the code.
 */

export interface LunarDate {
  day: number;
  month: number;
  year: number;
  /** True in the leap (nhuận) month, which repeats the number of the month before it. */
  leap: boolean;
}

export interface SolarDate {
  day: number;
  month: number;
  year: number;
}

export type FestivalKind = 'trung_thu' | 'tet_nguyen_dan' | 'tet_thieu_nhi';

/** Vietnam: UTC+7. */
const TIME_ZONE = 7;

/** Mean length of a synodic month, in days. */
const SYNODIC_MONTH = 29.530588853;
/** Julian day of the new moon of 1 January 1900 (13:52 UT), the origin of the new moon count k. */
const NEW_MOON_EPOCH = 2415021.076998695;

const { PI, floor, sin } = Math;
const DEG = PI / 180;

// ---------------------------------------------------------------------------
// Julian day numbers

/** Julian day number of a date: Gregorian from 15/10/1582, Julian before it. */
function jdFromDate(dd: number, mm: number, yy: number): number {
  const a = floor((14 - mm) / 12);
  const y = yy + 4800 - a;
  const m = mm + 12 * a - 3;
  let jd = dd + floor((153 * m + 2) / 5) + 365 * y + floor(y / 4) - floor(y / 100) + floor(y / 400) - 32045;
  if (jd < 2299161) {
    jd = dd + floor((153 * m + 2) / 5) + 365 * y + floor(y / 4) - 32083;
  }
  return jd;
}

/** The calendar date of a Julian day number (inverse of jdFromDate). */
function jdToDate(jd: number): SolarDate {
  let b: number;
  let c: number;
  if (jd > 2299160) {
    const a = jd + 32044;
    b = floor((4 * a + 3) / 146097);
    c = a - floor((b * 146097) / 4);
  } else {
    b = 0;
    c = jd + 32082;
  }
  const d = floor((4 * c + 3) / 1461);
  const e = c - floor((1461 * d) / 4);
  const m = floor((5 * e + 2) / 153);
  return {
    day: e - floor((153 * m + 2) / 5) + 1,
    month: m + 3 - 12 * floor(m / 10),
    year: b * 100 + d - 4800 + floor(m / 10),
  };
}

// ---------------------------------------------------------------------------
// Astronomy

/** Julian day (UT, fractional) of the k-th new moon after 1/1/1900. */
function newMoon(k: number): number {
  const T = k / 1236.85; // Julian centuries from 1900-01-01 12:00
  const T2 = T * T;
  const T3 = T2 * T;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * sin((166.56 + 132.87 * T - 0.009173 * T2) * DEG); // mean new moon
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3; // sun's mean anomaly
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3; // moon's mean anomaly
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3; // moon's argument of latitude
  let c1 = (0.1734 - 0.000393 * T) * sin(M * DEG) + 0.0021 * sin(2 * DEG * M);
  c1 = c1 - 0.4068 * sin(Mpr * DEG) + 0.0161 * sin(DEG * 2 * Mpr);
  c1 = c1 - 0.0004 * sin(DEG * 3 * Mpr);
  c1 = c1 + 0.0104 * sin(DEG * 2 * F) - 0.0051 * sin(DEG * (M + Mpr));
  c1 = c1 - 0.0074 * sin(DEG * (M - Mpr)) + 0.0004 * sin(DEG * (2 * F + M));
  c1 = c1 - 0.0004 * sin(DEG * (2 * F - M)) - 0.0006 * sin(DEG * (2 * F + Mpr));
  c1 = c1 + 0.001 * sin(DEG * (2 * F - Mpr)) + 0.0005 * sin(DEG * (2 * Mpr + M));
  let deltat: number;
  if (T < -11) {
    deltat = 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3;
  } else {
    deltat = -0.000278 + 0.000265 * T + 0.000262 * T2;
  }
  return jd1 + c1 - deltat;
}

/** The sun's apparent longitude, in radians within [0, 2π), at Julian day jdn (UT, fractional). */
function sunLongitude(jdn: number): number {
  const T = (jdn - 2451545.0) / 36525; // Julian centuries from 2000-01-01 12:00
  const T2 = T * T;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2; // mean anomaly
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2; // mean longitude
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * sin(DEG * M);
  DL = DL + (0.019993 - 0.000101 * T) * sin(DEG * 2 * M) + 0.00029 * sin(DEG * 3 * M);
  let L = (L0 + DL) * DEG; // true longitude
  L = L - PI * 2 * floor(L / (PI * 2));
  return L;
}

/** The day of the new moon numbered k, in local time. */
function getNewMoonDay(k: number, timeZone: number): number {
  return floor(newMoon(k) + 0.5 + timeZone / 24);
}

/**
 * Which 30° sector (0..11) the sun is in at the start of a local day; sector 0
 * begins at the spring equinox, so major solar terms fall on sector boundaries.
 */
function getSunSector(dayNumber: number, timeZone: number): number {
  return floor((sunLongitude(dayNumber - 0.5 - timeZone / 24) / PI) * 6);
}

// ---------------------------------------------------------------------------
// Lunar months

const month11Cache = new Map<string, number>();

/** The first day of lunar month 11, the month holding the winter solstice, of solar year yy. */
function getLunarMonth11(yy: number, timeZone: number): number {
  const key = `${yy}:${timeZone}`;
  const cached = month11Cache.get(key);
  if (cached !== undefined) return cached;
  const off = jdFromDate(31, 12, yy) - 2415021;
  const k = floor(off / SYNODIC_MONTH);
  let nm = getNewMoonDay(k, timeZone);
  if (getSunSector(nm, timeZone) >= 9) nm = getNewMoonDay(k - 1, timeZone);
  month11Cache.set(key, nm);
  return nm;
}

const leapOffsetCache = new Map<string, number>();

/**
 * In a 13-month year starting at month 11 (day a11), how many months after it
 * the leap month comes: the first month with no major solar term.
 */
function getLeapMonthOffset(a11: number, timeZone: number): number {
  const key = `${a11}:${timeZone}`;
  const cached = leapOffsetCache.get(key);
  if (cached !== undefined) return cached;
  const k = floor((a11 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let arc = getSunSector(getNewMoonDay(k + i, timeZone), timeZone);
  let last: number;
  do {
    last = arc;
    i++;
    arc = getSunSector(getNewMoonDay(k + i, timeZone), timeZone);
  } while (arc !== last && i < 14);
  leapOffsetCache.set(key, i - 1);
  return i - 1;
}

function convertSolarToLunar(dd: number, mm: number, yy: number, timeZone: number): LunarDate {
  const dayNumber = jdFromDate(dd, mm, yy);
  // The month holding dayNumber starts at the last new moon on or before it.
  // Start from the new moon after the mean estimate and step back: once the
  // true new moon is moved to its local (UTC+7) day it can fall after the
  // estimate, so near a month boundary new moon k may itself still lie ahead
  // (07/05/2054 is day 30, not day 0).
  let k = floor((dayNumber - NEW_MOON_EPOCH) / SYNODIC_MONTH) + 1;
  let monthStart = getNewMoonDay(k, timeZone);
  while (monthStart > dayNumber) {
    k--;
    monthStart = getNewMoonDay(k, timeZone);
  }
  let a11 = getLunarMonth11(yy, timeZone);
  let b11 = a11;
  let lunarYear: number;
  if (a11 >= monthStart) {
    lunarYear = yy;
    a11 = getLunarMonth11(yy - 1, timeZone);
  } else {
    lunarYear = yy + 1;
    b11 = getLunarMonth11(yy + 1, timeZone);
  }
  const lunarDay = dayNumber - monthStart + 1;
  const diff = floor((monthStart - a11) / 29);
  let leap = false;
  let lunarMonth = diff + 11;
  if (b11 - a11 > 365) {
    const leapMonthDiff = getLeapMonthOffset(a11, timeZone);
    if (diff >= leapMonthDiff) {
      lunarMonth = diff + 10;
      if (diff === leapMonthDiff) leap = true;
    }
  }
  if (lunarMonth > 12) lunarMonth -= 12;
  if (lunarMonth >= 11 && diff < 4) lunarYear -= 1;
  return { day: lunarDay, month: lunarMonth, year: lunarYear, leap };
}

function convertLunarToSolar(
  lunarDay: number,
  lunarMonth: number,
  lunarYear: number,
  lunarLeap: boolean,
  timeZone: number,
): SolarDate | null {
  let a11: number;
  let b11: number;
  if (lunarMonth < 11) {
    a11 = getLunarMonth11(lunarYear - 1, timeZone);
    b11 = getLunarMonth11(lunarYear, timeZone);
  } else {
    a11 = getLunarMonth11(lunarYear, timeZone);
    b11 = getLunarMonth11(lunarYear + 1, timeZone);
  }
  const k = floor(0.5 + (a11 - NEW_MOON_EPOCH) / SYNODIC_MONTH);
  let off = lunarMonth - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = getLeapMonthOffset(a11, timeZone);
    let leapMonth = leapOff - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (lunarLeap && lunarMonth !== leapMonth) return null;
    if (lunarLeap || off >= leapOff) off += 1;
  } else if (lunarLeap) {
    return null; // a 12-month year has no leap month
  }
  const monthStart = getNewMoonDay(k + off, timeZone);
  const monthLength = getNewMoonDay(k + off + 1, timeZone) - monthStart;
  if (lunarDay > monthLength) return null; // day 30 of a 29-day month
  return jdToDate(monthStart + lunarDay - 1);
}

// ---------------------------------------------------------------------------
// Public API

function isInteger(...values: number[]): boolean {
  return values.every((v) => Number.isInteger(v));
}

function daysInSolarMonth(month: number, year: number): number {
  if (month === 2) {
    const leapYear = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    return leapYear ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The lunar date (Vietnam, UTC+7) of a solar (Gregorian) date. Throws RangeError on a date that does not exist. */
export function solarToLunar(day: number, month: number, year: number): LunarDate {
  if (!isInteger(day, month, year) || month < 1 || month > 12 || day < 1 || day > daysInSolarMonth(month, year)) {
    throw new RangeError(`Not a solar date: ${day}/${month}/${year}`);
  }
  return convertSolarToLunar(day, month, year, TIME_ZONE);
}

/**
 * The solar (Gregorian) date of a lunar date (Vietnam, UTC+7), or null when
 * that lunar date does not exist: a leap month the year does not have, or
 * day 30 of a 29-day month.
 */
export function lunarToSolar(day: number, month: number, year: number, leap = false): SolarDate | null {
  if (!isInteger(day, month, year) || month < 1 || month > 12 || day < 1 || day > 30) return null;
  return convertLunarToSolar(day, month, year, leap, TIME_ZONE);
}

function isoDate({ day, month, year }: SolarDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/**
 * The solar date, as yyyy-mm-dd, of a festival in the given year:
 * Trung thu is 15/8 of that lunar year, Tết Nguyên đán 1/1 of that lunar
 * year, Tết Thiếu nhi 1 June (solar).
 */
export function festivalDate(kind: FestivalKind, year: number): string {
  if (!Number.isInteger(year)) throw new RangeError(`Not a year: ${year}`);
  let date: SolarDate | null;
  switch (kind) {
    case 'trung_thu':
      date = lunarToSolar(15, 8, year);
      break;
    case 'tet_nguyen_dan':
      date = lunarToSolar(1, 1, year);
      break;
    case 'tet_thieu_nhi':
      date = { day: 1, month: 6, year };
      break;
    default: {
      const never: never = kind;
      throw new RangeError(`Unknown festival: ${String(never)}`);
    }
  }
  // Day 1 and day 15 exist in every lunar month, so date is never null here.
  if (!date) throw new RangeError(`No ${kind} in ${year}`);
  return isoDate(date);
}
