import type { HolidayCalendar } from './holiday-calendar';
import { yearOf } from './iso-date';
import { deadlineAfter, shanghaiDate, type TimeLimit } from './working-days';

/** A deadline as counted: its instant, and whether a forecast year was counted through. */
export interface CountedDeadline {
  at: string;
  /** A working day was counted in a year whose schedule is a forecast: the official one may move it. */
  provisional: boolean;
}

/**
 * Counts `steps` one after another from `from`: the first limit from `from`, each next one from
 * the deadline the last gave (an approved extension adds to the deadline as it stands).
 */
export function countDeadline(cal: HolidayCalendar, from: string, steps: readonly TimeLimit[]): CountedDeadline {
  let at = new Date(from);
  let provisional = false;
  for (const step of steps) {
    const start = at;
    at = deadlineAfter(cal, start, step);
    provisional ||= step.unit === 'working_days' && countsThroughForecast(cal, start, at);
  }
  return { at: at.toISOString(), provisional };
}

/** Whether a working-day count from `from` to `to` (the day of `from` not counted) touched a forecast year. */
export function countsThroughForecast(cal: HolidayCalendar, from: Date, to: Date): boolean {
  if (cal.provisionalYears.size === 0) return false;
  const last = yearOf(shanghaiDate(to));
  for (let year = yearOf(shanghaiDate(from)); year <= last; year++) if (cal.provisionalYears.has(year)) return true;
  return false;
}
