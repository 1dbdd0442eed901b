import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { connectDatabase } from '../prisma/client';
import { percentile } from './support/load';
import { cpuSeconds, cpuUsedBetween, type Measured } from './support/process-cpu';
import { loadAverage, loadNote, machine, report, runWhenMain, table, temporalKind } from './support/report';
import { startIntakeSides } from './support/intake-sides';
import { startBenchServers } from './support/servers';
import { steadyLoad } from './support/steady-load';

// Sustained load: suggestions arrive at a steady rate while the worker registers and routes the
// earlier ones, every process at normal priority on the same machine, with no pause to work off a
// backlog. The rate climbs by a factor each window until the routed backlog (accepted, not yet
// with a department or the office's triage queue) stops being bounded; the highest bounded rate is
// then held for the long window. The baseline does the same with bare starts of the minimal
// workflow on the same servers in the same run, its backlog the workflows started and not yet done.

/** A window is bounded when the backlog grows by less than this share of the arrivals… */
const growthAllowed = 0.02;
/** …ends under this many seconds' worth of arrivals (each waits a few seconds at most, by Little's law)… */
const backlogSecondsAllowed = 5;
/** …and intake kept up: this share of the due requests accepted. */
const acceptedShareNeeded = 0.98;
const sampleEveryMs = 1_000;
/** Samples of a window's second half it takes to judge its growth (10 s of a 20-s window). */
const samplesForTrend = 10;

export interface LoadWindow {
  rate: number;
  seconds: number;
  due: number;
  accepted: number;
  failed: number;
  p50: number;
  p99: number;
  /** The backlog when the window ended, its largest sample, and its growth (per second, least squares over the window's second half). */
  backlogAtEnd: number;
  backlogMax: number;
  growthPerSecond: number;
  bounded: boolean;
  /** CPU milliseconds per accepted request on each measured server, from the window's start until its backlog was worked off. */
  cpuMs: Record<string, number>;
}

export interface SideResult {
  ramp: LoadWindow[];
  /** The highest rate of the ramp whose window was bounded (0: none was). */
  highest: number;
  /** Whether the climb reached a rate that was not bounded; if not, `highest` is only a lower bound (more steps, or a higher start). */
  limitFound: boolean;
  /** The long window at that rate. */
  hold?: LoadWindow;
}

export interface SustainedResult {
  service: SideResult;
  bare: SideResult;
  loadAtStart: number;
  holdSeconds: number;
  stepSeconds: number;
}

export interface SustainedOptions {
  /** The first rate of each side's ramp, requests per second. */
  serviceFrom: number;
  bareFrom: number;
  factor: number;
  maxSteps: number;
  stepSeconds: number;
  holdSeconds: number;
  log: (m: string) => void;
}

interface Side {
  name: 'service' | 'bare';
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** Accepted so far and not yet through (routed, or the minimal workflow done). */
  backlog(accepted: number): Promise<number>;
  servers: string[];
}

export async function benchSustained(opts: SustainedOptions): Promise<SustainedResult> {
  const loadAtStart = loadAverage();
  const servers = await startBenchServers(opts.log);
  try {
    // Every process at normal priority: the workers compete with intake for the same two cores.
    const { apiPort, barePort, baselineQueue, measured, key, body } = await startIntakeSides(servers);
    const db = connectDatabase(servers.databaseUrl, 2);
    const connection = await Connection.connect({ address: servers.temporalAddress });
    const temporal = new Client({ connection });
    try {
      const service: Side = {
        name: 'service',
        url: `http://127.0.0.1:${apiPort}/v1/suggestions`,
        headers: { authorization: `Bearer ${key}` },
        body,
        servers: ['temporal', 'postgres', 'api', 'worker'],
        backlog: async (accepted) => accepted - (await db.suggestion.count({ where: { title: body.title, status: { not: 'received' } } })),
      };
      const baseline: Side = {
        name: 'bare',
        url: `http://127.0.0.1:${barePort}/start`,
        headers: {},
        body,
        servers: ['temporal', 'postgres', 'bare', 'minimalWorker'],
        backlog: async () => (await temporal.workflow.count(`TaskQueue = '${baselineQueue}' AND ExecutionStatus = 'Running'`)).count,
      };
      const run = (side: Side, from: number) => climb(side, from, opts, measured);
      return {
        service: await run(service, opts.serviceFrom),
        bare: await run(baseline, opts.bareFrom),
        loadAtStart,
        holdSeconds: opts.holdSeconds,
        stepSeconds: opts.stepSeconds,
      };
    } finally {
      await db.$disconnect();
      await connection.close();
    }
  } finally {
    await servers.stop();
  }
}

