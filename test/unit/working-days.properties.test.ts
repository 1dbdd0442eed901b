import fc from 'fast-check';
import {
  addCalendarDays,
  addWorkingDays,
  buildCalendar,
  endOfShanghaiDay,
  isWorkingDay,
  MissingCalendarYearError,
  nextWorkingDay,
  officialSchedule,
  officialYears,
  shanghaiDate,
  subtractWorkingDays,
  workingDaysBetween,
  type CalendarException,
  type HolidayCalendar,
} from '../../domain/calendar';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const shanghaiDay = (instant: Date) => dayNumber(shanghaiDate(instant));

/** An instant within the Shanghai days [first, last], favouring the edges of a day. */
function instantBetween(first: string, last: string): fc.Arbitrary<Date> {
  const msOfDay = fc.oneof(fc.constantFrom(0, 1, DAY_MS - 1), fc.integer({ min: 0, max: DAY_MS - 1 }));
  return fc.tuple(fc.integer({ min: dayNumber(first), max: dayNumber(last) }), msOfDay).map(([day, ms]) => new Date(day * DAY_MS - SHANGHAI_OFFSET_MS + ms));
}

/** Made-up calendars for 2030–2032, with holidays and adjusted working days anywhere. */
const syntheticCalendar: fc.Arbitrary<HolidayCalendar> = fc
  .uniqueArray(
    fc.record({
      day: fc.integer({ min: dayNumber('2030-01-01'), max: dayNumber('2032-12-31') }),
      kind: fc.constantFrom('holiday' as const, 'workday' as const),
    }),
    { selector: (e) => e.day, maxLength: 60 },
  )
  .map((entries) =>
    buildCalendar(
      [2030, 2031, 2032],
      entries.map(({ day, kind }) => ({ date: isoOf(day), kind })),
    ),
  );

const years = officialYears();
const officialCalendar = buildCalendar(years, years.flatMap(officialSchedule));

/**
 * A calendar, a receipt and a limit that stays inside the calendar's years: up to 60 working
 * days from the last day received leaves a whole covered year to spare.
 */
const scenario = fc.oneof(
  fc.record({ cal: syntheticCalendar, from: instantBetween('2030-01-01', '2031-12-31'), n: fc.integer({ min: 1, max: 60 }) }),
  fc.record({
    cal: fc.constant(officialCalendar),
    from: instantBetween(`${years[0]}-01-01`, `${years[years.length - 1]! - 1}-12-31`),
    n: fc.integer({ min: 1, max: 60 }),
  }),
);

describe('addWorkingDays', () => {
  it('ends on a working day, at 23:59:59.999 Asia/Shanghai', () => {
    fc.assert(
      fc.property(scenario, ({ cal, from, n }) => {
        const deadline = addWorkingDays(cal, from, n);
        const day = shanghaiDate(deadline);
        expect(isWorkingDay(cal, day)).toBe(true);
        expect(deadline).toEqual(endOfShanghaiDay(day));
        expect((deadline.getTime() + SHANGHAI_OFFSET_MS + 1) % DAY_MS).toBe(0);
      }),
    );
  });

  it('uses up exactly n working days', () => {
    fc.assert(
      fc.property(scenario, ({ cal, from, n }) => {
        expect(workingDaysBetween(cal, from, addWorkingDays(cal, from, n))).toBe(n);
      }),
    );
  });

  it('gives a later deadline for a longer limit', () => {
    fc.assert(
      fc.property(scenario, ({ cal, from, n }) => {
        expect(addWorkingDays(cal, from, n + 1).getTime()).toBeGreaterThan(addWorkingDays(cal, from, n).getTime());
      }),
    );
  });

  it('never counts the day of receipt, whatever kind of day it is or the hour of receipt', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: DAY_MS - 1 }), ({ cal, from, n }, msOfDay) => {
        const receiptDay = shanghaiDate(from);
        const deadline = addWorkingDays(cal, from, n);
        expect(shanghaiDate(deadline) > receiptDay).toBe(true);
        expect(addWorkingDays(cal, from, 1)).toEqual(endOfShanghaiDay(nextWorkingDay(cal, receiptDay)));

        const sameDayOtherHour = new Date(dayNumber(receiptDay) * DAY_MS - SHANGHAI_OFFSET_MS + msOfDay);
        expect(addWorkingDays(cal, sameDayOtherHour, n)).toEqual(deadline);

        for (const kind of ['holiday', 'workday'] as const) {
          const exceptions = new Map(cal.exceptions).set(receiptDay, kind);
          const recast: HolidayCalendar = { years: cal.years, provisionalYears: cal.provisionalYears, exceptions };
          expect(addWorkingDays(recast, from, n)).toEqual(deadline);
        }
      }),
    );
  });
});

