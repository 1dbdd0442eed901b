import { giveOpinionUpdate } from '../../workflows/handling-messages';
import { assignUpdate, decideUpdate } from '../../workflows/messages';
import { department, keepHistory, office, refusal, timeSkippingSuite, waitFor } from '../support/handling';

// Joint handling (会办) with a co-department that misses its deadline, on the time-skipping server.

const suite = timeSkippingSuite();
const submit = (overrides: Parameters<typeof suite.submit>[0] = {}) => suite.submit(overrides);

test('the lead decides only after every co-department gave its opinion or missed its deadline; the missing one is escalated', async () => {
  // "other" has no routing rule: the office assigns it with two co-handling departments.
  const handle = await submit({ category: 'other', title: 'A lift and a bench for the old lane houses' });
  await suite.stack.withWorker(async () => {
    await waitFor(suite.stack.env, handle, (s) => s.status === 'triage');
    await handle.executeUpdate(assignUpdate, {
      args: [{ actor: office, leadDepartment: 'civil-affairs', coDepartments: ['health', 'housing'], reason: 'elderly care with a housing part' }],
    });
    const started = await waitFor(suite.stack.env, handle, (s) => s.handling!.opinions.length === 2);
    const [health, housing] = ['health', 'housing'].map((d) => started.handling!.opinions.find((o) => o.department === d)!);
    expect(Date.parse(health.dueAt)).toBeLessThanOrEqual(Date.parse(started.dueAt!));

    const healthChild = suite.stack.env.client.workflow.getHandle(health.workflowId);
    const wrong = await refusal(healthChild.executeUpdate(giveOpinionUpdate, { args: [{ actor: department('housing'), opinion: 'not ours to say' }] }));
    expect(wrong.type).toBe('WrongDepartment');
    await healthChild.executeUpdate(giveOpinionUpdate, {
      args: [{ actor: department('health'), opinion: 'A community clinic is next door; a bench there helps.' }],
      updateId: 'op-1',
    });

    const decision = {
      actor: department('civil-affairs'),
      outcome: 'for_reference' as const,
      reason: "The lane is in next year's renewal plan",
      reply: 'Kept for the lane renewal next year.',
    };
    const early = await refusal(handle.executeUpdate(decideUpdate, { args: [decision] }));
    expect(early.type).toBe('WrongState');
    expect(early.message).toContain('housing');

    await suite.stack.env.sleep(Date.parse(housing.dueAt) - (await suite.stack.env.currentTimeMs()) + 60_000);
    const state = await waitFor(suite.stack.env, handle, (s) => s.handling!.opinions.every((o) => o.status !== 'pending'));
    expect(state.handling!.opinions.map((o) => [o.department, o.status])).toEqual([
      ['health', 'given'],
      ['housing', 'missing'],
    ]);
    expect(state.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['opinion_given', 'opinion_missing']));
    const escalated = await suite.stack.db.notification.findFirst({
      where: { suggestionId: state.id, recipient: 'supervisors', subject: { startsWith: 'Missing opinion' } },
    });
    expect(escalated?.subject).toContain('housing');
    await keepHistory('joint-handling-missing-opinion', handle);

    const decided = await handle.executeUpdate(decideUpdate, { args: [decision] });
    expect(decided.decision?.outcome).toBe('for_reference');
  });
});
