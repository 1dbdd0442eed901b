import { MissingCalendarYearError, type HolidayCalendar } from './holiday-calendar';
import { DAY_MS, fromDayNumber, isWeekend, toDayNumber, yearOf } from './iso-date';

/**
 * Time limits are counted the way legal time limits are: the day of receipt is not counted, and
 * a limit of N days runs to the end of the Nth day after it (in Asia/Shanghai).
 *
 * Asia/Shanghai is a fixed UTC+8: China has not observed daylight saving time since 1991, so
 * fixed-offset arithmetic is exact for every date this service handles and needs no time-zone
 * database — which also keeps these functions deterministic inside Temporal workflows.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

export type TimeLimitUnit = 'working_days' | 'calendar_days';

export interface TimeLimit {
  amount: number;
  unit: TimeLimitUnit;
}

export function shanghaiDate(instant: Date): string {
  return fromDayNumber(shanghaiDayNumber(instant));
}

export function endOfShanghaiDay(isoDate: string): Date {
  return new Date((toDayNumber(isoDate) + 1) * DAY_MS - SHANGHAI_OFFSET_MS - 1);
}

/** Throws MissingCalendarYearError rather than guess: a weekday in an unloaded year may be a holiday. */
export function isWorkingDay(cal: HolidayCalendar, isoDate: string): boolean {
  const dayNumber = toDayNumber(isoDate);
  const year = yearOf(isoDate);
  if (!cal.years.has(year)) throw new MissingCalendarYearError(year);
  const kind = cal.exceptions.get(isoDate);
  if (kind !== undefined) return kind === 'workday';
  return !isWeekend(dayNumber);
}

export function nextWorkingDay(cal: HolidayCalendar, isoDate: string): string {
  let day = toDayNumber(isoDate);
  do {
    day += 1;
  } while (!isWorkingDayNumber(cal, day));
  return fromDayNumber(day);
}

/** The deadline of an N-working-day limit for something received at `from`. */
export function addWorkingDays(cal: HolidayCalendar, from: Date, n: number): Date {
  requireDayCount(n);
  let day = shanghaiDayNumber(from);
  for (let counted = 0; counted < n;) {
    day += 1;
    if (isWorkingDayNumber(cal, day)) counted += 1;
  }
  return endOfShanghaiDay(fromDayNumber(day));
}

/** The deadline of an N-calendar-day limit: holidays and weekends count like any other day. */
export function addCalendarDays(from: Date, n: number): Date {
  requireDayCount(n);
  return endOfShanghaiDay(fromDayNumber(shanghaiDayNumber(from) + n));
}

export function deadlineAfter(cal: HolidayCalendar, from: Date, limit: TimeLimit): Date {
  switch (limit.unit) {
    case 'working_days':
      return addWorkingDays(cal, from, limit.amount);
    case 'calendar_days':
      return addCalendarDays(from, limit.amount);
    default:
      // Limits come from configuration, so an unknown unit can reach here at run time.
      throw new RangeError(`Unknown time-limit unit ${JSON.stringify((limit as { unit: unknown }).unit)}`);
  }
}

/** Working days used up between receipt at `from` and `to`, counted like a limit (receipt day excluded). */
export function workingDaysBetween(cal: HolidayCalendar, from: Date, to: Date): number {
  const last = shanghaiDayNumber(to);
  let count = 0;
  for (let day = shanghaiDayNumber(from) + 1; day <= last; day += 1) {
    if (isWorkingDayNumber(cal, day)) count += 1;
  }
  return count;
}

/** When the "一号负责人" visit the communities. */
export function firstWorkingDayOfMonth(cal: HolidayCalendar, year: number, month: number): string {
  if (!Number.isInteger(year) || year < 0 || year > 9999) throw new RangeError(`Not a calendar year: ${year}`);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`Not a month (1–12): ${month}`);
  const first = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
  return isWorkingDay(cal, first) ? first : nextWorkingDay(cal, first);
}

/**
 * The moment to remind a department "n working days before the deadline": the start of the
 * nth working day before the deadline's day, so the whole of that day is still available.
 */
export function subtractWorkingDays(cal: HolidayCalendar, deadline: Date, n: number): Date {
  requireDayCount(n);
  let day = shanghaiDayNumber(deadline);
  for (let counted = 0; counted < n;) {
    day -= 1;
    if (isWorkingDayNumber(cal, day)) counted += 1;
  }
  return new Date(day * DAY_MS - SHANGHAI_OFFSET_MS);
}

function shanghaiDayNumber(instant: Date): number {
  const time = instant.getTime();
  if (Number.isNaN(time)) throw new RangeError('Invalid instant (Invalid Date)');
  return Math.floor((time + SHANGHAI_OFFSET_MS) / DAY_MS);
}

function isWorkingDayNumber(cal: HolidayCalendar, dayNumber: number): boolean {
  return isWorkingDay(cal, fromDayNumber(dayNumber));
}

function requireDayCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`A time limit needs a whole number of days ≥ 1, got ${n}`);
}
