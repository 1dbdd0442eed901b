import fc from 'fast-check';
import { decisionSchema } from '../../domain/decision';
import { submitSuggestionSchema } from '../../domain/intake';
import { trackingNumber, trackingNumberPattern } from '../../domain/tracking-number';

const valid = {
  title: 'Lift for Building 12',
  content: 'The six-storey building has many elderly residents and no lift.',
  category: 'housing',
  district: 'yangpu',
};

test('a web suggestion needs only topic, content, category and district', () => {
  const parsed = submitSuggestionSchema.parse(valid);
  expect(parsed).toMatchObject({ channel: 'web', publishConsent: false, proposer: { replyChannel: 'online' } });
});

test("a hotline suggestion needs the caller's phone number", () => {
  const result = submitSuggestionSchema.safeParse({ ...valid, channel: 'hotline' });
  expect(result.success).toBe(false);
  expect(result.error!.issues[0].path).toEqual(['proposer', 'phone']);
});

test('receivedAt is only accepted for channels staff register after the fact', () => {
  expect(submitSuggestionSchema.safeParse({ ...valid, channel: 'letter', receivedAt: '2025-10-09T09:00:00+08:00' }).success).toBe(true);
  expect(submitSuggestionSchema.safeParse({ ...valid, channel: 'web', receivedAt: '2025-10-09T09:00:00+08:00' }).success).toBe(false);
});

test('a reply by SMS needs a phone number', () => {
  expect(submitSuggestionSchema.safeParse({ ...valid, proposer: { replyChannel: 'sms' } }).success).toBe(false);
  expect(submitSuggestionSchema.safeParse({ ...valid, proposer: { replyChannel: 'sms', phone: '13800000000' } }).success).toBe(true);
});

test('unknown fields are refused rather than silently dropped', () => {
  expect(submitSuggestionSchema.safeParse({ ...valid, priority: 'high' }).success).toBe(false);
});

test('not adopted and kept for reference must give a reason', () => {
  expect(decisionSchema.safeParse({ outcome: 'not_adopted', reply: 'Thank you.' }).success).toBe(false);
  expect(decisionSchema.safeParse({ outcome: 'for_reference', reply: 'Thank you.', reason: 'Already planned for 2027.' }).success).toBe(true);
  // An adoption comes with its plan and the way it is used (Art 13): see feedback-rules.test.ts.
  expect(decisionSchema.safeParse({ outcome: 'adopted', reply: 'It will be done.' }).success).toBe(false);
  const plan = {
    usage: ['improving_work'],
    summary: 'The stop moves 50 m north.',
    milestones: [{ title: 'Move the stop', ownerDepartment: 'transport', dueInWorkingDays: 10 }],
  };
  expect(decisionSchema.safeParse({ outcome: 'adopted', reply: 'It will be done.', plan }).success).toBe(true);
});

test('tracking numbers carry the day of receipt and are the same for the same entropy', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 4, maxLength: 32 }), (bytes) => {
      const n = trackingNumber('2026-11-26', bytes);
      expect(n).toMatch(trackingNumberPattern);
      expect(n.startsWith('JY-20261126-')).toBe(true);
      expect(trackingNumber('2026-11-26', bytes)).toBe(n);
    }),
  );
});
