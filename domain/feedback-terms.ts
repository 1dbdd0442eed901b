import type { TimeLimit } from './calendar/working-days';

/**
 * Time limits after the decision. Defaults come from the call-back rules of comparable systems
 * (Jinan 12345 Art 27, Beijing 接诉即办 Art 23); the office overrides them in the time-limit
 * settings under these step names.
 */
export interface FeedbackTerms {
  /** The proposer may rate the handling this long after the reply; then it closes as not rated. */
  rating: TimeLimit;
  /** A milestone past its due date is reminded at once and escalated after this grace. */
  milestoneGrace: TimeLimit;
  /** The department answers the follow-up check within this. */
  followUpAnswer: TimeLimit;
  /** The follow-up check comes this many months after implementation. */
  followUpMonths: number;
}

export const feedbackTermSteps = ['rating', 'milestoneGrace', 'followUpAnswer', 'followUpMonths'] as const;

export const defaultFeedbackTerms: FeedbackTerms = {
  rating: { amount: 15, unit: 'working_days' },
  milestoneGrace: { amount: 5, unit: 'working_days' },
  // Answered like a department's reply (上海市信访条例 Art 41).
  followUpAnswer: { amount: 30, unit: 'calendar_days' },
  followUpMonths: 3,
};

/** Applies the office's settings (channel- and category-independent) over the defaults. */
export function feedbackTermsFrom(
  settings: readonly { step: string; channel: string | null; category: string | null; amount: number; unit: string }[],
): FeedbackTerms {
  const terms = { ...defaultFeedbackTerms };
  for (const s of settings) {
    if (s.channel !== null || s.category !== null || !Number.isInteger(s.amount) || s.amount < 1) continue;
    if (s.step === 'followUpMonths') terms.followUpMonths = s.amount;
    else if ((s.step === 'rating' || s.step === 'milestoneGrace' || s.step === 'followUpAnswer') && (s.unit === 'working_days' || s.unit === 'calendar_days')) {
      terms[s.step] = { amount: s.amount, unit: s.unit };
    }
  }
  return terms;
}

/** The same instant `months` later (the follow-up check), clamped to the month's last day. */
export function addMonths(from: Date, months: number): Date {
  const to = new Date(from.getTime());
  const day = to.getUTCDate();
  to.setUTCDate(1);
  to.setUTCMonth(to.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() + 1, 0)).getUTCDate();
  to.setUTCDate(Math.min(day, lastDay));
  return to;
}
