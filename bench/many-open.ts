import { readdirSync, readFileSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { readConfig } from '../domain/config';
import { connectDatabase } from '../prisma/client';
import { loadAverage, loadNote, machine, report, runWhenMain, table } from './support/report';
import { freePort, startBenchServers, waitForHttp, workflowBundle } from './support/servers';
import { workerNodeArgs } from '../worker/heap';

// Many suggestions open at once, all waiting on their deadlines: how long it takes to start them,
// how much memory the worker holds (its workflow cache is bounded: WORKER_MAX_CACHED_WORKFLOWS),
// how fast the API still answers reads, and how large the Temporal server's database grows.
// Goal: the worker under 600 MiB.

export const memoryBudgetMiB = 600;

export interface ReadLatency {
  requests: number;
  p50: number;
  p99: number;
  failed: number;
}

export interface ManyOpenResult {
  suggestions: number;
  /** Those of them routed and waiting on their deadline when the figures were taken (all, unless the wait ran out). */
  waiting: number;
  maxCachedWorkflows: number;
  /** Seconds until the API had accepted every suggestion, and until every one waited on its deadline. */
  startSeconds: number;
  waitingSeconds: number;
  failedSubmissions: number;
  /** Distinct tracking numbers among the accepted submissions: each its own suggestion. */
  distinctReceipts: number;
  /** The worker's resident memory (its process tree): with one suggestion, the highest seen, and once all wait. */
  workerIdleMiB: number;
  workerPeakMiB: number;
  workerSettledMiB: number;
  /** Reads with no suggestion open (the baseline) and with all of them open, same run, same load. */
  readsEmpty: ReadLatency;
  readsOpen: ReadLatency;
  /** The dev server's SQLite file (with its write-ahead log), when this run started the server. */
  temporalDbBytes?: number;
  /** The machine's load average when the run began, and the Node options the worker was started with. */
  loadAtStart: number;
  workerNodeOptions?: string;
}

/** Resident memory of a process and all its descendants (any helper process it starts counts too). */
export function treeRssBytes(pid: number): number {
  let total = 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(/\s+/) : []) total += treeRssBytes(Number(child));
    }
  } catch {
    // The process ended meanwhile.
  }
  return total;
}

const MiB = 2 ** 20;

async function readLoad(url: string, key: string, seconds: number, connections: number): Promise<ReadLatency> {
  const result = await autocannon({ url, connections, duration: seconds, headers: { authorization: `Bearer ${key}` } });
  return { requests: result.requests.total, p50: result.latency.p50, p99: result.latency.p99, failed: result.errors + result.timeouts + result.non2xx };
}

