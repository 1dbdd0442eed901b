import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { workflowIdFor } from '../domain/tracking-number';
import { connectDatabase, type Database } from '../prisma/client';
import { countActions } from './support/actions';
import { cpuSeconds, cpuUsedBetween, type Measured } from './support/process-cpu';
import { loadAverage, loadNote, machine, report, runWhenMain, table } from './support/report';
import { freePort, startBenchServers, waitForHttp, workflowBundle } from './support/servers';

// Complete lifecycles with simulated proposers and departments against the minimal workflow
// (bench/baseline) on the same server in the same run, as what each costs: the CPU seconds of every
// server (the API, the worker, the Temporal server, PostgreSQL, the minimal workflow's worker) per
// lifecycle, and lifecycles per CPU-second. Each simulated proposer submits through the API, the
// department decides through the API once the suggestion is in its inbox, the proposer rates the
// reply, and the suggestion closes. Actions per second are shown too; they reward a lifecycle for
// having more actions, so they are not the ratio.

/** The servers whose CPU a run is charged: those this benchmark started. */
export const cpuServers = ['api', 'worker', 'temporal', 'postgres', 'minimalWorker'] as const;

export interface Throughput {
  completed: number;
  seconds: number;
  actions: number;
  actionsPerSecond: number;
  /** CPU seconds each server used during the run. */
  cpu: Record<(typeof cpuServers)[number], number>;
  /** Completed per CPU-second of all the servers. */
  perCpuSecond: number;
}

export interface EndToEndResult {
  concurrency: number;
  baselineBefore: Throughput;
  service: Throughput & { lifecyclesPerSecond: number; actionsPerLifecycle: number; failed: number };
  baselineAfter: Throughput;
  /** Lifecycles per CPU-second against the mean of the baseline's minimal workflows per CPU-second. */
  ratio: number;
  /** Actions per second against the baseline's, as the benchmark reported before. */
  actionsRatio: number;
  /** The machine's load average when the run began. */
  loadAtStart: number;
}

/** Runs `actor` in `concurrency` loops until `seconds` have passed; the last rounds finish. */
async function drive(concurrency: number, seconds: number, actor: () => Promise<string>): Promise<{ ids: string[]; failed: number; elapsed: number }> {
  const ids: string[] = [];
  let failed = 0;
  const started = Date.now();
  const stopAt = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < stopAt) {
        try {
          ids.push(await actor());
        } catch (err) {
          failed += 1;
          if (failed <= 3) process.stderr.write(`[bench] a lifecycle failed: ${(err as Error).message}\n`);
        }
      }
    }),
  );
  return { ids, failed, elapsed: (Date.now() - started) / 1000 };
}

/** Billable actions of the given workflows, counted from their histories. */
async function actionsOf(client: Client, workflowIds: string[]): Promise<number> {
  let total = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < workflowIds.length) {
        const history = await client.workflow.getHandle(workflowIds[next++]).fetchHistory();
        total += countActions(history.events ?? []).total;
      }
    }),
  );
  return total;
}

