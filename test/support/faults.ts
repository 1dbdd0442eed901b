import { randomUUID } from 'node:crypto';
import type { Connection } from '@temporalio/client';
import { hashApiKey } from '../../api/auth';
import type { StaffRole } from '../../domain/vocabulary';
import { connectDatabase, type Database } from '../../prisma/client';
import { ownDatabase, startServiceProcess, type ServiceProcess } from './service-process';
import { eventually } from './stack';

// Fault tests run the service as it is deployed: the API and the worker as processes of their
// own, with a database of their own, driven through the API by simulated departments, the office
// and proposers, while a test breaks something underneath. Then nothing may be lost or doubled.

/** A reproducible random source (mulberry32): a failing fault run is repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FAULT_SEED reruns a reported run; otherwise a fresh seed, printed so the run can be repeated. */
export function faultSeed(test: string): number {
  const seed = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : Math.floor(Math.random() * 2 ** 31);
  process.stderr.write(`[${test}] seed ${seed} (rerun with FAULT_SEED=${seed})\n`);
  return seed;
}

export interface ServiceStack {
  db: Database;
  taskQueue: string;
  apiUrl: string;
  api: ServiceProcess;
  worker: ServiceProcess;
  keys: { intake: string; office: string; transport: string };
  /** SIGKILL, as the kernel's OOM killer or a lost machine would: no shutdown, no cleanup. */
  killWorker(): Promise<void>;
  /** The last lines each process wrote, and whether it is still running: for failure messages. */
  tail(lines?: number): string;
  /** A new worker process on the same task queue, running once it polls. */
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The API and the worker as separate processes (api/main.ts, worker/main.ts) on a task queue and
 * a database of their own, against `temporalAddress`. Everything started is stopped by stop(),
 * also when start-up fails half-way.
 */
export async function startServiceStack(temporalAddress: string): Promise<ServiceStack> {
  const database = await ownDatabase();
  const db = connectDatabase(database.url, 4);
  const env = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: `faults-${randomUUID()}`,
    WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE,
    PORT: '0',
    LOG_LEVEL: 'info',
    // The simulated proposers all rate from this machine's address.
    RATE_LIMIT_INTAKE_PER_MINUTE: '1000000',
    RATE_LIMIT_READS_PER_MINUTE: '1000000',
  };
  const processes: ServiceProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await db.$disconnect();
    await database.drop();
  };
  const issueKey = async (role: StaffRole, departmentCode?: string) => {
    const key = `fault-${randomUUID()}`;
    await db.apiKey.create({ data: { id: randomUUID(), hash: hashApiKey(key), label: `${role} fault-test key`, role, departmentCode } });
    return key;
  };
  const startWorker = async () => {
    const worker = startServiceProcess('worker/main.ts', env);
    processes.push(worker);
    stack.worker = worker;
    await worker.waitForLine('the worker running', (e) => e.msg === 'Worker state changed' && e.state === 'RUNNING');
  };
  const stack = { db, taskQueue: env.TEMPORAL_TASK_QUEUE, stop, startWorker } as ServiceStack;
  try {
    stack.api = startServiceProcess('api/main.ts', env);
    processes.push(stack.api);
    stack.apiUrl = ((await stack.api.waitForLine('its address', (e) => e.msg === 'API listening')) as { url: string }).url;
    const [intake, office, transport] = await Promise.all([issueKey('intake'), issueKey('office'), issueKey('department', 'transport')]);
    stack.keys = { intake, office, transport };
    await startWorker();
  } catch (err) {
    await stop();
    throw err;
  }
  stack.tail = (lines = 15) =>
    (['api', 'worker'] as const)
      .map((name) => {
        const p = stack[name];
        const state = p.child.exitCode !== null || p.child.signalCode !== null ? `exited ${p.child.exitCode ?? p.child.signalCode}` : 'running';
        return `${name} (${state}):\n${p.lines
          .slice(-lines)
          .map((l) => l.slice(0, 400))
          .join('\n')}`;
      })
      .join('\n');
  stack.killWorker = async () => {
    const { child } = stack.worker;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  };
  return stack;
}

// ---------------------------------------------------------------------------------------------
// Simulated people acting through the API

/** The read model row the driver acts on. */
interface Row {
  id: string;
  status: string;
  outcome: string | null;
  leadDepartment: string | null;
  feedback: unknown;
}

