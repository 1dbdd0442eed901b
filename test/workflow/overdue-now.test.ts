import type { WorkflowHandle } from '@temporalio/client';
import type { SuggestionView } from '../../domain/suggestion';
import { rateUpdate, reportProgressUpdate, revisePlanUpdate } from '../../workflows/feedback-messages';
import { decideUpdate } from '../../workflows/messages';
import { Overdue } from '../../workflows/search-attributes';
import { eventually } from '../support/stack';
import { department, keepHistory, timeSkippingSuite, waitFor } from '../support/handling';

// 超期 is about now: the Overdue search attribute and the read model's flag are true while
// something is past its limit and false again once it is done, at the real lengths on the
// time-skipping server (milestones in working days, the 30-day re-handling deadline).

const suite = timeSkippingSuite();
const transport = department('transport');
const HOUR = 3_600_000;

const idOf = (handle: WorkflowHandle) => handle.workflowId.replace(/^suggestion-/, '');
const reached = (handle: WorkflowHandle, check: (s: SuggestionView) => boolean) => waitFor(suite.stack.env, handle, check);
const searchAttribute = async (handle: WorkflowHandle) => (await handle.describe()).typedSearchAttributes.get(Overdue);
/** Skips the clock to an hour past `at`. */
const skipPast = async (at: string) => suite.stack.env.sleep(Math.max(1, Date.parse(at) - (await suite.stack.env.currentTimeMs()) + HOUR));

/** The read model once it shows the flag (projections run in activities, after the workflow task). */
const projectedOverdue = (id: string, overdue: boolean) =>
  eventually(async () => {
    const row = await suite.stack.db.suggestion.findUnique({ where: { id } });
    return row?.overdue === overdue ? row : undefined;
  }, `the read model's overdue = ${overdue}`);

test('late milestones make the suggestion Overdue only until nothing is late any more: one done, the other moved by a revision', async () => {
  const handle = await suite.submit({ publishConsent: true });
  const id = idOf(handle);
  await suite.stack.withWorker(async () => {
    await reached(handle, (s) => s.status === 'handling');
    await handle.executeUpdate(decideUpdate, {
      args: [
        {
          actor: transport,
          outcome: 'adopted',
          reply: 'Trees will be planted along the route.',
          plan: {
            usage: ['livelihood_measure'],
            summary: 'Shade trees are planted along Guoquan Road.',
            milestones: [
              { title: 'Choose the species with the district', ownerDepartment: 'transport', dueInWorkingDays: 2 },
              { title: 'Plant the trees', ownerDepartment: 'transport', dueInWorkingDays: 3 },
            ],
          },
        },
      ],
    });
    const started = await reached(handle, (s) => s.status === 'implementing');
    expect(started.overdue).toBe(false);
    const [species, planting] = started.feedback!.implementation!.milestones;

    // Past both due dates and the 5-working-day grace: both escalated to supervisors.
    await skipPast(planting.dueAt);
    const reminded = await reached(handle, (s) => s.feedback!.implementation!.milestones.every((m) => m.escalatesAt !== undefined));
    expect(reminded.overdue).toBe(false);
    await skipPast(reminded.feedback!.implementation!.milestones[1].escalatesAt!);
    const late = await reached(handle, (s) => s.feedback!.implementation!.milestones.every((m) => m.escalatedAt !== undefined));
    expect(late.overdue).toBe(true);
    expect(await searchAttribute(handle)).toBe(true);
    await projectedOverdue(id, true);

    // One late milestone done: the other is still late.
    const oneDone = await handle.executeUpdate(reportProgressUpdate, {
      args: [{ actor: transport, milestoneId: species.id, percent: 100, note: 'Plane trees chosen.' }],
    });
    expect(oneDone.overdue).toBe(true);
    expect(await searchAttribute(handle)).toBe(true);

    // The plan is revised with a later due date for the other: nothing is late now.
    const revised = await handle.executeUpdate(revisePlanUpdate, {
      args: [
        {
          actor: transport,
          reason: 'The nursery delivers in spring.',
          milestones: [
            { id: species.id, title: species.title, ownerDepartment: 'transport', dueInWorkingDays: 2 },
            { id: planting.id, title: planting.title, ownerDepartment: 'transport', dueInWorkingDays: 20 },
          ],
        },
      ],
    });
    expect(revised.feedback!.implementation!.milestones[1].escalatedAt).toBeUndefined();
    expect(revised.overdue).toBe(false);
    expect(await searchAttribute(handle)).toBe(false);
    const row = await projectedOverdue(id, false);
    expect(row.status).toBe('implementing');

    // Late again after the new date and its grace, and finished at last.
    const moved = revised.feedback!.implementation!.milestones[1];
    await skipPast(moved.dueAt);
    const remindedAgain = await reached(handle, (s) => s.feedback!.implementation!.milestones[1].escalatesAt !== undefined);
    await skipPast(remindedAgain.feedback!.implementation!.milestones[1].escalatesAt!);
    await reached(handle, (s) => s.feedback!.implementation!.milestones[1].escalatedAt !== undefined && s.overdue);
    expect(await searchAttribute(handle)).toBe(true);
    const done = await handle.executeUpdate(reportProgressUpdate, {
      args: [{ actor: transport, milestoneId: planting.id, percent: 100, note: 'Thirty trees planted.' }],
    });
    expect(done.overdue).toBe(false);
    expect(await searchAttribute(handle)).toBe(false);
    const implemented = await reached(handle, (s) => s.status === 'implemented');
    expect(implemented.overdue).toBe(false);
    expect(implemented.timeline.filter((e) => e.type === 'milestone_escalated')).toHaveLength(3);
    await projectedOverdue(id, false);
    await keepHistory('milestones-late-revised', handle);
  });
});

