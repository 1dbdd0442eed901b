import type { TimeLimit, TimeLimitUnit } from './calendar/working-days';
import type { Category, Channel } from './vocabulary';

/**
 * The 2021 regulation says "within the prescribed time limits" without numbers, so every
 * limit is configuration. These defaults come from the rules the offices already follow
 * (the table in docs/DOMAIN.md); the collection office overrides them per channel and category.
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
  /** a co-handling department gives its opinion to the lead (会办意见) */
  coOpinion: TimeLimit;
  /** routing on the emergency fast path (Art 14) */
  emergencyRoute: TimeLimit;
  /** the department's answer on the emergency fast path (Art 14) */
  emergencyRespond: TimeLimit;
  /** the level a suggestion is handed to (市 → 区 → 街镇, or back up) takes it on: routes, assigns or hands it on */
  handover: TimeLimit;
}

export const timeLimitSteps = ['route', 'returnToTriage', 'respond', 'maxExtension', 'coOpinion', 'emergencyRoute', 'emergencyRespond', 'handover'] as const;
export type TimeLimitStep = (typeof timeLimitSteps)[number];
export const timeLimitUnits: readonly TimeLimitUnit[] = ['working_days', 'calendar_days'];

/** How the handling of a suggestion is supervised, beyond its time limits. */
export interface HandlingPolicy {
  /** Reminders (催办) this many working days before the response deadline. */
  reminderOffsets: number[];
  /** After this many returns (退回) automatic routing stops and only the office assigns. */
  maxReturns: number;
  /** Approved extensions (延期) allowed per suggestion. */
  maxExtensions: number;
}

export const defaultTimeLimits: TimeLimits = {
  route: { amount: 15, unit: 'calendar_days' },
  returnToTriage: { amount: 5, unit: 'working_days' },
  respond: { amount: 30, unit: 'calendar_days' },
  maxExtension: { amount: 30, unit: 'calendar_days' },
  coOpinion: { amount: 10, unit: 'working_days' },
  emergencyRoute: { amount: 1, unit: 'working_days' },
  emergencyRespond: { amount: 1, unit: 'working_days' },
  handover: { amount: 5, unit: 'working_days' },
};

export const defaultHandlingPolicy: HandlingPolicy = { reminderOffsets: [3, 1], maxReturns: 2, maxExtensions: 1 };

/** One override as the office keeps it: a null channel or category applies to any. */
export interface TimeLimitSetting {
  step: string;
  channel: string | null;
  category: string | null;
  amount: number;
  unit: string;
  /** The level whose office set it: a district's setting beats the city's for that district's suggestions. */
  jurisdiction?: string;
}

/** Hotline callers get their answer within 5 working days (12345 regulations): when no city profile says otherwise. */
const builtInSettings: TimeLimitSetting[] = [{ step: 'respond', channel: 'hotline', category: null, amount: 5, unit: 'working_days' }];

/**
 * The time limits that apply to a suggestion of this channel and category: for each step the
 * most specific setting (channel and category, then category, then channel), else the city
 * profile's default for it (domain/profile.ts), else the code's. The profile's defaults give way
 * to any setting of the office for the same step.
 */
export function timeLimitsFor(
  channel: Channel,
  category: Category,
  settings: readonly TimeLimitSetting[] = [],
  profileDefaults: readonly TimeLimitSetting[] = builtInSettings,
): TimeLimits {
  const limits = { ...defaultTimeLimits };
  const specificity = (s: TimeLimitSetting) =>
    (s.jurisdiction && s.jurisdiction !== 'city' ? 4 : 0) + (s.category !== null ? 2 : 0) + (s.channel !== null ? 1 : 0);
  for (const step of timeLimitSteps) {
    const applicable = (list: readonly TimeLimitSetting[]) =>
      list
        .filter((s) => s.step === step && (s.channel === null || s.channel === channel) && (s.category === null || s.category === category))
        .filter((s) => s.amount >= 1 && timeLimitUnits.includes(s.unit as TimeLimitUnit))
        .sort((a, b) => specificity(b) - specificity(a))[0];
    const chosen = applicable(settings) ?? applicable(profileDefaults);
    if (chosen) limits[step] = { amount: chosen.amount, unit: chosen.unit as TimeLimitUnit };
  }
  return limits;
}
