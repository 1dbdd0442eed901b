import { toDayNumber } from './iso-date';

/**
 * How a date deviates from the Monday–Friday rule:
 * 'holiday' is a statutory day off on a weekday, 'workday' an adjusted working day (调休) on a weekend.
 */
export type DayKind = 'holiday' | 'workday';

export interface CalendarException {
  /** YYYY-MM-DD in Asia/Shanghai */
  date: string;
  kind: DayKind;
  name?: string;
}

/**
 * The working-day calendar. `years` lists the years it can answer for: those whose State Council
 * schedule has been loaded and, among them, `provisionalYears`, whose schedule is not published
 * yet and is forecast from the national holiday rules (provisional-schedule.ts). A deadline
 * counted through a provisional year is provisional: it is counted again when the official
 * schedule is loaded. A weekday in a year outside `years` is not known to be a working day.
 */
export interface HolidayCalendar {
  readonly years: ReadonlySet<number>;
  readonly provisionalYears: ReadonlySet<number>;
  readonly exceptions: ReadonlyMap<string, DayKind>;
}

/** A deadline computation reached a year the calendar has no schedule for. */
export class MissingCalendarYearError extends Error {
  readonly year: number;

  constructor(year: number) {
    super(
      `The working-day calendar has no holiday schedule for ${year}; ` +
        `load the State Council schedule for ${year} before computing time limits that reach it`,
    );
    this.name = 'MissingCalendarYearError';
    this.year = year;
  }
}

/** `provisionalYears` are counted among the calendar's years, on forecast exceptions. */
export function buildCalendar(years: Iterable<number>, exceptions: Iterable<CalendarException>, provisionalYears: Iterable<number> = []): HolidayCalendar {
  const yearSet = new Set<number>();
  const provisional = new Set<number>();
  for (const [year, set] of [...[...years].map((y) => [y, yearSet] as const), ...[...provisionalYears].map((y) => [y, provisional] as const)]) {
    if (!Number.isInteger(year) || year < 0 || year > 9999) throw new RangeError(`Not a calendar year: ${year}`);
    set.add(year);
    yearSet.add(year);
  }

  // Exceptions in years outside `yearSet` are kept but never consulted: the year check comes
  // first, so a half-loaded year fails loudly instead of breaking the years that are complete.
  const kinds = new Map<string, DayKind>();
  for (const { date, kind } of exceptions) {
    toDayNumber(date);
    if (kind !== 'holiday' && kind !== 'workday') {
      throw new RangeError(`Unknown kind of calendar day ${JSON.stringify(kind)} on ${date}`);
    }
    const earlier = kinds.get(date);
    if (earlier !== undefined && earlier !== kind) {
      throw new RangeError(`${date} is listed both as a holiday and as an adjusted working day`);
    }
    kinds.set(date, kind);
  }

  return { years: yearSet, provisionalYears: provisional, exceptions: kinds };
}
