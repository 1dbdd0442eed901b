import type { SatisfactionRating } from './vocabulary';

// 合并办理: the same matter raised by many people is handled once. The office merges a suggestion
// into another (the primary); the merged one stops its own deadline and follows the primary, and
// when the primary is decided every proposer gets the reply by their own channel and rates it
// themselves. Until the primary is decided the office can undo the merge.

/** On a merged suggestion: what it was merged into, when, by whom and why. */
export interface MergeRecord {
  into: string;
  at: string;
  by: string;
  reason: string;
  /** The latest round of the primary's answer this suggestion's proposer was given. */
  answeredRound?: number;
  /** The latest round whose rating was reported to the primary. */
  reportedRound?: number;
  /** The primary has every rating it waits for: no further answer will come. */
  final?: boolean;
}

/** On a primary: one suggestion merged into it, and how its proposer rated the group's answer. */
export interface GroupMember {
  id: string;
  joinedAt: string;
  by: string;
  reason: string;
  /** The member's proposer rated the answer of this round (or let the window close: 'not_rated'). */
  ratings: { round: number; rating: SatisfactionRating | 'not_rated'; comment?: string }[];
}

export interface GroupView {
  /** How many people raised the matter: the primary's proposer and every member's. */
  raisedBy: number;
  members: GroupMember[];
}

const text = (value: unknown, min = 2): value is string => typeof value === 'string' && value.trim().length >= min;

/** What is wrong with a merge or its undoing, or null; free of zod for the workflow's validators. */
export function mergeProblem(r: { into?: unknown; reason?: unknown }, self: string): string | null {
  if (typeof r.into !== 'string' || !/^JY-\d{8}-[0-9A-Z]{6}$/.test(r.into)) return 'a merge names the tracking number of the suggestion it joins';
  if (r.into === self) return 'a suggestion cannot be merged into itself';
  return text(r.reason) ? null : 'a merge gives its reason';
}

export function unmergeProblem(r: { reason?: unknown }): string | null {
  return text(r.reason) ? null : 'undoing a merge gives its reason';
}
