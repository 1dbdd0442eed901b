import { calendarOfYears, sameDays, withYear, type CalendarYear } from '../domain/calendar/calendar-years';
import { countDeadline } from '../domain/calendar/counted-deadline';
import { MissingCalendarYearError, type HolidayCalendar } from '../domain/calendar/holiday-calendar';
import { subtractWorkingDays, type TimeLimit } from '../domain/calendar/working-days';

// A suggestion's deadlines, counted in the workflow on the working-day calendar it carries: the
// official years and, for a year the State Council has not published yet, the forecast of the
// national holiday rules. Each deadline is kept with how it was counted, so that when the official
// schedule of a year is published every deadline counted through its forecast is counted again.

/** A deadline that moved when a year's schedule was published. */
export interface MovedDeadline {
  name: string;
  from: string;
  to: string;
}

interface Count {
  from: string;
  steps: TimeLimit[];
  at: string;
  provisional: boolean;
  /** Puts the instant where the suggestion shows it. */
  show: (at: string) => void;
}

export class Deadlines {
  private calendar: HolidayCalendar;
  private readonly counts = new Map<string, Count>();

  constructor(private years: CalendarYear[]) {
    this.calendar = calendarOfYears(years);
  }

  /** The calendar's years as the suggestion carries them. */
  carriedYears(): readonly CalendarYear[] {
    return this.years;
  }

  /**
   * Counts the deadline `name`: `steps` one after another from `from`. Kept, with `show` called
   * with its instant now and each time a published calendar moves it.
   */
  count(name: string, from: string, steps: TimeLimit[], show: (at: string) => void = () => undefined): string {
    const counted = this.counted(from, steps);
    this.counts.set(name, { from, steps, ...counted, show });
    show(counted.at);
    return counted.at;
  }

  /** Adds a limit to the deadline as it stands (an approved extension). */
  extend(name: string, step: TimeLimit): string {
    const kept = this.counts.get(name);
    if (!kept) throw new Error(`no deadline ${name} to extend`);
    return this.count(name, kept.from, [...kept.steps, step], kept.show);
  }

  /** Counts the deadline `name` as `after` is counted, then one limit more (a grace after a due date). */
  countAfter(name: string, after: string, step: TimeLimit, show: (at: string) => void = () => undefined): string {
    const base = this.counts.get(after);
    if (!base) throw new Error(`no deadline ${after} to count from`);
    return this.count(name, base.from, [...base.steps, step], show);
  }

  /** The instant `steps` from `from` would give, kept nowhere. */
  instant(from: string, steps: TimeLimit[]): string {
    return this.counted(from, steps).at;
  }

  at(name: string): string | undefined {
    return this.counts.get(name)?.at;
  }

  /** Counted through a forecast year: the official schedule may still move it. */
  provisional(name: string | undefined): boolean {
    return name !== undefined && (this.counts.get(name)?.provisional ?? false);
  }

  /** A deadline no longer watched (the step it limits is done): a published calendar leaves it as it was. */
  settle(...names: string[]): void {
    for (const name of names) this.counts.delete(name);
  }

  settleAll(prefix: string): void {
    for (const name of [...this.counts.keys()]) if (name.startsWith(prefix)) this.counts.delete(name);
  }

  /** The start of the nth working day before `deadline` (a reminder 催办 n working days ahead). */
  workingDaysBefore(deadline: string, n: number): string {
    return this.withCalendar(() => subtractWorkingDays(this.calendar, new Date(deadline), n)).toISOString();
  }

  /**
   * A year's schedule reaches the suggestion (the State Council's, once published): it replaces
   * what the suggestion carried for that year, and every deadline still watched is counted again.
   * Returns the ones that moved; an identical schedule moves none.
   */
  publish(year: CalendarYear): MovedDeadline[] {
    const carried = this.years.find((y) => y.year === year.year);
    if (carried && sameDays(carried, year)) return [];
    this.years = withYear(this.years, year);
    this.calendar = calendarOfYears(this.years);
    const moved: MovedDeadline[] = [];
    for (const [name, kept] of this.counts) {
      const counted = this.counted(kept.from, kept.steps);
      kept.provisional = counted.provisional;
      if (counted.at === kept.at) continue;
      moved.push({ name, from: kept.at, to: counted.at });
      kept.at = counted.at;
      kept.show(counted.at);
    }
    return moved;
  }

  private counted(from: string, steps: TimeLimit[]) {
    return this.withCalendar(() => countDeadline(this.calendar, from, steps));
  }

  /**
   * A deadline further ahead than the years carried (they reach four years past receipt) is
   * counted on weekends alone for the years beyond, marked provisional, and counted again when
   * their schedule is published.
   */
  private withCalendar<T>(compute: () => T): T {
    for (;;) {
      try {
        return compute();
      } catch (err) {
        if (!(err instanceof MissingCalendarYearError)) throw err;
        this.years = withYear(this.years, { year: err.year, provisional: true, source: 'weekends only', holidays: [], workdays: [] });
        this.calendar = calendarOfYears(this.years);
      }
    }
  }
}
