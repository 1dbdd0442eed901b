import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { mergeProblem, unmergeProblem } from '../../domain/merging';
import type { RecordedDecision } from '../../domain/suggestion';
import { workflowIdFor } from '../../domain/tracking-number';
import type { SatisfactionRating } from '../../domain/vocabulary';
import { issuedTo } from '../issued-for';
import { groupChangedSignal, groupSettledSignal, memberRatedSignal, type MergeRequest, type UnmergeRequest } from '../messages';
import { notices } from '../notices';
import { refuse } from '../refusals';
import type { Suggestion } from '../suggestion';
import { cancelJointHandling } from './joint-handling';
import { answerProposer, tellMember } from './reply';

// 合并办理: many people raise one matter. The office merges a suggestion into another (the
// primary): the merged one stops its own deadline and follows the primary, which is decided once;
// every proposer of the group is then answered by their own channel and rates the answer
// themselves, and a dissatisfied rating from any of them re-handles the primary (once). The two
// are workflows of their own and tell each other by signals; until the primary is decided the
// office can undo the merge.

export function refuseInvalidMerge(suggestion: Suggestion, request: MergeRequest): void {
  if (request.actor.role !== 'office') refuse('WrongDepartment', 'only the collection office merges suggestions');
  if (suggestion.status !== 'triage' && suggestion.status !== 'handling') refuse('WrongState', `a suggestion in status ${suggestion.status} cannot be merged`);
  if (suggestion.group.length > 0)
    refuse('WrongState', `${suggestion.group.length} suggestion(s) are merged into this one: merge them into the new primary first`);
  const problem = mergeProblem(request, suggestion.intake.trackingNumber);
  if (problem) refuse('InvalidAction', problem);
}

/** The suggestion stops its own deadline and waits for the primary's decision. */
export function mergeInto(suggestion: Suggestion, request: MergeRequest): void {
  const at = new Date().toISOString();
  cancelJointHandling(suggestion);
  suggestion.mergedInto = { into: request.into, at, by: request.actor.name, reason: request.reason.trim() };
  suggestion.status = 'merged';
  suggestion.binding = undefined;
  suggestion.record('merged_into', request.actor.name, { into: request.into, reason: request.reason.trim() });
  suggestion.notify(notices.merged(suggestion, request.into));
  tellPrimary(suggestion, request.into, true, request.actor.name, request.reason.trim());
}