/** One side: windows at a climbing rate until one is not bounded, then the long window at the highest that was. */
async function climb(side: Side, from: number, opts: SustainedOptions, measured: Record<string, Measured>): Promise<SideResult> {
  let total = 0;
  const window = async (rate: number, seconds: number): Promise<LoadWindow> => {
    const before = cpuSeconds(measured);
    const startedAt = Date.now();
    const samples: { t: number; backlog: number }[] = [];
    let accepted = total;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await new Promise((r) => setTimeout(r, sampleEveryMs));
        if (sampling) samples.push({ t: (Date.now() - startedAt) / 1000, backlog: await side.backlog(accepted) });
      }
    })();
    const result = await steadyLoad({
      url: side.url,
      body: side.body,
      headers: side.headers,
      rate,
      seconds,
      onAccepted: (n) => (accepted = total + n),
    });
    sampling = false;
    await sampler;
    total += result.accepted;
    const backlogAtEnd = await side.backlog(total);
    // Worked off before the next window, so that one does not inherit this one's backlog (not timed).
    const deadline = Date.now() + 600_000;
    while ((await side.backlog(total)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    const cpu = cpuUsedBetween(before, cpuSeconds(measured));
    const secondHalf = samples.filter((s) => s.t >= seconds / 2);
    const growthPerSecond = slope(secondHalf);
    // A few samples of a short window are bursts, not a trend: its growth is judged from its end alone.
    const growing = secondHalf.length >= samplesForTrend && growthPerSecond > growthAllowed * rate;
    const bounded = result.accepted >= acceptedShareNeeded * result.due && !growing && backlogAtEnd <= Math.max(5, backlogSecondsAllowed * rate);
    const w: LoadWindow = {
      rate,
      seconds,
      due: result.due,
      accepted: result.accepted,
      failed: result.failed,
      p50: percentile(result.latencies, 0.5),
      p99: percentile(result.latencies, 0.99),
      backlogAtEnd,
      backlogMax: Math.max(backlogAtEnd, ...samples.map((s) => s.backlog)),
      growthPerSecond,
      bounded,
      cpuMs: Object.fromEntries(side.servers.map((s) => [s, result.accepted > 0 ? (1000 * (cpu[s] ?? 0)) / result.accepted : 0])),
    };
    opts.log(
      `${side.name} at ${rate}/s for ${seconds} s: ${w.accepted}/${w.due} accepted, p99 ${w.p99} ms, backlog ${w.backlogAtEnd} (max ${w.backlogMax}, growing ${growthPerSecond.toFixed(2)}/s): ${bounded ? 'bounded' : 'not bounded'}`,
    );
    return w;
  };
  // A short window first, not counted, so the first measured one does not pay for JIT and pools.
  await window(from, Math.min(5, opts.stepSeconds));
  const ramp: LoadWindow[] = [];
  let rate = from;
  for (let step = 0; step < opts.maxSteps; step++) {
    const w = await window(rate, opts.stepSeconds);
    ramp.push(w);
    if (!w.bounded) break;
    rate = Math.round(rate * opts.factor * 10) / 10;
  }
  const highest = Math.max(0, ...ramp.filter((w) => w.bounded).map((w) => w.rate));
  const limitFound = ramp.some((w) => !w.bounded);
  const hold = highest > 0 ? await window(highest, opts.holdSeconds) : undefined;
  return { ramp, highest, limitFound, hold };
}

