import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { buildCalendar, officialSchedule, provisionalSchedule, statutoryDays, statutoryHolidays, type CalendarException } from '../../domain/calendar';
import { forecastAccuracy, type ForecastAccuracy } from '../../domain/calendar/forecast-accuracy';
import { fromDayNumber, isWeekend, toDayNumber } from '../../domain/calendar/iso-date';
import { lunarNewYearsEve } from '../../domain/calendar/lunar-dates';

const line = (e: CalendarException) => `${e.date} ${e.kind} ${e.name ?? ''}`;
const NAMES = new Set(['元旦', '春节', '清明', '劳动节', '端午', '中秋', '国庆节']);

describe('statutory days', () => {
  it('start the Spring Festival on 除夕 from 2025 and on 初一 before, as the 2024 revision says', () => {
    const springFestival = (year: number) =>
      statutoryDays(year)
        .find((h) => h.name === '春节')!
        .days.map(fromDayNumber);
    expect(springFestival(2025)).toEqual(['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31']);
    expect(springFestival(2026)).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19']);
    expect(fromDayNumber(lunarNewYearsEve(2026))).toBe('2026-02-16');
    expect(springFestival(2024)).toEqual(['2024-02-10', '2024-02-11', '2024-02-12']);
    // 2008–2013 gave 除夕 and the first two days.
    expect(springFestival(2012)).toEqual(['2012-01-22', '2012-01-23', '2012-01-24']);
  });

  it('give Labour Day two days from 2025, one 2008–2024, and none of the lunar festivals before 2008', () => {
    const days = (year: number, name: string) =>
      statutoryDays(year)
        .find((h) => h.name === name)
        ?.days.map(fromDayNumber);
    expect(days(2025, '劳动节')).toEqual(['2025-05-01', '2025-05-02']);
    expect(days(2024, '劳动节')).toEqual(['2024-05-01']);
    expect(days(2007, '劳动节')).toEqual(['2007-05-01', '2007-05-02', '2007-05-03']);
    expect(days(2007, '中秋')).toBeUndefined();
    // The 1999 revision took effect on 18 September: that year's Labour Day had one day, its National Day three.
    expect(days(1999, '劳动节')).toHaveLength(1);
    expect(days(1999, '国庆节')).toHaveLength(3);
  });

  it.each(Array.from({ length: 19 }, (_, i) => 2008 + i))('are all days off in the published schedule for %i', (year) => {
    const official = new Map(officialSchedule(year).map((e) => [e.date, e]));
    for (const day of statutoryHolidays(year)) {
      expect(official.get(day.date)).toEqual(expect.objectContaining({ kind: 'holiday' }));
    }
  });

  it('name each day as the published schedule does (中秋 on 1 October 2020 is 国庆节)', () => {
    const official = new Map([2020, 2025, 2026].flatMap(officialSchedule).map((e) => [e.date, e.name]));
    for (const day of [2020, 2025, 2026].flatMap(statutoryHolidays)) expect(day.name).toBe(official.get(day.date));
  });
});

