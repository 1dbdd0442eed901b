import type { SuggestionView } from '../../domain/suggestion';
import { shanghaiDate } from '../../domain/calendar';
import { workflowIdFor } from '../../domain/tracking-number';
import { loadCalendarYear } from '../../prisma/seed';
import { answerFollowUpUpdate } from '../../workflows/feedback-messages';
import { stateQuery } from '../../workflows/messages';
import { adoptCarryOutAndRate, intake, refusal } from '../support/handling';
import { eventually } from '../support/stack';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/time-skipping';
import { suggestionWorkflowType } from '../../domain/workflow-types';

// The follow-up check is dated when the change is made and its request queued for its day. When
// the calendar of that day's year is not loaded yet (the State Council publishes the next year's
// holidays late in the year), the answer deadline cannot be counted then: the suggestion waits
// for the day, and asks and counts when it comes, by which time the office has loaded the year.
// (The default answer limit is in calendar days, which need no calendar: here the office set
// working days.)

const transport = { role: 'department' as const, departmentCode: 'transport', name: 'transport/officer' };
const hour = 3600_000;

let stack: TimeSkippingStack;
beforeEach(async () => {
  stack = await startTimeSkippingStack({ ownDatabase: true, calendarTtlMs: 0 });
});
afterEach(() => stack?.stop());

const stateOf = (id: string): Promise<SuggestionView> => stack.env.client.workflow.getHandle(workflowIdFor(id)).query(stateQuery);
const until = (id: string, what: string, check: (s: SuggestionView) => boolean) =>
  eventually(async () => {
    const s = await stateOf(id);
    return check(s) ? s : undefined;
  }, what);

test('a follow-up check dated in a year without a calendar is asked on its day, its deadline counted once the year is loaded', async () => {
  // Early October of next year: everything before the follow-up falls in that year (given a
  // calendar here), the follow-up three months on in the year after it, which has none.
  const year = Number(shanghaiDate(new Date(await stack.env.currentTimeMs())).slice(0, 4)) + 1;
  const known = (await stack.db.calendarYear.findMany({ select: { year: true } })).map((y) => y.year);
  if (!known.includes(year)) await loadCalendarYear(stack.db, year, [], 'test: weekends only');
  await stack.db.timeLimitSetting.create({ data: { step: 'followUpAnswer', amount: 10, unit: 'working_days' } });
  await stack.db.calendarDay.deleteMany({ where: { year: year + 1 } });
  await stack.db.calendarYear.deleteMany({ where: { year: year + 1 } });
  await stack.env.sleep(Date.parse(`${year}-10-08T02:00:00Z`) - (await stack.env.currentTimeMs()));

  const submitted = intake(new Date(await stack.env.currentTimeMs()), { publishConsent: true });
  const id = submitted.trackingNumber;
  const handle = await stack.env.client.workflow.start(suggestionWorkflowType, { args: [submitted], taskQueue: stack.taskQueue, workflowId: workflowIdFor(id) });

  await stack.withWorker(async () => {
    await until(id, 'assignment', (s) => s.status === 'handling');
    await adoptCarryOutAndRate(handle, transport, { summary: 'Thirty trees along Guoquan Road.', milestone: 'Plant the trees' });

    // Implemented: the check is dated in January, but not asked for: its deadline cannot be counted yet.
    const implemented = await until(id, 'the follow-up date', (s) => s.feedback!.implementation!.followUp !== undefined);
    const followUp = implemented.feedback!.implementation!.followUp!;
    expect(followUp.dueAt.startsWith(`${year + 1}-01`)).toBe(true);
    expect(followUp.askedAt).toBeUndefined();
    expect(implemented.timeline.map((e) => e.type)).not.toContain('follow_up_scheduled');
    expect(await refusal(handle.executeUpdate(answerFollowUpUpdate, { args: [{ actor: transport, stillInPlace: true, note: 'Checked early.' }] }))).toMatchObject({ type: 'WrongState' });

    // The office loads the new year; on the day the department is asked, with a counted deadline.
    await loadCalendarYear(stack.db, year + 1, [], 'test: weekends only');
    await stack.env.sleep(Date.parse(followUp.dueAt) - (await stack.env.currentTimeMs()) + hour);
    const asked = await until(id, 'the follow-up request', (s) => s.feedback!.implementation!.followUp?.askedAt !== undefined);
    const check = asked.feedback!.implementation!.followUp!;
    expect(Date.parse(check.askedAt!)).toBeGreaterThanOrEqual(Date.parse(followUp.dueAt));
    expect(Date.parse(check.answerDueAt!)).toBeGreaterThan(Date.parse(check.askedAt!));
    expect(asked.timeline.map((e) => e.type)).toContain('follow_up_requested');
    const request = await eventually(async () => (await stack.db.notification.findUnique({ where: { id: `${id}:follow-up-requested` } })) ?? undefined, 'the follow-up request');
    expect(request.sendAfter).toBeNull();

    await handle.executeUpdate(answerFollowUpUpdate, { args: [{ actor: transport, stillInPlace: true, note: 'Checked on site: thirty trees.' }] });
    const final: SuggestionView = await handle.result();
    expect(final.status).toBe('closed');
  });
});
