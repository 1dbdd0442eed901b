import { getHeapStatistics } from 'node:v8';

// The worker's V8 heap is bounded with its workflow cache. Node sizes the heap from the machine's
// memory (gigabytes on a server), so garbage piles up long before a collection and the process
// grows far past what it holds alive; a bound near the live size keeps collections frequent and
// the resident memory flat (docs/BENCHMARKS.md, many open suggestions).

/** Live heap without workflows: activities, the Prisma client, the SDK's own state. */
const baseMiB = 160;
/** A cached workflow's modules and state, as measured with many suggestions open. */
const perCachedWorkflowMiB = 0.64;

/** The --max-old-space-size for a worker that caches `maxCachedWorkflows` workflows. */
export function workerHeapLimitMiB(maxCachedWorkflows: number): number {
  return Math.ceil((baseMiB + maxCachedWorkflows * perCachedWorkflowMiB) / 32) * 32;
}

/** The Node options the worker is started with (npm start, docker-compose.yml, the benchmarks). */
export function workerNodeArgs(maxCachedWorkflows: number): string[] {
  return [`--max-old-space-size=${workerHeapLimitMiB(maxCachedWorkflows)}`];
}

/** A warning when this process's heap is too small for the cache it was given, else undefined. */
export function heapTooSmall(maxCachedWorkflows: number): string | undefined {
  const limitMiB = getHeapStatistics().heap_size_limit / 2 ** 20;
  const needed = workerHeapLimitMiB(maxCachedWorkflows);
  if (limitMiB >= needed * 0.9) return undefined;
  return `the V8 heap is bounded at ${Math.round(limitMiB)} MiB, too small for ${maxCachedWorkflows} cached workflows: start the worker with --max-old-space-size=${needed} or lower WORKER_MAX_CACHED_WORKFLOWS`;
}
