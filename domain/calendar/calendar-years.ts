import { buildCalendar, type CalendarException, type HolidayCalendar } from './holiday-calendar';

/**
 * One year of the working-day calendar as a suggestion carries it: the weekdays off and the
 * weekend days worked, as 'MM-DD'. A suggestion's workflow counts every deadline on the years it
 * carries (a pure computation, the same on replay), and an official schedule published later
 * reaches it as a year like this one, with `provisional` false.
 */
export interface CalendarYear {
  year: number;
  /** Forecast from the national holiday rules: the State Council has not published this year yet. */
  provisional: boolean;
  /** Where it comes from: the notice, or 'forecast'. */
  source: string;
  holidays: string[];
  workdays: string[];
}

/** A year's exceptions in the carried form. */
export function calendarYear(year: number, exceptions: readonly CalendarException[], source: string, provisional: boolean): CalendarYear {
  const inYear = exceptions.filter((e) => e.date.startsWith(`${String(year).padStart(4, '0')}-`));
  const days = (kind: CalendarException['kind']) =>
    inYear
      .filter((e) => e.kind === kind)
      .map((e) => e.date.slice(5))
      .sort();
  return { year, provisional, source, holidays: days('holiday'), workdays: days('workday') };
}

/** The calendar the carried years make. */
export function calendarOfYears(years: readonly CalendarYear[]): HolidayCalendar {
  const exceptions: CalendarException[] = [];
  for (const y of years) {
    const prefix = String(y.year).padStart(4, '0');
    for (const day of y.holidays) exceptions.push({ date: `${prefix}-${day}`, kind: 'holiday' });
    for (const day of y.workdays) exceptions.push({ date: `${prefix}-${day}`, kind: 'workday' });
  }
  return buildCalendar(
    years.filter((y) => !y.provisional).map((y) => y.year),
    exceptions,
    years.filter((y) => y.provisional).map((y) => y.year),
  );
}

/** The carried years with `replacement` in place of its year (added if the suggestion did not carry it). */
export function withYear(years: readonly CalendarYear[], replacement: CalendarYear): CalendarYear[] {
  return [...years.filter((y) => y.year !== replacement.year), replacement].sort((a, b) => a.year - b.year);
}

/** Whether two carried forms of a year say the same days. */
export function sameDays(a: CalendarYear, b: CalendarYear): boolean {
  return a.provisional === b.provisional && a.holidays.join() === b.holidays.join() && a.workdays.join() === b.workdays.join();
}

/** The years `first` to `last` of a calendar, in the carried form; years it cannot answer for are left out. */
export function yearsOf(cal: HolidayCalendar, first: number, last: number): CalendarYear[] {
  const years: CalendarYear[] = [];
  for (let year = first; year <= last; year++) {
    if (!cal.years.has(year)) continue;
    const prefix = `${String(year).padStart(4, '0')}-`;
    const exceptions = [...cal.exceptions].filter(([date]) => date.startsWith(prefix)).map(([date, kind]) => ({ date, kind }));
    const provisional = cal.provisionalYears.has(year);
    years.push(calendarYear(year, exceptions, provisional ? 'forecast' : 'official', provisional));
  }
  return years;
}