describe('nextWorkingDay', () => {
  it('is a working day, strictly later, with no working day in between', () => {
    fc.assert(
      fc.property(scenario, ({ cal, from }) => {
        const day = shanghaiDate(from);
        const next = nextWorkingDay(cal, day);
        expect(next > day).toBe(true);
        expect(isWorkingDay(cal, next)).toBe(true);
        for (let d = dayNumber(day) + 1; d < dayNumber(next); d += 1) expect(isWorkingDay(cal, isoOf(d))).toBe(false);
      }),
    );
  });
});

describe('subtractWorkingDays', () => {
  it('lands at 00:00 Shanghai on a working day that leaves exactly k working days to the deadline', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 10 }), ({ cal, from, n }, k) => {
        const deadline = addWorkingDays(cal, from, n + 10);
        const reminder = subtractWorkingDays(cal, deadline, k);
        expect((reminder.getTime() + SHANGHAI_OFFSET_MS) % DAY_MS).toBe(0);
        expect(isWorkingDay(cal, shanghaiDate(reminder))).toBe(true);
        expect(workingDaysBetween(cal, reminder, deadline)).toBe(k);
      }),
    );
  });

  it('undoes addWorkingDays back to the start of a receipt day that is a working day', () => {
    fc.assert(
      fc.property(scenario, ({ cal, from, n }) => {
        fc.pre(isWorkingDay(cal, shanghaiDate(from)));
        const startOfReceiptDay = new Date(shanghaiDay(from) * DAY_MS - SHANGHAI_OFFSET_MS);
        expect(subtractWorkingDays(cal, addWorkingDays(cal, from, n), n)).toEqual(startOfReceiptDay);
      }),
    );
  });
});

describe('addCalendarDays', () => {
  it('ends at the end of the nth Shanghai day after the day of receipt', () => {
    fc.assert(
      fc.property(instantBetween('2000-01-01', '2099-12-31'), fc.integer({ min: 1, max: 400 }), (from, n) => {
        const deadline = addCalendarDays(from, n);
        expect(shanghaiDay(deadline) - shanghaiDay(from)).toBe(n);
        expect(deadline).toEqual(endOfShanghaiDay(shanghaiDate(deadline)));
      }),
    );
  });
});

describe('a year without calendar data', () => {
  it('is never taken for plain Monday to Friday: asking about it throws MissingCalendarYearError with the year', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 2000, max: 2100 }), { maxLength: 5 }), instantBetween('2000-01-01', '2100-12-31'), (loaded, instant) => {
        const day = shanghaiDate(instant);
        const year = Number(day.slice(0, 4));
        fc.pre(!loaded.includes(year));
        const cal = buildCalendar(loaded, []);
        expect(() => isWorkingDay(cal, day)).toThrow(MissingCalendarYearError);
        expect(() => isWorkingDay(cal, day)).toThrow(expect.objectContaining({ year }));
      }),
    );
  });

  it('stops a limit that runs past the last loaded year, and only such a limit', () => {
    fc.assert(
      fc.property(syntheticCalendar, instantBetween('2032-01-01', '2032-12-31'), fc.integer({ min: 1, max: 400 }), (cal, from, n) => {
        const leftInYear = workingDaysBetween(cal, from, endOfShanghaiDay('2032-12-31'));
        if (n <= leftInYear) {
          expect(shanghaiDate(addWorkingDays(cal, from, n)).startsWith('2032-')).toBe(true);
        } else {
          expect(() => addWorkingDays(cal, from, n)).toThrow(expect.objectContaining({ name: 'MissingCalendarYearError', year: 2033 }));
        }
      }),
    );
  });

  it('stops a limit whose first counted day falls before the first loaded year', () => {
    const cal = buildCalendar([2031], [] as CalendarException[]);
    expect(() => addWorkingDays(cal, new Date('2030-12-30T09:00:00+08:00'), 1)).toThrow(expect.objectContaining({ year: 2030 }));
  });
});
