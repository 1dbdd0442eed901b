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

export const nominationSchema = z.object({ suggestionId: z.string().min(1).max(64), note: z.string().trim().min(2).max(2000) }).strict();
export const awardSchema = z.object({ suggestionId: z.string().min(1).max(64), citation: z.string().trim().min(2).max(2000) }).strict();
