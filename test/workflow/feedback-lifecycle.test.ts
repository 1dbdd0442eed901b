import type { WorkflowHandle } from '@temporalio/client';
import { addWorkingDays, buildCalendar } from '../../domain/calendar';
import type { SuggestionIntake, SuggestionView } from '../../domain/suggestion';
import { workflowIdFor } from '../../domain/tracking-number';
import { keepHistory, intake as webIntake } from '../support/handling';
import { answerFollowUpUpdate, campaignFeedbackSignal, rateUpdate, reportProgressUpdate } from '../../workflows/feedback-messages';
import { decideUpdate, stateQuery, type DecideRequest } from '../../workflows/messages';
import { eventually } from '../support/stack';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/time-skipping';
import { suggestionWorkflowType } from '../../domain/workflow-types';

// After the decision, at real lengths on the time-skipping server: milestones due in working days,
// the 15-working-day rating window, a 30-day re-handling deadline, the follow-up three months on.

// Each test gets its own server, so its clock starts today: the working-day calendar is loaded
// only for the years the State Council has published.
let stack: TimeSkippingStack;
beforeEach(async () => {
  stack = await startTimeSkippingStack();
});
afterEach(() => stack?.stop());

const transport = { role: 'department' as const, departmentCode: 'transport', name: 'transport/officer' };
const day = 24 * 3600 * 1000;

async function start(extra: Partial<SuggestionIntake> = {}): Promise<WorkflowHandle> {
  const now = new Date(await stack.env.currentTimeMs());
  const intake = webIntake(now, {
    title: 'A shelter at the Guoding Road bus stop',
    content: 'Passengers wait in the rain; a shelter like the one at Wujiaochang would help.',
    publishConsent: true,
    proposer: { name: 'Li Ming', phone: '13900000002', replyChannel: 'sms' },
    ...extra,
  });
  return stack.env.client.workflow.start(suggestionWorkflowType, {
    args: [intake],
    taskQueue: stack.taskQueue,
    workflowId: workflowIdFor(intake.trackingNumber),
  });
}

async function stateOf(handle: WorkflowHandle): Promise<SuggestionView> {
  return handle.query(stateQuery);
}

async function until(handle: WorkflowHandle, what: string, check: (s: SuggestionView) => boolean): Promise<SuggestionView> {
  return eventually(async () => {
    const s = await stateOf(handle);
    return check(s) ? s : undefined;
  }, what);
}

const decide = (handle: WorkflowHandle, decision: Omit<DecideRequest, 'actor'>) =>
  handle.executeUpdate(decideUpdate, { args: [{ actor: transport, ...decision }] });
const notifications = (id: string) => stack.db.notification.findMany({ where: { suggestionId: id }, orderBy: { createdAt: 'asc' } });
const types = (s: SuggestionView) => s.timeline.map((e) => e.type);

async function calendar() {
  const [years, days] = await Promise.all([stack.db.calendarYear.findMany(), stack.db.calendarDay.findMany()]);
  return buildCalendar(
    years.map((y) => y.year),
    days.map((d) => ({ date: d.date.toISOString().slice(0, 10), kind: d.kind as 'holiday' | 'workday' })),
  );
}

