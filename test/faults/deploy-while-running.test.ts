import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import type { Compiler, WebpackPluginInstance } from 'webpack';
import { encryptedDataConverter, failureConverterPath } from '../../codec';
import { suggestionClientOptions } from '../../temporal-client/issued-requests';
import type { SuggestionView } from '../../domain/suggestion';
import { workflowIdFor } from '../../domain/tracking-number';
import { office, intake as webIntake } from '../support/handling';
import { connectDatabase, type Database } from '../../prisma/client';
import { rateUpdate } from '../../workflows/feedback-messages';
import { returnUpdate } from '../../workflows/handling-messages';
import { assignUpdate, decideUpdate, stateQuery } from '../../workflows/messages';
import { suggestionWorkflow } from '../../workflows/suggestion-workflow';
import { createSuggestionWorker } from '../../worker/worker';
import { reroutePausePatch } from './deploy/routing.after';
import { ownDatabase } from '../support/service-process';
import { eventually, quietTemporalRuntime, testKeyRing } from '../support/stack';

// A new version of the suggestion workflow is deployed while suggestions are open: a returned
// suggestion now waits a pause before the rules route it again (test/faults/deploy/routing.after.ts,
// guarded by patched, as every change to the workflow is from here on: patched, then
// deprecatePatch once no open suggestion took the old path, then the change alone). Suggestions
// returned under the code deployed before keep what they recorded and finish under the new
// worker; suggestions returned after it take the new path. The same change without its guard is
// refused by the replay check on a history the old code wrote.

const perVersion = Number(process.env.FAULT_DEPLOY_SUGGESTIONS ?? 3);
const changedModule = require.resolve('../../workflows/stages/routing');
const keys = testKeyRing();
const dataConverter = encryptedDataConverter(keys);
const taskQueue = `faults-deploy-${randomUUID()}`;
const transport = { role: 'department' as const, departmentCode: 'transport', name: 'transport/officer' };

let database: { url: string; drop(): Promise<void> } | undefined;
let db: Database;
let nativeConnection: NativeConnection;
let connection: Connection;
let client: Client;
let afterCode: string;
let unguardedCode: string;

/** Puts each replacement where the workflow code imports its target, the way an older checkout would have it. */
function replaceModules(replacements: Map<string, string>): WebpackPluginInstance {
  return {
    apply(compiler: Compiler) {
      // Before resolving, so the replacement's own imports resolve from where it lives.
      compiler.hooks.normalModuleFactory.tap('replace-module', (factory) => {
        factory.hooks.beforeResolve.tap('replace-module', (data) => {
          if (!data.request.startsWith('.')) return;
          const replacement = replacements.get(`${resolve(data.context, data.request)}.ts`);
          // The replacement itself imports the module it replaces, to build on it.
          if (replacement && data.contextInfo.issuer !== replacement) data.request = replacement;
        });
      });
    },
  };
}

async function bundleWith(replacements: Map<string, string>): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    failureConverterPath,
    logger: new DefaultLogger('WARN'),
    webpackConfigHook: (config) => ({ ...config, plugins: [...(config.plugins ?? []), replaceModules(replacements)] }),
  });
  return code;
}

beforeAll(async () => {
  quietTemporalRuntime();
  // The next version, with the change guarded, and the same change unguarded.
  const after = new Map([[changedModule, join(__dirname, 'deploy', 'routing.after.ts')]]);
  const unguarded = new Map([[changedModule, join(__dirname, 'deploy', 'routing.unguarded.ts')]]);
  [afterCode, unguardedCode] = await Promise.all([bundleWith(after), bundleWith(unguarded)]);
  // A read model of its own: the suggestions of this test are nobody else's business.
  database = await ownDatabase();
  db = connectDatabase(database.url, 4);
  nativeConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  client = new Client({ connection, namespace: 'default', ...suggestionClientOptions(keys) });
  // Two bundles take about 20 s on an idle machine, minutes when every core is busy with other tests.
}, 300_000);

afterAll(async () => {
  await connection?.close();
  await nativeConnection?.close();
  await db?.$disconnect();
  await database?.drop();
});

/** A worker on the test's task queue running `workflowBundle`; stopped (and waited for) by the returned function. */
async function deploy(workflowBundle: { code: string } | { codePath: string }): Promise<() => Promise<void>> {
  const worker = await createSuggestionWorker({ connection: nativeConnection, namespace: 'default', taskQueue, db, keys, workflowBundle });
  const running = worker.run();
  return async () => {
    worker.shutdown();
    await running;
  };
}

async function submit(): Promise<WorkflowHandle> {
  const now = new Date();
  // The rules route it to transport.
  const intake = webIntake(now, {
    category: 'transport',
    title: 'A shelter at the Guoding Road bus stop',
    content: 'Passengers wait in the rain; a shelter like the one at Wujiaochang would help.',
    proposer: { phone: '13900000002', replyChannel: 'sms' },
  });
  return client.workflow.start(suggestionWorkflow, { args: [intake], taskQueue, workflowId: workflowIdFor(intake.trackingNumber) });
}

