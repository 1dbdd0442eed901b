import { officialYears, shanghaiDate } from '../../domain/calendar';
import { connectDatabase } from '../../prisma/client';
import { loadCalendarYear } from '../../prisma/seed';

export const FIXTURE_SOURCE = 'test fixture: weekends only (official schedule not yet published)';

/**
 * Timer tests start at today's date on the time-skipping server and run weeks or months ahead.
 * So that they do not depend on the day they run, the test database (and only it) gets a
 * weekends-only calendar for this year and the next when the State Council's schedule for them
 * is not yet in the maintained data. Tests of real holidays use the published years.
 */
export async function loadUnpublishedYearsAsWeekendsOnly(databaseUrl: string, now = new Date()): Promise<number[]> {
  const thisYear = Number(shanghaiDate(now).slice(0, 4));
  const published = officialYears();
  const db = connectDatabase(databaseUrl, 1);
  try {
    const loaded = new Set((await db.calendarYear.findMany({ select: { year: true } })).map((y) => y.year));
    const missing = [thisYear, thisYear + 1].filter((year) => !published.includes(year) && !loaded.has(year));
    for (const year of missing) await loadCalendarYear(db, year, [], FIXTURE_SOURCE);
    return missing;
  } finally {
    await db.$disconnect();
  }
}
