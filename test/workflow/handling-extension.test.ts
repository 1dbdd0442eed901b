import type { WorkflowHandle } from '@temporalio/client';
import type { SuggestionView } from '../../domain/suggestion';
import { decideExtensionUpdate, requestExtensionUpdate } from '../../workflows/handling-messages';
import { stateQuery } from '../../workflows/messages';
import { department, keepHistory, refusal, supervisor, timeSkippingSuite, waitFor } from '../support/handling';

// 延期: the lead department asks for more time, a supervisor approves or refuses; an approved
// extension moves the deadline and its reminders, at the real durations.

const suite = timeSkippingSuite();

const transport = department('transport');
const DAY = 86_400_000;

async function hotlineSuggestion(): Promise<{ handle: WorkflowHandle; id: string }> {
  const handle = await suite.submit({ channel: 'hotline', proposer: { phone: '13900000003', replyChannel: 'sms' } });
  return { handle, id: handle.workflowId.replace(/^suggestion-/, '') };
}

const handling = (s: SuggestionView) => s.status === 'handling';

test('an approved extension moves the deadline and its reminders, tells the proposer why, and allows no second one', async () => {
  const { handle, id } = await hotlineSuggestion();
  await suite.stack.withWorker(async () => {
    const before = await waitFor(suite.stack.env, handle, handling);
    const originalDue = before.dueAt!;

    await handle.executeUpdate(requestExtensionUpdate, {
      args: [{ actor: transport, days: 10, reason: 'A site visit with the bus operator is needed' }],
      updateId: 'ext-1',
    });
    const tooMuch = await refusal(handle.executeUpdate(requestExtensionUpdate, { args: [{ actor: transport, days: 10, reason: 'again' }] }));
    expect(tooMuch.type).toBe('WrongState'); // one request waits already
    const notSupervisor = await refusal(handle.executeUpdate(decideExtensionUpdate, { args: [{ actor: transport, approve: true, reason: 'self-approved' }] }));
    expect(notSupervisor.type).toBe('WrongDepartment');

    const approved = await handle.executeUpdate(decideExtensionUpdate, {
      args: [{ actor: supervisor, approve: true, reason: 'The site visit is planned for next week' }],
      updateId: 'ext-1-ok',
    });
    // 10 calendar days added to the deadline as it stood.
    expect(Date.parse(approved.dueAt!)).toBe(Date.parse(originalDue) + 10 * DAY);
    expect(approved.handling?.extensions[0]).toMatchObject({ status: 'approved', previousDueAt: originalDue, newDueAt: approved.dueAt });
    // The same action again changes nothing.
    const retried = await handle.executeUpdate(decideExtensionUpdate, {
      args: [{ actor: supervisor, approve: true, reason: 'The site visit is planned for next week' }],
      updateId: 'ext-1-ok',
    });
    expect(retried.dueAt).toBe(approved.dueAt);
    expect(retried.timeline.filter((e) => e.type === 'extension_approved')).toHaveLength(1);

    const second = await refusal(handle.executeUpdate(requestExtensionUpdate, { args: [{ actor: transport, days: 5, reason: 'More time still' }] }));
    expect(second.type).toBe('WrongState');
    expect(second.message).toMatch(/already extended/);

    // Past the original deadline: not overdue, no escalation.
    await suite.stack.env.sleep(Date.parse(originalDue) - (await suite.stack.env.currentTimeMs()) + 60_000);
    let state = await handle.query(stateQuery);
    expect(state.overdue).toBe(false);
    expect(state.timeline.some((e) => e.type === 'escalated_overdue')).toBe(false);
    // The reminders follow the new deadline.
    const reminders = state.timeline.filter((e) => e.type === 'reminded');
    expect(reminders.every((r) => r.detail?.dueAt === approved.dueAt)).toBe(true);

    await suite.stack.env.sleep(Date.parse(approved.dueAt!) - (await suite.stack.env.currentTimeMs()) + 60_000);
    state = await handle.query(stateQuery);
    expect(state.overdue).toBe(true);
    expect(state.timeline.filter((e) => e.type === 'reminded').map((r) => r.detail?.workingDaysLeft)).toEqual([3, 1]);

    const toProposer = await suite.stack.db.notification.findFirst({
      where: { suggestionId: id, recipient: 'proposer', subject: { startsWith: 'More time' } },
    });
    expect(toProposer?.channel).toBe('sms');
    expect(toProposer?.body).toContain('The site visit is planned for next week');
    await keepHistory('extension-approved', handle);
  });
});

test('a refused extension keeps the deadline, tells the department, and the suggestion is escalated when it passes', async () => {
  const { handle, id } = await hotlineSuggestion();
  await suite.stack.withWorker(async () => {
    const before = await waitFor(suite.stack.env, handle, handling);
    await handle.executeUpdate(requestExtensionUpdate, { args: [{ actor: transport, days: 20, reason: 'Workload' }] });
    const badData = await refusal(handle.executeUpdate(decideExtensionUpdate, { args: [{ actor: supervisor, approve: false, reason: '' }] }));
    expect(badData.type).toBe('InvalidAction');
    const refused = await handle.executeUpdate(decideExtensionUpdate, {
      args: [{ actor: supervisor, approve: false, reason: 'Workload is no reason to keep a caller waiting' }],
    });
    expect(refused.dueAt).toBe(before.dueAt);
    expect(refused.handling?.extensions[0].status).toBe('refused');

    await suite.stack.env.sleep(Date.parse(before.dueAt!) - (await suite.stack.env.currentTimeMs()) + 60_000);
    const state = await handle.query(stateQuery);
    expect(state.overdue).toBe(true);
    expect(state.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['extension_requested', 'extension_refused', 'escalated_overdue']));
    const told = await suite.stack.db.notification.findFirst({
      where: { suggestionId: id, recipient: 'department:transport', subject: { startsWith: 'Extension refused' } },
    });
    expect(told?.body).toContain('Workload is no reason');
    await keepHistory('extension-refused', handle);
  });
});
