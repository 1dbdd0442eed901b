import { randomBytes } from 'node:crypto';
import type { SuggestionIntake, SuggestionView } from '../../domain/suggestion';
import { trackingNumber } from '../../domain/tracking-number';
import { activitiesOnTestDatabase } from '../support/activities';
import { sealedForTest } from '../support/handling';
import type { ProposerDetails } from '../../domain/intake';

// The read model's writes. Registration writes the row, the proposer's sealed details, the
// tracking token's hash, the first timeline event and the acknowledgement at once; a projection
// writes the row's new state, its events and its messages at once. Either can arrive twice (a
// retried local activity) and a projection late (an older one after a newer): nothing is written
// twice, nothing already there changes, and the row only moves forward in version.

const on = activitiesOnTestDatabase();

/** A new suggestion's intake and its view as the workflow first registers it. */
function newSuggestion(
  intake: Omit<SuggestionIntake, 'trackingNumber' | 'receivedAt' | 'category' | 'district' | 'channel' | 'proposer'> & { proposer: ProposerDetails },
): { intake: SuggestionIntake; view: SuggestionView } {
  const receivedAt = new Date().toISOString();
  const number = trackingNumber(receivedAt.slice(0, 10), randomBytes(4));
  const full: SuggestionIntake = {
    ...intake,
    proposer: sealedForTest(intake.proposer),
    trackingNumber: number,
    receivedAt,
    category: 'transport',
    district: 'jingan',
    channel: 'web',
  };
  const view = {
    id: number,
    trackingNumber: number,
    title: full.title,
    content: full.content,
    category: full.category,
    district: full.district,
    channel: full.channel,
    receivedAt,
    publishConsent: full.publishConsent,
    status: 'received',
    coDepartments: [],
    overdue: false,
    version: 1,
    timeline: [],
  } as unknown as SuggestionView;
  return { intake: full, view };
}

test('a registration retried writes each row once and keeps the first', async () => {
  const { intake, view } = newSuggestion({
    title: 'A pedestrian crossing at Nanjing West Road',
    content: 'The crossing near the metro exit has no signal; people cross between the cars.',
    publishConsent: true,
    trackingTokenHash: 'a'.repeat(64),
    proposer: { name: 'Zhou Min', phone: '13700000011', replyChannel: 'sms' },
  });
  const number = view.id;
  const receivedAt = view.receivedAt;
  const registered = [{ seq: 1, type: 'registered', actor: 'system', at: receivedAt, detail: { channel: 'web' } }] as SuggestionView['timeline'];
  const acknowledgement = [{ key: 'acknowledgement', recipient: 'proposer', channel: 'sms', subject: `Suggestion received: ${number}`, body: 'Registered.' }];

  await on.activities.registerSuggestion(intake, view, registered, acknowledgement);
  const first = await on.db.proposer.findUniqueOrThrow({ where: { suggestionId: number } });
  // The retry carries other sealed bytes (a fresh nonce) and another token hash: the first stay.
  await on.activities.registerSuggestion({ ...intake, trackingTokenHash: 'b'.repeat(64) }, view, registered, acknowledgement);

  expect(await on.db.suggestion.count({ where: { id: number } })).toBe(1);
  expect(await on.db.proposer.findUniqueOrThrow({ where: { suggestionId: number } })).toEqual(first);
  expect((await on.db.trackingToken.findUniqueOrThrow({ where: { suggestionId: number } })).hash).toBe('a'.repeat(64));
  expect(await on.db.suggestionEvent.count({ where: { suggestionId: number } })).toBe(1);
  expect(await on.db.notification.count({ where: { suggestionId: number } })).toBe(1);
  expect(await on.db.suggestion.findUniqueOrThrow({ where: { id: number } })).toMatchObject({ status: 'received', version: 1, title: intake.title });
});

