import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { CalendarStore } from '../prisma/calendar-store';
import { workerDataConverter, type KeyRing } from '../codec';
import type { Database } from '../prisma/client';

export interface SuggestionWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Database;
  /** Encrypts every payload the worker sends to Temporal and the proposer's details it stores. */
  keys: KeyRing;
  /** A bundle built ahead of time (tests and production); otherwise the workflows are bundled now. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The workflow cache's bound (WORKER_MAX_CACHED_WORKFLOWS). */
  maxCachedWorkflows?: number;
  /** The working-day calendar the activities read, which the calendar watcher drops on a loaded year. */
  calendar?: CalendarStore;
  /** Told of every payload refused because it was not sealed with the key ring (logged by worker/main.ts). */
  onUnsealedPayload?: (why: string) => void;
}

/** The worker that runs suggestion workflows and their activities. */
export function createSuggestionWorker(opts: SuggestionWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities(opts.db, opts.keys, { calendar: opts.calendar }),
    dataConverter: workerDataConverter(opts.keys, opts.onUnsealedPayload ?? (() => undefined)),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    // Each cached workflow holds its state in memory; the bound keeps a worker's memory flat
    // with hundreds of thousands of open suggestions (evicted ones replay on their next event).
    maxCachedWorkflows: opts.maxCachedWorkflows ?? 250,
  });
}
