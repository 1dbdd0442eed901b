import {
  addCalendarDays,
  addWorkingDays,
  buildCalendar,
  deadlineAfter,
  endOfShanghaiDay,
  firstWorkingDayOfMonth,
  isWorkingDay,
  MissingCalendarYearError,
  nextWorkingDay,
  shanghaiDate,
  subtractWorkingDays,
  workingDaysBetween,
  type CalendarException,
} from '../../domain/calendar';

/**
 * The parts of 2025 these examples touch, typed in from the State Council notice
 * (国办发明电〔2024〕12号) rather than taken from chinese-days, so they do not depend on the
 * package's data.
 */
const parts2025: CalendarException[] = [
  { date: '2025-01-01', kind: 'holiday', name: '元旦' },
  { date: '2025-09-28', kind: 'workday', name: '国庆节' },
  { date: '2025-10-01', kind: 'holiday', name: '国庆节' },
  { date: '2025-10-02', kind: 'holiday', name: '国庆节' },
  { date: '2025-10-03', kind: 'holiday', name: '国庆节' },
  { date: '2025-10-06', kind: 'holiday', name: '中秋' },
  { date: '2025-10-07', kind: 'holiday', name: '国庆节' },
  { date: '2025-10-08', kind: 'holiday', name: '国庆节' },
  { date: '2025-10-11', kind: 'workday', name: '国庆节' },
];
const cal = buildCalendar([2025], parts2025);

describe('a limit counts from the day after receipt, in Asia/Shanghai', () => {
  it('gives a suggestion received Fri 2025-09-26 with 15 working days until the end of Thu 2025-10-23', () => {
    const received = new Date('2025-09-26T10:30:00+08:00');
    const countedByHand = [
      '2025-09-28', // Sun, adjusted working day
      '2025-09-29',
      '2025-09-30',
      // Oct 1–8 National Day and Mid-Autumn
      '2025-10-09',
      '2025-10-10',
      '2025-10-11', // Sat, adjusted working day
      '2025-10-13',
      '2025-10-14',
      '2025-10-15',
      '2025-10-16',
      '2025-10-17',
      '2025-10-20',
      '2025-10-21',
      '2025-10-22',
      '2025-10-23',
    ];
    expect(countedByHand).toHaveLength(15);
    countedByHand.forEach((date, i) => {
      expect(addWorkingDays(cal, received, i + 1)).toEqual(endOfShanghaiDay(date));
    });
    expect(addWorkingDays(cal, received, 15).toISOString()).toBe('2025-10-23T15:59:59.999Z');
    expect(deadlineAfter(cal, received, { amount: 15, unit: 'working_days' }).toISOString()).toBe('2025-10-23T15:59:59.999Z');
  });

  it('dates a receipt by the Shanghai clock, not UTC', () => {
    const lastMomentOfFriday = new Date('2025-09-26T15:59:59.999Z');
    const firstMomentOfSaturday = new Date('2025-09-26T16:00:00.000Z');
    expect(shanghaiDate(lastMomentOfFriday)).toBe('2025-09-26');
    expect(shanghaiDate(firstMomentOfSaturday)).toBe('2025-09-27');
    // Both are followed by Sunday 28th, an adjusted working day.
    expect(addWorkingDays(cal, lastMomentOfFriday, 1).toISOString()).toBe('2025-09-28T15:59:59.999Z');
    expect(addWorkingDays(cal, firstMomentOfSaturday, 1).toISOString()).toBe('2025-09-28T15:59:59.999Z');
    // Received on that Sunday itself, the day does not count although it is a working day.
    expect(addWorkingDays(cal, new Date('2025-09-28T09:00:00+08:00'), 1).toISOString()).toBe('2025-09-29T15:59:59.999Z');
  });

  it('ends a calendar-day limit at the end of the Nth day after receipt, holidays included', () => {
    const received = new Date('2025-09-26T23:00:00+08:00');
    expect(addCalendarDays(received, 15).toISOString()).toBe('2025-10-11T15:59:59.999Z');
    expect(deadlineAfter(cal, received, { amount: 30, unit: 'calendar_days' }).toISOString()).toBe('2025-10-26T15:59:59.999Z');
  });

  it('counts the working days used so far the same way', () => {
    const received = new Date('2025-09-26T10:30:00+08:00');
    expect(workingDaysBetween(cal, received, new Date('2025-09-26T23:00:00+08:00'))).toBe(0);
    expect(workingDaysBetween(cal, received, new Date('2025-10-08T12:00:00+08:00'))).toBe(3);
    expect(workingDaysBetween(cal, received, new Date('2025-10-23T00:00:00+08:00'))).toBe(15);
    expect(workingDaysBetween(cal, received, new Date('2025-09-01T00:00:00+08:00'))).toBe(0);
  });

  it('reminds at the start of the 3rd working day before the deadline', () => {
    const deadline = new Date('2025-10-23T15:59:59.999Z');
    expect(subtractWorkingDays(cal, deadline, 3).toISOString()).toBe('2025-10-19T16:00:00.000Z'); // Mon 20th, 00:00
    // Across the holiday: 3 working days before Fri 10th are Thu 9th, Tue 30th, Mon 29th.
    expect(subtractWorkingDays(cal, endOfShanghaiDay('2025-10-10'), 3).toISOString()).toBe('2025-09-28T16:00:00.000Z');
  });
});

