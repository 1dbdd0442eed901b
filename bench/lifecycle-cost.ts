import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createApp } from '../api/app';
import { decryptHistory, KeyRing } from '../codec';
import { suggestionClientOptions } from '../temporal-client/issued-requests';
import { workflowIdFor } from '../domain/tracking-number';
import { connectDatabase, type Database } from '../prisma/client';
import { ensureTimeSkippingServer } from '../scripts/provision/time-skipping-server';
import { registerSearchAttributes } from '../workflows/register-search-attributes';
import { createSuggestionWorker } from '../worker/worker';
import { countActions, type ActionCount } from './support/actions';
import { machine, report, runWhenMain, table } from './support/report';
import { startBenchServers, type BenchServers } from './support/servers';
import { suggestionWorkflowType } from '../domain/workflow-types';

// The cost of one suggestion's lifecycle in Temporal Cloud's billable actions, counted from the
// real histories: the happy path (adopted, implemented, rated, checked) and the escalation path
// (overdue, extension, re-handling). Real durations run on the time-skipping server: the follow-up
// check comes three months after implementation. Proposers and departments act through the API.
// Goal: the happy path at most 15 actions.

export const happyPathBudget = 15;

export interface PathCost {
  path: string;
  steps: string[];
  cost: ActionCount;
}

/** Why each action of a lifecycle is there; docs/BENCHMARKS.md lists them. */
export const actionReasons: Record<string, string> = {
  [`start ${suggestionWorkflowType}`]:
    'the suggestion is registered: one durable workflow per suggestion (the search attributes supervisors filter on are given at start, free)',
  'local activities (per workflow task)':
    'the changes one workflow task makes, written at once before the suggestion waits: registration with its routing plan, then one projection into the read model and outbox (workflows/recording.ts), run in the worker as local activities',
  'activity routeToDepartment': "the office's routing rules, when a returned suggestion is routed again (PostgreSQL)",
  'search attribute upsert':
    "the supervisors' filters (SuggestionStatus, Department, DueAt, Overdue, DueAtProvisional) follow a change of state, once per wait and only for the values that changed",
  'update decide': 'the department decides (采纳)',
  'update reportProgress': 'the department reports a milestone done',
  'update rate': 'the proposer rates the reply (满意度)',
  'update answerFollowUp': 'the department answers the follow-up check (回头看)',
  'update requestExtension': 'the department asks for more time (延期)',
  'update decideExtension': 'a supervisor approves the extension',
};

/** Timers by their summary: the suggestion's one alarm (workflows/alarm.ts), named by the deadline it was set for. */
const timerReasons: Record<string, string> = {
  'next reminder or deadline': "the department's response deadline, or the reminder before it (催办); past it the suggestion is escalated (督办)",
  'rating window': "the alarm set for the proposer's rating window",
  'milestone due': "the alarm set for a milestone's due date",
  'milestone grace': "the alarm set for the end of a late milestone's grace",
  're-handling deadline': "the alarm set for the re-handling's answer",
  "the campaign's results or the response deadline": "a campaign's suggestion waits for the campaign's results, no longer than its response deadline",
};

export function reasonFor(item: string): string | undefined {
  if (item.startsWith('timer ')) return timerReasons[item.slice('timer '.length)] ?? 'a durable wait for a deadline';
  return actionReasons[item];
}

interface Harness {
  db: Database;
  env: TestWorkflowEnvironment;
  keys: KeyRing;
  call(method: string, path: string, body?: unknown, key?: string, headers?: Record<string, string>): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Moves the time-skipping server's clock (and with it the API's) on by `ms`. */
  skip(ms: number): Promise<void>;
  now(): Promise<number>;
  keyOf(role: 'intake' | 'supervisor' | 'department'): string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const submission = (title: string) => ({
  title,
  content: 'Passengers wait in the rain at the stop; a shelter like the one at Wujiaochang would help.',
  category: 'transport',
  district: 'yangpu',
  channel: 'web',
  publishConsent: true,
  proposer: { replyChannel: 'online' },
});

