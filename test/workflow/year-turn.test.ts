import type { WorkflowHandle } from '@temporalio/client';
import {
  addWorkingDays,
  buildCalendar,
  calendarYear,
  endOfShanghaiDay,
  isWorkingDay,
  officialSchedule,
  officialYears,
  provisionalSchedule,
  shanghaiDate,
  type CalendarException,
} from '../../domain/calendar';
import type { SuggestionView } from '../../domain/suggestion';
import { workflowIdFor } from '../../domain/tracking-number';
import { loadCalendarYear } from '../../prisma/seed';
import { answerFollowUpUpdate } from '../../workflows/feedback-messages';
import { officialCalendarSignal, stateQuery } from '../../workflows/messages';
import { DueAt, DueAtProvisional, Overdue } from '../../workflows/search-attributes';
import { adoptCarryOutAndRate, department, intake, keepHistory, refusal } from '../support/handling';
import { eventually } from '../support/stack';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/time-skipping';
import { suggestionWorkflowType } from '../../domain/workflow-types';

// December: this year's holiday schedule is loaded, next year's is not published yet. Deadlines
// that reach next year are counted on the forecast of the national holiday rules and marked
// provisional, so nothing waits for the State Council's notice; when the official schedule is
// published, each suggestion counts them again (the signal the calendar-year workflow sends every
// open suggestion: test/api/calendar-years.test.ts runs that on the real stack). Whatever the date
// the suite runs on: the test's own database holds the year of the test's December and nothing after.

const HOUR = 3_600_000;
const transport = department('transport');

let stack: TimeSkippingStack;
let year: number;
beforeEach(async () => {
  stack = await startTimeSkippingStack({ ownDatabase: true, calendarTtlMs: 0 });
  const today = shanghaiDate(new Date(await stack.env.currentTimeMs()));
  year = Number(today.slice(0, 4)) + (today.slice(5) > '12-20' ? 1 : 0);
  // This year official (the published schedule, or the forecast standing in for it), none after it.
  if (!(await stack.db.calendarYear.findUnique({ where: { year } })))
    await loadCalendarYear(stack.db, year, officialYears().includes(year) ? officialSchedule(year) : provisionalSchedule(year), 'test: this year as published');
  await stack.db.calendarDay.deleteMany({ where: { year: { gt: year } } });
  await stack.db.calendarYear.deleteMany({ where: { year: { gt: year } } });
});
afterEach(() => stack?.stop());

const until = (handle: WorkflowHandle, what: string, check: (s: SuggestionView) => boolean) =>
  eventually(async () => {
    const s = await handle.query(stateQuery);
    return check(s) ? s : undefined;
  }, what);
const attributes = async (handle: WorkflowHandle) => (await handle.describe()).typedSearchAttributes;
const skipTo = async (at: number) => stack.env.sleep(Math.max(1, at - (await stack.env.currentTimeMs())));

/** The forecast of next year with `extra` weekdays off as well: the "official" schedule that differs from it. */
function publishedWith(extra: string[]) {
  const forecast = provisionalSchedule(year + 1);
  const days: CalendarException[] = [...forecast, ...extra.map((date) => ({ date, kind: 'holiday' as const }))];
  return calendarYear(year + 1, days, 'test: the State Council notice', false);
}

/** Weekdays the forecast counts as working days, from `from` to `to` (Shanghai dates). */
function workingDaysOfForecast(from: string, to: string): string[] {
  const cal = buildCalendar([year], [...officialScheduleOrForecast(year), ...provisionalSchedule(year + 1)], [year + 1]);
  const days: string[] = [];
  for (let d = new Date(`${from}T04:00:00Z`); shanghaiDate(d) <= to; d = new Date(d.getTime() + 24 * HOUR))
    if (isWorkingDay(cal, shanghaiDate(d))) days.push(shanghaiDate(d));
  return days;
}
const officialScheduleOrForecast = (y: number) => (officialYears().includes(y) ? officialSchedule(y) : provisionalSchedule(y));

async function hotlineOn29December(): Promise<WorkflowHandle> {
  await skipTo(Date.parse(`${year}-12-29T02:00:00Z`));
  const submitted = intake(new Date(await stack.env.currentTimeMs()), { channel: 'hotline', proposer: { phone: '13900000002', replyChannel: 'sms' } });
  return stack.env.client.workflow.start(suggestionWorkflowType, {
    args: [submitted],
    taskQueue: stack.taskQueue,
    workflowId: workflowIdFor(submitted.trackingNumber),
  });
}