interface Satisfaction {
  state?: string;
  round?: number;
  ratings?: { rating: string }[];
}

const satisfactionOf = (row: Row): Satisfaction => ((row.feedback ?? {}) as { satisfaction?: Satisfaction }).satisfaction ?? {};
/** The reply of `round` is out and waits for the proposer's rating. */
const awaitingRating = (round: number) => (row: Row) =>
  row.status === 'replied' && satisfactionOf(row).state === 'awaiting' && satisfactionOf(row).round === round;

type Actor = 'office' | 'transport' | 'proposer';

interface Step {
  name: string;
  when(row: Row): boolean;
  by: Actor;
  path: (id: string) => string;
  body: unknown;
}

const decide = (name: string, outcome: 'not_adopted' | 'for_reference', when: (row: Row) => boolean): Step => ({
  name,
  when,
  by: 'transport',
  path: (id) => `/v1/suggestions/${id}/decision`,
  body: { outcome, reason: 'The junction is rebuilt next year; the stop moves with it.', reply: 'We will take this up with the junction works.' },
});
const rate = (round: number, rating: 'satisfied' | 'dissatisfied'): Step => ({
  name: `rate-${round}`,
  when: awaitingRating(round),
  by: 'proposer',
  path: (id) => `/v1/suggestions/${id}/rating`,
  body: { rating, ...(rating === 'dissatisfied' ? { comment: 'Please look at it again.' } : {}) },
});

/**
 * The lifecycles the simulated people take a suggestion through, each with the state it must end
 * in and the notifications it must have caused, once each. Keys numbered by the workflow's
 * version (`assigned-7`) are compared without the number.
 */
export const lifecycles = {
  /** Routed by the rules to its department, which has not answered yet. */
  routed: {
    category: 'transport',
    steps: [],
    final: (r: Row) => r.status === 'handling' && r.leadDepartment === 'transport',
    expected: { status: 'handling', outcome: null, ratings: '' },
    notifications: ['acknowledgement', 'assigned-#'],
  },
  /** Not adopted, the proposer satisfied: closed. */
  satisfied: {
    category: 'transport',
    steps: [decide('decide', 'not_adopted', (r) => r.status === 'handling'), rate(1, 'satisfied')],
    final: (r: Row) => r.status === 'closed' && r.outcome === 'not_adopted' && ratingsOf(r) === 'satisfied',
    expected: { status: 'closed', outcome: 'not_adopted', ratings: 'satisfied' },
    notifications: ['acknowledgement', 'assigned-#', 'reply-1', 'rated-1'],
  },
  /** Kept for reference; the reply waits for its rating. */
  replied: {
    category: 'transport',
    steps: [decide('decide', 'for_reference', (r) => r.status === 'handling')],
    final: (r: Row) => awaitingRating(1)(r) && r.outcome === 'for_reference',
    expected: { status: 'replied', outcome: 'for_reference', ratings: '' },
    notifications: ['acknowledgement', 'assigned-#', 'reply-1'],
  },
  /** Dissatisfied with the first answer: re-handled (重新办理), decided again, then satisfied. */
  rehandled: {
    category: 'transport',
    steps: [
      decide('decide', 'not_adopted', (r) => r.status === 'handling'),
      rate(1, 'dissatisfied'),
      decide('decide-again', 'for_reference', (r) => r.status === 'rehandling'),
      rate(2, 'satisfied'),
    ],
    final: (r: Row) => r.status === 'closed' && r.outcome === 'for_reference' && ratingsOf(r) === 'dissatisfied,satisfied',
    expected: { status: 'closed', outcome: 'for_reference', ratings: 'dissatisfied,satisfied' },
    notifications: ['acknowledgement', 'assigned-#', 'reply-1', 'rated-1', 'rehandling-department', 'rehandling-supervisors', 'reply-2', 'rated-2'],
  },
  /** No rule for its category: the office routes it by hand, the department answers. */
  triaged: {
    category: 'other',
    steps: [
      {
        name: 'assign',
        when: (r: Row) => r.status === 'triage',
        by: 'office' as const,
        path: (id: string) => `/v1/suggestions/${id}/assignment`,
        body: { leadDepartment: 'transport', reason: 'The bus company answers to transport.' },
      },
      decide('decide', 'not_adopted', (r) => r.status === 'handling' && r.leadDepartment === 'transport'),
    ],
    final: (r: Row) => awaitingRating(1)(r) && r.outcome === 'not_adopted' && r.leadDepartment === 'transport',
    expected: { status: 'replied', outcome: 'not_adopted', ratings: '' },
    notifications: ['acknowledgement', 'triage-#', 'assigned-#', 'reply-1'],
  },
} satisfies Record<string, { category: string; steps: readonly Step[]; final(r: Row): boolean; expected: object; notifications: string[] }>;

