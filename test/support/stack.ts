import { createServer } from 'node:http';
import { keepConnectionsAlive, maxRequestHeadBytes } from '../../api/server';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { serverErrorLog } from './server-error-log';
import { ProfileStore } from '../../api/profile-store';
import type { ApiContext } from '../../api/context';
import { connectToTemporal, TemporalCallMetrics } from '../../api/temporal-calls';
import { hashApiKey } from '../../api/auth';
import { KeyRing } from '../../codec';
import { suggestionClientOptions } from '../../temporal-client/issued-requests';
import type { StaffRole } from '../../domain/vocabulary';
import { connectDatabase, type Database } from '../../prisma/client';
import { calendarStore } from '../../prisma/calendar-store';
import type { TemporalConnectionOptions } from '../../temporal-client/connection';
import { createSuggestionWorker } from '../../worker/worker';
import { ObjectStore, objectStoreConfigFrom, type ObjectStoreConfig } from '../../storage/object-store';

let runtimeInstalled = false;

/** Keeps the SDK's own logging to warnings, so test output shows test results. */
export function quietTemporalRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier test file in this worker process.
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest's integration project (npm test)`);
  return value;
}

/**
 * One test file's slice of the real stack: the shared PostgreSQL and Temporal dev server, a
 * worker on a task queue of its own, and the API listening on a free port.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  quietTemporalRuntime();
  const keys = options.keys ?? testKeyRing();
  const db = connectDatabase(options.databaseUrl ?? required('DATABASE_URL'), 4);
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const temporalFor = (side: 'api' | 'worker') => options.temporal?.[side] ?? { address: required('TEMPORAL_ADDRESS') };
  const nativeConnection = await NativeConnection.connect(temporalFor('worker'));
  const calendar = calendarStore(db, options.calendarTtlMs);
  const worker = await createSuggestionWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    db,
    keys,
    calendar,
    onUnsealedPayload: options.onUnsealedPayload,
    workflowBundle: { codePath: required('TEST_WORKFLOW_BUNDLE') },
  });
  const running = worker.run();
  const temporalCalls = new TemporalCallMetrics();
  const connection = await connectToTemporal(temporalFor('api'), temporalCalls);
  const temporal = new Client({ connection, namespace: 'default', ...suggestionClientOptions(keys) });
  // The test run's SeaweedFS (global-setup.ts), or a store of the test's own.
  const objectConfig = options.objects ?? objectStoreConfigFrom(process.env);
  const objects = objectConfig ? new ObjectStore(objectConfig, keys) : undefined;
  if (objects && !options.objects) await objects.ensureBucket();
  const profile = await ProfileStore.load(db);
  const app = createApp(
    { temporal, db, taskQueue, keys, codecOrigins: options.codecOrigins ?? [testUiOrigin], temporalCalls, profile, objects, ...options.context?.(db, keys) },
    serverErrorLog(),
  );
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = createServer({ maxHeaderSize: maxRequestHeadBytes }, app).listen(options.port ?? 0, '127.0.0.1', () => resolve(keepConnectionsAlive(s)));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    db,
    keys,
    temporal,
    worker,
    taskQueue,
    baseUrl,
    profile,
    objects,
    async issueKey(role: StaffRole, departmentCode?: string, jurisdiction = 'city'): Promise<string> {
      const key = `test-${randomUUID()}`;
      await db.apiKey.create({ data: { id: randomUUID(), hash: hashApiKey(key), label: `${role} test key`, role, departmentCode, jurisdiction } });
      return key;
    },
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      objects?.close();
      await db.$disconnect();
    },
  };
}

/** The key ring the test run generated (test/support/global-setup.ts), as the API and worker read it. */
export function testKeyRing(): KeyRing {
  return KeyRing.parse(required('ENCRYPTION_KEYS'));
}

/** The origin the test API accepts codec requests from, standing in for the Temporal Web UI. */
export const testUiOrigin = 'http://127.0.0.1:8233';

export interface StackOptions {
  /** A database of the test's own (test/support/service-process.ts ownDatabase), for tests that change reference data. */
  databaseUrl?: string;
  /** How long the worker's activities keep the working-day calendar they read (a minute unless told). */
  calendarTtlMs?: number;
  /** Told when the worker refuses a payload not sealed with the key ring. */
  onUnsealedPayload?: (why: string) => void;
  /** Another key ring than the test run's, e.g. after a key rotation. */
  keys?: KeyRing;
  /** An existing task queue, to pick up workflows an earlier (stopped) stack started. */
  taskQueue?: string;
  /** Another Temporal frontend than the test run's dev server, e.g. one that requires mTLS: each side's connection, with its own certificate. */
  temporal?: { api: TemporalConnectionOptions; worker: TemporalConnectionOptions };
  /** The API's port (a free one unless given), for settings that must name the API's URL before it listens. */
  port?: number;
  /** Browser origins the codec endpoint serves (the Temporal UI's); testUiOrigin unless given. */
  codecOrigins?: string[];
  /** More of the API's context: a token verifier, the workbench's sessions. */
  context?: (db: Database, keys: KeyRing) => Partial<ApiContext>;
  /** Another object store than the test run's, e.g. one the test stops and starts (its bucket made by the test). */
  objects?: ObjectStoreConfig;
}

export interface Stack {
  db: Database;
  keys: KeyRing;
  temporal: Client;
  worker: Worker;
  taskQueue: string;
  baseUrl: string;
  /** The city profile the stack's API serves, from its database. */
  profile: ProfileStore;
  /** A staff key; an office or supervisor works in a jurisdiction (the city unless told: a district's code or a street's). */
  issueKey(role: StaffRole, departmentCode?: string, jurisdiction?: string): Promise<string>;
  /** Where the API keeps attachments. */
  objects?: ObjectStore;
  stop(): Promise<void>;
}

/** Polls until `check` returns a value, for state that another process writes. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
