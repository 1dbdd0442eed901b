import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { historiesDir } from '../support/handling';
import { quietTemporalRuntime } from '../support/stack';

// Histories recorded from the handling-chain and feedback tests (RECORD_HISTORIES=1) replay against the
// current workflow bundle: a change that would break running suggestions fails here.

const kept = readdirSync(historiesDir).filter((f) => f.endsWith('.json')).sort();

test('the recorded histories of the handling paths are kept', () => {
  expect(kept).toEqual(
    expect.arrayContaining([
      'extension-approved.json',
      'extension-refused.json',
      'joint-handling-missing-opinion.json',
      'reminders-and-escalation.json',
      'returned-twice-office-only.json',
      // After the decision, on the lean lifecycle (one alarm, local activities taking turns).
      'adopted-implemented-checked.json',
      'dissatisfied-rehandled.json',
      'milestones-late-revised.json',
      'rehandling-escalated.json',
      // The follow-up answer's deadline kept by the daily sweep, not a timer.
      'follow-up-swept.json',
      // Routing's look-ups done at once in the first workflow task (the earlier one keeps the path before).
      'reminders-and-escalation-lookups-at-once.json',
      // Every change taken under one patch (workflows/changes.ts).
      'reminders-and-escalation-changes-gathered.json',
      // New suggestions' type, suggestionWorkflowV2: no patch, registration with the routing's look-ups.
      ...[
        'adopted-implemented-checked',
        'dissatisfied-rehandled',
        'extension-approved',
        'extension-refused',
        'follow-up-swept',
        'joint-handling-missing-opinion',
        'milestones-late-revised',
        'rehandling-escalated',
        'reminders-and-escalation',
        'returned-twice-office-only',
      ].map((path) => `${path}-v2.json`),
    ]),
  );
});

test('every recorded handling history replays without a non-determinism error', async () => {
  quietTemporalRuntime();
  const histories = kept.map((file) => {
    const { workflowId, history } = JSON.parse(readFileSync(join(historiesDir, file), 'utf8'));
    return { workflowId: workflowId as string, history: temporal.api.history.v1.History.fromObject(history) };
  });
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } }, histories)) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(kept.length);
});
