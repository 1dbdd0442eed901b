import { buildCalendar, provisionalSchedule, shanghaiDate, yearOf, type CalendarException, type HolidayCalendar } from '../domain/calendar';
import type { Database } from './client';

/** Years ahead of today that a deadline may reach: forecast where no official schedule is loaded. */
const forecastYearsAhead = 5;

/**
 * Reads the working-day calendar from PostgreSQL. Cached briefly: deadlines are computed often,
 * the office edits the calendar rarely, and an edit must show up within a minute (`forget` drops
 * the cache at once, e.g. when PostgreSQL announces a loaded year).
 *
 * A year around today without an official schedule is not a gap: its days come from the forecast
 * of the national holiday rules (provisionalSchedule), and deadlines counted through it are marked
 * provisional until the State Council's schedule is loaded and corrects them. A city does not
 * stop taking suggestions because a notice is late.
 */
export function calendarStore(db: Database, ttlMs = 60_000) {
  let cached: { calendar: HolidayCalendar; loadedAt: number } | undefined;

  const currentCalendar = async function currentCalendar(): Promise<HolidayCalendar> {
    if (cached && Date.now() - cached.loadedAt < ttlMs) return cached.calendar;
    const [years, days] = await Promise.all([db.calendarYear.findMany(), db.calendarDay.findMany()]);
    const official = years.map((y) => y.year);
    const exceptions: CalendarException[] = days.map((d) => ({
      date: d.date.toISOString().slice(0, 10),
      kind: d.kind as 'holiday' | 'workday',
      name: d.name ?? undefined,
    }));
    const thisYear = yearOf(shanghaiDate(new Date()));
    const forecast: number[] = [];
    // From the first loaded year (a gap is forecast too) or last year, to a few years ahead.
    for (let year = Math.min(thisYear - 1, ...official); year <= thisYear + forecastYearsAhead; year++) {
      if (official.includes(year)) continue;
      forecast.push(year);
      exceptions.push(...provisionalSchedule(year));
    }
    const calendar = buildCalendar(official, exceptions, forecast);
    cached = { calendar, loadedAt: Date.now() };
    return calendar;
  };
  return Object.assign(currentCalendar, {
    /** Reads the calendar again on the next call. */
    forget(): void {
      cached = undefined;
    },
  });
}

export type CalendarStore = ReturnType<typeof calendarStore>;
