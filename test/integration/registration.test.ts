import { randomBytes } from 'node:crypto';
import type { SuggestionIntake, SuggestionView } from '../../domain/suggestion';
import { trackingNumber } from '../../domain/tracking-number';
import { activitiesOnTestDatabase } from '../support/activities';

// Registration writes the read-model row, the proposer's sealed details, the tracking token's
// hash, the first timeline event and the acknowledgement at once. A retried registration (the
// worker lost after the commit) writes nothing twice and changes nothing already there.

const on = activitiesOnTestDatabase();

test('a registration retried writes each row once and keeps the first', async () => {
  const receivedAt = new Date().toISOString();
  const number = trackingNumber(receivedAt.slice(0, 10), randomBytes(4));
  const intake: SuggestionIntake = {
    trackingNumber: number,
    title: 'A pedestrian crossing at Nanjing West Road',
    content: 'The crossing near the metro exit has no signal; people cross between the cars.',
    category: 'transport',
    district: 'jingan',
    channel: 'web',
    receivedAt,
    publishConsent: true,
    trackingTokenHash: 'a'.repeat(64),
    proposer: { name: 'Zhou Min', phone: '13700000011', replyChannel: 'sms' },
  };
  const view = { id: number, trackingNumber: number, title: intake.title, content: intake.content, category: intake.category, district: intake.district, channel: intake.channel, receivedAt, publishConsent: true, status: 'received', coDepartments: [], overdue: false, version: 1, timeline: [] } as unknown as SuggestionView;
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
