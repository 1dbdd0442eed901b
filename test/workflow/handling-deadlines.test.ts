import type { WorkflowHandle } from '@temporalio/client';
import { isWorkingDay, shanghaiDate, workingDaysBetween } from '../../domain/calendar';
import { workflowIdFor } from '../../domain/tracking-number';
import { Overdue } from '../../workflows/search-attributes';
import { stateQuery } from '../../workflows/messages';
import { intake, keepHistory, storedCalendar, waitFor as waitForState } from '../support/handling';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/time-skipping';

// Working-day deadlines, reminders (催办) and escalation (督办) at their real lengths, on the
// time-skipping server with the real activities, the real calendar and the real PostgreSQL.

let stack: TimeSkippingStack;
let settingIds: number[] = [];
beforeAll(async () => {
  stack = await startTimeSkippingStack();
  // The office's configuration: letters about culture and tourism get 15 working days.
  const setting = await stack.db.timeLimitSetting.create({ data: { step: 'respond', channel: 'letter', category: 'culture_tourism', amount: 15, unit: 'working_days' } });
  settingIds = [setting.id];
});
const started: WorkflowHandle[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.terminate('test finished').catch(() => undefined)));
});
afterAll(async () => {
  await stack?.db.timeLimitSetting.deleteMany({ where: { id: { in: settingIds } } });
  await stack?.stop();
});

const waitFor = (handle: Parameters<typeof waitForState>[1], reached: Parameters<typeof waitForState>[2]) => waitForState(stack.env, handle, reached);
async function start(i: ReturnType<typeof intake>) {
  const handle = await stack.env.client.workflow.start('suggestionWorkflow', { args: [i], taskQueue: stack.taskQueue, workflowId: workflowIdFor(i.trackingNumber) });
  started.push(handle);
  return handle;
}

test('a letter received the Monday before National Day is due 15 working days later, on 23 October 2026, not 19 October', async () => {
  // Received Monday 2026-09-28 10:00 Shanghai. Off: 1–7 October; Saturday 10 October is an
  // adjusted working day (调休). Counting from the 29th: 29, 30 Sep, 8, 9, 10, 12–16, 19–23 Oct.
  const letter = intake(new Date('2026-09-28T02:00:00Z'), { channel: 'letter', category: 'culture_tourism', district: 'huangpu' });
  const handle = await start(letter);
  await stack.withWorker(async () => {
    const state = await waitFor(handle, (s) => s.timeline.some((e) => e.type === 'escalated_overdue'));
    expect(state.handling?.limits?.respond).toEqual({ amount: 15, unit: 'working_days' });
    expect(state.leadDepartment).toBe('culture-tourism');
    expect(state.dueAt).toBe('2026-10-23T15:59:59.999Z');
    // Registered after its deadline had passed: escalated at once, never reminded late.
    expect(state.overdue).toBe(true);
    expect(state.timeline.filter((e) => e.type === 'reminded')).toEqual([]);
  });
});

test('a hotline suggestion is reminded 3 and 1 working days before its 5-working-day deadline, then escalated and kept waiting', async () => {
  const now = new Date(await stack.env.currentTimeMs());
  const call = intake(now, { channel: 'hotline', proposer: { phone: '13900000002', replyChannel: 'sms' } });
  const handle = await start(call);
  const calendar = await storedCalendar(stack.db);

  await stack.withWorker(async () => {
    const assigned = await waitFor(handle, (s) => s.status === 'handling');
    const dueAt = new Date(assigned.dueAt!);
    expect(assigned.handling?.limits?.respond).toEqual({ amount: 5, unit: 'working_days' });
    expect(workingDaysBetween(calendar, now, dueAt)).toBe(5);
    expect(isWorkingDay(calendar, shanghaiDate(dueAt))).toBe(true);

    await stack.env.sleep(dueAt.getTime() - now.getTime() + 60_000);
    const state = await handle.query(stateQuery);
    const reminders = state.timeline.filter((e) => e.type === 'reminded');
    expect(reminders.map((r) => r.detail?.workingDaysLeft)).toEqual([3, 1]);
    for (const r of reminders) {
      const firedOn = shanghaiDate(new Date(r.at));
      // On a working day, that many working days before the deadline's day, at its start (00:00 Shanghai).
      expect(isWorkingDay(calendar, firedOn)).toBe(true);
      expect(workingDaysBetween(calendar, new Date(r.at), dueAt)).toBe(r.detail?.workingDaysLeft);
      expect((Date.parse(r.at) + 8 * 3600_000) % 86_400_000).toBeLessThan(60_000);
    }
    expect(state.overdue).toBe(true);
    expect(state.status).toBe('handling');
    const escalation = state.timeline.find((e) => e.type === 'escalated_overdue')!;
    expect(Date.parse(escalation.at)).toBeGreaterThanOrEqual(dueAt.getTime());

    const sent = await stack.db.notification.findMany({ where: { suggestionId: call.trackingNumber }, orderBy: { createdAt: 'asc' } });
    expect(sent.filter((m) => m.recipient === 'department:transport' && m.subject.startsWith('Reminder')).length).toBe(2);
    expect(sent.some((m) => m.recipient === 'supervisors' && m.subject.startsWith('Overdue'))).toBe(true);
    const row = await stack.db.suggestion.findUniqueOrThrow({ where: { id: call.trackingNumber } });
    expect(row.overdue).toBe(true);
    expect((await handle.describe()).typedSearchAttributes.get(Overdue)).toBe(true);
    await keepHistory('reminders-and-escalation', handle);
  });
});