test("a hotline suggestion on 29 December is routed at once, due on next year's forecast; the published schedule corrects the deadline, its DueAt and the read model", async () => {
  const handle = await hotlineOn29December();
  await stack.withWorker(async () => {
    const routed = await until(handle, 'the assignment', (s) => s.status === 'handling');
    const forecastDue = routed.dueAt!;
    expect(shanghaiDate(new Date(forecastDue)).startsWith(`${year + 1}-`)).toBe(true);
    expect(routed.dueAtProvisional).toBe(true);
    expect(routed.timeline.find((e) => e.type === 'assigned')!.detail).toMatchObject({ dueAt: forecastDue, provisional: true });
    expect(routed.handling!.returnableUntil).toBeDefined();
    await eventually(async () => (await attributes(handle)).get(DueAtProvisional) === true, 'DueAtProvisional');

    // The notice gives a day off the forecast had as a working day, before the deadline.
    const [extra] = workingDaysOfForecast(`${year + 1}-01-02`, shanghaiDate(new Date(forecastDue)));
    await handle.signal(officialCalendarSignal, { year: publishedWith([extra]) });
    const corrected = await until(handle, 'the correction', (s) =>
      s.timeline.some((e) => e.type === 'deadline_corrected' && e.detail?.deadline === 'response'),
    );
    const event = corrected.timeline.find((e) => e.type === 'deadline_corrected' && e.detail?.deadline === 'response')!;
    expect(event.detail).toMatchObject({ from: forecastDue, to: corrected.dueAt, year: year + 1 });
    expect(Date.parse(corrected.dueAt!)).toBeGreaterThan(Date.parse(forecastDue));
    expect(corrected.dueAtProvisional).toBe(false);
    const due = new Date(corrected.dueAt!);
    await eventually(async () => (await attributes(handle)).get(DueAt)?.getTime() === due.getTime(), 'DueAt on the official day');
    expect((await attributes(handle)).get(DueAtProvisional)).toBe(false);
    const row = await eventually(async () => {
      const r = await stack.db.suggestion.findUnique({ where: { id: corrected.id } });
      return r?.dueAt?.getTime() === due.getTime() ? r : undefined;
    }, 'the read model on the official day');
    expect(row.dueAtProvisional).toBe(false);

    // The same schedule again (the second pass of the calendar-year workflow) moves nothing.
    await handle.signal(officialCalendarSignal, { year: publishedWith([extra]) });
    const again = await handle.query(stateQuery);
    expect(again.timeline.filter((e) => e.type === 'deadline_corrected' && e.detail?.deadline === 'response')).toHaveLength(1);
  });
});

test('an escalation for a forecast deadline the published schedule moves ahead is withdrawn, and a correction back makes it overdue again', async () => {
  const handle = await hotlineOn29December();
  await stack.withWorker(async () => {
    const routed = await until(handle, 'the assignment', (s) => s.status === 'handling');
    await skipTo(Date.parse(routed.dueAt!) + HOUR);
    const escalated = await until(handle, 'the escalation', (s) => s.overdue);
    expect(escalated.timeline.map((e) => e.type)).toContain('escalated_overdue');

    // The notice gives the week after the forecast deadline off: it is not passed after all.
    const now = shanghaiDate(new Date(await stack.env.currentTimeMs()));
    const week = workingDaysOfForecast(`${year + 1}-01-02`, shanghaiDate(new Date(Date.parse(routed.dueAt!) + 7 * 24 * HOUR)));
    const withdrawn = await (async () => {
      await handle.signal(officialCalendarSignal, { year: publishedWith(week) });
      return until(handle, 'the withdrawal', (s) => s.timeline.some((e) => e.type === 'escalation_withdrawn'));
    })();
    expect(withdrawn.overdue).toBe(false);
    expect(Date.parse(withdrawn.dueAt!)).toBeGreaterThan(Date.parse(`${now}T00:00:00+08:00`));
    expect(withdrawn.timeline.find((e) => e.type === 'escalation_withdrawn')!.detail).toMatchObject({ deadline: 'response', dueAt: withdrawn.dueAt });
    await eventually(async () => (await attributes(handle)).get(Overdue) === false, 'Overdue cleared');

    // The office corrects its entry back to the forecast: the deadline has passed, and it escalates again.
    await handle.signal(officialCalendarSignal, { year: publishedWith([]) });
    const late = await until(handle, 'the second escalation', (s) => s.overdue && s.timeline.filter((e) => e.type === 'escalated_overdue').length === 2);
    expect(late.dueAt).toBe(routed.dueAt);
    await eventually(async () => (await attributes(handle)).get(Overdue) === true, 'Overdue again');
    await keepHistory('deadline-corrected-escalation-withdrawn', handle);
  });
});

