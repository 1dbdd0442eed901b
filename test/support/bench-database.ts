import { ownDatabase } from './service-process';

/**
 * A benchmark's smoke test runs the benchmark on a database of its own: the benchmark's worker
 * process sends every pending notification in its database (worker/main.ts runs the outbox
 * dispatcher), and the notifications other test files queue are theirs to send.
 */
export function benchOnOwnDatabase(): void {
  const shared = process.env.DATABASE_URL;
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  beforeAll(async () => {
    database = await ownDatabase();
    process.env.DATABASE_URL = database.url;
  });
  afterAll(async () => {
    process.env.DATABASE_URL = shared;
    await database?.drop();
  });
}
