import { toIsoDate } from '../../common/format';

/** Today's date in Vietnam (UTC+7), yyyy-mm-dd. */
export function todayInVietnam(now: Date = new Date()): string {
  return toIsoDate(now);
}

export function minutesFromNow(minutes: number, now: Date = new Date()): Date {
  return new Date(now.getTime() + minutes * 60_000);
}