/** Runs `count` jobs, `concurrency` at a time. */
async function pool(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

export async function benchManyOpen(opts: {
  suggestions: number;
  readSeconds: number;
  maxCachedWorkflows?: number;
  workerNodeOptions?: string;
  log: (m: string) => void;
}): Promise<ManyOpenResult> {
  const loadAtStart = loadAverage();
  const servers = await startBenchServers(opts.log);
  const db = connectDatabase(servers.databaseUrl, 2);
  try {
    const apiPort = await freePort();
    const queue = `bench-${randomUUID().slice(0, 8)}`;
    const maxCachedWorkflows = opts.maxCachedWorkflows ?? readConfig({}).WORKER_MAX_CACHED_WORKFLOWS;
    // As production starts it (its heap bounded with its cache), unless other Node options are being tried.
    const nodeArgs = opts.workerNodeOptions?.split(/\s+/) ?? workerNodeArgs(maxCachedWorkflows);
    const worker = await servers.spawn(
      'worker',
      'worker/main.ts',
      { TEMPORAL_TASK_QUEUE: queue, WORKER_MAX_CACHED_WORKFLOWS: String(maxCachedWorkflows), WORKFLOW_BUNDLE_PATH: await workflowBundle(servers) },
      nodeArgs,
    );
    await servers.spawn('api', 'api/main.ts', { PORT: String(apiPort), TEMPORAL_TASK_QUEUE: queue });
    const base = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${base}/healthz`);
    const intakeKey = await servers.issueKey('intake');
    const supervisorKey = await servers.issueKey('supervisor');
    const title = `Benches along the riverside (${queue})`;
    const body = JSON.stringify({
      title,
      content: 'The riverside walk has no benches between the two ferry piers.',
      category: 'transport',
      district: 'yangpu',
      channel: 'web',
      publishConsent: false,
      proposer: { replyChannel: 'online' },
    });

    // Warm the API and the worker, then read with nothing open: the baseline.
    const warm = await fetch(`${base}/v1/suggestions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${intakeKey}` },
      body,
    });
    const warmId: string = ((await warm.json()) as { id: string }).id;
    const readUrl = (id: string) => `${base}/v1/suggestions/${id}`;
    // A cold API (first database connections, JIT) would make the baseline a measure of start-up.
    for (let i = 0; i < 20; i++) await fetch(readUrl(warmId), { headers: { authorization: `Bearer ${supervisorKey}` } });
    const readsEmpty = await readLoad(readUrl(warmId), supervisorKey, opts.readSeconds, 16);

    const workerIdle = treeRssBytes(worker.process.pid!);
    let peak = workerIdle;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRssBytes(worker.process.pid!))), 500);
    const started = Date.now();
    let failedSubmissions = 0;
    const ids: string[] = [];
    opts.log(`starting ${opts.suggestions} suggestions`);
    await pool(opts.suggestions, 32, async (i) => {
      const res = await fetch(`${base}/v1/suggestions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${intakeKey}`, 'idempotency-key': `${queue}-${i}` },
        body,
      });
      if (res.status === 202) ids.push(((await res.json()) as { id: string }).id);
      else if ((failedSubmissions += 1) <= 5) opts.log(`submission ${i} refused: ${res.status} ${(await res.text()).slice(0, 300)}`);
      if (i % 1000 === 999) opts.log(`${i + 1} submitted`);
    });
    const startSeconds = (Date.now() - started) / 1000;
    // Waiting on its deadline: routed to the department, its response deadline weeks ahead.
    opts.log('waiting until every suggestion waits on its deadline');
    // Every accepted submission is a suggestion of its own: a receipt shared by two would be one lost.
    const expected = new Set(ids).size + 1;
    // A busy machine routes slowly; once none has been routed for this long, the figures are taken with those waiting so far.
    const stallMs = 600_000;
    let waiting = 0;
    let progressAt = Date.now();
    for (
      let last = -1;
      (waiting = await db.suggestion.count({ where: { title, status: 'handling' } })) < expected && Date.now() - progressAt < stallMs;
      last = waiting
    ) {
      if (waiting > last) progressAt = Date.now();
      await new Promise((r) => setTimeout(r, 1000));
    }
    const waitingSeconds = (Date.now() - started) / 1000;
    // Reads while they all wait: a suggestion in the middle of the batch.
    const readsOpen = await readLoad(readUrl(ids[Math.floor(ids.length / 2)] ?? warmId), supervisorKey, opts.readSeconds, 16);
    clearInterval(sampler);
    const workerSettled = treeRssBytes(worker.process.pid!);
    peak = Math.max(peak, workerSettled);
    const dbFile = servers.temporalDbFile;
    const size = (file: string) => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    };
    return {
      suggestions: ids.length,
      distinctReceipts: new Set(ids).size,
      waiting: Math.min(waiting, ids.length),
      maxCachedWorkflows,
      startSeconds,
      waitingSeconds,
      failedSubmissions,
      workerIdleMiB: workerIdle / MiB,
      workerPeakMiB: peak / MiB,
      workerSettledMiB: workerSettled / MiB,
      readsEmpty,
      readsOpen,
      temporalDbBytes: dbFile ? size(dbFile) + size(`${dbFile}-wal`) : undefined,
      loadAtStart,
      workerNodeOptions: nodeArgs.join(' '),
    };
  } finally {
    await db.$disconnect();
    await servers.stop();
  }
}

export function manyOpenReport(r: ManyOpenResult): string {
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  const mib = (n: number) => n.toFixed(0);
  return [
    `## Many open suggestions: ${r.suggestions.toLocaleString('en')} waiting on their deadlines`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}. ${loadNote(r.loadAtStart)}`,
    `Suggestions submitted through POST /v1/suggestions, 32 at a time; each is routed and then waits on its response deadline.`,
    `The worker ran as its own process with WORKER_MAX_CACHED_WORKFLOWS=${r.maxCachedWorkflows}${r.workerNodeOptions ? `, started with ${r.workerNodeOptions}` : ''}. Goal: its resident memory (the process and its children) under ${memoryBudgetMiB} MiB.`,
    '',
    table(
      ['measure', 'figure'],
      [
        ['suggestions open', r.suggestions],
        ['of them routed and waiting on their deadline', r.waiting],
        ['failed submissions', r.failedSubmissions],
        ['distinct tracking numbers among them', r.distinctReceipts],
        ['time until all were accepted (s)', r.startSeconds.toFixed(1)],
        [r.waiting === r.suggestions ? 'time until all waited on their deadline (s)' : 'time until the wait ran out (s)', r.waitingSeconds.toFixed(1)],
        ['submissions per second', (r.suggestions / r.startSeconds).toFixed(1)],
        ['worker resident memory with one suggestion open (MiB)', mib(r.workerIdleMiB)],
        ['worker resident memory, peak (MiB)', `${mib(r.workerPeakMiB)} (goal < ${memoryBudgetMiB}: ${r.workerPeakMiB < memoryBudgetMiB ? 'met' : 'not met'})`],
        ['worker resident memory, all waiting (MiB)', mib(r.workerSettledMiB)],
        ['of which per cached workflow (MiB)', ((r.workerSettledMiB - r.workerIdleMiB) / Math.max(1, Math.min(r.maxCachedWorkflows, r.waiting))).toFixed(2)],
        [
          'Temporal database (SQLite file and its log, MiB)',
          r.temporalDbBytes === undefined ? 'n/a (an existing server)' : (r.temporalDbBytes / MiB).toFixed(1),
        ],
        [
          'Temporal database per suggestion (KiB)',
          r.temporalDbBytes === undefined ? 'n/a' : (r.temporalDbBytes / 1024 / Math.max(1, r.suggestions)).toFixed(1),
        ],
      ],
    ),
    '',
    'Reads of one suggestion (GET /v1/suggestions/{id}, 16 connections) with none open (the baseline) and with all of them open, in the same run:',
    '',
    table(
      ['open suggestions', 'requests', 'p50 ms', 'p99 ms', 'failed'],
      [
        [0, r.readsEmpty.requests, r.readsEmpty.p50, r.readsEmpty.p99, r.readsEmpty.failed],
        [r.suggestions, r.readsOpen.requests, r.readsOpen.p50, r.readsOpen.p99, r.readsOpen.failed],
      ],
    ),
    '',
    `p99 ratio, all open against none open: ${ratio(r.readsOpen.p99, r.readsEmpty.p99)}. Reads come from the read model (PostgreSQL), not from the workflows, so the`,
    'number of open suggestions reaches them only through the shared machine. The cache bound, not the number of open suggestions, sets',
    "the worker's memory, with its V8 heap bounded to match (worker/heap.ts) so that garbage is collected before it piles up: a",
    'suggestion waiting weeks on a deadline is evicted and replays its short history when its timer fires.',
  ].join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: {
      suggestions: { type: 'string', default: '10000' },
      'read-seconds': { type: 'string', default: '10' },
      'max-cached-workflows': { type: 'string' },
      'worker-node-options': { type: 'string' },
      smoke: { type: 'boolean', default: false },
    },
  });
  const result = await benchManyOpen({
    suggestions: values.smoke ? 40 : Number(values.suggestions),
    readSeconds: values.smoke ? 2 : Number(values['read-seconds']),
    maxCachedWorkflows: values['max-cached-workflows'] ? Number(values['max-cached-workflows']) : undefined,
    workerNodeOptions: values['worker-node-options'],
    log: (m) => process.stderr.write(`[bench] ${m}\n`),
  });
  // The default run keeps its own section; a run at another scale (--suggestions 100000) writes one beside it.
  const section = values.suggestions === '10000' ? 'many-open' : `many-open-${values.suggestions}`;
  report(section, manyOpenReport(result), values.smoke!);
}

runWhenMain(module, main);
