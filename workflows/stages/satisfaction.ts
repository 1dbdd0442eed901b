import { maxRehandlingRounds, ratingProblem, type RatingRecord } from '../../domain/satisfaction';
import type { RatingRequest } from '../feedback-messages';
import { notices } from '../notices';
import { refuse } from '../refusals';
import type { Suggestion } from '../suggestion';
import { applyRehandlingDecision } from './implementation';
import { dissatisfiedMember, membersAwaitingRating, reportRatingToPrimary } from './merging';
import { answerProposer } from './reply';

// 回访 and 满意度: after the reply the proposer rates the handling. Dissatisfied opens one
// re-handling round with the same department under a new deadline (重新办理); no rating within
// the window closes the question as "not rated".

/** The response limit when the handling stage recorded none (the regulation's default). */
const defaultRespond = { amount: 30, unit: 'calendar_days' } as const;

export function refuseInvalidRating(suggestion: Suggestion, request: RatingRequest): void {
  const satisfaction = suggestion.feedback.satisfaction;
  if (satisfaction.state !== 'awaiting')
    refuse('WrongState', satisfaction.state === 'not_yet' ? 'there is no reply to rate yet' : 'this reply is already rated or its rating window has closed');
  const problem = ratingProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

export function rate(suggestion: Suggestion, request: RatingRequest): void {
  const satisfaction = suggestion.feedback.satisfaction;
  const rating: RatingRecord = {
    rating: request.rating,
    ...(request.comment ? { comment: request.comment } : {}),
    at: new Date().toISOString(),
    round: satisfaction.round,
  };
  satisfaction.ratings.push(rating);
  satisfaction.state = 'rated';
  suggestion.deadlines.settle('rating');
  suggestion.record('rated', 'proposer', { rating: rating.rating, round: rating.round });
  suggestion.notify(notices.rated(suggestion, rating));
}

/**
 * What the rating asks for now: the window closes without one; a first "dissatisfied" opens the
 * re-handling round; a late re-handling answer is escalated; the new decision is replied to.
 */
export function superviseRating(suggestion: Suggestion): void {
  const satisfaction = suggestion.feedback.satisfaction;
  const rehandling = satisfaction.rehandling;
  const now = Date.now();
  if (satisfaction.state === 'awaiting' && now >= Date.parse(satisfaction.windowEndsAt!)) {
    satisfaction.state = 'not_rated';
    suggestion.deadlines.settle('rating');
    suggestion.record('not_rated', 'system', { round: satisfaction.round, windowEndsAt: satisfaction.windowEndsAt });
  }
  // A merged suggestion's rating goes to its primary, which a dissatisfied one re-handles.
  reportRatingToPrimary(suggestion);
  if (needsRehandling(suggestion)) openRehandling(suggestion, dissatisfiedMember(suggestion) ?? satisfaction.ratings.at(-1)!);
  if (rehandling && rehandling.decidedAt === undefined) {
    if (suggestion.decision !== rehandling.previousDecision) answerAfterRehandling(suggestion);
    else if (rehandling.escalatedAt === undefined && now >= Date.parse(rehandling.dueAt)) escalateRehandling(suggestion);
  }
}

/** Nothing more will come of the rating: not rated, or rated and, if dissatisfied, handled again and answered. */
export function ratingSettled(suggestion: Suggestion): boolean {
  const { state, rehandling } = suggestion.feedback.satisfaction;
  // A merged one waits until its primary has every rating: a dissatisfied one may bring a new answer.
  if (suggestion.mergedInto) return (state === 'rated' || state === 'not_rated') && suggestion.mergedInto.final === true;
  // A primary waits for its members' ratings of its latest answer.
  if (membersAwaitingRating(suggestion) > 0) return false;
  if (state === 'not_rated') return !needsRehandling(suggestion);
  return state === 'rated' && !needsRehandling(suggestion) && (rehandling === undefined || rehandling.decidedAt !== undefined);
}

/** When the rating stage next has something to do by the clock. */
export function nextRatingDeadline(suggestion: Suggestion): { at: number; what: string } | undefined {
  const { state, windowEndsAt, rehandling } = suggestion.feedback.satisfaction;
  if (state === 'awaiting' && windowEndsAt) return { at: Date.parse(windowEndsAt), what: 'rating window' };
  if (rehandling && rehandling.decidedAt === undefined && rehandling.escalatedAt === undefined)
    return { at: Date.parse(rehandling.dueAt), what: 're-handling deadline' };
  return undefined;
}

function needsRehandling(suggestion: Suggestion): boolean {
  const { state, ratings, rehandling } = suggestion.feedback.satisfaction;
  const rounds = rehandling ? 1 : 0;
  if (suggestion.mergedInto || rounds >= maxRehandlingRounds || suggestion.status === 'rehandling') return false;
  const ownDissatisfied = state === 'rated' && ratings.at(-1)?.rating === 'dissatisfied' && ratings.at(-1)?.round === suggestion.feedback.satisfaction.round;
  return ownDissatisfied || dissatisfiedMember(suggestion) !== undefined;
}

/** 重新办理: the same department answers again under a new deadline, supervised like the first. */
function openRehandling(suggestion: Suggestion, rating: Pick<RatingRecord, 'comment'>): void {
  const openedAt = new Date().toISOString();
  const department = suggestion.leadDepartment!;
  const satisfaction = suggestion.feedback.satisfaction;
  satisfaction.rehandling = { openedAt, department, dueAt: '', ...(rating.comment ? { because: rating.comment } : {}), previousDecision: suggestion.decision! };
  const rehandling = satisfaction.rehandling;
  const dueAt = suggestion.deadlines.count('rehandling', openedAt, [suggestion.handling.limits?.respond ?? defaultRespond], (at) => (rehandling.dueAt = at));
  suggestion.status = 'rehandling';
  suggestion.binding = 'rehandling';
  suggestion.record('rehandling_opened', 'system', { department, dueAt, ...suggestion.provisionalNote('rehandling') });
  suggestion.notify(...notices.rehandling(suggestion, rating, dueAt));
}

function escalateRehandling(suggestion: Suggestion): void {
  const rehandling = suggestion.feedback.satisfaction.rehandling!;
  rehandling.escalatedAt = new Date().toISOString();
  suggestion.record('escalated_overdue', 'system', { dueAt: rehandling.dueAt, department: rehandling.department, rehandling: true });
  suggestion.notify(notices.rehandlingOverdue(suggestion, rehandling.department, rehandling.dueAt));
}

function answerAfterRehandling(suggestion: Suggestion): void {
  const rehandling = suggestion.feedback.satisfaction.rehandling!;
  rehandling.decidedAt = suggestion.decision!.decidedAt;
  suggestion.deadlines.settle('rehandling');
  applyRehandlingDecision(suggestion);
  answerProposer(suggestion);
}