test('a re-handling the department lets pass its 30-day deadline is escalated to supervisors and Overdue; the late second answer clears it', async () => {
  const handle = await suite.submit();
  const id = idOf(handle);
  await suite.stack.withWorker(async () => {
    await reached(handle, (s) => s.status === 'handling');
    await handle.executeUpdate(decideUpdate, {
      args: [{ actor: transport, outcome: 'for_reference', reason: 'Trees are planned city-wide next year.', reply: 'Kept for the city-wide plan.' }],
    });
    await reached(handle, (s) => s.feedback!.satisfaction.state === 'awaiting');
    await handle.executeUpdate(rateUpdate, { args: [{ rating: 'dissatisfied', comment: 'The children walk in the sun this summer.' }] });
    const reopened = await reached(handle, (s) => s.status === 'rehandling');
    const { dueAt } = reopened.feedback!.satisfaction.rehandling!;
    expect(reopened.overdue).toBe(false);
    expect(await searchAttribute(handle)).toBe(false);

    await skipPast(dueAt);
    const late = await reached(handle, (s) => s.feedback!.satisfaction.rehandling!.escalatedAt !== undefined);
    expect(late.status).toBe('rehandling');
    expect(late.overdue).toBe(true);
    expect(Date.parse(late.feedback!.satisfaction.rehandling!.escalatedAt!)).toBeGreaterThanOrEqual(Date.parse(dueAt));
    expect(late.timeline.find((e) => e.type === 'escalated_overdue')?.detail).toEqual({ dueAt, department: 'transport', rehandling: true });
    expect(await searchAttribute(handle)).toBe(true);
    const row = await projectedOverdue(id, true);
    expect(row.status).toBe('rehandling');
    // Supervisors were told when it opened and again when it ran late; the department only when it opened.
    const sent = await eventually(async () => {
      const all = await suite.stack.db.notification.findMany({ where: { suggestionId: id } });
      return all.some((n) => n.id === `${id}:rehandling-overdue`) && all;
    }, 'the escalation in the outbox');
    const escalation = sent.find((n) => n.id === `${id}:rehandling-overdue`)!;
    expect(escalation).toMatchObject({ recipient: 'supervisors', channel: 'online' });
    expect(escalation.subject).toContain(id);
    expect(escalation.body).toContain(dueAt);
    expect(
      sent
        .filter((n) => n.recipient === 'supervisors')
        .map((n) => n.id)
        .sort(),
    ).toEqual([`${id}:rehandling-overdue`, `${id}:rehandling-supervisors`]);

    const answered = await handle.executeUpdate(decideUpdate, {
      args: [{ actor: transport, outcome: 'not_adopted', reason: 'The pavement is too narrow for trees.', reply: 'We looked again: awnings come instead.' }],
    });
    expect(answered.overdue).toBe(false);
    const replied = await reached(handle, (s) => s.feedback!.satisfaction.round === 2 && s.feedback!.satisfaction.state === 'awaiting');
    expect(replied.overdue).toBe(false);
    expect(await searchAttribute(handle)).toBe(false);
    expect(replied.feedback!.satisfaction.rehandling!.decidedAt).toBeDefined();
    await projectedOverdue(id, false);
    await keepHistory('rehandling-escalated', handle);
  });
});