/** Waits until the read model shows the suggestion in a state, as a department's inbox would. */
async function until(db: Database, id: string, check: (row: { status: string; feedback: unknown }) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const row = await db.suggestion.findUnique({ where: { id }, select: { status: true, feedback: true } });
    if (row && check(row)) return;
    if (Date.now() > deadline) throw new Error(`suggestion ${id}: no ${what} within 120 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const totalCpu = (t: Pick<Throughput, 'cpu'>) => Object.values(t.cpu).reduce((a, b) => a + b, 0);

export async function benchEndToEnd(opts: { concurrency: number; seconds: number; log: (m: string) => void }): Promise<EndToEndResult> {
  const loadAtStart = loadAverage();
  const servers = await startBenchServers(opts.log);
  const db = connectDatabase(servers.databaseUrl, opts.concurrency + 2);
  const connection = await Connection.connect({ address: servers.temporalAddress });
  try {
    const apiPort = await freePort();
    const queue = `bench-${randomUUID().slice(0, 8)}`;
    const baselineQueue = `${queue}-baseline`;
    const bundle = await workflowBundle(servers);
    const worker = await servers.spawnWorker({ TEMPORAL_TASK_QUEUE: queue, WORKFLOW_BUNDLE_PATH: bundle });
    // The simulated proposers all come from this machine's address: the public limits are raised as
    // for a load test (README), or the ratings of a busy run would be refused with 429.
    const api = await servers.spawn('api', 'api/main.ts', {
      PORT: String(apiPort),
      TEMPORAL_TASK_QUEUE: queue,
      RATE_LIMIT_INTAKE_PER_MINUTE: '1000000',
      RATE_LIMIT_READS_PER_MINUTE: '1000000',
    });
    const minimalWorker = await servers.spawn('baseline-worker', 'bench/baseline/minimal-worker.ts', { BASELINE_TASK_QUEUE: baselineQueue });
    const pid = (child: { process: { pid?: number } }): Measured => ({ pid: child.process.pid ?? -1 });
    // The servers this benchmark started; one it was given (TEMPORAL_ADDRESS, DATABASE_URL) is not measured.
    const measured: Record<(typeof cpuServers)[number], Measured> = {
      api: pid(api),
      worker: pid(worker),
      temporal: servers.temporalProcessHolds ? { commandLineHolds: servers.temporalProcessHolds } : { pid: -1 },
      postgres: process.env.DATABASE_URL ? { pid: -1 } : { commandLineHolds: join(servers.dir, 'postgres') },
      minimalWorker: pid(minimalWorker),
    };
    const base = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${base}/healthz`);
    const keys = { intake: await servers.issueKey('intake'), department: await servers.issueKey('department', 'transport') };
    // Histories are counted by event type, which the payload codec leaves in clear.
    const client = new Client({ connection });

    const post = async (path: string, body: unknown, headers: Record<string, string>) => {
      const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${text}`);
      return JSON.parse(text);
    };
    const lifecycle = async (): Promise<string> => {
      const { id, trackingToken } = await post(
        '/v1/suggestions',
        {
          title: `Night buses to Jiangwan (${queue})`,
          content: 'The last bus leaves before the late shift ends at the hospital.',
          category: 'transport',
          district: 'yangpu',
          channel: 'web',
          publishConsent: false,
          proposer: { replyChannel: 'online' },
        },
        { authorization: `Bearer ${keys.intake}` },
      );
      await until(db, id, (r) => r.status === 'handling', 'routing');
      await post(
        `/v1/suggestions/${id}/decision`,
        { outcome: 'for_reference', reason: 'The night network is reviewed next spring.', reply: 'Kept for the review of the night network.' },
        { authorization: `Bearer ${keys.department}` },
      );
      await until(db, id, (r) => (r.feedback as { satisfaction?: { state?: string } } | null)?.satisfaction?.state === 'awaiting', 'reply');
      await post(`/v1/suggestions/${id}/rating`, { rating: 'satisfied' }, { 'x-tracking-token': trackingToken });
      await until(db, id, (r) => r.status === 'closed', 'closure');
      return workflowIdFor(id);
    };
    const minimal = async (): Promise<string> => {
      const workflowId = `baseline-${randomUUID()}`;
      await client.workflow.execute('minimalWorkflow', { args: [{}], taskQueue: baselineQueue, workflowId });
      return workflowId;
    };
    /** A run with the CPU each server used meanwhile. */
    const measuredDrive = async (actor: () => Promise<string>) => {
      const before = cpuSeconds(measured);
      const run = await drive(opts.concurrency, opts.seconds, actor);
      return { ...run, cpu: cpuUsedBetween(before, cpuSeconds(measured)) as Throughput['cpu'] };
    };
    const throughput = async (run: { ids: string[]; elapsed: number; cpu: Throughput['cpu'] }): Promise<Throughput> => {
      const actions = await actionsOf(client, run.ids);
      const cpu = totalCpu(run);
      return {
        completed: run.ids.length,
        seconds: run.elapsed,
        actions,
        actionsPerSecond: actions / run.elapsed,
        cpu: run.cpu,
        perCpuSecond: cpu > 0 ? run.ids.length / cpu : 0,
      };
    };

    // Warm both paths (JIT, pools, caches) before measuring.
    await drive(Math.min(2, opts.concurrency), 1, lifecycle);
    await drive(Math.min(2, opts.concurrency), 1, minimal);
    // Baseline before and after ours, so a change in the machine's load shows.
    opts.log('baseline');
    const baselineBefore = await throughput(await measuredDrive(minimal));
    opts.log('suggestion lifecycles');
    const run = await measuredDrive(lifecycle);
    const service = await throughput(run);
    opts.log('baseline again');
    const baselineAfter = await throughput(await measuredDrive(minimal));
    const baselineRate = (baselineBefore.actionsPerSecond + baselineAfter.actionsPerSecond) / 2;
    const baselinePerCpu = (baselineBefore.perCpuSecond + baselineAfter.perCpuSecond) / 2;
    return {
      concurrency: opts.concurrency,
      baselineBefore,
      service: {
        ...service,
        failed: run.failed,
        lifecyclesPerSecond: service.completed / service.seconds,
        actionsPerLifecycle: service.completed ? service.actions / service.completed : 0,
      },
      baselineAfter,
      ratio: baselinePerCpu > 0 ? service.perCpuSecond / baselinePerCpu : 0,
      actionsRatio: baselineRate > 0 ? service.actionsPerSecond / baselineRate : 0,
      loadAtStart,
    };
  } finally {
    await connection.close();
    await db.$disconnect();
    await servers.stop();
  }
}

export function endToEndReport(r: EndToEndResult): string {
  const row = (what: string, t: Throughput, perSecond: string) => [
    what,
    t.completed,
    t.seconds.toFixed(1),
    perSecond,
    t.actions,
    t.actionsPerSecond.toFixed(1),
  ];
  const ms = (seconds: number, t: Throughput) => (t.completed ? ((seconds * 1000) / t.completed).toFixed(1) : 'n/a');
  const cpuRow = (what: string, t: Throughput) => [what, ...cpuServers.map((s) => ms(t.cpu[s], t)), `**${ms(totalCpu(t), t)}**`, t.perCpuSecond.toFixed(2)];
  return [
    '## End to end: complete lifecycles against the minimal workflow',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}. ${loadNote(r.loadAtStart)} Compare only figures of the same run.`,
    `${r.concurrency} simulated proposers at once, each in a loop: submit through the API; once the suggestion is in the department's`,
    'inbox (the read model), the department decides through the API (kept for reference); once replied, the proposer rates it',
    'satisfied with the tracking token; the suggestion closes. The baseline: as many loops, each starting the minimal workflow and',
    'awaiting its result, before and after, on the same Temporal server. Actions are counted from every history; CPU from /proc,',
    "per server this benchmark started, over each run (the simulated people's own process is not counted; its polling of the",
    "read model for the inbox, every 100 ms, is in PostgreSQL's share).",
    '',
    table(
      ['run', 'completed', 'seconds', 'per second', 'billable actions', 'actions per second'],
      [
        row('minimal workflow (before)', r.baselineBefore, (r.baselineBefore.completed / r.baselineBefore.seconds).toFixed(1)),
        row('suggestion lifecycles', r.service, r.service.lifecyclesPerSecond.toFixed(2)),
        row('minimal workflow (after)', r.baselineAfter, (r.baselineAfter.completed / r.baselineAfter.seconds).toFixed(1)),
      ],
    ),
    '',
    '### CPU milliseconds per completed lifecycle or workflow, by server',
    '',
    table(
      ['run', 'API', 'worker', 'Temporal server', 'PostgreSQL', "minimal workflow's worker", 'total', 'completed per CPU-second'],
      [cpuRow('minimal workflow (before)', r.baselineBefore), cpuRow('suggestion lifecycles', r.service), cpuRow('minimal workflow (after)', r.baselineAfter)],
    ),
    '',
    `${r.service.actionsPerLifecycle.toFixed(1)} actions per lifecycle; ${r.service.failed} lifecycles failed. Lifecycles per CPU-second against the`,
    `mean of the two baseline runs' minimal workflows per CPU-second: **${r.ratio.toFixed(2)}** (a whole lifecycle, five steps through the API, against one`,
    `bare start). The ratio of actions per second this section reported before (${r.actionsRatio.toFixed(2)} in this run) is not the measure: it rewards a lifecycle for having more actions.`,
  ].join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '60' }, concurrency: { type: 'string', default: '16' }, smoke: { type: 'boolean', default: false } },
  });
  const result = await benchEndToEnd({
    concurrency: values.smoke ? 2 : Number(values.concurrency),
    seconds: values.smoke ? 3 : Number(values.seconds),
    log: (m) => process.stderr.write(`[bench] ${m}\n`),
  });
  report('end-to-end', endToEndReport(result), values.smoke!);
}

runWhenMain(module, main);
