import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { historiesDir } from '../support/handling';
import { quietTemporalRuntime } from '../support/stack';

// Histories recorded from the handling-chain and feedback tests (RECORD_HISTORIES=1) replay against the
// current workflow bundle: a change that would break running suggestions fails here. A change to the
// workflow is guarded with patched() (test/faults/deploy-while-running.test.ts shows the lifecycle),
// and a history recorded on its new path joins the kept list.

const kept = readdirSync(historiesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the recorded histories of the handling paths are kept', () => {
  expect(kept).toEqual(
    expect.arrayContaining(
      [
        // The handling chain.
        'extension-approved',
        'extension-refused',
        'joint-handling-missing-opinion',
        'reminders-and-escalation',
        'returned-twice-office-only',
        // After the decision.
        'adopted-implemented-checked',
        'dissatisfied-rehandled',
        'milestones-late-revised',
        'rehandling-escalated',
        // The follow-up answer's deadline kept by the daily sweep, not a timer.
        'follow-up-swept',
        // A forecast deadline corrected by the published calendar, its escalation withdrawn and made again.
        'deadline-corrected-escalation-withdrawn',
        // 合并办理: a merged suggestion answered twice, its primary re-handled for it.
        'merged-member-answered-twice',
        'merged-primary-rehandled-for-a-member',
        // 转办: handed down to a street, escalated on the hand-over's own deadline, handed back up.
        'handed-down-escalated-handed-up',
      ].map((name) => `${name}.json`),
    ),
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
