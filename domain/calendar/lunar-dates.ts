import { LunarDay, SolarTerm, type SolarDay } from 'tyme4ts';
import { toDayNumber } from './iso-date';

/**
 * The lunar dates and the solar term the holiday rules are written in, converted to day numbers
 * by tyme4ts (6tail's maintained successor of lunar-javascript). Only its conversions are used,
 * never its table of legal holidays: the provisional calendar is a forecast, not a copy.
 *
 * tyme4ts computes from Julian days in Beijing time and never touches Date, so these answers do
 * not depend on the process's time zone (the bug official-schedule.ts works around in
 * chinese-days).
 */

/** 除夕, the last day of the twelfth lunar month: the eve of the lunar year that begins in `year`. */
export function lunarNewYearsEve(year: number): number {
  return lunarDay(year, 1, 1) - 1;
}

/** A day of a (non-leap) month of the lunar year that begins in `year`, e.g. (2026, 8, 15) for 中秋. */
export function lunarDay(year: number, month: number, day: number): number {
  return dayNumberOf(LunarDay.fromYmd(year, month, day).getSolarDay());
}

/** The day of the 清明 solar term in `year` (4 or 5 April), in Beijing time. */
export function qingmingDay(year: number): number {
  return dayNumberOf(SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay());
}

function dayNumberOf(day: SolarDay): number {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return toDayNumber(`${pad(day.getYear(), 4)}-${pad(day.getMonth(), 2)}-${pad(day.getDay(), 2)}`);
}
