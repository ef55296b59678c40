import { toIsoDate } from '../../../common/format';

/** Today's date in Vietnam, as yyyy-mm-dd (the value a DateField hands its parent). */
export function todayIso(): string {
  return toIsoDate(new Date());
}
