import { z } from 'zod';
import type { Outcome } from './vocabulary';

// Outstanding suggestions (优秀人民建议), selected once a year from the suggestions adopted and
// implemented in that year, then nominated and awarded by the collection office.

/**
 * The documented score, out of 100. It ranks the office's shortlist; the office decides.
 * - outcome (40): adopted 40, partially adopted 25 (采纳 / 部分采纳); others are not candidates.
 * - implementation completed (30): the department reported the measure carried out (落实转化).
 * - satisfaction (20): the proposer's rating — satisfied 20, basically satisfied 10, dissatisfied
 *   or not rated 0 (回访).
 * - public reach (10): the proposer agreed to publication, so the outcome is on the public board.
 */
export const scoreWeights = {
  outcome: { adopted: 40, partially_adopted: 25 } as Partial<Record<Outcome, number>>,
  implementationCompleted: 30,
  satisfaction: { satisfied: 20, basically_satisfied: 10, dissatisfied: 0 } as Record<string, number>,
  publicReach: 10,
} as const;

/** Outcomes that make a suggestion a candidate at all. */
export const candidateOutcomes: readonly Outcome[] = ['adopted', 'partially_adopted'];

export interface ScoreInput {
  outcome: Outcome;
  implementationCompleted: boolean;
  /** The proposer's latest rating, if any. */
  satisfaction?: string;
  publishConsent: boolean;
}

export interface ScoreBreakdown {
  outcome: number;
  implementationCompleted: number;
  satisfaction: number;
  publicReach: number;
  total: number;
}

export function outstandingScore(s: ScoreInput): ScoreBreakdown {
  const parts = {
    outcome: scoreWeights.outcome[s.outcome] ?? 0,
    implementationCompleted: s.implementationCompleted ? scoreWeights.implementationCompleted : 0,
    satisfaction: (s.satisfaction && scoreWeights.satisfaction[s.satisfaction]) || 0,
    publicReach: s.publishConsent ? scoreWeights.publicReach : 0,
  };
  return { ...parts, total: parts.outcome + parts.implementationCompleted + parts.satisfaction + parts.publicReach };
}

const suggestionId = z
  .string()
  .min(1)
  .max(64)
  .meta({ examples: ['JY-20261126-7K3QXM'] });

export const nominationSchema = z
  .object({
    suggestionId: suggestionId.describe('the tracking number of the suggestion nominated'),
    note: z
      .string()
      .trim()
      .min(2)
      .max(2000)
      .describe('why it is nominated')
      .meta({ examples: ['建议切实改善了国定路沿线老人和学生的候车条件，落实及时，市民反响良好。'] }),
  })
  .strict()
  .describe('A department nominates a suggestion for the outstanding suggestions of the year (优秀人民建议)')
  .meta({ examples: [{ suggestionId: 'JY-20261126-7K3QXM', note: '建议切实改善了国定路沿线老人和学生的候车条件，落实及时，市民反响良好。' }] });
export const awardSchema = z
  .object({
    suggestionId: suggestionId.describe('the tracking number of the suggestion awarded'),
    citation: z
      .string()
      .trim()
      .min(2)
      .max(2000)
      .describe('the citation published with the award')
      .meta({ examples: ['以小切口解决候车难题，推动全市公交站点适老化改造。'] }),
  })
  .strict()
  .describe('The office awards a suggestion as outstanding, with its citation')
  .meta({ examples: [{ suggestionId: 'JY-20261126-7K3QXM', citation: '以小切口解决候车难题，推动全市公交站点适老化改造。' }] });
