import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { workflowIdFor } from '../../domain/tracking-number';
import type { SuggestionStatus } from '../../domain/vocabulary';
import { issuedTo } from '../issued-for';
import { primaryDecidedSignal } from '../messages';
import { notices } from '../notices';
import type { Suggestion } from '../suggestion';
import { campaignResults } from './publication';

// 答复: the proposer is told the outcome and why, by the channel they chose (Art 12), and invited
// to rate the handling (回访). A campaign's suggestions are answered with its collective results.

export async function reply(suggestion: Suggestion): Promise<void> {
  await campaignResults(suggestion);
  answerProposer(suggestion);
}

/** The reply to the latest decision (again after a re-handling), with the rating window it opens. */
export function answerProposer(suggestion: Suggestion): void {
  const decision = suggestion.decision!;
  const satisfaction = suggestion.feedback.satisfaction;
  const terms = suggestion.handling.feedbackTerms!;
  const campaign = suggestion.intake.channel === 'campaign' ? suggestion.feedback.campaignFeedback : undefined;
  const repliedAt = new Date().toISOString();
  const round = satisfaction.round + 1;
  Object.assign(satisfaction, { state: 'awaiting', round });
  suggestion.deadlines.count('rating', repliedAt, [terms.rating], (at) => (satisfaction.windowEndsAt = at));
  suggestion.repliedAt = repliedAt;
  suggestion.status = statusAfterReply(suggestion);
  suggestion.record('replied', decision.decidedBy, {
    channel: suggestion.intake.proposer.replyChannel,
    round,
    ...(campaign ? { campaignId: campaign.campaignId } : {}),
  });
  suggestion.notify(notices.reply(suggestion, round, terms, campaign));
  // 合并办理: the primary's answer goes to every proposer of the group, by their own channel.
  tellGroup(suggestion);
}

/** After the primary's reply: every member is told the decision, for its own proposer. */
export function tellGroup(suggestion: Suggestion): void {
  for (const member of suggestion.group) tellMember(suggestion, member.id);
}

export function tellMember(suggestion: Suggestion, member: string): void {
  const id = workflowIdFor(member);
  const round = suggestion.feedback.satisfaction.round;
  void getExternalWorkflowHandle(id)
    .signal(primaryDecidedSignal, {
      decision: suggestion.decision!,
      round,
      department: suggestion.leadDepartment ?? suggestion.decision!.decidedBy,
      ...issuedTo(id),
    })
    .catch(() => undefined);
}

/** Where a replied suggestion stands while it is carried out and rated. */
export function statusAfterReply(suggestion: Suggestion): SuggestionStatus {
  const implementation = suggestion.feedback.implementation;
  if (!implementation || implementation.stoppedAt) return 'replied';
  return implementation.implementedAt ? 'implemented' : 'implementing';
}

/** Settles the status once nothing else is in flight: re-handling and decisions set their own. */
export function refreshStatus(suggestion: Suggestion): void {
  if (suggestion.status === 'rehandling' || suggestion.status === 'decided' || suggestion.status === 'closed') return;
  suggestion.status = statusAfterReply(suggestion);
}
