import { createActivities } from '../../activities';
import { connectDatabase, type Database } from '../../prisma/client';
import { testKeyRing } from './stack';

export interface ActivitiesOnTestDatabase {
  db: Database;
  activities: ReturnType<typeof createActivities>;
}

/** The activities, called directly on the shared test database: made before the file's tests, disconnected after. */
export function activitiesOnTestDatabase(): ActivitiesOnTestDatabase {
  const on = {} as ActivitiesOnTestDatabase;
  beforeAll(() => {
    on.db = connectDatabase(process.env.DATABASE_URL!, 2);
    on.activities = createActivities(on.db, testKeyRing());
  });
  afterAll(() => on.db.$disconnect());
  return on;
}
