import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { notifierFromSettings } from '../notifications/notifier-providers';
import { startOutboxDispatcher } from '../notifications/outbox-dispatcher';
import { calendarStore } from '../prisma/calendar-store';
import { temporalConnectionOptions, type TemporalConnectionOptions } from '../temporal-client/connection';
import { ensureFollowUpSweepSchedule } from '../temporal-client/schedules';
import { keyRingFromConfig } from '../codec';
import { suggestionClientOptions } from '../temporal-client/issued-requests';
import { readConfig } from '../domain/config';
import { connectDatabase } from '../prisma/client';
import { createLogger } from '../telemetry/log';
import { startDomainMetrics } from './domain-metrics';
import { heapTooSmall } from './heap';
import { installWorkerRuntime } from './telemetry';
import { watchCalendar } from './calendar-watcher';
import { createSuggestionWorker } from './worker';

async function main() {
  const config = readConfig(process.env);
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) throw new Error('the worker needs DATABASE_URL and TEMPORAL_ADDRESS (npm start sets both)');
  const logger = createLogger(config, 'worker');
  installWorkerRuntime(config, logger);
  const heapWarning = heapTooSmall(config.WORKER_MAX_CACHED_WORKFLOWS);
  if (heapWarning) logger.warn(heapWarning);
  const keys = keyRingFromConfig(config);
  const db = connectDatabase(config.DATABASE_URL);
  const temporalOptions = temporalConnectionOptions(config);
  const connection = await NativeConnection.connect(temporalOptions);
  const calendar = calendarStore(db);
  const worker = await createSuggestionWorker({
    calendar,
    // Someone reached the Temporal frontend without the key: what they sent is refused, and said here.
    onUnsealedPayload: (why) =>
      logger.warn({ why }, 'refused a payload not sealed with the key ring: a request sent to Temporal without going through the API'),
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db,
    keys,
    workflowBundle: config.WORKFLOW_BUNDLE_PATH ? { codePath: config.WORKFLOW_BUNDLE_PATH } : undefined,
    // Bounded on purpose: most open suggestions sleep for weeks on a deadline, and keeping them all
    // in memory would grow the worker with the backlog (docs/BENCHMARKS.md, many open suggestions).
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
  });
  // The daily sweep of late follow-up answers runs on a Schedule; whichever worker starts first makes it.
  await ensureSweepSchedule(temporalOptions, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE).catch((err) =>
    logger.error({ err }, 'the follow-up sweep schedule could not be made: late follow-up answers are not escalated until a worker makes it'),
  );
  // A year's holiday schedule loaded by the office reaches the open suggestions through a workflow.
  const clientConnection = await Connection.connect(temporalOptions);
  const calendarWatcher = watchCalendar({
    db,
    databaseUrl: config.DATABASE_URL,
    temporal: new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, ...suggestionClientOptions(keys) }),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    calendar,
    onError: (err) => logger.warn({ err }, 'a loaded calendar year could not be given to the open suggestions yet; tried again shortly'),
  });
  // The outbox is sent from the worker process; several workers share it without sending twice.
  const dispatcher = startOutboxDispatcher({
    db,
    keys,
    notifier: notifierFromSettings(config, (line) => logger.info(line)),
    onError: (err) => logger.error({ err }, 'outbox dispatch failed'),
  });
  const domainMetrics = config.WORKER_METRICS_ADDRESS
    ? startDomainMetrics(db, Runtime.instance().metricMeter, { onError: (err) => logger.warn({ err }, 'domain metrics not refreshed') })
    : undefined;
  // The worker shuts down on SIGINT/SIGTERM by itself: it finishes running tasks first.
  await worker.run();
  await calendarWatcher.stop();
  await clientConnection.close();
  await dispatcher.stop();
  await domainMetrics?.stop();
  await connection.close();
  await db.$disconnect();
}

async function ensureSweepSchedule(temporalOptions: TemporalConnectionOptions, namespace: string, taskQueue: string): Promise<void> {
  const connection = await Connection.connect(temporalOptions);
  try {
    await ensureFollowUpSweepSchedule(new Client({ connection, namespace }), taskQueue);
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
