import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { type KeyRing, workerDataConverter } from '../../codec';
import { suggestionClientOptions } from '../../temporal-client/issued-requests';
import { connectDatabase, type Database } from '../../prisma/client';
import { registerSearchAttributes } from '../../workflows/register-search-attributes';
import { ownDatabase } from './service-process';
import { quietTemporalRuntime, testKeyRing } from './stack';

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  db: Database;
  taskQueue: string;
  /** Runs `fn` with a fresh worker polling the task queue (a worker runs only once). */
  withWorker<R>(fn: () => Promise<R>): Promise<R>;
  stop(): Promise<void>;
}

/**
 * The time-skipping test server with the real activities and the real PostgreSQL: timers of
 * weeks pass in moments, everything else is what production runs.
 */
/**
 * The SDK gives the server's JVM five seconds to answer and does not let a test say otherwise; on a
 * busy machine (two cores, other suites starting theirs) it sometimes needs more. Such a start is
 * tried again, up to three times in all; any other failure is thrown at once.
 */
async function startWithin(start: () => Promise<TestWorkflowEnvironment>): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= 3 || !(err instanceof Error) || !/did not start within/.test(err.message)) throw err;
    }
  }
}

/** The project's cached server (see global-setup), else the SDK's download; a clear error when neither works. */
async function startTimeSkippingServer(keys: KeyRing): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEST_TIME_SKIPPING_SERVER;
  if (path === undefined) throw new Error('TEST_TIME_SKIPPING_SERVER is not set: run the tests through npm test');
  const client = suggestionClientOptions(keys);
  if (path) return startWithin(() => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } }, client }));
  try {
    return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'cached-download' } }, client });
  } catch (err) {
    throw new Error(
      'No Temporal time-skipping test server is available.\n' +
        `From Maven Central: ${process.env.TEST_TIME_SKIPPING_UNAVAILABLE}\n` +
        `From the SDK's download (temporal.download): ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

/**
 * `ownDatabase`: a database of the test's own, dropped at `stop` (default: the shared test
 * database), for tests that change reference data or count rows; `calendarTtlMs`: how long the
 * activities keep the calendar they read.
 */
export async function startTimeSkippingStack(opts: { ownDatabase?: boolean; calendarTtlMs?: number } = {}): Promise<TimeSkippingStack> {
  quietTemporalRuntime();
  const keys = testKeyRing();
  const database = opts.ownDatabase ? await ownDatabase() : undefined;
  const env = await startTimeSkippingServer(keys);
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  const db = connectDatabase(database?.url ?? process.env.DATABASE_URL!, 4);
  const taskQueue = `ts-${randomUUID()}`;
  const activities = createActivities(db, keys, { calendarTtlMs: opts.calendarTtlMs });
  return {
    env,
    db,
    taskQueue,
    async withWorker(fn) {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! },
        activities,
        dataConverter: workerDataConverter(keys, () => undefined),
      });
      return worker.runUntil(fn);
    },
    async stop() {
      await db.$disconnect();
      await env.teardown();
      await database?.drop();
    },
  };
}
