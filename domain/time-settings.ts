import { defaultFeedbackTerms, feedbackTermSteps } from './feedback-terms';
import { defaultTimeLimits, timeLimitSteps } from './time-limits';

// The time limits the collection office may set: the handling steps per channel and category
// (time-limits.ts) and the steps after the decision for every suggestion (feedback-terms.ts).
// A suggestion takes them as they are when it arrives; later changes apply to later suggestions.

export const settingSteps = [...timeLimitSteps, ...feedbackTermSteps] as const;
export type SettingStep = (typeof settingSteps)[number];
export const settingUnits = ['working_days', 'calendar_days', 'months'] as const;
export type SettingUnit = (typeof settingUnits)[number];

export interface TimeSettingValue {
  step: SettingStep;
  channel: string | null;
  category: string | null;
  amount: number;
  unit: SettingUnit;
}

/** A year: a longer limit is a mistake of unit, not a time limit. */
export const maxSettingDays = 365;
export const maxFollowUpMonths = 24;

const afterDecision = (step: SettingStep) => (feedbackTermSteps as readonly string[]).includes(step);

/** What is wrong with a setting, in words for the office; null when it can be kept. */
export function timeSettingProblem(s: TimeSettingValue): string | null {
  if (afterDecision(s.step) && (s.channel !== null || s.category !== null)) return `${s.step} applies to every suggestion alike: give no channel or category`;
  if (s.step === 'followUpMonths') {
    if (s.unit !== 'months') return 'followUpMonths is counted in months';
    if (s.amount > maxFollowUpMonths) return `the follow-up check comes at most ${maxFollowUpMonths} months after implementation`;
    return null;
  }
  if (s.unit === 'months') return `${s.step} is counted in working_days or calendar_days`;
  if (s.amount > maxSettingDays) return `a time limit is at most ${maxSettingDays} days`;
  return null;
}

/** What a step is when the office has set nothing. */
export function defaultSetting(step: SettingStep): { amount: number; unit: SettingUnit } {
  if (step === 'followUpMonths') return { amount: defaultFeedbackTerms.followUpMonths, unit: 'months' };
  if (afterDecision(step)) return { ...defaultFeedbackTerms[step as 'rating' | 'milestoneGrace' | 'followUpAnswer'] };
  return { ...defaultTimeLimits[step as keyof typeof defaultTimeLimits] };
}
