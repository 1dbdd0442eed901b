import { Runtime } from '@temporalio/worker';
import type { Config } from '../domain/config';

/**
 * Installs the Temporal SDK's runtime for the worker process. With WORKER_METRICS_ADDRESS set,
 * the SDK serves its own Prometheus metrics (pollers, task latencies, slots, sticky cache,
 * activity and workflow task failures) at http://<address>/metrics, following Prometheus'
 * conventions: counters end in `_total`, durations are in seconds.
 */
export function installWorkerRuntime(config: Pick<Config, 'WORKER_METRICS_ADDRESS'>): void {
  if (!config.WORKER_METRICS_ADDRESS) return;
  Runtime.install({
    telemetryOptions: {
      metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS, countersTotalSuffix: true, useSecondsForDurations: true, unitSuffix: true } },
    },
  });
}