export function refuseInvalidUnmerge(suggestion: Suggestion, request: UnmergeRequest): void {
  if (request.actor.role !== 'office') refuse('WrongDepartment', 'only the collection office undoes a merge');
  if (suggestion.status !== 'merged')
    refuse('WrongState', suggestion.mergedInto ? 'the primary has decided: the merge can no longer be undone' : 'the suggestion is not merged');
  const problem = unmergeProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

/** Back to handling on its own, under the deadlines it had (a passed one escalates at once). */
export function unmerge(suggestion: Suggestion, request: UnmergeRequest): void {
  const from = suggestion.mergedInto!.into;
  suggestion.mergedInto = undefined;
  suggestion.status = suggestion.leadDepartment ? 'handling' : 'triage';
  suggestion.binding = suggestion.leadDepartment ? 'response' : 'triage';
  suggestion.record('unmerged', request.actor.name, { from, reason: request.reason.trim() });
  tellPrimary(suggestion, from, false, request.actor.name, request.reason.trim());
}

function tellPrimary(suggestion: Suggestion, primary: string, joined: boolean, by: string, reason: string): void {
  const id = workflowIdFor(primary);
  void getExternalWorkflowHandle(id)
    .signal(groupChangedSignal, { member: suggestion.intake.trackingNumber, joined, by, reason, ...issuedTo(id) })
    .catch(() => undefined);
}

/** The primary hears a member join or leave; one joining after the primary replied gets the answer at once. */
export function groupChanged(suggestion: Suggestion, change: { member: string; joined: boolean; by: string; reason: string }): void {
  const known = suggestion.group.find((m) => m.id === change.member);
  if (change.joined && !known) {
    suggestion.group.push({ id: change.member, joinedAt: new Date().toISOString(), by: change.by, reason: change.reason, ratings: [] });
    suggestion.record('merged_from', change.by, { member: change.member, reason: change.reason, raisedBy: 1 + suggestion.group.length });
    if (suggestion.repliedAt && suggestion.decision) tellMember(suggestion, change.member);
  } else if (!change.joined && known) {
    suggestion.group.splice(suggestion.group.indexOf(known), 1);
    suggestion.record('unmerged_from', change.by, { member: change.member, reason: change.reason, raisedBy: 1 + suggestion.group.length });
  }
}

/**
 * A member hears the group's decision: the first ends its handling (its reply follows as for any
 * decision), a later one (after the primary's re-handling) is replied to at once.
 */
export function primaryDecided(suggestion: Suggestion, told: { decision: RecordedDecision; round: number; department: string }): void {
  const merge = suggestion.mergedInto;
  if (!merge || told.round <= (merge.answeredRound ?? 0)) return;
  merge.answeredRound = told.round;
  const again = suggestion.decision !== undefined;
  // The plan is the primary's to carry out: the member is answered with what changes.
  const { plan, ...decision } = told.decision;
  suggestion.decision = { ...decision, decidedBy: told.department, ...(plan ? { plan: { ...plan, milestones: [] } } : {}) };
  if (!suggestion.leadDepartment) suggestion.leadDepartment = told.department;
  suggestion.status = 'decided';
  suggestion.record(again ? 'decided_again' : 'decided', told.department, { outcome: told.decision.outcome, mergedInto: merge.into, round: told.round });
  if (again) answerProposer(suggestion);
}

/** A member's proposer rated (or let the window close): the primary hears it, once per round. */
export function reportRatingToPrimary(suggestion: Suggestion): void {
  const merge = suggestion.mergedInto;
  const satisfaction = suggestion.feedback.satisfaction;
  if (!merge || (satisfaction.state !== 'rated' && satisfaction.state !== 'not_rated')) return;
  if ((merge.reportedRound ?? 0) >= satisfaction.round) return;
  merge.reportedRound = satisfaction.round;
  const latest = satisfaction.state === 'rated' ? satisfaction.ratings.at(-1) : undefined;
  const rating: SatisfactionRating | 'not_rated' = latest?.rating ?? 'not_rated';
  const id = workflowIdFor(merge.into);
  void getExternalWorkflowHandle(id)
    .signal(memberRatedSignal, {
      member: suggestion.intake.trackingNumber,
      round: satisfaction.round,
      rating,
      ...(latest?.comment ? { comment: latest.comment } : {}),
      ...issuedTo(id),
    })
    .catch(() => undefined);
}

/** The primary keeps each member's rating of each round. */
export function memberRated(
  suggestion: Suggestion,
  rated: { member: string; round: number; rating: SatisfactionRating | 'not_rated'; comment?: string },
): void {
  const member = suggestion.group.find((m) => m.id === rated.member);
  if (!member || member.ratings.some((r) => r.round === rated.round)) return;
  member.ratings.push({ round: rated.round, rating: rated.rating, ...(rated.comment ? { comment: rated.comment } : {}) });
  suggestion.record('member_rated', 'proposer', { member: rated.member, round: rated.round, rating: rated.rating });
}

/** The primary's ratings are all in: its members learn that no further answer comes. */
export function tellGroupSettled(suggestion: Suggestion): void {
  for (const member of suggestion.group) {
    const id = workflowIdFor(member.id);
    void getExternalWorkflowHandle(id)
      .signal(groupSettledSignal, issuedTo(id))
      .catch(() => undefined);
  }
}

/** A member hears that the group's answer is final. */
export function groupSettled(suggestion: Suggestion): void {
  if (suggestion.mergedInto) suggestion.mergedInto.final = true;
}

/** The primary's members who have not yet rated its latest answer. */
export function membersAwaitingRating(suggestion: Suggestion): number {
  const round = suggestion.feedback.satisfaction.round;
  return suggestion.group.filter((m) => !m.ratings.some((r) => r.round === round)).length;
}

/** A member's dissatisfied rating of the latest answer, if any: it re-handles the primary as its own would. */
export function dissatisfiedMember(suggestion: Suggestion): { comment?: string } | undefined {
  const round = suggestion.feedback.satisfaction.round;
  for (const m of suggestion.group) {
    const r = m.ratings.find((x) => x.round === round);
    if (r?.rating === 'dissatisfied') return { ...(r.comment ? { comment: r.comment } : {}) };
  }
  return undefined;
}
