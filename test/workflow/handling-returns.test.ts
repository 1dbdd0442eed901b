import { returnUpdate } from '../../workflows/handling-messages';
import { assignUpdate, stateQuery } from '../../workflows/messages';
import { department, keepHistory, office, refusal, timeSkippingSuite, waitFor } from '../support/handling';

// Returns (退回) until only the office may route the suggestion, and the return window, on the
// time-skipping server.

const suite = timeSkippingSuite();
const submit = (overrides: Parameters<typeof suite.submit>[0] = {}) => suite.submit(overrides);

test('after two returns automatic routing stops and only the office assigns; a department cannot return once its window has closed', async () => {
  const handle = await submit();
  await suite.stack.withWorker(async () => {
    await waitFor(suite.stack.env, handle, (s) => s.leadDepartment === 'transport');
    const noReason = await refusal(handle.executeUpdate(returnUpdate, { args: [{ actor: department('transport'), reason: ' ' }] }));
    expect(noReason.type).toBe('InvalidAction');
    const notLead = await refusal(handle.executeUpdate(returnUpdate, { args: [{ actor: department('planning'), reason: 'not ours' }] }));
    expect(notLead.type).toBe('WrongDepartment');

    // Return 1: automatic routing tries again without transport, finds no other rule: triage.
    await suite.stack.env.sleep('2 days');
    await handle.executeUpdate(returnUpdate, { args: [{ actor: department('transport'), reason: "Shade trees are the greenery bureau's" }], updateId: 'r1' });
    let state = await waitFor(suite.stack.env, handle, (s) => s.timeline.some((e) => e.type === 'sent_to_triage'));
    expect(state.status).toBe('triage');
    expect(state.handling!.officeOnly).toBe(false);

    // Return 2, from the department the office chose: only the office routes it from now on.
    await handle.executeUpdate(assignUpdate, { args: [{ actor: office, leadDepartment: 'planning', reason: 'Road-side planting is planned with the road' }] });
    await handle.executeUpdate(returnUpdate, { args: [{ actor: department('planning'), reason: "Planting is not planning's remit" }] });
    state = await handle.query(stateQuery);
    expect(state.status).toBe('triage');
    expect(state.leadDepartment).toBeUndefined();
    expect(state.handling!.officeOnly).toBe(true);
    expect(state.handling!.returns.map((r) => r.department)).toEqual(['transport', 'planning']);
    expect(state.timeline.map((e) => e.type)).toContain('automatic_routing_stopped');

    await handle.executeUpdate(assignUpdate, { args: [{ actor: office, leadDepartment: 'greenery', reason: 'Street trees: greenery bureau' }] });
    const third = await refusal(handle.executeUpdate(returnUpdate, { args: [{ actor: department('greenery'), reason: 'not ours either' }] }));
    expect(third.type).toBe('WrongState');
    expect(third.message).toMatch(/only the collection office/);
    await keepHistory('returned-twice-office-only', handle);
  });
});

test('the return window is 5 working days from the assignment', async () => {
  const handle = await submit();
  await suite.stack.withWorker(async () => {
    const assigned = await waitFor(suite.stack.env, handle, (s) => s.status === 'handling');
    await suite.stack.env.sleep(Date.parse(assigned.handling!.returnableUntil!) - (await suite.stack.env.currentTimeMs()) + 60_000);
    const late = await refusal(handle.executeUpdate(returnUpdate, { args: [{ actor: department('transport'), reason: 'Too late to say so' }] }));
    expect(late.type).toBe('WrongState');
    expect(late.message).toMatch(/time to return it ended/);
    // The office can still move it.
    const moved = await handle.executeUpdate(assignUpdate, { args: [{ actor: office, leadDepartment: 'greenery', reason: 'Street trees: greenery bureau' }] });
    expect(moved.leadDepartment).toBe('greenery');
    expect(moved.timeline.at(-1)).toMatchObject({ type: 'reassigned', detail: { from: 'transport', reason: 'Street trees: greenery bureau' } });
  });
});