export type Lifecycle = keyof typeof lifecycles;

/**
 * The lifecycle of the i-th suggestion of a load: most take one or two actions, one in ten goes
 * the long way through re-handling.
 */
export function lifecycleOf(i: number): Lifecycle {
  const mix: Lifecycle[] = ['routed', 'replied', 'satisfied', 'routed', 'replied', 'satisfied', 'triaged', 'replied', 'routed', 'rehandled'];
  return mix[i % mix.length];
}

function ratingsOf(row: Row): string {
  return (satisfactionOf(row).ratings ?? []).map((r) => r.rating).join(',');
}

export interface Answer {
  status: number;
  body: any;
}

interface Tracked {
  id: string;
  lifecycle: Lifecycle;
  token: string;
  intakeKey: string;
  intakeBody: Record<string, unknown>;
  /** The first answer to the submission that was not an error. */
  receipt: Answer;
  next: number;
  busy: boolean;
  done: boolean;
}

/**
 * Drives suggestions through their lifecycles as the people involved would: each action is sent
 * once its precondition shows in the read model, and an action that got no answer, or a 5xx, is
 * retried with the same Idempotency-Key until it is answered. Errors are counted, not hidden.
 */
export class LifecycleDriver {
  readonly suggestions = new Map<string, Tracked>();
  /** Every answer an Idempotency-Key got, in order: retries must repeat the first result. */
  readonly answers = new Map<string, Answer[]>();
  readonly errors: string[] = [];
  readonly refusals: string[] = [];
  /** How long each kind of action took to be answered, retries included (ms). */
  readonly latencies = new Map<string, number[]>();
  private slots: number;
  private waiting: (() => void)[] = [];
  private polling?: Promise<void>;
  private stopped = false;

  /**
   * `requestTimeoutMs`: how long a client waits for an answer before it gives up and retries, as
   * a kiosk or a department's desk software would; unset, it waits as long as the API takes.
   */
  constructor(
    private readonly stack: ServiceStack,
    private readonly options: { concurrency?: number; requestTimeoutMs?: number } = {},
  ) {
    this.slots = options.concurrency ?? 64;
  }

