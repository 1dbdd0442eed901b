import chineseDays from 'chinese-days';
import {
  addWorkingDays,
  buildCalendar,
  endOfShanghaiDay,
  firstWorkingDayOfMonth,
  isWorkingDay,
  officialSchedule,
  officialYears,
  type HolidayCalendar,
} from '../../domain/calendar';

const years = officialYears();
const official: HolidayCalendar = buildCalendar(years, years.flatMap(officialSchedule));

function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

function shift(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function weekday(isoDate: string): string {
  return ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(`${isoDate}T00:00:00Z`).getUTCDay()]!;
}

/**
 * Facts typed in from the State Council notices, as an independent check of the package's data.
 * 2024: 国办发明电〔2023〕7号; 2025: 国办发明电〔2024〕12号; 2026: the notice the package cites
 * (gov.cn/zhengce/zhengceku/202511/content_7047091.htm), which agrees with the brief's Feb 15–23.
 */
const publishedFacts = [
  {
    holiday: '2024 Spring Festival',
    off: daysOf('2024-02-10', '2024-02-17'),
    adjustedWorkingDays: { '2024-02-04': 'Sun', '2024-02-18': 'Sun' },
  },
  {
    holiday: '2024 National Day',
    off: daysOf('2024-10-01', '2024-10-07'),
    adjustedWorkingDays: { '2024-09-29': 'Sun', '2024-10-12': 'Sat' },
  },
  {
    holiday: '2025 Spring Festival',
    off: daysOf('2025-01-28', '2025-02-04'),
    adjustedWorkingDays: { '2025-01-26': 'Sun', '2025-02-08': 'Sat' },
  },
  {
    holiday: '2025 National Day and Mid-Autumn',
    off: daysOf('2025-10-01', '2025-10-08'),
    adjustedWorkingDays: { '2025-09-28': 'Sun', '2025-10-11': 'Sat' },
  },
  {
    holiday: '2026 Spring Festival',
    off: daysOf('2026-02-15', '2026-02-23'),
    adjustedWorkingDays: { '2026-02-14': 'Sat', '2026-02-28': 'Sat' },
  },
  {
    holiday: '2026 National Day',
    off: daysOf('2026-10-01', '2026-10-07'),
    adjustedWorkingDays: { '2026-09-20': 'Sun', '2026-10-10': 'Sat' },
  },
];

describe('the calendar built from the State Council schedules', () => {
  it.each(publishedFacts)('matches the published $holiday', ({ off, adjustedWorkingDays }) => {
    for (const day of off) expect([day, isWorkingDay(official, day)]).toEqual([day, false]);
    for (const [day, dayOfWeek] of Object.entries(adjustedWorkingDays)) {
      expect(weekday(day)).toBe(dayOfWeek);
      expect([day, isWorkingDay(official, day)]).toEqual([day, true]);
    }
    // The break is no longer than published: people work the day before and the day after.
    expect(isWorkingDay(official, shift(off[0]!, -1))).toBe(true);
    expect(isWorkingDay(official, shift(off[off.length - 1]!, 1))).toBe(true);
  });

  it('starts October 2025 on the 9th, after the eight-day break', () => {
    expect(firstWorkingDayOfMonth(official, 2025, 10)).toBe('2025-10-09');
  });

  it('gives a suggestion received Fri 2025-09-26 with 15 working days until the end of 2025-10-23', () => {
    const deadline = addWorkingDays(official, new Date('2025-09-26T10:30:00+08:00'), 15);
    expect(deadline).toEqual(endOfShanghaiDay('2025-10-23'));
    expect(deadline.toISOString()).toBe('2025-10-23T15:59:59.999Z');
  });

  it('covers 2004 to at least 2026, with no gaps', () => {
    expect(years[0]).toBe(2004);
    expect(years).toContain(2026);
    expect(years).toEqual(Array.from({ length: years.length }, (_, i) => 2004 + i));
  });

  it('lists holidays only on weekdays and adjusted working days only on weekends, each named', () => {
    for (const year of years) {
      for (const { date, kind, name } of officialSchedule(year)) {
        const weekend = ['Sat', 'Sun'].includes(weekday(date));
        expect([date, kind, weekend]).toEqual([date, kind, kind === 'workday']);
        expect(date.startsWith(`${year}-`)).toBe(true);
        expect(name).toEqual(expect.stringMatching(/\S/));
      }
    }
  });

  it('keeps a day the next year set with the year it falls in (2012 New Year made Sat 2011-12-31 a working day)', () => {
    expect(officialSchedule(2011)).toContainEqual({ date: '2011-12-31', kind: 'workday', name: '元旦' });
    expect(isWorkingDay(official, '2011-12-31')).toBe(true);
  });

  // chinese-days' functions build their tables in local time and shift every holiday a day
  // early west of Greenwich, so only there is this comparison meaningless.
  const whereChineseDaysFunctionsHold = new Date(2025, 0, 1).getTimezoneOffset() <= 0 ? it : it.skip;

  whereChineseDaysFunctionsHold("agrees with chinese-days' own isWorkday on every day of every covered year", () => {
    const disagreements: string[] = [];
    for (const year of years) {
      for (const day of daysOf(`${year}-01-01`, `${year}-12-31`)) {
        // Local noon: chinese-days reads dates in local time.
        const [y, m, d] = day.split('-').map(Number) as [number, number, number];
        if (isWorkingDay(official, day) !== chineseDays.isWorkday(new Date(y, m - 1, d, 12))) disagreements.push(day);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
