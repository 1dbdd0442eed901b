import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { connectDatabase } from '../prisma/client';
import { pooled, postLoad, type LoadResult } from './support/load';
import { cpuSeconds, cpuUsedBetween } from './support/process-cpu';
import { loadAverage, loadNote, machine, table, temporalKind, writeSection } from './support/report';
import { startIntakeSides } from './support/intake-sides';
import { startBenchServers } from './support/servers';

// Intake under load: POST /v1/suggestions against a bare `client.workflow.start` of a minimal
// workflow, both on the same Temporal server and PostgreSQL, driven by the same load generator,
// in the order bare, API, API, bare at each concurrency so machine noise hits both alike. Both
// sides' workers run at idle priority, as if on machines of their own, and an API window's
// suggestions are worked off before the next window begins.
// Goal: the API's throughput ≥ 0.8× the bare start's, its p99 ≤ 1.5× the bare start's.

/** CPU milliseconds per accepted suggestion on each server, from a window's start until its suggestions are worked off. */
export interface CpuPerSuggestion {
  temporal: number;
  postgres: number;
  /** The API, or the bare start's HTTP server. */
  front: number;
  /** Our worker, or the minimal workflow's. */
  worker: number;
}

export interface IntakeRun {
  connections: number;
  api: LoadResult;
  bare: LoadResult;
  /** Mean milliseconds each side's front waited on Temporal for a workflow start (its /metrics). */
  apiStartMs: number;
  bareStartMs: number;
  /** A server this benchmark did not start (TEMPORAL_ADDRESS or DATABASE_URL given) counts 0. */
  apiCpu: CpuPerSuggestion;
  bareCpu: CpuPerSuggestion;
}

export interface IntakeResult {
  runs: IntakeRun[];
  /** Suggestions the API accepted (2xx), warm-up included, and those that reached the read model. */
  accepted: number;
  recorded: number;
  /**
   * Requests still in flight when a run's time was up: the load generator stops waiting for them,
   * but the API may still take them in, so the read model can hold up to this many more.
   */
  cutOff: number;
  /** The machine's load average when the run began. */
  loadAtStart: number;
}

