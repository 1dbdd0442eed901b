import { yearOf } from './iso-date';
import { shanghaiDate } from './working-days';

/** How far ahead deadlines reach: a 30-day response limit plus one 30-day extension, with margin. */
export const CALENDAR_HORIZON_DAYS = 90;

/**
 * The years working-day deadlines may soon need that have no calendar: this year (Shanghai) and,
 * near its end, the next. The State Council publishes next year's schedule around November, so a
 * missing next year shows up in time for the office to load it, not on 1 January.
 */
export function missingCalendarYears(loadedYears: readonly number[], now: Date, horizonDays = CALENDAR_HORIZON_DAYS): number[] {
  const thisYear = yearOf(shanghaiDate(now));
  const horizonYear = yearOf(shanghaiDate(new Date(now.getTime() + horizonDays * 24 * 3600_000)));
  const needed = horizonYear > thisYear ? [thisYear, horizonYear] : [thisYear];
  return needed.filter((year) => !loadedYears.includes(year));
}
