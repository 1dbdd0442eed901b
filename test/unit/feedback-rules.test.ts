import { maskAddress } from '../../notifications/notifier';
import { decisionSchema } from '../../domain/decision';
import { decisionProblem } from '../../domain/decision-rules';
import { addMonths, defaultFeedbackTerms, feedbackTermsFrom } from '../../domain/feedback-terms';
import { overallPercent, progressProblem, revisionProblem } from '../../domain/implementation';
import { ratingProblem } from '../../domain/satisfaction';

const plan = {
  usage: ['livelihood_measure'],
  summary: 'A shelter is built at the stop.',
  milestones: [{ title: 'Build it', ownerDepartment: 'transport', dueInWorkingDays: 10 }],
};

test('adopted and partially adopted need a plan with its Art 13 usage; the other outcomes need a reason and take no plan', () => {
  expect(decisionProblem({ outcome: 'adopted', reply: 'Yes.' })).toMatch(/implementation plan/);
  expect(decisionProblem({ outcome: 'partially_adopted', reply: 'Partly.', plan: { ...plan, usage: [] } })).toMatch(/Art 13/);
  expect(decisionProblem({ outcome: 'adopted', reply: 'Yes.', plan: { ...plan, usage: ['whim'] } })).toMatch(/Art 13/);
  expect(decisionProblem({ outcome: 'adopted', reply: 'Yes.', plan: { ...plan, summary: 'short' } })).toMatch(/summarises/);
  expect(decisionProblem({ outcome: 'adopted', reply: 'Yes.', plan: { ...plan, milestones: [] } })).toMatch(/at least one milestone/);
  expect(
    decisionProblem({
      outcome: 'adopted',
      reply: 'Yes.',
      plan: { ...plan, milestones: [{ title: 'Build it', ownerDepartment: 'transport', dueInWorkingDays: 0 }] },
    }),
  ).toMatch(/working days/);
  expect(decisionProblem({ outcome: 'adopted', reply: 'Yes.', plan })).toBeNull();
  expect(decisionProblem({ outcome: 'not_adopted', reply: 'No.' })).toMatch(/reason/);
  expect(decisionProblem({ outcome: 'for_reference', reply: 'Noted.', reason: 'Planned for next year.', plan })).toMatch(/no implementation plan/);
  const parsed = decisionSchema.safeParse({ outcome: 'adopted', reply: 'Yes.' });
  expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual(['plan']);
});

test('progress is a whole percentage with a note and an http(s) evidence link; a revision gives its reason', () => {
  expect(progressProblem({ percent: 50, note: 'Half done.' })).toBeNull();
  expect(progressProblem({ percent: 101, note: 'Too much.' })).toMatch(/percentage/);
  expect(progressProblem({ percent: 50.5, note: 'Half.' })).toMatch(/percentage/);
  expect(progressProblem({ percent: 50, note: 'Half.', evidenceUrl: 'javascript:alert(1)' })).toMatch(/evidence/);
  expect(revisionProblem({ milestones: plan.milestones })).toMatch(/reason/);
  expect(revisionProblem({ reason: 'Power first.', milestones: plan.milestones })).toBeNull();
  expect(overallPercent([{ percent: 100 }, { percent: 50 }, { percent: 0 }])).toBe(50);
  expect(overallPercent([])).toBe(0);
});

test('a rating is one of the three words, with an optional comment', () => {
  expect(ratingProblem({ rating: 'basically_satisfied' })).toBeNull();
  expect(ratingProblem({ rating: 'great' })).toMatch(/rating/);
  expect(ratingProblem({ rating: 'dissatisfied', comment: 'x'.repeat(2001) })).toMatch(/comment/);
});

test('the office overrides the terms after the decision; settings for one channel or category, or with a wrong unit, are not for these steps', () => {
  const setting = (step: string, amount: number, unit = 'working_days', channel: string | null = null) => ({ step, amount, unit, channel, category: null });
  expect(feedbackTermsFrom([])).toEqual(defaultFeedbackTerms);
  expect(defaultFeedbackTerms.rating).toEqual({ amount: 15, unit: 'working_days' });
  expect(defaultFeedbackTerms.followUpMonths).toBe(3);
  const terms = feedbackTermsFrom([
    setting('rating', 10),
    setting('followUpMonths', 6, 'months'),
    setting('milestoneGrace', 3, 'fortnights'),
    setting('followUpAnswer', 20, 'working_days', 'hotline'),
  ]);
  expect(terms).toEqual({ ...defaultFeedbackTerms, rating: { amount: 10, unit: 'working_days' }, followUpMonths: 6 });
});

test('three months after the 30th of November is the end of February', () => {
  expect(addMonths(new Date('2026-11-30T04:00:00Z'), 3).toISOString()).toBe('2027-02-28T04:00:00.000Z');
  expect(addMonths(new Date('2026-08-15T04:00:00Z'), 3).toISOString()).toBe('2026-11-15T04:00:00.000Z');
});

test('the mailbox and the log show that an address was used, not which', () => {
  expect(maskAddress('13800000001')).toBe('138****0001');
  expect(maskAddress('zhao.lei@example.com')).toBe('z***@example.com');
  expect(maskAddress('inbox:department:transport')).toBe('inbox:department:transport');
  expect(maskAddress('Wang Fang')).toBe('W***');
});