test('an adopted suggestion is carried out: a late milestone is reminded, then escalated; done, it is implemented, rated, checked three months on, and closed', async () => {
  const handle = await start();
  const id = handle.workflowId.replace(/^suggestion-/, '');
  await stack.withWorker(async () => {
    await until(handle, 'assignment', (s) => s.status === 'handling');
    const decided = await decide(handle, {
      outcome: 'adopted',
      reply: 'A shelter will be built at the stop.',
      plan: {
        usage: ['livelihood_measure', 'improving_work'],
        summary: 'A rain shelter is built at the Guoding Road stop.',
        milestones: [
          { title: 'Site survey', ownerDepartment: 'transport', dueInWorkingDays: 5 },
          { title: 'Build the shelter', ownerDepartment: 'transport', dueInWorkingDays: 10 },
        ],
      },
    });
    expect(decided.decision).toMatchObject({ outcome: 'adopted', decidedBy: 'transport' });

    const started = await until(handle, 'the plan to start', (s) => s.status === 'implementing');
    const [survey, build] = started.feedback!.implementation!.milestones;
    const cal = await calendar();
    const decidedAt = new Date(decided.decision!.decidedAt);
    expect(build.dueAt).toBe(addWorkingDays(cal, decidedAt, 10).toISOString());
    expect(started.feedback!.implementation!.usage).toEqual(['livelihood_measure', 'improving_work']);

    await handle.executeUpdate(reportProgressUpdate, {
      args: [{ actor: transport, milestoneId: survey.id, percent: 100, note: 'Surveyed with the district.', evidenceUrl: 'https://example.org/survey.pdf' }],
    });
    await handle.executeUpdate(reportProgressUpdate, { args: [{ actor: transport, milestoneId: build.id, percent: 40, note: 'Foundations laid.' }] });
    const rated = await handle.executeUpdate(rateUpdate, { args: [{ rating: 'satisfied', comment: 'Quick answer.' }] });
    expect(rated.feedback!.satisfaction.state).toBe('rated');

    // Past the due date: the owner is reminded; not yet escalated.
    await stack.env.sleep(Date.parse(build.dueAt) - (await stack.env.currentTimeMs()) + 3600_000);
    const reminded = await until(handle, 'the reminder', (s) => s.feedback!.implementation!.milestones[1].remindedAt !== undefined);
    expect(reminded.feedback!.implementation!.milestones[1].escalatedAt).toBeUndefined();
    expect(reminded.overdue).toBe(false);
    const escalatesAt = reminded.feedback!.implementation!.milestones[1].escalatesAt!;
    expect(escalatesAt).toBe(addWorkingDays(cal, new Date(build.dueAt), 5).toISOString());

    // After the grace: supervisors are told and the suggestion shows as overdue.
    await stack.env.sleep(Date.parse(escalatesAt) - (await stack.env.currentTimeMs()) + 3600_000);
    const escalated = await until(handle, 'the escalation', (s) => s.feedback!.implementation!.milestones[1].escalatedAt !== undefined);
    expect(escalated.overdue).toBe(true);
    expect(types(escalated)).toEqual(expect.arrayContaining(['milestone_reminded', 'milestone_escalated']));
    const sent = await eventually(async () => {
      const all = await notifications(id);
      return all.some((n) => n.recipient === 'supervisors') && all;
    }, 'the escalation in the outbox');
    expect(sent.filter((n) => n.recipient === 'department:transport' && n.subject.startsWith('Milestone late'))).toHaveLength(1);
    expect(sent.filter((n) => n.recipient === 'supervisors' && n.subject.startsWith('Implementation overdue'))).toHaveLength(1);

    const implemented = await handle.executeUpdate(reportProgressUpdate, {
      args: [{ actor: transport, milestoneId: build.id, percent: 100, note: 'Shelter open.' }],
    });
    expect(implemented.feedback!.implementation!.milestones.every((m) => m.doneAt)).toBe(true);
    const afterDone = await until(handle, 'implemented', (s) => s.status === 'implemented');
    const implementedAt = Date.parse(afterDone.feedback!.implementation!.implementedAt!);

    // The follow-up check is set when the change is made: the department's request is queued for
    // its day, three months on, and an answer before that day is refused.
    const scheduled = await until(handle, 'the follow-up check', (s) => s.feedback!.implementation!.followUp?.askedAt !== undefined);
    const followUp = scheduled.feedback!.implementation!.followUp!;
    const threeMonths = new Date(implementedAt);
    threeMonths.setUTCMonth(threeMonths.getUTCMonth() + 3);
    expect(Math.abs(Date.parse(followUp.dueAt) - threeMonths.getTime())).toBeLessThan(3 * day);
    expect(followUp.askedAt).toBe(followUp.dueAt);
    expect(Date.parse(followUp.answerDueAt!)).toBeGreaterThan(Date.parse(followUp.dueAt));
    const request = await eventually(
      async () => (await stack.db.notification.findUnique({ where: { id: `${id}:follow-up-requested` } })) ?? undefined,
      'the queued follow-up request',
    );
    expect(request.sendAfter?.toISOString()).toBe(followUp.dueAt);
    await expect(
      handle.executeUpdate(answerFollowUpUpdate, { args: [{ actor: transport, stillInPlace: true, note: 'Checked early.' }] }),
    ).rejects.toMatchObject({ cause: { type: 'WrongState' } });

    // Three months later the department answers whether the change holds.
    await stack.env.sleep(93 * day);
    const asked = await stateOf(handle);
    expect(asked.status).toBe('implemented');

    await handle.executeUpdate(answerFollowUpUpdate, { args: [{ actor: transport, stillInPlace: true, note: 'Checked on site, shelter in use.' }] });
    const final: SuggestionView = await handle.result();
    expect(final.status).toBe('closed');
    expect(types(final)).toEqual(
      expect.arrayContaining([
        'decided',
        'replied',
        'implementation_started',
        'milestone_done',
        'implemented',
        'rated',
        'follow_up_scheduled',
        'follow_up_answered',
        'closed',
      ]),
    );
    await keepHistory('adopted-implemented-checked', handle);
    const row = await eventually(async () => {
      const r = await stack.db.suggestion.findUnique({ where: { id } });
      return r?.status === 'closed' ? r : undefined;
    }, 'the closed projection');
    expect((row.feedback as { implementation: { implementedAt?: string } }).implementation.implementedAt).toBeDefined();
  });
});