describe('provisional schedule', () => {
  it.each([2016, 2017, 2018, 2021, 2022, 2023, 2025, 2026])('reproduces the published schedule for %i exactly', (year) => {
    expect(provisionalSchedule(year).map(line)).toEqual(officialSchedule(year).map(line));
  });

  // The notices that departed from the rules, and how: the rules are not bent to fit them.
  it.each([
    [2019, ['2019-05-11 workday 劳动节'], ['2019-05-05 workday 劳动节']], // Labour Day 4 days that year, 5 every year since
    [2020, ['2020-02-01 workday 春节'], ['2020-01-31 holiday 春节']], // lengthened for the epidemic
    [2024, ['2024-02-09 holiday 春节', '2024-02-17 workday 春节'], ['2024-02-16 holiday 春节', '2024-02-18 workday 春节']], // from 初一, not 除夕
  ])('differs from the published %i only where the notice departed from the rules', (year, onlyForecast, onlyPublished) => {
    const forecast = new Set(provisionalSchedule(year).map(line));
    const published = new Set(officialSchedule(year).map(line));
    expect([...forecast].filter((d) => !published.has(d))).toEqual(onlyForecast);
    expect([...published].filter((d) => !forecast.has(d))).toEqual(onlyPublished);
  });

  it('forecasts 2027 by the 2025 notice’s principles: the Spring Festival from 除夕 to 初七', () => {
    const days = provisionalSchedule(2027)
      .filter((e) => e.name === '春节')
      .map((e) => `${e.date} ${e.kind}`);
    expect(days).toEqual([
      '2027-01-31 workday',
      '2027-02-05 holiday', // 除夕, Friday
      '2027-02-08 holiday',
      '2027-02-09 holiday',
      '2027-02-10 holiday',
      '2027-02-11 holiday',
      '2027-02-12 holiday', // 初七
      '2027-02-14 workday',
    ]);
  });

  it('keeps to the shape of a schedule for every year 2000–2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), (year) => {
        const schedule = provisionalSchedule(year);
        for (const [i, e] of schedule.entries()) {
          expect(e.date.startsWith(`${year}-`)).toBe(true);
          expect(isWeekend(toDayNumber(e.date))).toBe(e.kind === 'workday');
          expect(NAMES.has(e.name!)).toBe(true);
          if (i > 0) expect(schedule[i - 1]!.date < e.date).toBe(true); // sorted, no date twice
        }
        expect(() => buildCalendar([year], schedule)).not.toThrow();
      }),
      { numRuns: 101 },
    );
  });

  it('has an answer for every year 1901–2099', () => {
    for (let year = 1901; year <= 2099; year += 1) {
      expect(() => provisionalSchedule(year)).not.toThrow();
      expect(() => statutoryHolidays(year)).not.toThrow();
    }
  });

  it('does not depend on the time zone of the process', () => {
    // Separate processes, each started under its zone, since chinese-days went wrong at load
    // time (jest's process.env is a copy, so setting TZ inside a test would prove nothing).
    const script = [
      "const c = require('./domain/calendar');",
      'const line = (e) => `${e.date} ${e.kind} ${e.name}`;',
      'const out = { offset: new Date(2025, 0, 1).getTimezoneOffset(), schedules: [] };',
      'for (let y = 2015; y <= 2035; y++) out.schedules.push([...c.provisionalSchedule(y), ...c.statutoryHolidays(y)].map(line));',
      'process.stdout.write(JSON.stringify(out));',
    ].join('\n');
    const under = (tz: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
          cwd: resolve(__dirname, '../..'),
          env: { ...process.env, TZ: tz },
          encoding: 'utf8',
        }),
      );
    const losAngeles = under('America/Los_Angeles');
    const shanghai = under('Asia/Shanghai');
    expect([losAngeles.offset, shanghai.offset]).toEqual([480, -480]); // the zones did differ
    expect(losAngeles.schedules).toEqual(shanghai.schedules);
    expect(shanghai.schedules[12]).toEqual([...provisionalSchedule(2027), ...statutoryHolidays(2027)].map(line));
  });
});

describe('forecast accuracy (the bench:calendar evaluation)', () => {
  let full: ForecastAccuracy;
  let statutoryOnly: ForecastAccuracy;
  beforeAll(() => {
    full = forecastAccuracy(provisionalSchedule);
    statutoryOnly = forecastAccuracy(statutoryHolidays);
  });

  it('meets the goal: ≥ 90% of deadlines identical and ≥ 95% within 2 calendar days', () => {
    expect(full.overall.identical).toBeGreaterThanOrEqual(0.9);
    expect(full.overall.withinTwoDays).toBeGreaterThanOrEqual(0.95);
    expect(full.overall.deadlines).toBe((365 * 8 + 366 * 3) * 3);
  });

  it('is clearly better than the statutory days alone', () => {
    expect(statutoryOnly.overall.identical).toBeLessThan(0.8);
    expect(full.overall.identical - statutoryOnly.overall.identical).toBeGreaterThan(0.15);
  });
});
