import type { RecordedDecision } from './decision';
import { satisfactionRatings, type SatisfactionRating } from './vocabulary';

// 回访 and 满意度: the proposer rates the handling; dissatisfied opens one re-handling round.

export interface RatingRecord {
  rating: SatisfactionRating;
  comment?: string;
  at: string;
  /** 1 for the first reply, 2 for the reply after re-handling. */
  round: number;
}

export interface RehandlingRecord {
  openedAt: string;
  department: string;
  /** The new deadline for the department's second answer. */
  dueAt: string;
  /** The proposer's comment that opened it. */
  because?: string;
  /** The decision the proposer was dissatisfied with. */
  previousDecision: RecordedDecision;
  escalatedAt?: string;
  decidedAt?: string;
}

export interface SatisfactionView {
  /** awaiting: the window for a rating is open; not_rated: it closed without one. */
  state: 'not_yet' | 'awaiting' | 'rated' | 'not_rated';
  round: number;
  windowEndsAt?: string;
  ratings: RatingRecord[];
  rehandling?: RehandlingRecord;
}

/** Only one re-handling round per suggestion. */
export const maxRehandlingRounds = 1;

export function ratingProblem(r: { rating?: unknown; comment?: unknown }): string | null {
  if (!satisfactionRatings.includes(r.rating as SatisfactionRating)) return `rating must be one of ${satisfactionRatings.join(', ')}`;
  if (r.comment !== undefined && (typeof r.comment !== 'string' || r.comment.length > 2000)) return 'a comment is text of at most 2000 characters';
  return null;
}