/** Waits until the read model shows what `check` looks for; the clock does not move meanwhile. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the feedback column is JSON
async function projected(h: Harness, id: string, what: string, check: (row: { status: string; overdue: boolean; feedback: any; version: number }) => boolean) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const row = await h.db.suggestion.findUnique({ where: { id } });
    if (row && check(row as never)) return row;
    if (Date.now() > deadline) throw new Error(`suggestion ${id}: timed out waiting for ${what} (status ${row?.status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function cost(h: Harness, id: string): Promise<ActionCount> {
  const handle = h.env.client.workflow.getHandle(workflowIdFor(id));
  // Polled rather than awaited: awaiting a result lets the time-skipping server race its clock ahead.
  const deadline = Date.now() + 60_000;
  while ((await handle.describe()).status.name !== 'COMPLETED') {
    if (Date.now() > deadline) throw new Error(`suggestion ${id}: the workflow did not complete (${(await handle.describe()).status.name})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // Decrypted so that timer summaries name the wait; the event types are the same either way.
  const history = await decryptHistory(await handle.fetchHistory(), h.keys);
  return countActions(history.events ?? []);
}

/** Submits a suggestion through the API and waits until the rule has routed it. */
async function submitRouted(h: Harness, title: string) {
  const steps = ['submitted through POST /v1/suggestions, routed by rule to transport'];
  const submitted = await h.call('POST', '/v1/suggestions', submission(title), h.keyOf('intake'));
  const id: string = submitted.id;
  const routed = await projected(h, id, 'routing', (r) => r.status === 'handling');
  const act = async (step: string, fn: () => Promise<unknown>) => {
    steps.push(step);
    await fn();
  };
  return { id, token: submitted.trackingToken as string, routed, steps, act, dept: h.keyOf('department') };
}

/** 采纳 → 落实 → 回访 → 回头看: adopted with one milestone, done, rated satisfied, checked three months on. */
async function happyPath(h: Harness, run: string): Promise<PathCost> {
  const { id, token, steps, act, dept } = await submitRouted(h, `A shelter at the bus stop (${run})`);
  await act('the department decides: adopted, one milestone', () =>
    h.call(
      'POST',
      `/v1/suggestions/${id}/decision`,
      {
        outcome: 'adopted',
        reply: 'A shelter will be built at the stop.',
        plan: {
          usage: ['livelihood_measure'],
          summary: 'A rain shelter at the stop.',
          milestones: [{ title: 'Build the shelter', ownerDepartment: 'transport', dueInWorkingDays: 10 }],
        },
      },
      dept,
    ),
  );
  const started = await projected(h, id, 'the plan', (r) => r.status === 'implementing');
  const milestone: string = (started.feedback as { implementation: { milestones: { id: string }[] } }).implementation.milestones[0].id;
  await act('the department reports the milestone done', () =>
    h.call('POST', `/v1/suggestions/${id}/implementation/milestones/${milestone}/progress`, { percent: 100, note: 'Shelter open.' }, dept),
  );
  await projected(h, id, 'implemented', (r) => r.status === 'implemented');
  await act('the proposer rates it satisfied', () =>
    h.call('POST', `/v1/suggestions/${id}/rating`, { rating: 'satisfied' }, undefined, { 'x-tracking-token': token }),
  );
  await projected(h, id, 'the rating', (r) => r.feedback.satisfaction.state === 'rated');
  steps.push('three months pass');
  await h.skip(95 * DAY);
  await projected(h, id, 'the follow-up check', (r) => r.feedback.implementation.followUp?.askedAt !== undefined);
  await act('the department confirms the change holds', () =>
    h.call('POST', `/v1/suggestions/${id}/implementation/follow-up`, { stillInPlace: true, note: 'Checked on site.' }, dept),
  );
  return { path: 'happy', steps, cost: await cost(h, id) };
}

