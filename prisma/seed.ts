import { officialSchedule, officialYears } from '../domain/calendar';
import type { CityProfile } from '../domain/profile';
import { loadProfileFile } from '../profiles';
import type { Database } from './client';
import { loadProfileOnce, syncDepartments } from './profile-store';

/**
 * Loads the reference data a new installation needs. Safe to run on every start: the city profile
 * (CITY_PROFILE, profiles/*.yaml) is loaded once, after which it belongs to the administrator (the
 * API); the departments table follows the profile's departments; routing rules are seeded from the
 * profile into an empty table (after that they belong to the offices); each calendar year is loaded
 * once from the maintained `chinese-days` data.
 */
export async function seedReferenceData(
  db: Database,
  file: { profile: CityProfile; path: string } = loadProfileFile(),
): Promise<{ calendarYearsLoaded: number[]; profile: CityProfile }> {
  const profile = await loadProfileOnce(db, file.profile, file.path);
  await syncDepartments(db, profile.document);
  // The streets table follows the profile's streets and towns: one renamed or moved there is updated here.
  const streets = profile.streets.map((s) => ({ code: s.code, name: s.name, district: s.district, kind: s.kind }));
  await db.street.createMany({ data: streets, skipDuplicates: true });
  const kept = new Map((await db.street.findMany()).map((s) => [s.code, s]));
  for (const s of streets.filter((s) => kept.get(s.code)?.name !== s.name || kept.get(s.code)?.district !== s.district || kept.get(s.code)?.kind !== s.kind)) {
    await db.street.update({ where: { code: s.code }, data: { name: s.name, district: s.district, kind: s.kind } });
  }
  if ((await db.routingRule.count()) === 0) {
    await db.routingRule.createMany({
      data: profile.document.routingRules.map((r) => ({
        category: r.category,
        district: r.district ?? null,
        street: r.street ?? null,
        leadDepartment: r.leadDepartment,
        coDepartments: r.coDepartments,
        jurisdiction: r.district ?? 'city',
      })),
    });
  }
  const loaded = new Set((await db.calendarYear.findMany()).map((y) => y.year));
  const calendarYearsLoaded: number[] = [];
  for (const year of officialYears().filter((y) => !loaded.has(y))) {
    await loadCalendarYear(db, year, officialSchedule(year), 'chinese-days');
    calendarYearsLoaded.push(year);
  }
  // A new installation has no suggestion to give the years to (worker/calendar-watcher.ts); a
  // year that a newer package brings to a running one reaches its open suggestions.
  if (calendarYearsLoaded.length && (await db.suggestion.count()) === 0) {
    await db.calendarYear.updateMany({ where: { year: { in: calendarYearsLoaded } }, data: { correctedAt: new Date() } });
  }
  return { calendarYearsLoaded, profile };
}

/** Replaces one year's holidays and adjusted working days, e.g. when the State Council publishes them; when it was loaded. */
export async function loadCalendarYear(db: Database, year: number, days: ReturnType<typeof officialSchedule>, source: string): Promise<Date> {
  const loadedAt = new Date();
  await db.$transaction([
    db.calendarDay.deleteMany({ where: { year } }),
    db.calendarDay.createMany({ data: days.map((d) => ({ date: new Date(`${d.date}T00:00:00Z`), year, kind: d.kind, name: d.name ?? null })) }),
    db.calendarYear.upsert({ where: { year }, update: { source, loadedAt }, create: { year, source, loadedAt } }),
  ]);
  return loadedAt;
}
