import { loadProfileFile } from '../profiles';
import { connectDatabase } from './client';
import { applyMigrations } from './migrate';
import { seedReferenceData } from './seed';

/**
 * Migrations, then reference data: what a database needs before the API and worker use it. The
 * city profile is CITY_PROFILE's (a name or a path; Shanghai unless told), loaded the first time.
 */
export async function prepareDatabase(databaseUrl: string, log: (m: string) => void = () => undefined, profile?: string): Promise<void> {
  // A profile with a mistake stops the setup before anything is written, with the line at fault.
  const file = loadProfileFile(profile);
  const applied = await applyMigrations(databaseUrl, log);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  const db = connectDatabase(databaseUrl, 2);
  try {
    const seeded = await seedReferenceData(db, file);
    log(`city profile: ${seeded.profile.city.nameEn} (${seeded.profile.city.code}, version ${seeded.profile.version})`);
    if (seeded.calendarYearsLoaded.length) log(`loaded working-day calendars for ${seeded.calendarYearsLoaded.join(', ')}`);
  } finally {
    await db.$disconnect();
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required');
    process.exit(2);
  }
  prepareDatabase(url, console.log).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