/** 督办 → 延期 → 重新办理: overdue, extended, decided, rated dissatisfied, decided again, rated satisfied. */
async function escalationPath(h: Harness, run: string): Promise<PathCost> {
  const { id, token, routed, steps, act, dept } = await submitRouted(h, `A crossing light on Guoding Road (${run})`);
  const dueAt = (routed as unknown as { dueAt: Date }).dueAt.getTime();
  steps.push('the deadline passes: reminded twice, then escalated');
  await h.skip(dueAt - (await h.now()) + HOUR);
  await projected(h, id, 'the escalation', (r) => r.overdue);
  await act('the department asks for 15 more days', () =>
    h.call('POST', `/v1/suggestions/${id}/extension-request`, { days: 15, reason: 'A site visit with the bus operator is needed' }, dept),
  );
  await act('a supervisor approves', () =>
    h.call('POST', `/v1/suggestions/${id}/extension-decision`, { approve: true, reason: 'The visit is planned for next week' }, h.keyOf('supervisor')),
  );
  await projected(h, id, 'the extension', (r) => !r.overdue);
  await act('the department decides: for reference', () =>
    h.call(
      'POST',
      `/v1/suggestions/${id}/decision`,
      { outcome: 'for_reference', reason: 'Crossings are reviewed city-wide next year.', reply: 'Kept for the city-wide review.' },
      dept,
    ),
  );
  await projected(h, id, 'the reply', (r) => r.feedback.satisfaction.state === 'awaiting' && r.status === 'replied');
  await act('the proposer is dissatisfied: re-handling', () =>
    h.call('POST', `/v1/suggestions/${id}/rating`, { rating: 'dissatisfied', comment: 'Next year is too late.' }, undefined, { 'x-tracking-token': token }),
  );
  await projected(h, id, 're-handling', (r) => r.status === 'rehandling');
  await act('the department decides again: not adopted', () =>
    h.call(
      'POST',
      `/v1/suggestions/${id}/decision`,
      { outcome: 'not_adopted', reason: 'The budget of this year is spent.', reply: 'We looked again and cannot do it this year.' },
      dept,
    ),
  );
  await projected(h, id, 'the second reply', (r) => r.feedback.satisfaction.state === 'awaiting' && r.feedback.satisfaction.round === 2);
  await act('the proposer rates it satisfied', () =>
    h.call('POST', `/v1/suggestions/${id}/rating`, { rating: 'satisfied' }, undefined, { 'x-tracking-token': token }),
  );
  return { path: 'escalation', steps, cost: await cost(h, id) };
}

