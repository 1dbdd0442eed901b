import type { FeedbackView } from '../domain/feedback';
import type { RecordedDecision } from '../domain/suggestion';
import type { SuggestionStatus } from '../domain/vocabulary';

/** What lateness is judged on: the suggestion's state as workflows/suggestion.ts holds it. */
interface Watched {
  status: SuggestionStatus;
  dueAt?: Date;
  decision?: RecordedDecision;
  handling: { escalatedFor?: string };
  feedback: FeedbackView;
}

// 超期: what the Overdue search attribute and the read model's flag say. It is about now, not
// history: a late answer that finally comes, or a late milestone that is finally done, clears it,
// so supervisors filtering `Overdue = true` see only what still waits on someone. Past lateness
// stays on the timeline (escalated_overdue, milestone_escalated) and in the on-time statistics.

/** True while anything the suggestion waits for is past its limit. */
export function isOverdueNow(suggestion: Watched, now = Date.now()): boolean {
  return lateAnswer(suggestion, now) || lateRehandling(suggestion, now) || lateMilestone(suggestion) || lateFollowUp(suggestion);
}

/** Before the decision: the office's routing or the department's answer, by the deadline that binds now. */
function lateAnswer(suggestion: Watched, now: number): boolean {
  const { dueAt } = suggestion;
  if (suggestion.decision || suggestion.status === 'closed' || !dueAt) return false;
  // The escalation fires at the deadline itself, when `now` may equal it to the millisecond.
  return now > dueAt.getTime() || suggestion.handling.escalatedFor === dueAt.toISOString();
}

/** 重新办理: the department's second answer, due by the re-handling deadline. */
function lateRehandling(suggestion: Watched, now: number): boolean {
  const rehandling = suggestion.feedback.satisfaction.rehandling;
  if (suggestion.status !== 'rehandling' || !rehandling) return false;
  return rehandling.escalatedAt !== undefined || now > Date.parse(rehandling.dueAt);
}

/** 落实转化: a milestone escalated to supervisors and still not done (a reminder alone is a grace). */
function lateMilestone(suggestion: Watched): boolean {
  const implementation = suggestion.feedback.implementation;
  if (!implementation || implementation.stoppedAt || implementation.implementedAt) return false;
  return implementation.milestones.some((m) => m.escalatedAt !== undefined && m.doneAt === undefined);
}

/** 回头看: the follow-up check escalated for want of an answer, and still unanswered. */
function lateFollowUp(suggestion: Watched): boolean {
  const check = suggestion.feedback.implementation?.followUp;
  return check?.escalatedAt !== undefined && check.confirmedAt === undefined;
}
