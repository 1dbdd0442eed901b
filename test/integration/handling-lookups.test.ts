import { MockActivityEnvironment } from '@temporalio/testing';
import type { HandlingLookupsRequest, LookupAnswer } from '../../activities';
import type { SuggestionIntake, SuggestionView } from '../../domain/suggestion';
import { activitiesOnTestDatabase } from '../support/activities';

// The routing's look-ups done at once (activities/handling-lookups.ts) answer exactly what the
// single look-ups answer, for the calls the routing makes with the arguments it makes them with.

const on = activitiesOnTestDatabase();

const asked = (answers: LookupAnswer[]) => answers.map((a) => a.name);

async function singly(answer: LookupAnswer): Promise<unknown> {
  const lookup = on.activities[answer.name] as (...args: unknown[]) => Promise<unknown>;
  return lookup(...answer.args);
}

test('a suggestion a rule routes: terms, both deadlines, the rule, then the return deadline, the name and the reminders, each as the single look-up answers it', async () => {
  const receivedAt = '2026-11-26T02:00:00.000Z';
  const answers = await on.activities.handlingLookups({ trackingNumber: 'JY-20261126-LOOKUP01', channel: 'web', category: 'transport', district: 'yangpu', receivedAt, assignedAt: '2026-11-26T02:00:01.000Z' });

  expect(asked(answers)).toEqual(['handlingTerms', 'deadlineFrom', 'deadlineFrom', 'routeToDepartment', 'deadlineFrom', 'departmentName', 'reminderTimes']);
  for (const answer of answers) expect([answer.name, answer.value]).toEqual([answer.name, await singly(answer)]);
  expect(answers[3].value).toMatchObject({ kind: 'assigned', leadDepartment: 'transport' });
  expect(answers[5].value).toBe('上海市交通委员会');
  // The reminders count back from the reply deadline.
  expect(answers[6].args).toEqual([{ dueAt: answers[2].value, offsets: [3, 1] }]);
});

test('a suggestion no rule covers stops at the routing: it goes to triage, and the office assigns it later', async () => {
  const answers = await on.activities.handlingLookups({ trackingNumber: 'JY-20261126-LOOKUP02', channel: 'web', category: 'other', district: 'yangpu', receivedAt: '2026-11-26T02:00:00.000Z', assignedAt: '2026-11-26T02:00:01.000Z' });

  expect(asked(answers)).toEqual(['handlingTerms', 'deadlineFrom', 'deadlineFrom', 'routeToDepartment']);
  expect(answers[3].value).toMatchObject({ kind: 'triage' });
  for (const answer of answers) expect(answer.value).toEqual(await singly(answer));
});

test('a look-up that fails ends the list, and the workflow asks for the rest itself', async () => {
  // No calendar is loaded for 2090: limits in calendar days can be counted, working days cannot.
  const assignedAt = '2090-11-27T02:00:01.000Z';
  // In an activity's context, as the worker runs it: a failing look-up logs there.
  const inActivity = new MockActivityEnvironment();
  const request: HandlingLookupsRequest = { trackingNumber: 'JY-20901127-LOOKUP03', channel: 'web', category: 'transport', district: 'yangpu', receivedAt: '2090-11-27T02:00:00.000Z', assignedAt };
  const answers = (await inActivity.run(on.activities.handlingLookups, request)) as LookupAnswer[];
  const terms = answers[0].value as Awaited<ReturnType<typeof on.activities.handlingTerms>>;
  expect(terms.limits.returnToTriage.unit).toBe('working_days');
  expect(asked(answers)).not.toContain('departmentName');
  // The list stops at the return deadline, which the single look-up cannot count either.
  expect(asked(answers)).toEqual(['handlingTerms', 'deadlineFrom', 'deadlineFrom', 'routeToDepartment']);
  await expect(inActivity.run(on.activities.deadlineFrom, { from: assignedAt, limit: terms.limits.returnToTriage })).rejects.toThrow(/2090/);
});

test('registration with the look-ups writes the new suggestion once and answers as the look-ups alone, retried or not', async () => {
  const receivedAt = '2026-11-26T03:00:00.000Z';
  const number = 'JY-20261126-LOOKUP04';
  const intake: SuggestionIntake = { trackingNumber: number, receivedAt, title: 'A bench at the bus stop', content: 'Older riders wait standing.', category: 'transport', district: 'yangpu', channel: 'web', publishConsent: false, proposer: { replyChannel: 'online' } };
  const view = { id: number, trackingNumber: number, title: intake.title, content: intake.content, category: 'transport', district: 'yangpu', channel: 'web', receivedAt, publishConsent: false, status: 'received', coDepartments: [], overdue: false, version: 1, timeline: [] } as unknown as SuggestionView;
  const events = [{ seq: 1, type: 'registered', actor: 'system', at: receivedAt }];
  const acknowledgement = [{ key: 'acknowledgement', recipient: 'proposer', channel: 'online', subject: `Suggestion received: ${number}`, body: 'Registered.' }];
  const request: HandlingLookupsRequest = { trackingNumber: number, channel: 'web', category: 'transport', district: 'yangpu', receivedAt, assignedAt: '2026-11-26T03:00:01.000Z' };

  const answers = await on.activities.registerWithHandlingLookups(intake, view, events, acknowledgement, request);
  // A retried local activity runs both halves again.
  const again = await on.activities.registerWithHandlingLookups(intake, view, events, acknowledgement, request);

  expect(answers).toEqual(await on.activities.handlingLookups(request));
  expect(again).toEqual(answers);
  expect(asked(answers)).toEqual(['handlingTerms', 'deadlineFrom', 'deadlineFrom', 'routeToDepartment', 'deadlineFrom', 'departmentName', 'reminderTimes']);
  expect(await on.db.suggestion.findUniqueOrThrow({ where: { id: number } })).toMatchObject({ status: 'received', version: 1, title: intake.title });
  expect(await on.db.notification.count({ where: { suggestionId: number } })).toBe(1);
  expect(await on.db.suggestionEvent.count({ where: { suggestionId: number } })).toBe(1);
});