export async function benchLifecycleCost(opts: { log: (m: string) => void }): Promise<PathCost[]> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Installed already (by an earlier benchmark or test in this process).
  }
  const servers: BenchServers = await startBenchServers(opts.log, { devServer: false });
  let env: TestWorkflowEnvironment | undefined;
  let server: Server | undefined;
  const db = connectDatabase(servers.databaseUrl, 4);
  try {
    // Three months ahead may reach a year whose official schedule is not published yet.
    const keys = KeyRing.parse(servers.encryptionKeys);
    const path = process.env.TEST_TIME_SKIPPING_SERVER || (await ensureTimeSkippingServer(opts.log));
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } }, client: suggestionClientOptions(keys) });
    await registerSearchAttributes(env.connection, 'default');
    const taskQueue = `bench-${randomUUID().slice(0, 8)}`;
    // The API's clock follows the test server's, which moves ahead as time is skipped.
    let offset = 0;
    const app = createApp({ temporal: env.client, db, taskQueue, keys, now: () => new Date(Date.now() + offset) }, () => undefined);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const keysByRole = {
      intake: await servers.issueKey('intake'),
      supervisor: await servers.issueKey('supervisor'),
      department: await servers.issueKey('department', 'transport'),
    };
    const testEnv = env;
    const harness: Harness = {
      db,
      env: testEnv,
      keys,
      async call(method, route, body, key, headers = {}) {
        const res = await fetch(baseUrl + route, {
          method,
          headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${text}`);
        return text ? JSON.parse(text) : undefined;
      },
      async skip(ms) {
        await testEnv.sleep(ms);
        offset = (await testEnv.currentTimeMs()) - Date.now();
      },
      now: () => testEnv.currentTimeMs(),
      keyOf: (role) => keysByRole[role],
    };

    const worker = await createSuggestionWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      db,
      keys,
      workflowBundle: process.env.TEST_WORKFLOW_BUNDLE ? { codePath: process.env.TEST_WORKFLOW_BUNDLE } : undefined,
    });
    return await worker.runUntil(async () => {
      opts.log('happy path');
      const happy = await happyPath(harness, taskQueue);
      opts.log('escalation path');
      const escalation = await escalationPath(harness, taskQueue);
      return [happy, escalation];
    });
  } finally {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await db.$disconnect();
    await env?.teardown();
    await servers.stop();
  }
}

/** The items of a path's cost, largest first, each with its count and why it is there. */
function itemRows(cost: ActionCount): (string | number)[][] {
  return [...cost.items.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([item, n]) => [item, n, reasonFor(item) ?? '(no reason recorded)']);
}

/** Counted by this script on the workflow as it was before the changes below. */
const before = { happy: 40, escalation: 54 };

const merged = (updates: number, total: number) => `### Where the cost is decided

Before the cost was worked on, the happy path cost ${before.happy} actions and the escalation path ${before.escalation}: every change of
state was an activity task and an upsert, every look-up an activity task of its own, every wait a timer of its own. The
workflow now keeps the cost in three places, none of them in a stage:

- **Registration returns the routing plan** (\`activities/registration.ts\`): the read-model row with the sealed proposer details
  and the acknowledgement, and in the same local activity the office's time limits, the routing rule with the department's
  name, and the working-day calendar the suggestion carries (the official years, and the forecast of a year not yet
  published). Every deadline is then counted in the workflow on that calendar (\`workflows/deadlines.ts\`), a pure
  computation: no look-up activity for a deadline, a reminder time or a milestone's date, and no marker in the history for one.
  The only other activities are the projection and the routing rules when a returned suggestion is routed again.
- **One recording before every wait** (\`workflows/recording.ts\`): stages change the suggestion's state and queue notices;
  before the workflow waits, the changes are written at once, one projection (the row, its timeline events and its
  notifications in one statement) and one upsert of the search attributes whose value changed. All local activities of one
  workflow task are one action, so a decision with its reply and its plan costs one; a state passed without waiting
  (*decided*, *replied*) is on the timeline and in the read model but never upserted; a reminder, a progress report, a rating
  upsert nothing. Update handlers change the state synchronously and answer once the read model holds their change.
- **One alarm** (\`workflows/alarm.ts\`): the suggestion's waits share one durable timer, set for the next deadline it watches,
  set again only when an earlier one comes up or it rings, and left set when the thing it was set for is done early: a
  milestone done and a rating given before their deadlines cost no timer of their own.

Around the workflow: search attributes are given at start (status, category, district, channel, campaign, and the routing
intake forecasts: Department, DueAt, DueAtProvisional), so routing by rule upserts nothing (\`api/routing-forecast.ts\`); the
follow-up request is queued in the outbox for its day (\`send_after\`), so the day itself needs no workflow task; and the
follow-up answer's deadline months ahead is swept each morning by one Schedule for the whole city
(\`workflows/follow-up-sweep-workflow.ts\`), not timed by every suggestion.

What is left on the happy path is the people acting (one start and ${updates} updates: each is an action by the metering rules),
one local-activity batch for each of the five workflow tasks that change state (registration and routing, then each update's
change), one upsert for each status supervisors filter on after routing (implementing, implemented, closed) and two timers
(the response deadline; the alarm after the decision, set for the milestone's due date). The goal of ${happyPathBudget} is
${total <= happyPathBudget ? 'met' : 'not met'}. Each remaining action stands for something the regulation or the supervisors need: a decision, a report or
a rating given by a person; a durable record of it in the read model and the outbox; a status supervisors filter on; a
deadline that escalates.`;

export function lifecycleReport(paths: PathCost[]): string {
  const happy = paths.find((p) => p.path === 'happy')!;
  const summary = paths.map((p) => [
    p.path,
    p.cost.total,
    p.cost.events,
    p.path === 'happy' ? (p.cost.total <= happyPathBudget ? `≤ ${happyPathBudget}: met` : `≤ ${happyPathBudget}: not met`) : '—',
  ]);
  return [
    '## Cost of a lifecycle: billable actions per suggestion',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; the time-skipping test server instead of the dev server, so that`,
    "deadlines and the three-month follow-up pass. Counted from the real histories by the rules of Temporal Cloud's action metering",
    '(`bench/support/actions.ts`); departments, supervisors and the proposer act through the API. Counts do not depend on the machine.',
    '',
    table(['path', 'billable actions', 'history events', 'goal'], summary),
    '',
    ...paths.flatMap((p) => [
      `### ${p.path === 'happy' ? 'Happy path' : 'Escalation path'}: ${p.cost.total} actions`,
      '',
      p.steps.map((s, i) => `${i + 1}. ${s}`).join('\n'),
      '',
      table(['action', 'count', 'why it is needed'], itemRows(p.cost)),
      '',
    ]),
    `Happy path: ${happy.cost.total} actions (goal ≤ ${happyPathBudget}).`,
    '',
    merged(
      [...happy.cost.items].filter(([item]) => item.startsWith('update ')).reduce((n, [, count]) => n + count, 0),
      happy.cost.total,
    ),
  ].join('\n');
}

async function main() {
  const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false } } });
  const paths = await benchLifecycleCost({ log: (m) => process.stderr.write(`[bench] ${m}\n`) });
  report('lifecycle-cost', lifecycleReport(paths), values.smoke!);
}

runWhenMain(module, main);
