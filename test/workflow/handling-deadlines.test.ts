import type { WorkflowHandle } from '@temporalio/client';
import { isWorkingDay, shanghaiDate, workingDaysBetween } from '../../domain/calendar';
import { Overdue } from '../../workflows/search-attributes';
import { stateQuery } from '../../workflows/messages';
import { keepHistory, storedCalendar, timeSkippingSuite, waitFor as waitForState } from '../support/handling';

// Working-day deadlines, reminders (催办) and escalation (督办) at their real lengths, on the
// time-skipping server with the real activities, the real calendar and the real PostgreSQL.

const suite = timeSkippingSuite();
let settingId: number;
beforeAll(async () => {
  // The office's configuration: letters about culture and tourism get 15 working days.
  const setting = await suite.stack.db.timeLimitSetting.create({
    data: { step: 'respond', channel: 'letter', category: 'culture_tourism', amount: 15, unit: 'working_days' },
  });
  settingId = setting.id;
});
afterAll(() => suite.stack.db.timeLimitSetting.deleteMany({ where: { id: settingId } }));
const waitFor = (handle: WorkflowHandle, reached: Parameters<typeof waitForState>[2]) => waitForState(suite.stack.env, handle, reached);

test('a letter received the Monday before National Day is due 15 working days later, on 23 October 2026, not 19 October', async () => {
  // Received Monday 2026-09-28 10:00 Shanghai. Off: 1–7 October; Saturday 10 October is an
  // adjusted working day (调休). Counting from the 29th: 29, 30 Sep, 8, 9, 10, 12–16, 19–23 Oct.
  const handle = await suite.submit({ channel: 'letter', category: 'culture_tourism', district: 'huangpu', receivedAt: '2026-09-28T02:00:00.000Z' });
  await suite.stack.withWorker(async () => {
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
  const now = new Date(await suite.stack.env.currentTimeMs());
  const handle = await suite.submit({ channel: 'hotline', proposer: { phone: '13900000002', replyChannel: 'sms' } });
  const id = handle.workflowId.replace(/^suggestion-/, '');
  const calendar = await storedCalendar(suite.stack.db);

  await suite.stack.withWorker(async () => {
    const assigned = await waitFor(handle, (s) => s.status === 'handling');
    const dueAt = new Date(assigned.dueAt!);
    expect(assigned.handling?.limits?.respond).toEqual({ amount: 5, unit: 'working_days' });
    expect(workingDaysBetween(calendar, now, dueAt)).toBe(5);
    expect(isWorkingDay(calendar, shanghaiDate(dueAt))).toBe(true);

    await suite.stack.env.sleep(dueAt.getTime() - now.getTime() + 60_000);
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

    const sent = await suite.stack.db.notification.findMany({ where: { suggestionId: id }, orderBy: { createdAt: 'asc' } });
    expect(sent.filter((m) => m.recipient === 'department:transport' && m.subject.startsWith('Reminder')).length).toBe(2);
    expect(sent.some((m) => m.recipient === 'supervisors' && m.subject.startsWith('Overdue'))).toBe(true);
    const row = await suite.stack.db.suggestion.findUniqueOrThrow({ where: { id: id } });
    expect(row.overdue).toBe(true);
    expect((await handle.describe()).typedSearchAttributes.get(Overdue)).toBe(true);
    await keepHistory('reminders-and-escalation', handle);
  });
});
