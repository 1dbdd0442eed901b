import { isWeekend, weekdayOf } from './iso-date';
import { lunarNewYearsEve } from './lunar-dates';
import { statutoryDays, type HolidayName, type StatutoryHoliday } from './statutory-holidays';

/**
 * How the State Council lays out each holiday's days off around its statutory days, inferred
 * from its notices for 2016–2026 (officialSchedule) and, from 2025, stated in them: "春节自农历
 * 除夕起放假调休8天，国庆节自10月1日起放假调休7天，劳动节放假调休5天，元旦、清明节、端午节、
 * 中秋节分别放假调休或连休3天（如逢周三则只在当日放假），国庆节放假如逢中秋节则合并放假8天"
 * (国办发明电〔2024〕12号).
 *
 * A break is a span of consecutive days off: its weekdays become holidays, and every weekday off
 * beyond the statutory days has to be worked back on a weekend (adjusted-working-days.ts). A
 * statutory day on a weekend is owed back the same way, which is why the count is "weekdays in
 * the span minus statutory days" and not "minus the statutory days that fall on weekdays".
 */
export interface HolidayBreak {
  name: HolidayName;
  /** Statutory days inside the span, with their own names (中秋 inside a merged National Day). */
  statutory: { day: number; name: HolidayName }[];
  start: number;
  end: number;
  /**
   * Whether the weekend day right next to the span may be made a working day. The 3-day
   * weekends never work it (that is what makes them three days). Before 2025 the long breaks
   * were held at 7 or 8 days and the adjoining weekend day was the first one worked (2016: Sat
   * 6 Feb worked before a break from Sunday 除夕; 2019 and 2022: the whole weekend before a break
   * from Monday); from 2025 the weekend joins the break instead (2026: 15–23 Feb, 9 days, with
   * Saturday the 14th worked and not Sunday the 15th).
   */
  adjoiningWeekendDay: 'may be worked' | 'stays off';
  /**
   * The longest stretch of working days the adjusted working days may create around the break:
   * 7 before 2025 (2019: Mon 28 Jan–Sun 3 Feb), 6 since (2026 Spring Festival, above, where
   * working the whole weekend before would have made 7).
   */
  longestWorkingStretch: number;
}

/** From the 2025 notice on, the practice above changed with the revised rules. */
const REVISED_PRACTICE_FROM = 2025;
/** Labour Day's break has been five days since 2020; 2019's, lengthened that March, was four (Wednesday–Saturday), and is forecast as five. */
const LABOUR_DAY_FIVE_DAY_BREAK_FROM = 2019;

const TUESDAY = 2;
const THURSDAY = 4;

/** The breaks one year's notice sets, in date order (a late-December bridge of 元旦 belongs to the next year's notice). */
export function holidayBreaks(year: number): HolidayBreak[] {
  const revised = year >= REVISED_PRACTICE_FROM;
  const practice = {
    adjoiningWeekendDay: revised ? ('stays off' as const) : ('may be worked' as const),
    longestWorkingStretch: revised ? 6 : 7,
  };
  const holidays = statutoryDays(year);
  const midAutumn = holidays.find((h) => h.name === '中秋');
  const national = holidays.find((h) => h.name === '国庆节')!;
  const merged = midAutumn !== undefined && isLong(national) && joinsNationalDay(midAutumn.days[0]!, national);

  const breaks: HolidayBreak[] = [];
  for (const holiday of holidays) {
    if (holiday === midAutumn && merged) continue;
    const statutory = holiday.days.map((day) => ({ day, name: holiday.name }));
    if (holiday === national && merged) statutory.push({ day: midAutumn.days[0]!, name: '中秋' });

    if (holiday.name === '春节') {
      breaks.push({ name: holiday.name, statutory, ...longBreak(springFestivalStart(year, holiday), statutory.length), ...practice });
    } else if (holiday === national && isLong(holiday)) {
      const start = Math.min(holiday.days[0]!, ...statutory.map((s) => s.day));
      breaks.push({ name: holiday.name, statutory, ...longBreak(start, statutory.length), ...practice });
    } else if (holiday.name === '劳动节' && isLong(holiday)) {
      breaks.push({ name: holiday.name, statutory, ...longBreak(holiday.days[0]!, statutory.length), ...practice });
    } else if (holiday.name === '劳动节' && year >= LABOUR_DAY_FIVE_DAY_BREAK_FROM) {
      breaks.push({ name: holiday.name, statutory, ...labourDayBreak(holiday.days[0]!), ...practice });
    } else {
      breaks.push({ name: holiday.name, statutory, ...threeDayWeekend(holiday.days), ...practice, adjoiningWeekendDay: 'stays off' });
    }
  }
  return breaks.sort((a, b) => a.start - b.start);
}

