import type { TimeLimit } from './calendar/working-days';
import type { Category, Channel } from './vocabulary';

/**
 * The 2021 regulation says "within the prescribed time limits" without numbers, so every
 * limit is configuration. These defaults come from the rules the offices already follow
 * (the table in DOMAIN.md).
 */
export interface TimeLimits {
  /** register and route to a department (上海市信访条例 Art 30, 34) */
  route: TimeLimit;
  /** a department may return what is not in its remit (信访工作条例 Art 22) */
  returnToTriage: TimeLimit;
  /** the department replies (上海市信访条例 Art 41) */
  respond: TimeLimit;
  /** the longest extension a supervisor may grant (上海市信访条例 Art 37) */
  maxExtension: TimeLimit;
}

export const defaultTimeLimits: TimeLimits = {
  route: { amount: 15, unit: 'calendar_days' },
  returnToTriage: { amount: 5, unit: 'working_days' },
  respond: { amount: 30, unit: 'calendar_days' },
  maxExtension: { amount: 30, unit: 'calendar_days' },
};

/** Hotline callers get their answer within 5 working days (12345 regulations). */
const hotlineLimits: Partial<TimeLimits> = {
  respond: { amount: 5, unit: 'working_days' },
};

/** The time limits that apply to a suggestion of this channel and category. */
export function timeLimitsFor(channel: Channel, _category: Category): TimeLimits {
  return channel === 'hotline' ? { ...defaultTimeLimits, ...hotlineLimits } : defaultTimeLimits;
}
