import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createApp } from '../api/app';
import { decryptHistory, encryptedDataConverter, KeyRing } from '../codec';
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
  [`start ${suggestionWorkflowType}`]: 'the suggestion is registered: one durable workflow per suggestion (the search attributes supervisors filter on are given at start, free)',
  'activity registerSuggestion': 'the read-model row, the sealed proposer details and the acknowledgement in the outbox, in one transaction',
  'activity handlingTerms': 'the configured time limits of the channel and category (PostgreSQL)',
  'activity deadlineFrom': 'a deadline in working days, from the calendar in PostgreSQL',
  'activity routeToDepartment': "the office's routing rules (PostgreSQL)",
  'activity reminderTimes': 'when to remind the department, in working days before the deadline',
  'local activities (per workflow task)':
    'the look-ups (time limits, working-day deadlines, routing rules, reminder times) and the projections into the read model and outbox that one workflow task needs, all run in the worker as local activities',
  'activity projectSuggestion': 'a change of state, its timeline events and its notifications written to the read model and outbox in one transaction',
  'activity feedbackTerms': 'the configured rating window and follow-up delay',
  'activity milestoneDueDates': "the plan's milestones dated in working days",
  'search attribute upsert': "the supervisors' filters (SuggestionStatus, Department, DueAt, Overdue) follow a change of state",
  'update decide': 'the department decides (采纳)',
  'update reportProgress': 'the department reports a milestone done',
  'update rate': 'the proposer rates the reply (满意度)',
  'update answerFollowUp': 'the department answers the follow-up check (回头看)',
  'update requestExtension': 'the department asks for more time (延期)',
  'update decideExtension': 'a supervisor approves the extension',
};

/** Timers by their summary: the handling stage's wait, and the one alarm after the decision named by the deadline it was set for. */
const timerReasons: Record<string, string> = {
  'next reminder or deadline': "the department's response deadline, or the reminder before it (催办); past it the suggestion is escalated (督办)",
  'rating window': "the one alarm after the decision (workflows/alarm.ts), set for the earliest deadline still awaited: here the proposer's rating window",
  'milestone due': "the one alarm after the decision (workflows/alarm.ts), set for the earliest deadline still awaited: here a milestone's due date",
  'milestone grace': "the one alarm after the decision (workflows/alarm.ts), set for the earliest deadline still awaited: here a late milestone's grace",
  'follow-up answer': "the one alarm after the decision (workflows/alarm.ts), set for the earliest deadline still awaited: here the follow-up check's answer",
  'follow-up date': 'the one alarm after the decision, set for the follow-up date (only while the calendar of its year is not loaded)',
  're-handling deadline': "the one alarm after the decision (workflows/alarm.ts), set for the earliest deadline still awaited: here the re-handling's answer",
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
async function projected(h: Harness, id: string, what: string, check: (row: { status: string; overdue: boolean; feedback: any; version: number }) => boolean) { // eslint-disable-line @typescript-eslint/no-explicit-any
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
    h.call('POST', `/v1/suggestions/${id}/decision`, {
      outcome: 'adopted',
      reply: 'A shelter will be built at the stop.',
      plan: { usage: ['livelihood_measure'], summary: 'A rain shelter at the stop.', milestones: [{ title: 'Build the shelter', ownerDepartment: 'transport', dueInWorkingDays: 10 }] },
    }, dept),
  );
  const started = await projected(h, id, 'the plan', (r) => r.status === 'implementing');
  const milestone: string = (started.feedback as { implementation: { milestones: { id: string }[] } }).implementation.milestones[0].id;
  await act('the department reports the milestone done', () => h.call('POST', `/v1/suggestions/${id}/implementation/milestones/${milestone}/progress`, { percent: 100, note: 'Shelter open.' }, dept));
  await projected(h, id, 'implemented', (r) => r.status === 'implemented');
  await act('the proposer rates it satisfied', () => h.call('POST', `/v1/suggestions/${id}/rating`, { rating: 'satisfied' }, undefined, { 'x-tracking-token': token }));
  await projected(h, id, 'the rating', (r) => r.feedback.satisfaction.state === 'rated');
  steps.push('three months pass');
  await h.skip(95 * DAY);
  await projected(h, id, 'the follow-up check', (r) => r.feedback.implementation.followUp?.askedAt !== undefined);
  await act('the department confirms the change holds', () => h.call('POST', `/v1/suggestions/${id}/implementation/follow-up`, { stillInPlace: true, note: 'Checked on site.' }, dept));
  return { path: 'happy', steps, cost: await cost(h, id) };
}