/** Transport returns it; the rules, which send nothing else of it to anyone, leave it in triage. */
async function returnToTriage(handle: WorkflowHandle): Promise<SuggestionView> {
  await until(handle, 'handling', (s) => s.status === 'handling');
  await handle.executeUpdate(returnUpdate, { args: [{ actor: transport, reason: 'The shelter belongs to the district.' }] });
  return until(handle, 'routed again, to triage', (s) => s.status === 'triage' && s.timeline.some((e) => e.type === 'sent_to_triage'));
}

function until(handle: WorkflowHandle, what: string, check: (s: SuggestionView) => boolean): Promise<SuggestionView> {
  return eventually(async () => {
    const s = await handle.query(stateQuery);
    return check(s) ? s : undefined;
  }, `${handle.workflowId}: ${what}`);
}

/** The office gives it back to transport, which answers; the proposer is satisfied: the suggestion closes and its workflow completes. */
async function finish(handle: WorkflowHandle): Promise<SuggestionView> {
  await handle.executeUpdate(assignUpdate, {
    args: [{ actor: office, leadDepartment: 'transport', coDepartments: [], reason: 'bus stops are transport after all' }],
  });
  await handle.executeUpdate(decideUpdate, {
    args: [{ actor: transport, outcome: 'not_adopted', reason: 'The junction is rebuilt next year.', reply: 'The stop moves with the junction works.' }],
  });
  await until(handle, 'the reply awaiting its rating', (s) => s.feedback?.satisfaction?.state === 'awaiting');
  await handle.executeUpdate(rateUpdate, { args: [{ rating: 'satisfied' }] });
  return handle.result();
}

/** The ids of the patches a history recorded (the SDK's `core_patch` markers). */
function patchesIn(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? [])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => JSON.parse(Buffer.from(e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0].data!).toString()).id as string);
}

/** The build ids (package version and bundle checksum) of the workers that completed the history's workflow tasks. */
function buildIdsIn(history: temporal.api.history.v1.IHistory): Set<string> {
  const completed = (history.events ?? []).map((e) => e.workflowTaskCompletedEventAttributes).filter((a) => a != null);
  return new Set(completed.map((a) => a.workerVersion?.buildId || a.binaryChecksum || '').filter(Boolean));
}

test('a patched workflow change deployed while suggestions are open: old ones finish on the old path, new ones take the new one, and the unguarded change fails replay', async () => {
  // The version deployed now: its suggestions are returned and routed again at once.
  const stopBefore = await deploy({ codePath: process.env.TEST_WORKFLOW_BUNDLE! });
  const old = await Promise.all(Array.from({ length: perVersion }, () => submit()));
  await Promise.all(old.map(returnToTriage));
  await stopBefore();

  // The deploy: the next version takes over the open suggestions (replaying them from their
  // histories, the old worker's cache is gone) and every new one.
  const stopAfter = await deploy({ code: afterCode });
  try {
    const fresh = await Promise.all(Array.from({ length: perVersion }, () => submit()));
    await Promise.all(fresh.map(returnToTriage));
    const [oldEnds, freshEnds] = await Promise.all([Promise.all(old.map(finish)), Promise.all(fresh.map(finish))]);
    expect([...oldEnds, ...freshEnds].map((s) => s.status)).toEqual(Array(2 * perVersion).fill('closed'));

    // Only the new ones took the new path: the patch marker, and the pause's timer before the routing.
    const oldHistories = await Promise.all(old.map((h) => h.fetchHistory()));
    const freshHistories = await Promise.all(fresh.map((h) => h.fetchHistory()));
    for (const history of oldHistories) {
      expect(patchesIn(history)).toEqual([]);
      expect(timersIn(history)).not.toContain(2);
    }
    for (const history of freshHistories) {
      expect(patchesIn(history)).toEqual([reroutePausePatch]);
      expect(timersIn(history)).toContain(2);
    }
    // Each old suggestion was worked on by both deployments' code, each new one by the next version only.
    const [nextBuild] = buildIdsIn(freshHistories[0]);
    for (const history of freshHistories) expect([...buildIdsIn(history)]).toEqual([nextBuild]);
    for (const history of oldHistories) {
      const builds = [...buildIdsIn(history)];
      expect(builds).toHaveLength(2);
      expect(builds[1]).toBe(nextBuild);
    }

    // The next version replays both kinds of history; the unguarded change cannot replay one the
    // old code wrote: the timer it adds before routing again was never recorded there.
    const all = [...old, ...fresh].map((h, i) => ({ workflowId: h.workflowId, history: [...oldHistories, ...freshHistories][i] }));
    const replayErrors: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { code: afterCode }, dataConverter }, all)) {
      if (result.error) replayErrors.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(replayErrors).toEqual([]);
    const refused = await Worker.runReplayHistory({ workflowBundle: { code: unguardedCode }, dataConverter }, oldHistories[0], old[0].workflowId).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(refused?.name).toBe('DeterminismViolationError');
    // The current code replays it: the refusal comes from the change alone.
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! }, dataConverter }, oldHistories[0], old[0].workflowId),
    ).resolves.toBeUndefined();
  } finally {
    await stopAfter();
  }
});

/** The durations, in whole seconds, of the timers a history started. */
function timersIn(history: temporal.api.history.v1.IHistory): number[] {
  return (history.events ?? [])
    .map((e) => e.timerStartedEventAttributes?.startToFireTimeout?.seconds)
    .filter((s) => s != null)
    .map(Number);
}
