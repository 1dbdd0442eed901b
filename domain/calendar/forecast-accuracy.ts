import { buildCalendar, type CalendarException } from './holiday-calendar';
import { DAY_MS, toDayNumber } from './iso-date';
import { officialSchedule, officialYears } from './official-schedule';
import { provisionalSchedule } from './provisional-schedule';
import { addWorkingDays } from './working-days';

/**
 * How far a forecast calendar moves working-day deadlines, judged against the published
 * schedules: for each year Y, pretend Y is not published yet, so the calendar is every
 * published year except Y plus the forecast for Y, and compare each deadline with the one the
 * fully published calendar gives. Receipts are at noon Shanghai time on every day of Y.
 *
 * Deadlines from late December reach the year after the last published one; both calendars
 * use provisionalSchedule for that year, so the two differ in Y alone.
 *
 * A caveat on what this measures: the bridging rules were inferred from all of 2016–2026,
 * Y included, so it checks that the rules reproduce the notices and how much a miss moves a
 * deadline, not how well they would have foreseen a year before it was published.
 */
export type Forecast = (year: number) => CalendarException[];

export interface Accuracy {
  deadlines: number;
  /** Share of deadlines the forecast gives exactly. */
  identical: number;
  /** Share within ±2 calendar days. */
  withinTwoDays: number;
  /** The largest difference in calendar days, either way. */
  maxDifferenceDays: number;
}

export interface ForecastAccuracy {
  byYear: ({ year: number } & Accuracy)[];
  overall: Accuracy;
}

export const ACCURACY_YEARS = Array.from({ length: 11 }, (_, i) => 2016 + i);
/** The limits deadlines are counted in: a short reply, the usual 15 working days, a long investigation. */
export const ACCURACY_LIMITS = [5, 15, 60];

export function forecastAccuracy(forecast: Forecast, years: readonly number[] = ACCURACY_YEARS, limits: readonly number[] = ACCURACY_LIMITS): ForecastAccuracy {
  const published = officialYears();
  const beyond = Math.max(...published) + 1;
  const schedules = new Map(published.map((year) => [year, officialSchedule(year)]));
  const calendarYears = [...published, beyond];
  const official = buildCalendar(calendarYears, [...[...schedules.values()].flat(), ...provisionalSchedule(beyond)]);

  const byYear = years.map((year) => {
    if (!schedules.has(year)) throw new RangeError(`${year} has no published schedule to judge a forecast against`);
    const exceptions = [...schedules].filter(([y]) => y !== year).flatMap(([, days]) => days);
    const forecastCalendar = buildCalendar(calendarYears, [...exceptions, ...forecast(year), ...provisionalSchedule(beyond)]);
    const differences: number[] = [];
    const first = toDayNumber(`${year}-01-01`);
    const last = toDayNumber(`${year}-12-31`);
    for (let day = first; day <= last; day += 1) {
      const receivedAtNoon = new Date(day * DAY_MS + 4 * 3600_000); // 12:00 in Shanghai (UTC+8)
      for (const n of limits) {
        const expected = addWorkingDays(official, receivedAtNoon, n).getTime();
        const got = addWorkingDays(forecastCalendar, receivedAtNoon, n).getTime();
        differences.push(Math.round((got - expected) / DAY_MS));
      }
    }
    return { year, ...summarise(differences) };
  });

  const deadlines = byYear.reduce((sum, y) => sum + y.deadlines, 0);
  const share = (key: 'identical' | 'withinTwoDays') => byYear.reduce((sum, y) => sum + y[key] * y.deadlines, 0) / deadlines;
  return {
    byYear,
    overall: {
      deadlines,
      identical: share('identical'),
      withinTwoDays: share('withinTwoDays'),
      maxDifferenceDays: Math.max(...byYear.map((y) => y.maxDifferenceDays)),
    },
  };
}

function summarise(differences: number[]): Accuracy {
  const count = (test: (d: number) => boolean) => differences.filter(test).length / differences.length;
  return {
    deadlines: differences.length,
    identical: count((d) => d === 0),
    withinTwoDays: count((d) => Math.abs(d) <= 2),
    maxDifferenceDays: Math.max(...differences.map(Math.abs)),
  };
}
