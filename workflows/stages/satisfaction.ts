import { condition, setHandler } from '@temporalio/workflow';
import type { FeedbackTerms } from '../../domain/feedback-terms';
import { maxRehandlingRounds, ratingProblem, type RatingRecord, type RehandlingRecord } from '../../domain/satisfaction';
import { deadlineFrom } from '../activities';
import { doneBy } from '../alarm';
import { rateUpdate, type RatingRequest } from '../feedback-messages';
import { publish } from '../publish';
import { refuse } from '../refusals';
import type { SuggestionRecord } from '../suggestion-record';
import { applyRehandlingDecision } from './implementation';
import { ratingWindowEnd, replyToProposer } from './reply';

// 回访 and 满意度: after the reply the proposer rates the handling. Dissatisfied opens one
// re-handling round with the same department under a new deadline (重新办理); no rating within
// the window closes the question as "not rated".

/** The response limit when the handling stage recorded none (the regulation's default). */
const defaultRespond = { amount: 30, unit: 'calendar_days' } as const;

export function handleRating(suggestion: SuggestionRecord): void {
  setHandler(rateUpdate, (request) => rate(suggestion, request), { validator: (request) => refuseInvalidRating(suggestion, request) });
}

function refuseInvalidRating(suggestion: SuggestionRecord, request: RatingRequest): void {
  const satisfaction = suggestion.feedback.satisfaction;
  if (satisfaction.state !== 'awaiting') refuse('WrongState', satisfaction.state === 'not_yet' ? 'there is no reply to rate yet' : 'this reply is already rated or its rating window has closed');
  const problem = ratingProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

async function rate(suggestion: SuggestionRecord, request: RatingRequest) {
  const satisfaction = suggestion.feedback.satisfaction;
  const rating: RatingRecord = { rating: request.rating, ...(request.comment ? { comment: request.comment } : {}), at: new Date().toISOString(), round: satisfaction.round };
  satisfaction.ratings.push(rating);
  satisfaction.state = 'rated';
  suggestion.record('rated', 'proposer', { rating: rating.rating, round: rating.round });
  await publish(suggestion, [
    {
      key: `rated-${rating.round}`,
      recipient: `department:${suggestion.leadDepartment}`,
      channel: 'online',
      subject: `Rating of ${suggestion.intake.trackingNumber}: ${rating.rating}`,
      body: `The proposer rated the reply on "${suggestion.intake.title}" ${rating.rating}${rating.comment ? `: ${rating.comment}` : '.'}`,
    },
  ]);
  return suggestion.view();
}

/** Waits for the rating of each reply; a first "dissatisfied" is handled once more and replied to again. */
export async function collectSatisfaction(suggestion: SuggestionRecord, terms: FeedbackTerms): Promise<void> {
  const satisfaction = suggestion.feedback.satisfaction;
  for (;;) {
    const windowEndsAt = await ratingWindowEnd(suggestion, terms);
    const rated = await doneBy(suggestion, () => satisfaction.state !== 'awaiting', Date.parse(windowEndsAt), 'rating window');
    if (!rated) {
      satisfaction.state = 'not_rated';
      suggestion.record('not_rated', 'system', { round: satisfaction.round, windowEndsAt: satisfaction.windowEndsAt });
      await publish(suggestion);
      return;
    }
    const rating = satisfaction.ratings[satisfaction.ratings.length - 1];
    const rounds = satisfaction.rehandling ? 1 : 0;
    if (rating.rating !== 'dissatisfied' || rounds >= maxRehandlingRounds) return;
    await rehandle(suggestion, terms, rating);
  }
}

/** 重新办理: the same department answers again under a new deadline, supervised like the first. */
async function rehandle(suggestion: SuggestionRecord, terms: FeedbackTerms, rating: RatingRecord): Promise<void> {
  const openedAt = new Date().toISOString();
  const dueAt = await deadlineFrom({ from: openedAt, limit: suggestion.handling.limits?.respond ?? defaultRespond });
  const previousDecision = suggestion.decision!;
  const department = suggestion.leadDepartment!;
  const rehandling: RehandlingRecord = (suggestion.feedback.satisfaction.rehandling = { openedAt, department, dueAt, ...(rating.comment ? { because: rating.comment } : {}), previousDecision });
  suggestion.status = 'rehandling';
  suggestion.dueAt = new Date(dueAt);
  suggestion.record('rehandling_opened', 'system', { department, dueAt });
  const notice = { channel: 'online', subject: `Re-handling: ${suggestion.intake.trackingNumber}`, body: `The proposer of "${suggestion.intake.title}" is dissatisfied${rating.comment ? `: ${rating.comment}` : ''}. A new answer is due ${dueAt}.` };
  await publish(suggestion, [
    { key: 'rehandling-department', recipient: `department:${department}`, ...notice },
    { key: 'rehandling-supervisors', recipient: 'supervisors', ...notice },
  ]);

  const decided = () => suggestion.decision !== previousDecision;
  if (!(await doneBy(suggestion, decided, Date.parse(dueAt), 're-handling deadline'))) {
    rehandling.escalatedAt = new Date().toISOString();
    suggestion.record('escalated_overdue', 'system', { dueAt, department, rehandling: true });
    await publish(suggestion, [
      { key: 'rehandling-overdue', recipient: 'supervisors', channel: 'online', subject: `Overdue: ${suggestion.intake.trackingNumber}`, body: `${department} has not answered the re-handling of "${suggestion.intake.title}", due ${dueAt}.` },
    ]);
    await condition(decided);
  }
  rehandling.decidedAt = suggestion.decision!.decidedAt;
  await applyRehandlingDecision(suggestion);
  await replyToProposer(suggestion, terms);
}
