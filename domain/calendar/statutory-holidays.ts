import type { CalendarException } from './holiday-calendar';
import { fromDayNumber, isWeekend, toDayNumber } from './iso-date';
import { lunarDay, lunarNewYearsEve, qingmingDay } from './lunar-dates';

/** The holidays by the names officialSchedule gives them, so a forecast and a published year read alike. */
export type HolidayName = '元旦' | '春节' | '清明' | '劳动节' | '端午' | '中秋' | '国庆节';

/** One holiday's statutory days (法定假日) in a year: consecutive day numbers, weekends included. */
export interface StatutoryHoliday {
  name: HolidayName;
  days: number[];
}

/**
 * 《全国年节及纪念日放假办法》 and its revisions, each in force from a date: a holiday follows the
 * revision in force on its first day, so 1999's Labour Day (1 May) still had one day while its
 * National Day had the new three. Years before 1949 get the 1949 rules only so that every year
 * has an answer.
 */
interface Revision {
  inForceFrom: string;
  /** Where the Spring Festival's days begin: 除夕 (the eve) or 正月初一 (the first day). */
  springFestivalFrom: '除夕' | '初一';
  springFestivalDays: number;
  labourDays: number;
  nationalDays: number;
  /** 清明, 端午 and 中秋 became holidays in 2008. */
  traditionalFestivals: boolean;
}

const REVISIONS: readonly Revision[] = [
  // 政务院, 23 December 1949.
  { inForceFrom: '1949-12-23', springFestivalFrom: '初一', springFestivalDays: 3, labourDays: 1, nationalDays: 2, traditionalFestivals: false },
  // 国务院令第270号: three days each for Labour Day and National Day, the "golden weeks".
  { inForceFrom: '1999-09-18', springFestivalFrom: '初一', springFestivalDays: 3, labourDays: 3, nationalDays: 3, traditionalFestivals: false },
  // 国务院令第513号: Labour Day back to one day; 除夕, 清明, 端午 and 中秋 become holidays.
  { inForceFrom: '2008-01-01', springFestivalFrom: '除夕', springFestivalDays: 3, labourDays: 1, nationalDays: 3, traditionalFestivals: true },
  // 国务院令第644号: the Spring Festival's three days move from 除夕–初二 to 初一–初三.
  { inForceFrom: '2014-01-01', springFestivalFrom: '初一', springFestivalDays: 3, labourDays: 1, nationalDays: 3, traditionalFestivals: true },
  // 国务院令第795号: one more day each for the Spring Festival (now from 除夕) and Labour Day.
  { inForceFrom: '2025-01-01', springFestivalFrom: '除夕', springFestivalDays: 4, labourDays: 2, nationalDays: 3, traditionalFestivals: true },
];

function revisionOn(day: number): Revision {
  let inForce = REVISIONS[0]!;
  for (const revision of REVISIONS) if (toDayNumber(revision.inForceFrom) <= day) inForce = revision;
  return inForce;
}

/** The statutory holidays of `year` in date order, weekends included, before any bridging or 调休. */
export function statutoryDays(year: number): StatutoryHoliday[] {
  const date = (month: number, day: number) =>
    toDayNumber(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  const run = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);
  const holidays: StatutoryHoliday[] = [{ name: '元旦', days: [date(1, 1)] }];

  const firstOfYear = lunarDay(year, 1, 1);
  const spring = revisionOn(firstOfYear);
  const springStart = spring.springFestivalFrom === '除夕' ? lunarNewYearsEve(year) : firstOfYear;
  holidays.push({ name: '春节', days: run(springStart, spring.springFestivalDays) });

  // Labour Day and National Day before the lunar festivals, so that when 中秋 falls on 1 October
  // (2020) the stable sort keeps National Day first and the day is named 国庆节, as the notice did.
  const mayDay = date(5, 1);
  const octoberFirst = date(10, 1);
  holidays.push({ name: '劳动节', days: run(mayDay, revisionOn(mayDay).labourDays) });
  holidays.push({ name: '国庆节', days: run(octoberFirst, revisionOn(octoberFirst).nationalDays) });
  if (revisionOn(date(1, 1)).traditionalFestivals) {
    holidays.push({ name: '清明', days: [qingmingDay(year)] });
    holidays.push({ name: '端午', days: [lunarDay(year, 5, 5)] });
    holidays.push({ name: '中秋', days: [lunarDay(year, 8, 15)] });
  }
  return holidays.sort((a, b) => a.days[0]! - b.days[0]!);
}

/**
 * The statutory-days-only forecast: each statutory day that falls on a weekday, as a holiday,
 * and nothing else (no days off in lieu, no bridges, no adjusted working days). It is the
 * baseline the bridging forecast has to beat.
 */
export function statutoryHolidays(year: number): CalendarException[] {
  const named = new Map<number, HolidayName>();
  for (const { name, days } of statutoryDays(year)) {
    for (const day of days) if (!isWeekend(day) && !named.has(day)) named.set(day, name);
  }
  return [...named].sort(([a], [b]) => a - b).map(([day, name]) => ({ date: fromDayNumber(day), kind: 'holiday' as const, name }));
}