/** 督办 → 延期 → 重新办理: overdue, extended, decided, rated dissatisfied, decided again, rated satisfied. */
async function escalationPath(h: Harness, run: string): Promise<PathCost> {
  const { id, token, routed, steps, act, dept } = await submitRouted(h, `A crossing light on Guoding Road (${run})`);
  const dueAt = (routed as unknown as { dueAt: Date }).dueAt.getTime();
  steps.push('the deadline passes: reminded twice, then escalated');
  await h.skip(dueAt - (await h.now()) + HOUR);
  await projected(h, id, 'the escalation', (r) => r.overdue);
  await act('the department asks for 15 more days', () => h.call('POST', `/v1/suggestions/${id}/extension-request`, { days: 15, reason: 'A site visit with the bus operator is needed' }, dept));
  await act('a supervisor approves', () => h.call('POST', `/v1/suggestions/${id}/extension-decision`, { approve: true, reason: 'The visit is planned for next week' }, h.keyOf('supervisor')));
  await projected(h, id, 'the extension', (r) => !r.overdue);
  await act('the department decides: for reference', () => h.call('POST', `/v1/suggestions/${id}/decision`, { outcome: 'for_reference', reason: 'Crossings are reviewed city-wide next year.', reply: 'Kept for the city-wide review.' }, dept));
  await projected(h, id, 'the reply', (r) => r.feedback.satisfaction.state === 'awaiting' && r.status === 'replied');
  await act('the proposer is dissatisfied: re-handling', () => h.call('POST', `/v1/suggestions/${id}/rating`, { rating: 'dissatisfied', comment: 'Next year is too late.' }, undefined, { 'x-tracking-token': token }));
  await projected(h, id, 're-handling', (r) => r.status === 'rehandling');
  await act('the department decides again: not adopted', () => h.call('POST', `/v1/suggestions/${id}/decision`, { outcome: 'not_adopted', reason: 'The budget of this year is spent.', reply: 'We looked again and cannot do it this year.' }, dept));
  await projected(h, id, 'the second reply', (r) => r.feedback.satisfaction.state === 'awaiting' && r.feedback.satisfaction.round === 2);
  await act('the proposer rates it satisfied', () => h.call('POST', `/v1/suggestions/${id}/rating`, { rating: 'satisfied' }, undefined, { 'x-tracking-token': token }));
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
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } }, client: { dataConverter: encryptedDataConverter(keys) } });
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
  return [...cost.items.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([item, n]) => [item, n, reasonFor(item) ?? '(no reason recorded)']);
}

/** Counted by this script on the workflow as it was before the changes below, and after the first round of them. */
const before = { happy: 40, escalation: 54 };
const firstRound = { happy: 21, escalation: 32 };