test('no rating within the 15-working-day window closes the suggestion as not rated', async () => {
  const handle = await start();
  await stack.withWorker(async () => {
    await until(handle, 'assignment', (s) => s.status === 'handling');
    await decide(handle, { outcome: 'not_adopted', reason: 'The pavement is too narrow for a shelter.', reply: 'We cannot build a shelter there.' });
    const replied = await until(handle, 'the reply and its rating window', (s) => s.feedback!.satisfaction.windowEndsAt !== undefined);
    const cal = await calendar();
    expect(replied.feedback!.satisfaction.windowEndsAt).toBe(addWorkingDays(cal, new Date(replied.repliedAt!), 15).toISOString());

    const final: SuggestionView = await handle.result();
    expect(final.status).toBe('closed');
    expect(final.feedback!.satisfaction.state).toBe('not_rated');
    expect(final.feedback!.implementation).toBeUndefined();
    expect(Date.parse(final.closedAt!)).toBeGreaterThanOrEqual(Date.parse(replied.feedback!.satisfaction.windowEndsAt!));
    expect(types(final).slice(-2)).toEqual(['not_rated', 'closed']);
  });
});

test('a dissatisfied proposer gets one re-handling round with the same department under a new deadline; a second dissatisfied rating is final', async () => {
  const handle = await start();
  const id = handle.workflowId.replace(/^suggestion-/, '');
  await stack.withWorker(async () => {
    await until(handle, 'assignment', (s) => s.status === 'handling');
    await decide(handle, { outcome: 'for_reference', reason: 'Shelters are planned city-wide next year.', reply: 'Kept for the city-wide plan.' });
    await until(handle, 'the reply', (s) => s.feedback!.satisfaction.state === 'awaiting');
    await handle.executeUpdate(rateUpdate, { args: [{ rating: 'dissatisfied', comment: 'Next year is too late.' }] });
    await expect(handle.executeUpdate(rateUpdate, { args: [{ rating: 'satisfied' }] })).rejects.toMatchObject({ cause: { type: 'WrongState' } });

    const reopened = await until(handle, 're-handling', (s) => s.status === 'rehandling');
    const rehandling = reopened.feedback!.satisfaction.rehandling!;
    expect(rehandling.department).toBe('transport');
    expect(reopened.leadDepartment).toBe('transport');
    expect(reopened.dueAt).toBe(rehandling.dueAt);
    expect(Date.parse(rehandling.dueAt) - Date.parse(rehandling.openedAt)).toBeGreaterThan(29 * day);
    await eventually(
      async () => (await notifications(id)).some((n) => n.recipient === 'supervisors' && n.subject.startsWith('Re-handling')),
      'supervisors told of the re-handling',
    );

    // The department answers again within the new deadline (a reply later than mid-December
    // would need the 2027 working-day calendar, which is not published yet).
    await stack.env.sleep('10 days');
    expect((await stateOf(handle)).overdue).toBe(false);

    await decide(handle, { outcome: 'not_adopted', reason: 'The budget of this year is spent.', reply: 'We looked again and cannot do it this year.' });
    await until(handle, 'the second reply', (s) => s.feedback!.satisfaction.state === 'awaiting' && s.feedback!.satisfaction.round === 2);
    await handle.executeUpdate(rateUpdate, { args: [{ rating: 'dissatisfied' }] });

    const final: SuggestionView = await handle.result();
    expect(final.status).toBe('closed');
    expect(final.feedback!.satisfaction.ratings.map((r) => [r.rating, r.round])).toEqual([
      ['dissatisfied', 1],
      ['dissatisfied', 2],
    ]);
    expect(types(final).filter((t) => t === 'rehandling_opened')).toHaveLength(1);
    expect(types(final)).toEqual(expect.arrayContaining(['decided', 'decided_again']));
    const replies = (await notifications(id)).filter((n) => n.recipient === 'proposer' && n.subject.startsWith('Reply'));
    expect(replies.map((n) => n.id)).toEqual([`${id}:reply-1`, `${id}:reply-2`]);
    await keepHistory('dissatisfied-rehandled', handle);
  });
});

