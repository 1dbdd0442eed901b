import { Runtime } from '@temporalio/worker';
import type { Config } from '../domain/config';
import { temporalSdkLogger, type Logger } from '../telemetry/log';

/**
 * Installs the Temporal SDK's runtime for the worker process: the SDK's own log lines go into the
 * worker's JSON log, and with WORKER_METRICS_ADDRESS set the SDK serves its Prometheus metrics
 * (pollers, task latencies, slots, sticky cache, activity and workflow task failures) at
 * http://<address>/metrics, following Prometheus' conventions: counters end in `_total`,
 * durations are in seconds.
 */
export function installWorkerRuntime(config: Pick<Config, 'WORKER_METRICS_ADDRESS'>, logger: Logger): void {
  const address = config.WORKER_METRICS_ADDRESS;
  Runtime.install({
    logger: temporalSdkLogger(logger),
    telemetryOptions: {
      // The SDK's native core logs through the same logger instead of printing to the console.
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(address ? { metrics: { prometheus: { bindAddress: address, countersTotalSuffix: true, useSecondsForDurations: true, unitSuffix: true } } } : {}),
    },
  });
}
