import type { HolidayBreak } from './holiday-breaks';
import { isWeekend } from './iso-date';
import type { HolidayName } from './statutory-holidays';

/**
 * The days a forecast has decided so far: weekday holidays, adjusted working days (调休), and
 * which break each day off belongs to, so that one break's 调休 never cuts into another's.
 */
export class DayPlan {
  readonly holidays = new Map<number, HolidayName>();
  readonly workdays = new Map<number, HolidayName>();
  private readonly owners = new Map<number, HolidayBreak>();

  /** Lays a break's days off into the plan; a day another break already has stays with it. */
  addBreak(brk: HolidayBreak): void {
    // 中秋 on 1 October (2020) is named 国庆节, like the notice: the first name given a day wins.
    const names = new Map<number, HolidayName>();
    for (const { day, name } of brk.statutory) if (!names.has(day)) names.set(day, name);
    for (let day = brk.start; day <= brk.end; day += 1) this.claim(day, brk, names.get(day) ?? brk.name);
    for (const { day, name } of brk.statutory) this.claim(day, brk, name);
  }

  isWorking(day: number): boolean {
    if (this.workdays.has(day)) return true;
    return !isWeekend(day) && !this.holidays.has(day);
  }

  ownerOf(day: number): HolidayBreak | undefined {
    return this.owners.get(day);
  }

  /** The run of consecutive working days through `day` (0 if it is a day off). */
  workingStretch(day: number): number {
    if (!this.isWorking(day)) return 0;
    let first = day;
    let last = day;
    while (this.isWorking(first - 1)) first -= 1;
    while (this.isWorking(last + 1)) last += 1;
    return last - first + 1;
  }

  /** The days off around `day` (weekends and holidays), as a range; empty if it is a working day. */
  daysOffAround(day: number): number[] {
    if (this.isWorking(day)) return [];
    let first = day;
    let last = day;
    while (!this.isWorking(first - 1)) first -= 1;
    while (!this.isWorking(last + 1)) last += 1;
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  }

  private claim(day: number, brk: HolidayBreak, name: HolidayName): void {
    if (this.owners.has(day)) return;
    this.owners.set(day, brk);
    if (!isWeekend(day)) this.holidays.set(day, name);
  }
}

/**
 * The weekdays a break gives off beyond its statutory days, which are worked back on weekends.
 * A statutory day on a weekend counts too: it is owed, and the span's extra weekday repays it.
 */
export function daysToWorkBack(brk: HolidayBreak): number {
  let weekdaysOff = 0;
  for (let day = brk.start; day <= brk.end; day += 1) if (!isWeekend(day)) weekdaysOff += 1;
  return Math.max(0, weekdaysOff - brk.statutory.length);
}

/**
 * Where the State Council puts a break's adjusted working days, as seen 2016–2026: on the
 * weekends flanking the break (the last before it, the first after it; a weekend another
 * holiday has already joined to its days off is passed over, as 2026's National Day passed
 * over 26–27 September, the weekend of 中秋, for Sunday the 20th), choosing
 *   1. no stretch of working days longer than the break's limit (6 or 7 days), then
 *   2. the days nearest the break (2017 Spring Festival: Sunday before and Saturday after, not
 *      Saturday and Sunday after, which would have made 8 working days in a row), then
 *   3. the shorter longest stretch, then the earlier days.
 * If no choice on the flanking weekends keeps within the limit, the next weekends out are tried;
 * failing all, the choice with the shortest longest stretch wins.
 */
export function chooseAdjustedWorkingDays(plan: DayPlan, brk: HolidayBreak): number[] {
  const count = daysToWorkBack(brk);
  if (count === 0) return [];
  let best: { days: number[]; score: number[] } | undefined;
  for (let weekends = 1; weekends <= 3; weekends += 1) {
    const candidates = [...flankingDays(plan, brk, -1, weekends), ...flankingDays(plan, brk, +1, weekends)];
    for (const days of subsets(candidates, count)) {
      const score = scoreOf(plan, brk, days);
      if (!best || compare(score, best.score) < 0) best = { days, score };
    }
    if (best && best.score[0] === 0) break;
  }
  const chosen = best?.days ?? [];
  for (const day of chosen) plan.workdays.set(day, brk.name);
  return chosen;
}

/** Weekend days on the nearest `weekends` usable weekends on one side of the break. */
function flankingDays(plan: DayPlan, brk: HolidayBreak, direction: -1 | 1, weekends: number): number[] {
  const found: number[] = [];
  let seen = 0;
  let day = direction < 0 ? brk.start - 1 : brk.end + 1;
  // Walk outward a weekend at a time; 8 weeks is far beyond any break's reach.
  for (let steps = 0; seen < weekends && steps < 56;) {
    while (!isWeekend(day) && steps < 56) {
      day += direction;
      steps += 1;
    }
    const weekend: number[] = [];
    while (isWeekend(day)) {
      if (usable(plan, brk, day)) weekend.push(day);
      day += direction;
      steps += 1;
    }
    if (weekend.length > 0) {
      seen += 1;
      found.push(...weekend);
    }
  }
  return found;
}

function usable(plan: DayPlan, brk: HolidayBreak, day: number): boolean {
  if (plan.workdays.has(day) || plan.ownerOf(day) !== undefined) return false;
  if (brk.adjoiningWeekendDay === 'stays off' && (day === brk.start - 1 || day === brk.end + 1)) return false;
  // A weekend already joined to another holiday's days off belongs to that holiday.
  return plan.daysOffAround(day).every((d) => plan.ownerOf(d) === undefined || plan.ownerOf(d) === brk);
}

/** [over the limit?, then (within) distance and longest stretch, or (over) longest stretch and distance, then the days]. */
function scoreOf(plan: DayPlan, brk: HolidayBreak, days: number[]): number[] {
  for (const day of days) plan.workdays.set(day, brk.name);
  const around = [...days, lastWorkingDayBefore(plan, brk.start), firstWorkingDayAfter(plan, brk.end)];
  const longest = Math.max(...around.map((day) => plan.workingStretch(day)));
  for (const day of days) plan.workdays.delete(day);
  const distance = days.reduce((sum, day) => sum + (day < brk.start ? brk.start - day : day - brk.end), 0);
  const sorted = [...days].sort((a, b) => a - b);
  return longest <= brk.longestWorkingStretch ? [0, distance, longest, ...sorted] : [1, longest, distance, ...sorted];
}

function lastWorkingDayBefore(plan: DayPlan, day: number): number {
  let d = day - 1;
  while (!plan.isWorking(d)) d -= 1;
  return d;
}

function firstWorkingDayAfter(plan: DayPlan, day: number): number {
  let d = day + 1;
  while (!plan.isWorking(d)) d += 1;
  return d;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function* subsets(items: number[], size: number, from = 0): Generator<number[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= items.length - size; i += 1) {
    for (const rest of subsets(items, size - 1, i + 1)) yield [items[i]!, ...rest];
  }
}