async function registered(): Promise<{ view: SuggestionView }> {
  const { intake, view } = newSuggestion({
    title: 'Longer green light at the school crossing',
    content: 'Children cannot cross Xietu Road in the time the light gives them.',
    publishConsent: false,
    proposer: { replyChannel: 'online' },
  });
  await on.activities.registerSuggestion(intake, view, [{ seq: 1, type: 'registered', actor: 'system', at: view.receivedAt }], []);
  return { view };
}

test('a projection moves the row forward once; a late or repeated one changes nothing', async () => {
  const { view } = await registered();
  const dueAt = '2026-12-04T16:00:00.000Z';
  const assigned = {
    ...view,
    status: 'handling',
    leadDepartment: 'transport-bureau',
    coDepartments: ['xuhui-district'],
    dueAt,
    handling: { returns: [] },
    version: 3,
  } as unknown as SuggestionView;
  const events = [
    { seq: 2, type: 'routed', actor: 'system', at: '2026-11-27T08:00:00.000Z', detail: { rule: 7 } },
    { seq: 3, type: 'assigned', actor: 'system', at: '2026-11-27T08:00:00.123Z' },
  ];
  const notice = [
    {
      key: 'assigned:transport-bureau',
      recipient: 'department:transport-bureau',
      channel: 'online',
      subject: 'New suggestion',
      body: 'Please handle it.',
      sendAfter: '2026-11-28T01:00:00.000Z',
    },
  ];

  await on.activities.projectSuggestion(assigned, events, notice);
  await on.activities.projectSuggestion(assigned, events, notice);
  // An older state arriving late does not overwrite the newer one.
  await on.activities.projectSuggestion({ ...view, status: 'triage', version: 2 } as SuggestionView, [events[0]], []);

  expect(await on.db.suggestion.findUniqueOrThrow({ where: { id: view.id } })).toMatchObject({
    status: 'handling',
    leadDepartment: 'transport-bureau',
    coDepartments: ['xuhui-district'],
    dueAt: new Date(dueAt),
    handling: { returns: [] },
    version: 3,
  });
  const timeline = await on.db.suggestionEvent.findMany({ where: { suggestionId: view.id }, orderBy: { seq: 'asc' } });
  expect(timeline.map((e) => [e.seq, e.type, e.at.toISOString(), e.detail])).toEqual([
    [1, 'registered', view.receivedAt, {}],
    [2, 'routed', '2026-11-27T08:00:00.000Z', { rule: 7 }],
    [3, 'assigned', '2026-11-27T08:00:00.123Z', {}],
  ]);
  const queued = await on.db.notification.findMany({ where: { suggestionId: view.id } });
  expect(queued).toEqual([
    expect.objectContaining({
      id: `${view.id}:assigned:transport-bureau`,
      recipient: 'department:transport-bureau',
      status: 'pending',
      sendAfter: new Date('2026-11-28T01:00:00.000Z'),
    }),
  ]);
});

test('a decision reaches the row; a projection without handling keeps what the row has', async () => {
  const { view } = await registered();
  await on.activities.projectSuggestion({ ...view, status: 'handling', handling: { returns: [{ by: 'a' }] }, version: 2 } as unknown as SuggestionView, [], []);
  const decidedAt = '2026-12-01T03:04:05.678Z';
  const decided = {
    ...view,
    status: 'replied',
    decision: { outcome: 'adopted', reason: 'Sound and affordable', reply: 'We will lengthen the light.', decidedAt },
    repliedAt: decidedAt,
    version: 4,
  };
  await on.activities.projectSuggestion(decided as unknown as SuggestionView, [], []);

  expect(await on.db.suggestion.findUniqueOrThrow({ where: { id: view.id } })).toMatchObject({
    status: 'replied',
    outcome: 'adopted',
    decisionReason: 'Sound and affordable',
    reply: 'We will lengthen the light.',
    decidedAt: new Date(decidedAt),
    repliedAt: new Date(decidedAt),
    handling: { returns: [{ by: 'a' }] },
    closedAt: null,
    version: 4,
  });
});