test('a follow-up check dated in a year without a published schedule is scheduled at once on the forecast, and counted again when the year is published', async () => {
  // Implemented in early October (or now, if that is later): the check comes three months on, next year.
  await stack.db.timeLimitSetting.create({ data: { step: 'followUpAnswer', amount: 10, unit: 'working_days' } });
  await skipTo(Date.parse(`${year}-10-08T02:00:00Z`));
  const submitted = intake(new Date(await stack.env.currentTimeMs()), { publishConsent: true });
  const handle = await stack.env.client.workflow.start(suggestionWorkflowType, {
    args: [submitted],
    taskQueue: stack.taskQueue,
    workflowId: workflowIdFor(submitted.trackingNumber),
  });

  await stack.withWorker(async () => {
    await until(handle, 'assignment', (s) => s.status === 'handling');
    await adoptCarryOutAndRate(handle, transport, { summary: 'Thirty trees along Guoquan Road.', milestone: 'Plant the trees' });
    const scheduled = await until(handle, 'the follow-up check', (s) => s.feedback!.implementation!.followUp?.answerDueAt !== undefined);
    const check = scheduled.feedback!.implementation!.followUp!;
    expect(check.dueAt.startsWith(`${year + 1}-`)).toBe(true);
    expect(check.askedAt).toBe(check.dueAt);
    const forecastCal = buildCalendar([year], [...officialScheduleOrForecast(year), ...provisionalSchedule(year + 1)], [year + 1]);
    expect(check.answerDueAt).toBe(addWorkingDays(forecastCal, new Date(check.dueAt), 10).toISOString());
    expect(scheduled.timeline.map((e) => e.type)).toContain('follow_up_scheduled');
    expect(
      await refusal(handle.executeUpdate(answerFollowUpUpdate, { args: [{ actor: transport, stillInPlace: true, note: 'Checked early.' }] })),
    ).toMatchObject({ type: 'WrongState' });

    // Published: a day off inside the answer's ten working days moves its deadline a working day on.
    const [extra] = workingDaysOfForecast(shanghaiDate(new Date(Date.parse(check.dueAt) + 24 * HOUR)), shanghaiDate(new Date(check.answerDueAt!)));
    await handle.signal(officialCalendarSignal, { year: publishedWith([extra]) });
    const corrected = await until(handle, 'the corrected answer deadline', (s) => s.feedback!.implementation!.followUp!.answerDueAt !== check.answerDueAt);
    const officialCal = buildCalendar(
      [year, year + 1],
      [...officialScheduleOrForecast(year), ...provisionalSchedule(year + 1), { date: extra, kind: 'holiday' }],
    );
    expect(corrected.feedback!.implementation!.followUp!.answerDueAt).toBe(addWorkingDays(officialCal, new Date(check.dueAt), 10).toISOString());
    expect(corrected.timeline.find((e) => e.type === 'deadline_corrected')!.detail).toMatchObject({ deadline: 'follow-up-answer', from: check.answerDueAt });

    await skipTo(Date.parse(check.dueAt) + HOUR);
    await handle.executeUpdate(answerFollowUpUpdate, { args: [{ actor: transport, stillInPlace: true, note: 'Checked on site: thirty trees.' }] });
    const final: SuggestionView = await handle.result();
    expect(final.status).toBe('closed');
    expect(endOfShanghaiDay(shanghaiDate(new Date(final.feedback!.implementation!.followUp!.answerDueAt!))).toISOString()).toBe(
      final.feedback!.implementation!.followUp!.answerDueAt,
    );
  });
});
