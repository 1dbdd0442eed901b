import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Measured } from './process-cpu';
import { freePort, waitForHttp, type BenchServers, type SpawnOptions } from './servers';

// The two sides every intake benchmark drives on the same servers: our API with our worker, and
// the bare start's HTTP server with the minimal workflow's worker, each on task queues of the run
// alone (a shared Temporal server may have other workers polling the defaults).

export interface IntakeSides {
  apiPort: number;
  barePort: number;
  queue: string;
  baselineQueue: string;
  /** The servers this benchmark started; one it was given (TEMPORAL_ADDRESS, DATABASE_URL) is not measured. */
  measured: Record<'temporal' | 'postgres' | 'api' | 'worker' | 'bare' | 'minimalWorker', Measured>;
  /** An intake officer's key for the API. */
  key: string;
  /** The suggestion both sides are sent; this run's id in its title counts its suggestions apart from any others. */
  body: {
    title: string;
    content: string;
    category: string;
    district: string;
    channel: string;
    publishConsent: boolean;
    proposer: { replyChannel: string };
  };
}

/** Starts both sides, their workers at `workers` priority, and waits until both fronts answer. */
export async function startIntakeSides(servers: BenchServers, workers: SpawnOptions = {}): Promise<IntakeSides> {
  const apiPort = await freePort();
  const barePort = await freePort();
  const queue = `bench-${randomUUID().slice(0, 8)}`;
  const baselineQueue = `${queue}-baseline`;
  const worker = await servers.spawnWorker({ TEMPORAL_TASK_QUEUE: queue }, workers);
  const api = await servers.spawn('api', 'api/main.ts', { PORT: String(apiPort), TEMPORAL_TASK_QUEUE: queue });
  const minimalWorker = await servers.spawn('baseline-worker', 'bench/baseline/minimal-worker.ts', { BASELINE_TASK_QUEUE: baselineQueue }, [], workers);
  const bare = await servers.spawn('baseline', 'bench/baseline/bare-start-server.ts', { PORT: String(barePort), BASELINE_TASK_QUEUE: baselineQueue });
  const pid = (child: { process: { pid?: number } }): Measured => ({ pid: child.process.pid ?? -1 });
  const measured = {
    temporal: servers.temporalProcessHolds ? { commandLineHolds: servers.temporalProcessHolds } : { pid: -1 },
    postgres: process.env.DATABASE_URL ? { pid: -1 } : { commandLineHolds: join(servers.dir, 'postgres') },
    api: pid(api),
    worker: pid(worker),
    bare: pid(bare),
    minimalWorker: pid(minimalWorker),
  };
  await waitForHttp(`http://127.0.0.1:${apiPort}/healthz`);
  await waitForHttp(`http://127.0.0.1:${barePort}/metrics`);
  const key = await servers.issueKey('intake');
  // The routing rules give it to the transport commission.
  const body = {
    title: `Shade trees along the bus interchange (${queue})`,
    content: 'The waiting area of the bus interchange has no shade in summer afternoons.',
    category: 'transport',
    district: 'pudong',
    channel: 'web',
    publishConsent: false,
    proposer: { replyChannel: 'online' },
  };
  return { apiPort, barePort, queue, baselineQueue, measured, key, body };
}