export async function benchIntake(opts: { concurrency: number[]; seconds: number; log: (m: string) => void }): Promise<IntakeResult> {
  const loadAtStart = loadAverage();
  const servers = await startBenchServers(opts.log);
  try {
    // Both sides' workers at a lower priority, as if on machines of their own: what is measured is
    // intake, and the work after it is waited for at the end (every accepted suggestion recorded).
    const { apiPort, barePort, baselineQueue, measured, key, body } = await startIntakeSides(servers, { priority: 'idle' });

    const db = connectDatabase(servers.databaseUrl, 1);
    const connection = await Connection.connect({ address: servers.temporalAddress });
    const temporal = new Client({ connection });
    try {
      let accepted = 0;
      const recorded = () => db.suggestion.count({ where: { title: body.title } });
      const waitFor = async (done: () => Promise<boolean>) => {
        const deadline = Date.now() + 300_000;
        while (!(await done()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      };
      // Each window's suggestions are worked off before the next window begins, so one side's
      // backlog never weighs on the other side's window.
      const workedOff = () => waitFor(async () => (await recorded()) >= accepted);
      const bareWorkedOff = () =>
        waitFor(async () => (await temporal.workflow.count(`TaskQueue = '${baselineQueue}' AND ExecutionStatus = 'Running'`)).count === 0);
      /**
       * A window of load, with the CPU each server used until its suggestions were worked off and
       * the time its front spent waiting on Temporal's answers to the starts.
       */
      const window = async (front: number, load: () => Promise<LoadResult>, worked: () => Promise<void>) => {
        const before = cpuSeconds(measured);
        const startsBefore = await startTimings(front);
        const result = await load();
        const starts = await startTimings(front);
        await worked();
        return {
          result,
          cpu: cpuUsedBetween(before, cpuSeconds(measured)),
          starts: { seconds: starts.seconds - startsBefore.seconds, count: starts.count - startsBefore.count },
        };
      };
      const api = (connections: number) =>
        window(
          apiPort,
          async () => {
            const result = await postLoad({
              url: `http://127.0.0.1:${apiPort}/v1/suggestions`,
              body,
              headers: { authorization: `Bearer ${key}` },
              connections,
              seconds: opts.seconds,
            });
            accepted += result.accepted;
            return result;
          },
          workedOff,
        );
      const bare = (connections: number) =>
        window(barePort, () => postLoad({ url: `http://127.0.0.1:${barePort}/start`, body, connections, seconds: opts.seconds }), bareWorkedOff);

      // Warm both paths (JIT, connection pools, the worker's workflow cache) before measuring.
      await api(2);
      await bare(2);
      const runs: IntakeRun[] = [];
      for (const connections of opts.concurrency) {
        opts.log(`concurrency ${connections}`);
        // Bare, API, API, bare: a drift of the machine's speed during the four windows weighs on both
        // sides alike, and each side's figures are those of its two windows together.
        const bareFirst = await bare(connections);
        const apiWindows = [await api(connections), await api(connections)];
        const bareWindows = [bareFirst, await bare(connections)];
        runs.push({
          connections,
          api: pooled(apiWindows.map((w) => w.result)),
          bare: pooled(bareWindows.map((w) => w.result)),
          apiCpu: perSuggestion(apiWindows, 'api', 'worker'),
          bareCpu: perSuggestion(bareWindows, 'bare', 'minimalWorker'),
          apiStartMs: meanStartMs(apiWindows),
          bareStartMs: meanStartMs(bareWindows),
        });
      }
      // Nothing accepted is left behind when the worker is stopped.
      opts.log('waiting for the read model to catch up');
      await workedOff();
      const cutOff = 2 + 2 * opts.concurrency.reduce((sum, c) => sum + c, 0);
      return { runs, accepted, recorded: await recorded(), cutOff, loadAtStart };
    } finally {
      await db.$disconnect();
      await connection.close();
    }
  } finally {
    await servers.stop();
  }
}

/** The workflow starts a front has had answered by Temporal so far, and the seconds it waited on them (its /metrics). */
async function startTimings(port: number): Promise<{ seconds: number; count: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name}\\{method="StartWorkflowExecution",status="OK"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { seconds: value('temporal_request_duration_seconds_sum'), count: value('temporal_request_duration_seconds_count') };
}

function meanStartMs(windows: { starts: { seconds: number; count: number } }[]): number {
  const count = windows.reduce((sum, w) => sum + w.starts.count, 0);
  return count > 0 ? (1000 * windows.reduce((sum, w) => sum + w.starts.seconds, 0)) / count : 0;
}

/** CPU milliseconds per accepted suggestion over a side's windows; `front` and `worker` name that side's servers. */
function perSuggestion(windows: { result: LoadResult; cpu: Record<string, number> }[], front: string, worker: string): CpuPerSuggestion {
  const accepted = windows.reduce((sum, w) => sum + w.result.accepted, 0);
  const ms = (server: string) => (accepted > 0 ? (1000 * windows.reduce((sum, w) => sum + (w.cpu[server] ?? 0), 0)) / accepted : 0);
  return { temporal: ms('temporal'), postgres: ms('postgres'), front: ms(front), worker: ms(worker) };
}

export function intakeReport(runs: IntakeRun[], seconds: number, loadAtStart?: number): string {
  const onPostgres = temporalKind() === 'postgres';
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  const rows = runs.map(({ connections, api, bare }) => [
    connections,
    api.throughput.toFixed(1),
    bare.throughput.toFixed(1),
    ratio(api.throughput, bare.throughput),
    `${api.p50} / ${api.p99}`,
    `${bare.p50} / ${bare.p99}`,
    ratio(api.p99, bare.p99),
    api.errors + api.non2xx + bare.errors + bare.non2xx,
  ]);
  const cpuRows = runs.flatMap(({ connections, apiCpu, bareCpu }) =>
    (
      [
        ['API', apiCpu],
        ['bare start', bareCpu],
      ] as const
    ).map(([side, cpu]) => [
      connections,
      side,
      cpu.temporal.toFixed(1),
      cpu.postgres.toFixed(1),
      cpu.front.toFixed(1),
      cpu.worker.toFixed(1),
      (cpu.temporal + cpu.postgres + cpu.front + cpu.worker).toFixed(1),
    ]),
  );
  const mean = (values: number[]) => (values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : 0);
  const waitRows = runs.map(({ connections, api, bare, apiStartMs, bareStartMs }) => [
    connections,
    mean(api.latencies).toFixed(1),
    apiStartMs.toFixed(1),
    (mean(api.latencies) - apiStartMs).toFixed(1),
    mean(bare.latencies).toFixed(1),
    bareStartMs.toFixed(1),
    (mean(bare.latencies) - bareStartMs).toFixed(1),
  ]);
  return [
    onPostgres ? '## Intake on Temporal Server with PostgreSQL (the production shape)' : '## Intake: POST /v1/suggestions against a bare workflow start',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)}, ${seconds} s per window in the order bare, API, API, bare (each side's figures pool its two windows), on ${machine()}.${loadAtStart === undefined ? '' : ` ${loadNote(loadAtStart)}`}`,
    "Both sides' workers run at idle priority (SCHED_IDLE: only on CPU nothing else wants), as if on machines of their own (production runs the API and the workers apart), and each API window's suggestions are worked off (registered, routed, projected) before the next window begins, so neither side's backlog weighs on the other's window.",
    'Goal: throughput ratio ≥ 0.8 and p99 ratio ≤ 1.5 at every concurrency.',
    '',
    table(['connections', 'API req/s', 'bare req/s', 'throughput ratio', 'API p50 / p99 ms', 'bare p50 / p99 ms', 'p99 ratio', 'failed requests'], rows),
    '',
    "Where each suggestion's cost lands: CPU milliseconds per accepted suggestion on each server, from a window's start until its suggestions are worked off (both windows of a side together; the front is the API or the bare start's HTTP server, the worker ours or the minimal workflow's).",
    '',
    table(['connections', 'side', 'Temporal server', 'PostgreSQL', 'front', 'worker', 'total'], cpuRows),
    '',
    "Where a request's time goes: the mean request as the load generator saw it, the mean wait on Temporal's answer to the start as each front timed it (`temporal_request_duration_seconds` on its /metrics), and the rest (the front's own work, the load generator, the network).",
    '',
    table(['connections', 'API request ms', 'API start wait ms', 'API rest ms', 'bare request ms', 'bare start wait ms', 'bare rest ms'], waitRows),
  ].join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '1,16,64' }, smoke: { type: 'boolean', default: false } },
  });
  const seconds = values.smoke ? 1 : Number(values.seconds);
  const concurrency = values.smoke ? [1, 4] : values.concurrency!.split(',').map(Number);
  const { runs, accepted, recorded, loadAtStart } = await benchIntake({ concurrency, seconds, log: (m) => process.stderr.write(`[bench] ${m}\n`) });
  if (recorded < accepted) throw new Error(`the API accepted ${accepted} suggestions but the read model holds ${recorded}`);
  const report = intakeReport(runs, seconds, loadAtStart);
  console.log(report);
  // A run on Temporal Server with PostgreSQL keeps a section of its own beside the dev server's.
  if (!values.smoke) writeSection(temporalKind() === 'postgres' ? 'intake-on-postgres' : 'intake', report);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
