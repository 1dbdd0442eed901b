import { buildCalendar, type HolidayCalendar } from '../domain/calendar';
import type { Database } from './client';

/**
 * Reads the working-day calendar from PostgreSQL. Cached briefly: deadlines are computed often,
 * the office edits the calendar rarely, and an edit must show up within a minute.
 */
export function calendarStore(db: Database, ttlMs = 60_000) {
  let cached: { calendar: HolidayCalendar; loadedAt: number } | undefined;

  return async function currentCalendar(): Promise<HolidayCalendar> {
    if (cached && Date.now() - cached.loadedAt < ttlMs) return cached.calendar;
    const [years, days] = await Promise.all([db.calendarYear.findMany(), db.calendarDay.findMany()]);
    const calendar = buildCalendar(
      years.map((y) => y.year),
      days.map((d) => ({ date: d.date.toISOString().slice(0, 10), kind: d.kind as 'holiday' | 'workday', name: d.name ?? undefined })),
    );
    cached = { calendar, loadedAt: Date.now() };
    return calendar;
  };
}