/** Three or more statutory days make a week-long break ("黄金周"): the Spring Festival, National Day since 1999, Labour Day 2000–2007. */
function isLong(holiday: StatutoryHoliday): boolean {
  return holiday.days.length >= 3;
}

/**
 * A long break runs for its statutory days plus two weekends' worth: 7 days for three statutory
 * days, 8 for four (the Spring Festival from 2025; National Day merged with 中秋: 2017, 2020,
 * 2023, 2025).
 */
function longBreak(start: number, statutoryCount: number): { start: number; end: number } {
  return { start, end: start + statutoryCount + 4 - 1 };
}

/**
 * The Spring Festival break starts on 除夕 since 2008: it was a statutory day 2008–2013 and,
 * though not one 2014–2024, was given off from 2015 (the notices for 2014 and 2024 started on
 * 初一 instead; the forecast does not model those two). Before 2008 the week started on 初一.
 */
function springFestivalStart(year: number, holiday: StatutoryHoliday): number {
  return year >= 2008 ? lunarNewYearsEve(year) : holiday.days[0]!;
}

/**
 * 中秋 merges into the National Day break when at most one working day would separate its own
 * 3-day weekend from the National Day week: inside the week (2017, 2020, 2025) or next to it
 * across a weekend (2023: Friday 29 September, 8 days from then), but not with two or three
 * working days between (2015: Sunday 27 September, the 29th and 30th working even after a
 * Monday in lieu, which that notice did not give; 2026: Friday 25 September). One lone working day between two breaks is the case no
 * notice shows; it is merged, as the 3-day weekends never leave a lone Monday or Friday.
 */
function joinsNationalDay(midAutumn: number, national: StatutoryHoliday): boolean {
  const week = { start: national.days[0]!, end: national.days[0]! + 6 };
  const own = threeDayWeekend([midAutumn]);
  if (own.end >= week.start && own.start <= week.end) return true;
  const [from, to] = own.end < week.start ? [own.end, week.start] : [week.end, own.start];
  let workingDaysBetween = 0;
  for (let day = from + 1; day < to; day += 1) if (!isWeekend(day)) workingDaysBetween += 1;
  return workingDaysBetween <= 1;
}

/**
 * Labour Day's five days (2020–2026) hold one whole weekend and 1 May: they start on 1 May when
 * it falls Wednesday to Saturday, else on the Saturday before (Sunday 2022 and Monday 2023 both
 * ran Saturday to Wednesday).
 */
function labourDayBreak(mayDay: number): { start: number; end: number } {
  const weekday = weekdayOf(mayDay);
  const start = weekday >= 3 ? mayDay : mayDay - ((weekday + 1) % 7);
  return { start, end: start + 4 };
}

/**
 * The shorter holidays (元旦, 清明, 端午, 中秋, Labour Day before 2019) become 3-day weekends:
 * a statutory day on a weekend is given back on the weekday after (always the Monday: 2022
 * 元旦 on a Saturday, 2017 元旦 on a Sunday), and a holiday on a Tuesday takes the Monday
 * before, one on a Thursday the Friday after. A Wednesday holiday stays a single day. This is
 * the practice since the 2014 notice; 2008–2013 varied (2013 gave 元旦 three weekdays).
 */
function threeDayWeekend(days: number[]): { start: number; end: number } {
  let start = days[0]!;
  let end = days[days.length - 1]!;
  for (let owed = days.filter(isWeekend).length; owed > 0;) {
    end += 1;
    if (!isWeekend(end)) owed -= 1;
  }
  if (weekdayOf(start) === TUESDAY) start -= 1;
  if (weekdayOf(end) === THURSDAY) end += 1;
  return { start, end };
}
