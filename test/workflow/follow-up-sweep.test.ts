import { randomUUID } from 'node:crypto';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { suggestionClientOptions } from '../../temporal-client/issued-requests';
import type { SuggestionView } from '../../domain/suggestion';
import { workflowIdFor } from '../../domain/tracking-number';
import { answerFollowUpUpdate, followUpOverdueSignal } from '../../workflows/feedback-messages';
import { stateQuery } from '../../workflows/messages';
import { adoptCarryOutAndRate, intake, keepHistory } from '../support/handling';
import { eventually, testKeyRing } from '../support/stack';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/time-skipping';
import { suggestionWorkflowType } from '../../domain/workflow-types';

// 回头看 left unanswered: the suggestion keeps no timer for the answer's deadline months ahead.
// The daily sweep (its Schedule runs followUpSweepWorkflow each morning) finds the late answers in
// the read model and tells their suggestions, which escalate to the supervisors as before.

const transport = { role: 'department' as const, departmentCode: 'transport', name: 'transport/officer' };
const hour = 3600_000;

let stack: TimeSkippingStack;
beforeEach(async () => {
  // Its own database: the sweep reads every suggestion's follow-up, and the count it reports is this test's.
  stack = await startTimeSkippingStack({ ownDatabase: true });
});
afterEach(() => stack?.stop());

const until = (handle: WorkflowHandle, what: string, check: (s: SuggestionView) => boolean) =>
  eventually(async () => {
    const s = await handle.query(stateQuery);
    return check(s) ? s : undefined;
  }, what);

/**
 * One morning's sweep, through a plain client: the time-skipping client's lets the server race its
 * clock ahead while it awaits a result, and a suggestion waiting on no timer would be carried off.
 */
function sweep(): Promise<{ told: number }> {
  const client = new Client({ connection: stack.env.connection, ...suggestionClientOptions(testKeyRing()) });
  return client.workflow.execute('followUpSweepWorkflow', { taskQueue: stack.taskQueue, workflowId: `sweep-${randomUUID()}` });
}

/** Adopted with one milestone, done, rated: the follow-up check is scheduled. */
async function implemented(): Promise<{ handle: WorkflowHandle; id: string }> {
  const submitted = intake(new Date(await stack.env.currentTimeMs()), { publishConsent: true });
  const id = submitted.trackingNumber;
  const handle = await stack.env.client.workflow.start(suggestionWorkflowType, {
    args: [submitted],
    taskQueue: stack.taskQueue,
    workflowId: workflowIdFor(id),
  });
  await until(handle, 'assignment', (s) => s.status === 'handling');
  await adoptCarryOutAndRate(handle, transport, { summary: 'Thirty trees along Guoquan Road.', milestone: 'Plant the trees' });
  return { handle, id };
}

test('a follow-up answer past its deadline is escalated by the morning sweep, not by a timer of its own; answered, the suggestion closes', async () => {
  await stack.withWorker(async () => {
    const { handle, id } = await implemented();
    const scheduled = await until(handle, 'the follow-up check', (s) => s.feedback!.implementation!.followUp?.answerDueAt !== undefined);
    const answerDueAt = Date.parse(scheduled.feedback!.implementation!.followUp!.answerDueAt!);
    const projected = () =>
      eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.version === (await handle.query(stateQuery)).version, 'the projection');
    await projected();

    // Before the deadline the sweep finds nothing, and a stray word of lateness changes nothing.
    expect(await sweep()).toEqual({ told: 0 });
    await handle.signal(followUpOverdueSignal, {});

    // Past the deadline, nothing happens by itself: the suggestion set no timer for it.
    await stack.env.sleep(answerDueAt - (await stack.env.currentTimeMs()) + hour);
    const waiting = await handle.query(stateQuery);
    expect(waiting.timeline.map((e) => e.type)).not.toContain('follow_up_escalated');
    expect(waiting.feedback!.implementation!.followUp!.escalatedAt).toBeUndefined();

    // The sweep tells it; it escalates, shows as overdue, and the supervisors are told once.
    expect(await sweep()).toEqual({ told: 1 });
    const escalated = await until(handle, 'the escalation', (s) => s.feedback!.implementation!.followUp!.escalatedAt !== undefined);
    expect(escalated.overdue).toBe(true);
    expect(escalated.timeline.filter((e) => e.type === 'follow_up_escalated')).toHaveLength(1);
    await projected();
    const toSupervisors = await stack.db.notification.findMany({ where: { suggestionId: id, recipient: 'supervisors' } });
    expect(toSupervisors.map((n) => n.subject)).toEqual([expect.stringMatching(/^Follow-up unanswered/)]);
    // Escalated once: the next morning's sweep finds nothing more to tell.
    expect(await sweep()).toEqual({ told: 0 });

    await handle.executeUpdate(answerFollowUpUpdate, { args: [{ actor: transport, stillInPlace: true, note: 'Checked on site, late.' }] });
    const closed = await until(handle, 'closure', (s) => s.status === 'closed');
    expect(closed.overdue).toBe(false);
    expect(closed.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['follow_up_scheduled', 'follow_up_escalated', 'follow_up_answered', 'closed']));
    await keepHistory('follow-up-swept', handle);
  });
}, 120_000);

test('an answer in time leaves nothing for the sweep', async () => {
  await stack.withWorker(async () => {
    const { handle, id } = await implemented();
    const scheduled = await until(handle, 'the follow-up check', (s) => s.feedback!.implementation!.followUp?.askedAt !== undefined);
    await stack.env.sleep(Date.parse(scheduled.feedback!.implementation!.followUp!.askedAt!) - (await stack.env.currentTimeMs()) + hour);
    await handle.executeUpdate(answerFollowUpUpdate, { args: [{ actor: transport, stillInPlace: true, note: 'Checked on site.' }] });
    await until(handle, 'closure', (s) => s.status === 'closed');
    await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.status === 'closed', 'the closure in the read model');

    await stack.env.sleep(Date.parse(scheduled.feedback!.implementation!.followUp!.answerDueAt!) - (await stack.env.currentTimeMs()) + hour);
    expect(await sweep()).toEqual({ told: 0 });
  });
}, 120_000);