const merged = (updates: number, total: number) => `### What was merged to avoid the rest

Before these changes the happy path cost ${before.happy} actions and the escalation path ${before.escalation}: every change of state was an
activity task and an upsert (10 of each on the happy path), every look-up an activity task of its own (5 deadlines, 2 sets
of terms, the routing rules, the reminder times, the milestone dates), and every wait a timer of its own. Now:

- **Look-ups and projections run as local activities** (\`workflows/activities.ts\`): all local activities of one workflow task are
  one action, so registering and routing a new suggestion (the read-model row with the sealed proposer details and the
  acknowledgement, the terms, two deadlines, the rule, the returnable-until date, the projection, the reminder times) costs
  one, and a decision with its reply and its plan costs one. They are short, idempotent reads and writes of PostgreSQL: the
  projection only moves a row forward in version, timeline events and outbox rows are keyed. They take turns, so an update's
  projection and the next step's never run at once: their order on replay is then the order they ran in.
- **Routing's look-ups are done at once** (\`workflows/stages/handling-lookups.ts\`): the first workflow task runs three local
  activities (registration, \`handlingLookups\`, the projection) where it ran nine; the routing code still asks for each
  look-up and is answered from the one activity (\`workflows/answers-ahead.ts\`). Still one action, but six fewer markers in
  the history and six fewer activations of the workflow: in the same intake benchmark run at 16 connections the worker
  used 134 s of CPU where it used 162 s before, while the API took in 10% more suggestions (20.7 req/s against 18.8).
- **New suggestions take every change under one patch** (\`workflows/changes.ts\`): each \`patched\` change is a marker and a
  TemporalChangeVersion upsert in the history (free, but events the server stores and sends to every replay). A suggestion
  started now records the one patch \`changes-gathered-2026-11\` for the six changes before it; one started before goes on
  asking for each change as its history recorded it. The happy path's history went from 59 events to 49.
- **New suggestions start as a workflow type of their own** (\`suggestionWorkflow\`, \`domain/workflow-types.ts\`): written
  with every gathered change, it records no patch at all (its type tells a replay its path), and it registers a suggestion
  and looks up its routing in one local activity (\`registerWithHandlingLookups\`). Its first workflow task records two
  markers and a timer where it recorded a patch marker, a TemporalChangeVersion upsert, three markers and a timer; suggestions
  started as \`suggestionWorkflow\` finish on it. The happy path's history went from 49 events to 46; in the intake benchmark
  the Temporal server spends about 45 ms of CPU per suggestion where it spent 50, and the worker 57 where it spent 67.
- **Search attributes are given at start** (status, category, district, channel, campaign: free) and **upserted only when a
  value supervisors filter on changes** (\`workflows/publish.ts\`): a reminder, a progress report, a rating, a follow-up check
  upsert nothing. The \`patched\` markers' own TemporalChangeVersion upserts are free.
- **Routing is forecast at intake** (\`api/routing-forecast.ts\`): the API works out the department and the reply deadline from
  the same rules, time limits and calendar, read in the background, and starts the workflow with them as its status,
  Department and DueAt; the workflow still routes by the rules as it finds them and upserts only what differs (a rule changed
  on another replica a moment ago). Routing then upserts nothing. Intake reads nothing more from PostgreSQL for it.
- **Passing statuses are not upserted**: *decided* (the reply follows in the same workflow task, unless a campaign's results
  are awaited) and *replied* (an adoption's plan starts in the same workflow task); the read model and the timeline still
  record both.
- **One alarm after the decision** (\`workflows/alarm.ts\`): the rating window, the milestones' due dates and graces, the
  re-handling deadline and the follow-up answer share one timer, set for the earliest deadline still awaited and set again
  only when it rings or an earlier deadline comes up. A wait that ends early leaves it set: the milestone done and the rating
  given before their deadlines cost no timer of their own. Before, each wait had its own timer, and the milestone's was set
  again after every change of state.
- **The follow-up request is queued for its day**: when the last milestone is done, the check is dated (three months on) and
  its answer deadline counted, and the request to the department goes into the outbox with \`send_after\` on that day; the
  dispatcher sends it then. One wait (the answer deadline) instead of two, and no workflow task on the day. While the
  calendar of that day's year is not loaded, the suggestion waits for the day and asks then, as before.
- **The follow-up answer's deadline is swept, not timed** (\`workflows/follow-up-sweep-workflow.ts\`): a suggestion sets no
  timer for a deadline four months ahead that most departments meet. Each morning a sweep on a Temporal Schedule finds the
  answers past their deadline in the read model and signals those suggestions, which escalate as before (timeline,
  supervisors, Overdue). The sweep costs the whole city a start and an activity a day (about 730 actions a year, whatever the
  number of suggestions) and a signal per late answer; an escalation comes at most a day after the deadline.
- **One transaction per change** (already so): the row, its timeline events and its notifications are one projection.
- Every change is guarded by \`patched\` (\`local-lookups-and-projections\`, \`upsert-changed-search-attributes\`,
  \`lean-lifecycle\`, \`follow-up-answer-swept\`, \`handling-lookups-at-once\`, then all of them as \`changes-gathered-2026-11\`, then by
  the new workflow type), so suggestions started before it replay and finish as recorded; recorded histories of the handling paths
  and of the paths after the decision, on both workflow types, replay in \`test/workflow/handling-replay.test.ts\`. The first two changes brought the
  happy path to ${firstRound.happy} actions (the escalation path to ${firstRound.escalation}); the alarm, registration in the first workflow task and the
  queued follow-up request brought it to 17, the routing forecast to 16 and the swept follow-up deadline to where it is now.

What is left on the happy path is the people acting (one start and ${updates} updates: each is an action by the metering rules),
one local-activity batch for each of the five workflow tasks that change state (registration and routing, then each update's
change), one upsert for each status supervisors filter on after routing (implementing, implemented, closed) and two timers
(the response deadline; the alarm after the decision, set for the milestone's due date). The goal of ${happyPathBudget} is
${total <= happyPathBudget ? 'met' : 'not met'}. Of the ${total}, the follow-up check three months on (回头看) accounts for two: the department's answer and
its projection. Each remaining action stands for something the regulation or the supervisors need: a decision, a report or
a rating given by a person; a durable record of it in the read model and the outbox; a status supervisors filter on; a
deadline that escalates.`;

export function lifecycleReport(paths: PathCost[]): string {
  const happy = paths.find((p) => p.path === 'happy')!;
  const summary = paths.map((p) => [p.path, p.cost.total, p.cost.events, p.path === 'happy' ? (p.cost.total <= happyPathBudget ? `≤ ${happyPathBudget}: met` : `≤ ${happyPathBudget}: not met`) : '—']);
  return [
    '## Cost of a lifecycle: billable actions per suggestion',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; the time-skipping test server instead of the dev server, so that`,
    'deadlines and the three-month follow-up pass. Counted from the real histories by the rules of Temporal Cloud\'s action metering',
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
    merged([...happy.cost.items].filter(([item]) => item.startsWith('update ')).reduce((n, [, count]) => n + count, 0), happy.cost.total),
  ].join('\n');
}

async function main() {
  const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false } } });
  const paths = await benchLifecycleCost({ log: (m) => process.stderr.write(`[bench] ${m}\n`) });
  report('lifecycle-cost', lifecycleReport(paths), values.smoke!);
}

runWhenMain(module, main);