describe('the calendar of days', () => {
  it('knows weekdays, weekends, holidays and adjusted working days', () => {
    expect(isWorkingDay(cal, '2025-09-26')).toBe(true); // Fri
    expect(isWorkingDay(cal, '2025-09-27')).toBe(false); // Sat
    expect(isWorkingDay(cal, '2025-09-28')).toBe(true); // Sun, adjusted
    expect(isWorkingDay(cal, '2025-10-06')).toBe(false); // Mon, Mid-Autumn
    expect(nextWorkingDay(cal, '2025-09-30')).toBe('2025-10-09');
    expect(nextWorkingDay(cal, '2025-10-10')).toBe('2025-10-11');
  });

  it('sends the 一号负责人 out on the first working day of each month', () => {
    expect(firstWorkingDayOfMonth(cal, 2025, 10)).toBe('2025-10-09');
    expect(firstWorkingDayOfMonth(cal, 2025, 11)).toBe('2025-11-03'); // 1st is a Saturday
    expect(firstWorkingDayOfMonth(cal, 2025, 12)).toBe('2025-12-01');
  });

  it('puts the end of a Shanghai day at 15:59:59.999 UTC', () => {
    expect(endOfShanghaiDay('2025-10-23').toISOString()).toBe('2025-10-23T15:59:59.999Z');
    expect(endOfShanghaiDay('2024-02-29').toISOString()).toBe('2024-02-29T15:59:59.999Z');
  });
});

describe('refusing what it cannot know', () => {
  it('throws MissingCalendarYearError, naming the year, instead of assuming Monday to Friday', () => {
    const error = captureError(() => addWorkingDays(cal, new Date('2025-12-20T09:00:00+08:00'), 10));
    expect(error).toBeInstanceOf(MissingCalendarYearError);
    expect(error).toMatchObject({ name: 'MissingCalendarYearError', year: 2026 });
    expect((error as Error).message).toContain('2026');
    expect(() => isWorkingDay(cal, '2024-12-31')).toThrow(MissingCalendarYearError);
    expect(() => firstWorkingDayOfMonth(cal, 2026, 1)).toThrow(MissingCalendarYearError);
  });

  it('needs no data for the receipt day itself, since it is not counted', () => {
    // 2024-12-31 is outside the calendar; 2025-01-01 is New Year's Day.
    expect(addWorkingDays(cal, new Date('2024-12-31T12:00:00+08:00'), 1)).toEqual(endOfShanghaiDay('2025-01-02'));
  });

  it('rejects limits that are not a whole number of days ≥ 1', () => {
    const received = new Date('2025-09-26T10:30:00+08:00');
    for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => addWorkingDays(cal, received, n)).toThrow(RangeError);
      expect(() => addCalendarDays(received, n)).toThrow(RangeError);
      expect(() => subtractWorkingDays(cal, received, n)).toThrow(RangeError);
    }
    expect(() => deadlineAfter(cal, received, { amount: 5, unit: 'hours' as never })).toThrow(RangeError);
  });

  it('rejects malformed dates and invalid instants', () => {
    expect(() => isWorkingDay(cal, '2025-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay(cal, '2025-9-26')).toThrow(RangeError);
    expect(() => endOfShanghaiDay('26/09/2025')).toThrow(RangeError);
    expect(() => shanghaiDate(new Date('not a date'))).toThrow(RangeError);
    expect(() => firstWorkingDayOfMonth(cal, 2025, 13)).toThrow(RangeError);
  });

  it('refuses a calendar that lists a date both as a holiday and as a working day', () => {
    expect(() =>
      buildCalendar(
        [2025],
        [
          { date: '2025-10-11', kind: 'workday' },
          { date: '2025-10-11', kind: 'holiday' },
        ],
      ),
    ).toThrow(RangeError);
    expect(() => buildCalendar([2025], [{ date: '2025-10-11', kind: 'off' as never }])).toThrow(RangeError);
    expect(() => buildCalendar([2025.5], [])).toThrow(RangeError);
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
