import { missingCalendarYears, scheduleExceptions } from '../../domain/calendar';

describe('which calendar years are missing', () => {
  test('mid-year only the current year matters', () => {
    expect(missingCalendarYears([2026], new Date('2026-06-01T00:00:00Z'))).toEqual([]);
    expect(missingCalendarYears([2025], new Date('2026-06-01T00:00:00Z'))).toEqual([2026]);
  });

  test('near the year end the next year is needed too, counted in Shanghai time', () => {
    expect(missingCalendarYears([2026], new Date('2026-11-27T00:00:00Z'))).toEqual([2027]);
    expect(missingCalendarYears([2026, 2027], new Date('2026-11-27T00:00:00Z'))).toEqual([]);
    // 31 December 16:30 UTC is already 1 January in Shanghai.
    expect(missingCalendarYears([2026], new Date('2026-12-31T16:30:00Z'), 0)).toEqual([2027]);
    expect(missingCalendarYears([2026], new Date('2026-12-31T15:30:00Z'), 0)).toEqual([]);
  });
});

describe("a year's schedule typed from the State Council's notice", () => {
  const schedule2026 = {
    source: 'test transcription of the 2026 notice',
    holidays: [
      { date: '2026-10-01', name: '国庆节' },
      { date: '2026-10-03', name: '国庆节' }, // a Saturday: off anyway, dropped
      { date: '2026-10-07', name: '国庆节' },
    ],
    workdays: [{ date: '2026-10-10', name: '国庆节调休' }],
  };

  test('becomes holidays on weekdays and adjusted working days, in date order', () => {
    expect(scheduleExceptions(2026, schedule2026)).toEqual({
      source: 'test transcription of the 2026 notice',
      exceptions: [
        { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
        { date: '2026-10-07', kind: 'holiday', name: '国庆节' },
        { date: '2026-10-10', kind: 'workday', name: '国庆节调休' },
      ],
    });
  });

  test('is refused with every problem named', () => {
    const wrong = { ...schedule2026, holidays: [...schedule2026.holidays, { date: '2027-01-01' }], workdays: [{ date: '2026-10-09' }, { date: '2026-10-01' }] };
    expect(() => scheduleExceptions(2026, wrong)).toThrow(/2027-01-01 is not in 2026[\s\S]*2026-10-09 is a weekday[\s\S]*2026-10-01 is listed both/);
    expect(() => scheduleExceptions(2026, { holidays: [] })).toThrow();
    expect(() => scheduleExceptions(2026, { ...schedule2026, holidays: [{ date: '2026-02-30' }] })).toThrow();
  });

  test('is refused when a day is listed twice among the holidays or among the working days', () => {
    const twice = {
      ...schedule2026,
      holidays: [...schedule2026.holidays, { date: '2026-10-07' }],
      workdays: [...schedule2026.workdays, { date: '2026-10-10' }],
    };
    expect(() => scheduleExceptions(2026, twice)).toThrow(
      /2026-10-07 is listed twice among the holidays[\s\S]*2026-10-10 is listed twice among the working days/,
    );
  });
});
