import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { connectDatabase, type Database } from '../../prisma/client';
import { registerSearchAttributes } from '../../workflows/register-search-attributes';
import { quietTemporalRuntime } from './stack';

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
export async function startTimeSkippingStack(): Promise<TimeSkippingStack> {
  quietTemporalRuntime();
  const path = process.env.TEST_TIME_SKIPPING_SERVER;
  if (!path) throw new Error('TEST_TIME_SKIPPING_SERVER is not set: run through npm test');
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  const db = connectDatabase(process.env.DATABASE_URL!, 4);
  const taskQueue = `ts-${randomUUID()}`;
  const activities = createActivities(db);
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
      });
      return worker.runUntil(fn);
    },
    async stop() {
      await db.$disconnect();
      await env.teardown();
    },
  };
}
