import published from 'chinese-days/dist/chinese-days.json';
import type { CalendarException } from './holiday-calendar';
import { isWeekend, toDayNumber, yearOf } from './iso-date';

/**
 * The State Council's yearly holiday schedules (国务院办公厅关于部分节假日安排的通知), as
 * transcribed by the `chinese-days` package into its published JSON file. Its entries read
 * "English name,中文名,days", e.g. "National Day,国庆节,3".
 *
 * The JSON, not the package's functions: those build their tables at load time in the
 * process's local time zone, and west of Greenwich every holiday moves a day early (under
 * TZ=America/Los_Angeles, isWorkday says 2025-09-30 is National Day).
 */
const schedules: { holidays: Record<string, string>; workdays: Record<string, string> } = published;

/**
 * The exceptions that fall in `year` (by date, not by the schedule that set them: the
 * schedule for 2012 made Saturday 2011-12-31 a working day, so that day belongs to 2011).
 * Holidays on weekends are left out, being days off anyway.
 */
export function officialSchedule(year: number): CalendarException[] {
  const exceptions: CalendarException[] = [];
  for (const [date, entry] of Object.entries(schedules.holidays)) {
    if (yearOf(date) === year && !isWeekend(toDayNumber(date))) {
      exceptions.push({ date, kind: 'holiday', ...named(entry) });
    }
  }
  for (const [date, entry] of Object.entries(schedules.workdays)) {
    if (yearOf(date) === year && isWeekend(toDayNumber(date))) {
      exceptions.push({ date, kind: 'workday', ...named(entry) });
    }
  }
  return exceptions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * The years whose schedule the package has. Every schedule gives 1 January off (元旦), so a
 * year is covered exactly when its 1 January is listed; a year with only a stray late-December
 * entry from the next year's schedule is not.
 *
 * Caveat for the last covered year: the next year's schedule, once published, may still move
 * a day in its late December (as 2012's did for 2011).
 */
export function officialYears(): number[] {
  return Object.keys(schedules.holidays)
    .filter((date) => date.endsWith('-01-01'))
    .map(yearOf)
    .sort((a, b) => a - b);
}

function named(entry: string): { name?: string } {
  const chinese = entry.split(',')[1]?.trim();
  return chinese ? { name: chinese } : {};
}