  /** Sends until answered without a transport error or a 5xx; keeps every answer under its key. */
  async send(method: string, path: string, by: Actor | 'intake', body: unknown, idempotencyKey: string, token?: string): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': idempotencyKey };
    if (by === 'proposer') headers['x-tracking-token'] = token!;
    else headers.authorization = `Bearer ${this.stack.keys[by]}`;
    for (let attempt = 1; ; attempt++) {
      await this.acquire();
      let answer: Answer | undefined;
      try {
        const signal = this.options.requestTimeoutMs ? AbortSignal.timeout(this.options.requestTimeoutMs) : undefined;
        const res = await fetch(this.stack.apiUrl + path, { method, headers, body: JSON.stringify(body), signal });
        const text = await res.text();
        answer = { status: res.status, body: text ? JSON.parse(text) : undefined };
      } catch (err) {
        this.errors.push(`${method} ${path}: ${(err as Error).message}`);
      } finally {
        this.release();
      }
      if (answer) {
        const seen = this.answers.get(idempotencyKey) ?? [];
        seen.push(answer);
        this.answers.set(idempotencyKey, seen);
        if (answer.status < 500) return answer;
        this.errors.push(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      }
      if (this.stopped) throw new Error(`${method} ${path}: gave up when the driver stopped`);
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * attempt)));
    }
  }

  /** Submits one suggestion for `lifecycle`; its Idempotency-Key is `intakeKey`. */
  async submit(lifecycle: Lifecycle, intakeKey = `intake-${randomUUID()}`): Promise<string> {
    const intakeBody = {
      title: `Move the bus stop on Guoding Road (${lifecycle})`,
      content: 'The stop sits right after the crossing, so buses block the junction at rush hour.',
      category: lifecycles[lifecycle].category,
      district: 'yangpu',
      channel: 'web',
      proposer: { phone: '13800000009', replyChannel: 'sms' },
    };
    const answer = await this.send('POST', '/v1/suggestions', 'intake', intakeBody, intakeKey);
    if (answer.status !== 202) throw new Error(`intake refused ${answer.status}: ${JSON.stringify(answer.body)}`);
    const id: string = answer.body.id;
    this.suggestions.set(id, { id, lifecycle, token: answer.body.trackingToken, intakeKey, intakeBody, receipt: answer, next: 0, busy: false, done: false });
    this.polling ??= this.poll();
    return id;
  }

  /** Resolves once every submitted suggestion has reached its lifecycle's final state. */
  async settled(timeoutMs: number, log: (line: string) => void = () => undefined): Promise<void> {
    const progress = setInterval(() => log(`open: ${this.pendingSummary()}; ${this.latencySummary()}`), 15_000);
    try {
      await eventually(
        async () => {
          if (this.stopped) throw new Error('the driver was stopped');
          return [...this.suggestions.values()].every((s) => s.done);
        },
        'every suggestion to reach its final state',
        timeoutMs,
      );
    } catch (err) {
      throw new Error(
        `${(err as Error).message}; still open: ${this.pendingSummary()}; refused: ${this.refusals.slice(0, 5).join(' | ')}\n${this.stack.tail()}`,
        { cause: err },
      );
    } finally {
      clearInterval(progress);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.polling;
  }

  private pendingSummary(): string {
    const open = [...this.suggestions.values()].filter((s) => !s.done);
    const byStep = new Map<string, number>();
    for (const s of open) {
      const where = `${s.lifecycle}@${lifecycles[s.lifecycle].steps[s.next]?.name ?? 'final'}`;
      byStep.set(where, (byStep.get(where) ?? 0) + 1);
    }
    return `${open.length} suggestions (${[...byStep].map(([k, n]) => `${k}: ${n}`).join(', ')})`;
  }

  /**
   * Refusals other than "not yet". Right after a crash the read model can show a state a moment
   * before the workflow, replaying, has it again; a department acting then is told 403 (no lead
   * department yet) or 409 (wrong state) and acts again on a later look, as staff would.
   */
  unexpectedRefusals(): string[] {
    return this.refusals.filter((r) => !/: (403|409) /.test(r));
  }

  /** Median and slowest answer time of each kind of action. */
  latencySummary(): string {
    return [...this.latencies]
      .map(([step, took]) => {
        const sorted = [...took].sort((a, b) => a - b);
        return `${step} p50 ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted[sorted.length - 1]} ms`;
      })
      .join('; ');
  }

  /** One read of every open suggestion's row at a time, then the actions whose moment has come. */
  private async poll(): Promise<void> {
    while (!this.stopped) {
      const open = [...this.suggestions.values()].filter((s) => !s.done && !s.busy);
      if (open.length > 0) {
        const rows = await this.stack.db.suggestion.findMany({
          where: { id: { in: open.map((s) => s.id) } },
          select: { id: true, status: true, outcome: true, leadDepartment: true, feedback: true },
        });
        for (const row of rows) this.advance(this.suggestions.get(row.id)!, row);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private advance(s: Tracked, row: Row): void {
    const lifecycle = lifecycles[s.lifecycle];
    const step: Step | undefined = lifecycle.steps[s.next];
    if (!step) {
      s.done = lifecycle.final(row);
      return;
    }
    if (!step.when(row)) return;
    s.busy = true;
    const startedAt = Date.now();
    void this.send('POST', step.path(s.id), step.by, step.body, `${s.id}:${step.name}`, s.token)
      .then((answer) => {
        const took = this.latencies.get(step.name) ?? [];
        took.push(Date.now() - startedAt);
        this.latencies.set(step.name, took);
        if (answer.status === 200) s.next += 1;
        else this.refusals.push(`${s.id} ${step.name}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      })
      .catch((err: Error) => this.errors.push(err.message))
      .finally(() => (s.busy = false));
  }

  private async acquire(): Promise<void> {
    if (this.slots > 0) {
      this.slots -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.slots += 1;
  }
}

// ---------------------------------------------------------------------------------------------
// What must hold afterwards

/** A notification's key within its suggestion, with the workflow's version number masked. */
export function notificationKind(id: string, suggestionId: string): string {
  const key = id.slice(suggestionId.length + 1);
  return /^(assigned|triage)-\d+$/.test(key) ? key.replace(/\d+$/, '#') : key;
}

/**
 * The read model holds exactly the driven suggestions, each in its lifecycle's final state; each
 * caused exactly its expected notifications, each delivered once. Returns what is wrong.
 */
export async function lostOrDoubled(stack: ServiceStack, driver: LifecycleDriver): Promise<string[]> {
  const problems: string[] = [];
  // The dispatcher sends what the last steps queued a moment after them.
  await eventually(async () => (await stack.db.notification.count({ where: { status: 'pending' } })) === 0, 'the outbox to drain', 60_000).catch(
    () => undefined,
  );
  const rows = await stack.db.suggestion.findMany({ select: { id: true, status: true, outcome: true, leadDepartment: true, feedback: true } });
  if (rows.length !== driver.suggestions.size) problems.push(`the read model has ${rows.length} rows for ${driver.suggestions.size} suggestions`);
  for (const row of rows) {
    const s = driver.suggestions.get(row.id);
    if (!s) {
      problems.push(`${row.id} is in the read model but was never accepted`);
      continue;
    }
    const { expected } = lifecycles[s.lifecycle];
    const actual = { status: row.status, outcome: row.outcome, ratings: ratingsOf(row) };
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      problems.push(`${row.id} (${s.lifecycle}) ended ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }

  const notifications = await stack.db.notification.findMany({ select: { id: true, suggestionId: true, status: true } });
  const mailbox = await stack.db.mailboxMessage.findMany({ select: { id: true } });
  const delivered = new Map<string, number>();
  for (const m of mailbox) delivered.set(m.id, (delivered.get(m.id) ?? 0) + 1);
  const bySuggestion = new Map<string, string[]>();
  for (const n of notifications) {
    const kinds = bySuggestion.get(n.suggestionId!) ?? [];
    kinds.push(notificationKind(n.id, n.suggestionId!));
    bySuggestion.set(n.suggestionId!, kinds);
    if (n.status !== 'sent') problems.push(`notification ${n.id} is ${n.status}`);
    if (delivered.get(n.id) !== 1) problems.push(`notification ${n.id} was delivered ${delivered.get(n.id) ?? 0} times`);
  }
  for (const id of delivered.keys()) if (!notifications.some((n) => n.id === id)) problems.push(`${id} was delivered but never queued`);
  for (const s of driver.suggestions.values()) {
    const actual = (bySuggestion.get(s.id) ?? []).sort();
    const expected = [...lifecycles[s.lifecycle].notifications].sort();
    if (actual.join() !== expected.join()) problems.push(`${s.id} (${s.lifecycle}) notified [${actual.join(', ')}], expected [${expected.join(', ')}]`);
  }
  return problems;
}

/** Workflow runs per workflow id on the task queue, from Temporal's visibility store. */
export async function workflowRuns(connection: Connection, query: string): Promise<Map<string, number>> {
  const runs = new Map<string, number>();
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await connection.workflowService.listWorkflowExecutions({ namespace: 'default', query, pageSize: 1000, nextPageToken });
    for (const e of page.executions) {
      const id = e.execution!.workflowId!;
      runs.set(id, (runs.get(id) ?? 0) + 1);
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return runs;
}

/**
 * Asks every workflow in `ids` for its state, a few at a time, and returns those that do not
 * answer with their error. A worker answers a query by replaying the history, so a history
 * that no longer replays (or a workflow task that keeps failing) shows here.
 */
export async function unanswered(connection: Connection, taskQueue: string, ids: string[]): Promise<string[]> {
  const failures: string[] = [];
  const queue = [...ids];
  const ask = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      try {
        const answer = await connection.withDeadline(Date.now() + 20_000, () =>
          connection.workflowService.queryWorkflow({ namespace: 'default', execution: { workflowId: id }, query: { queryType: 'state' } }),
        );
        if (answer.queryRejected) failures.push(`${id}: rejected (${answer.queryRejected.status})`);
      } catch (err) {
        failures.push(`${id} (task queue ${taskQueue}): ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, ask));
  return failures;
}
