import { toIsoDate } from '../../../common/format';

/** Today's date in Vietnam, as yyyy-mm-dd (the value of an <input type="date">). */
export function todayIso(): string {
  return toIsoDate(new Date());
}
