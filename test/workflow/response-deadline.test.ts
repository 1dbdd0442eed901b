import { randomBytes } from 'node:crypto';
import type { SuggestionIntake } from '../../domain/suggestion';
import { trackingNumber, workflowIdFor } from '../../domain/tracking-number';
import { decideUpdate, stateQuery } from '../../workflows/messages';
import { Overdue } from '../../workflows/search-attributes';
import { eventually } from '../support/stack';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/time-skipping';
import { suggestionWorkflowType } from '../../domain/workflow-types';
import { sealedForTest } from '../support/handling';

// The response deadline at its real length (30 calendar days), on the time-skipping server.

// A server per test, so each clock starts today: working days are known only for published years.
let stack: TimeSkippingStack;
beforeEach(async () => {
  stack = await startTimeSkippingStack();
});
afterEach(() => stack?.stop());

async function intakeNow(category: SuggestionIntake['category'] = 'transport'): Promise<SuggestionIntake> {
  const now = new Date(await stack.env.currentTimeMs());
  return {
    trackingNumber: trackingNumber(now.toISOString().slice(0, 10), randomBytes(4)),
    title: 'More benches at the Yangpu riverside',
    content: 'Older walkers have nowhere to rest between Qinhuangdao Road and the ferry.',
    category,
    district: 'yangpu',
    channel: 'web',
    receivedAt: now.toISOString(),
    publishConsent: false,
    proposer: sealedForTest({ replyChannel: 'online' }),
  };
}

const department = { role: 'department' as const, departmentCode: 'transport', name: 'transport/officer' };

test('a department that misses the 30-day deadline is escalated to supervisors, and the suggestion keeps waiting for it', async () => {
  const intake = await intakeNow();
  const handle = await stack.env.client.workflow.start(suggestionWorkflowType, {
    args: [intake],
    taskQueue: stack.taskQueue,
    workflowId: workflowIdFor(intake.trackingNumber),
  });

  await stack.withWorker(async () => {
    // Wait (skipping time) until the timer has fired and the escalation is recorded.
    await stack.env.sleep('31 days');
    const state = await handle.query(stateQuery);
    expect(state.status).toBe('handling');
    expect(state.overdue).toBe(true);
    expect(state.timeline.map((e) => e.type)).toContain('escalated_overdue');
    expect(new Date(state.dueAt!).getTime()).toBeLessThan(await stack.env.currentTimeMs());

    const row = await stack.db.suggestion.findUniqueOrThrow({ where: { id: intake.trackingNumber } });
    expect(row.overdue).toBe(true);
    const alert = await stack.db.notification.findFirst({ where: { suggestionId: intake.trackingNumber, recipient: 'supervisors' } });
    expect(alert?.subject).toContain('Overdue');

    await handle.executeUpdate(decideUpdate, {
      args: [{ actor: department, outcome: 'for_reference', reason: 'Budget is set for this year', reply: "Kept for next year's plan." }],
    });
    // The reply goes out; the rating window after it may reach a year whose calendar is not loaded yet.
    const replied = await eventually(async () => {
      const s = await handle.query(stateQuery);
      return s.repliedAt ? s : undefined;
    }, 'the reply');
    expect(replied.status).toBe('replied');
    // Answered at last: nothing is late any more, though the escalation stays on the timeline.
    expect(replied.overdue).toBe(false);
    expect((await handle.describe()).typedSearchAttributes.get(Overdue)).toBe(false);
    expect(replied.timeline.map((e) => e.type)).toContain('escalated_overdue');
    const answered = await eventually(async () => {
      const r = await stack.db.suggestion.findUniqueOrThrow({ where: { id: intake.trackingNumber } });
      return r.repliedAt ? r : undefined;
    }, 'the reply in the read model');
    expect(answered.overdue).toBe(false);
  });
});

test('a decision in time closes the suggestion without escalation', async () => {
  const intake = await intakeNow();
  const handle = await stack.env.client.workflow.start(suggestionWorkflowType, {
    args: [intake],
    taskQueue: stack.taskQueue,
    workflowId: workflowIdFor(intake.trackingNumber),
  });

  await stack.withWorker(async () => {
    await stack.env.sleep('10 days');
    await handle.executeUpdate(decideUpdate, {
      args: [
        { actor: department, outcome: 'for_reference', reason: 'Benches come with the riverside works.', reply: "Six benches come with next year's works." },
      ],
    });
    const final = await handle.result();
    expect(final.overdue).toBe(false);
    expect(final.timeline.map((e: { type: string }) => e.type)).toEqual(['registered', 'assigned', 'decided', 'replied', 'not_rated', 'closed']);
  });
});
