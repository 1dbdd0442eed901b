import type { WorkflowHandle } from '@temporalio/client';
import { workflowIdFor } from '../../domain/tracking-number';
import { giveOpinionUpdate } from '../../workflows/handling-messages';
import { assignUpdate, decideUpdate } from '../../workflows/messages';
import { department, intake, keepHistory, office, refusal, waitFor } from '../support/handling';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/time-skipping';

// Joint handling (会办) with a co-department that misses its deadline, on the time-skipping server.

let stack: TimeSkippingStack;
beforeAll(async () => {
  stack = await startTimeSkippingStack();
});
afterAll(() => stack?.stop());
// Each test ends its workflow, so the stages after handling do not run on in the next test's time.
const started: WorkflowHandle[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.terminate('test finished').catch(() => undefined)));
});

async function submit(overrides: Parameters<typeof intake>[1] = {}) {
  const i = intake(new Date(await stack.env.currentTimeMs()), overrides);
  const handle = await stack.env.client.workflow.start('suggestionWorkflow', { args: [i], taskQueue: stack.taskQueue, workflowId: workflowIdFor(i.trackingNumber) });
  started.push(handle);
  return handle;
}

test('the lead decides only after every co-department gave its opinion or missed its deadline; the missing one is escalated', async () => {
  // "other" has no routing rule: the office assigns it with two co-handling departments.
  const handle = await submit({ category: 'other', title: 'A lift and a bench for the old lane houses' });
  await stack.withWorker(async () => {
    await waitFor(stack.env, handle, (s) => s.status === 'triage');
    await handle.executeUpdate(assignUpdate, { args: [{ actor: office, leadDepartment: 'civil-affairs', coDepartments: ['health', 'housing'], reason: 'elderly care with a housing part' }] });
    const started = await waitFor(stack.env, handle, (s) => s.handling!.opinions.length === 2);
    const [health, housing] = ['health', 'housing'].map((d) => started.handling!.opinions.find((o) => o.department === d)!);
    expect(Date.parse(health.dueAt)).toBeLessThanOrEqual(Date.parse(started.dueAt!));

    const healthChild = stack.env.client.workflow.getHandle(health.workflowId);
    const wrong = await refusal(healthChild.executeUpdate(giveOpinionUpdate, { args: [{ actor: department('housing'), opinion: 'not ours to say' }] }));
    expect(wrong.type).toBe('WrongDepartment');
    await healthChild.executeUpdate(giveOpinionUpdate, { args: [{ actor: department('health'), actionId: 'op-1', opinion: 'A community clinic is next door; a bench there helps.' }] });

    const decision = { actor: department('civil-affairs'), outcome: 'for_reference' as const, reason: 'The lane is in next year\'s renewal plan', reply: 'Kept for the lane renewal next year.' };
    const early = await refusal(handle.executeUpdate(decideUpdate, { args: [decision] }));
    expect(early.type).toBe('WrongState');
    expect(early.message).toContain('housing');

    await stack.env.sleep(Date.parse(housing.dueAt) - (await stack.env.currentTimeMs()) + 60_000);
    const state = await waitFor(stack.env, handle, (s) => s.handling!.opinions.every((o) => o.status !== 'pending'));
    expect(state.handling!.opinions.map((o) => [o.department, o.status])).toEqual([
      ['health', 'given'],
      ['housing', 'missing'],
    ]);
    expect(state.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['opinion_given', 'opinion_missing']));
    const escalated = await stack.db.notification.findFirst({ where: { suggestionId: state.id, recipient: 'supervisors', subject: { startsWith: 'Missing opinion' } } });
    expect(escalated?.subject).toContain('housing');
    await keepHistory('joint-handling-missing-opinion', handle);

    const decided = await handle.executeUpdate(decideUpdate, { args: [decision] });
    expect(decided.decision?.outcome).toBe('for_reference');
  });
});
