import { chooseAdjustedWorkingDays, DayPlan } from './adjusted-working-days';
import { holidayBreaks } from './holiday-breaks';
import type { CalendarException } from './holiday-calendar';
import { fromDayNumber, isWeekend, toDayNumber } from './iso-date';

/**
 * A forecast of `year`'s holiday schedule, for deadlines that reach a year the State Council
 * has not published yet (it publishes around November). Same shape as officialSchedule(year):
 * only days in `year`, holidays on weekdays, adjusted working days on weekends, sorted, named
 * as officialSchedule names them (a working day after the holiday it repays).
 *
 * Built from the statutory days of the 放假办法 in force (statutory-holidays.ts), laid out
 * into breaks the way the notices of 2016–2026 do (holiday-breaks.ts), with the weekday days
 * off beyond the statutory days worked back on the weekends flanking each break
 * (adjusted-working-days.ts). The rules, in short:
 *   - 春节: from 除夕, 7 days until 2024, 8 from 2025 (除夕 to 初七).
 *   - 国庆节: from 1 October, 7 days; with 中秋 inside or next to it, 8 days from the earlier.
 *   - 劳动节: 5 days holding 1 May and a whole weekend, from 2019; a 3-day weekend 2008–2018.
 *   - 元旦, 清明, 端午, 中秋 (apart): a 3-day weekend. A Saturday or Sunday holiday is given back on
 *     Monday; Tuesday takes Monday with it, Thursday takes Friday; Wednesday stays alone.
 *   - Every weekday off beyond the statutory days is worked on a weekend day of the weekends
 *     flanking the break, the nearest that keep working stretches within 7 days (6 from 2025);
 *     the 3-day weekends, and from 2025 the long breaks too, never work the weekend day that
 *     adjoins them.
 * It is a forecast: a notice may depart from the rules (2014 and 2024 did not give 除夕 off;
 * 2020's Spring Festival was lengthened for the epidemic), and the published schedule replaces
 * it as soon as it is loaded. Fitted to 2016–2026; years before 2014 followed other practice.
 *
 * The notices of the years either side are planned too, because they reach into `year`: the
 * 2019 notice made Saturday 29 December 2018 a working day and Monday the 31st a holiday.
 */
export function provisionalSchedule(year: number): CalendarException[] {
  if (!Number.isInteger(year) || year < 1 || year > 9998) throw new RangeError(`Not a year the forecast covers: ${year}`);
  const breaks = [year - 1, year, year + 1].flatMap(holidayBreaks).sort((a, b) => a.start - b.start);
  const plan = new DayPlan();
  for (const brk of breaks) plan.addBreak(brk);
  // In date order, so each break sees the working days of those before it.
  for (const brk of breaks) chooseAdjustedWorkingDays(plan, brk);

  const first = toDayNumber(`${String(year).padStart(4, '0')}-01-01`);
  const last = toDayNumber(`${String(year).padStart(4, '0')}-12-31`);
  const exceptions: CalendarException[] = [];
  for (const [day, name] of plan.holidays) {
    if (day >= first && day <= last && !isWeekend(day)) exceptions.push({ date: fromDayNumber(day), kind: 'holiday', name });
  }
  for (const [day, name] of plan.workdays) {
    if (day >= first && day <= last && isWeekend(day)) exceptions.push({ date: fromDayNumber(day), kind: 'workday', name });
  }
  return exceptions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