test('a campaign suggestion whose results are not published by the response deadline is answered on its own then', async () => {
  const handle = await start({ channel: 'campaign', campaignId: 'fifteen-minute-circle' });
  const id = handle.workflowId.replace(/^suggestion-/, '');
  await stack.withWorker(async () => {
    const routed = await until(handle, 'assignment', (s) => s.status === 'handling');
    await decide(handle, { outcome: 'not_adopted', reason: 'The site is reserved for a school.', reply: 'Thank you for taking part.' });
    await stack.env.sleep('1 day');
    expect((await stateOf(handle)).repliedAt).toBeUndefined();
    await stack.env.sleep(Date.parse(routed.dueAt!) - (await stack.env.currentTimeMs()) + 3600_000);
    const replied = await until(handle, 'the reply at the deadline', (s) => s.repliedAt !== undefined);
    expect(Date.parse(replied.repliedAt!)).toBeGreaterThanOrEqual(Date.parse(routed.dueAt!));
    expect(replied.feedback!.campaignFeedback).toBeUndefined();
    const reply = await eventually(async () => (await notifications(id)).find((n) => n.id === `${id}:reply-1`), 'the reply in the outbox');
    expect(reply.body).toContain('The site is reserved for a school.');
  });
});

test("a campaign suggestion is answered with the campaign's published results (Art 12)", async () => {
  const handle = await start({ channel: 'campaign', campaignId: 'five-new-towns' });
  const id = handle.workflowId.replace(/^suggestion-/, '');
  await stack.withWorker(async () => {
    await until(handle, 'assignment', (s) => s.status === 'handling');
    await decide(handle, { outcome: 'for_reference', reason: 'Taken into the campaign report.', reply: 'Thank you for taking part.' });
    await stack.env.sleep('2 days');
    const waiting = await stateOf(handle);
    expect(waiting.status).toBe('decided');
    expect((await notifications(id)).some((n) => n.recipient === 'proposer' && n.subject.startsWith('Reply'))).toBe(false);

    await handle.signal(campaignFeedbackSignal, { campaignId: 'another-campaign', summary: 'Not ours.', publishedAt: new Date().toISOString() });
    await handle.signal(campaignFeedbackSignal, {
      campaignId: 'five-new-towns',
      summary: '6,707 suggestions, 120 taken into the plans.',
      url: 'https://example.org/five-new-towns',
      publishedAt: new Date().toISOString(),
    });
    const replied = await until(handle, 'the collective reply', (s) => s.repliedAt !== undefined);
    expect(replied.feedback!.campaignFeedback!.campaignId).toBe('five-new-towns');
    const reply = await eventually(async () => (await notifications(id)).find((n) => n.id === `${id}:reply-1`), 'the reply in the outbox');
    expect(reply.body).toContain('https://example.org/five-new-towns');
  });
});