/** Least-squares slope of the backlog over time, per second. */
function slope(samples: { t: number; backlog: number }[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const mt = samples.reduce((s, x) => s + x.t, 0) / n;
  const mb = samples.reduce((s, x) => s + x.backlog, 0) / n;
  const num = samples.reduce((s, x) => s + (x.t - mt) * (x.backlog - mb), 0);
  const den = samples.reduce((s, x) => s + (x.t - mt) ** 2, 0);
  return den > 0 ? num / den : 0;
}

export function sustainedReport(result: SustainedResult): string {
  const onPostgres = temporalKind() === 'postgres';
  const total = (w: LoadWindow) => Object.values(w.cpuMs).reduce((s, v) => s + v, 0);
  const row = (side: string, kind: string, w: LoadWindow) => [
    side,
    kind,
    w.rate,
    w.seconds,
    `${w.accepted} / ${w.due}`,
    `${w.p50} / ${w.p99}`,
    w.backlogAtEnd,
    w.backlogMax,
    w.growthPerSecond.toFixed(2),
    w.bounded ? 'yes' : '**no**',
    total(w).toFixed(1),
  ];
  const rows = (['service', 'bare'] as const).flatMap((name) => {
    const side = result[name];
    const label = name === 'service' ? 'suggestions (API)' : 'bare starts';
    return [...side.ramp.map((w) => row(label, 'climb', w)), ...(side.hold ? [row(label, '**held**', side.hold)] : [])];
  });
  const { service, bare } = result;
  const ratio = bare.highest > 0 ? (service.highest / bare.highest).toFixed(2) : 'n/a';
  const heldNote = (name: string, side: SideResult) =>
    !side.hold
      ? `${name}: no window of the climb was bounded.`
      : `${name}: highest bounded rate ${side.highest}/s in the climb${side.limitFound ? '' : ' (every window of the climb was bounded: this is a lower bound)'}; held for ${side.hold.seconds} s it was ${side.hold.bounded ? 'bounded' : '**not bounded**'} (backlog ${side.hold.backlogAtEnd} at the end, at most ${side.hold.backlogMax}, growing ${side.hold.growthPerSecond.toFixed(2)}/s), intake p99 ${side.hold.p99} ms.`;
  return [
    onPostgres ? '## Sustained load on Temporal Server with PostgreSQL' : '## Sustained load: intake and routing overlapping, at normal priority',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}. ${loadNote(result.loadAtStart)}`,
    'Written by `npm run bench:sustained` (bench/sustained.ts). Requests arrive at a steady rate (an open loop: each is sent when due, whatever the server is doing, and its latency counts from then), while the worker registers and routes the earlier ones; API, worker, Temporal server and PostgreSQL all at normal priority on the same cores, no pause for the backlog. The backlog is what was accepted and is not yet through: for suggestions, not yet with a department or the triage queue in the read model; for the baseline, minimal workflows started and not done. The rate climbs by a factor each window until one is not bounded; the highest bounded rate is then held.',
    `A window is bounded when intake accepted ≥ ${acceptedShareNeeded * 100}% of the requests due, the backlog at its end is under ${backlogSecondsAllowed} s of arrivals, and, in a window long enough to show a trend (${samplesForTrend} samples ${sampleEveryMs / 1000} s apart in its second half), it grew over that half by less than ${growthAllowed * 100}% of the arrival rate. Climbing windows ${result.stepSeconds} s, the held one ${result.holdSeconds} s; CPU is milliseconds per accepted request summed over the side's servers, from the window's start until its backlog was worked off.`,
    '',
    table(
      [
        'side',
        'window',
        'rate /s',
        's',
        'accepted / due',
        'intake p50 / p99 ms',
        'backlog at end',
        'backlog max',
        'growth /s',
        'bounded',
        'CPU ms per request',
      ],
      rows,
    ),
    '',
    `- ${heldNote('Suggestions', service)}`,
    `- ${heldNote('Bare starts', bare)}`,
    `- Highest bounded rate, suggestions against bare starts: **${ratio}**.`,
  ].join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: {
      from: { type: 'string', default: '10' },
      'bare-from': { type: 'string', default: '30' },
      factor: { type: 'string', default: '1.25' },
      steps: { type: 'string', default: '20' },
      'step-seconds': { type: 'string', default: '30' },
      seconds: { type: 'string', default: '600' },
      smoke: { type: 'boolean', default: false },
    },
  });
  const smoke = values.smoke!;
  const result = await benchSustained({
    serviceFrom: Number(values.from),
    bareFrom: Number(values['bare-from']),
    factor: Number(values.factor),
    maxSteps: smoke ? 2 : Number(values.steps),
    stepSeconds: smoke ? 3 : Number(values['step-seconds']),
    holdSeconds: smoke ? 4 : Number(values.seconds),
    log: (m) => process.stderr.write(`[bench] ${m}\n`),
  });
  report(temporalKind() === 'postgres' ? 'sustained-on-postgres' : 'sustained', sustainedReport(result), smoke);
}

runWhenMain(module, main);
