import type { FeedbackTerms } from '../../domain/feedback-terms';
import type { SuggestionStatus } from '../../domain/vocabulary';
import { deadlineFrom } from '../activities';
import { publish } from '../publish';
import type { SuggestionRecord } from '../suggestion-record';
import { awaitCampaignFeedback } from './publication';

// 答复: the proposer is told the outcome and why, by the channel they chose (Art 12), and invited
// to rate the handling (回访). A campaign's suggestions are answered with its collective results.

const outcomeWords = {
  adopted: 'adopted (采纳)',
  partially_adopted: 'partially adopted (部分采纳)',
  for_reference: 'kept for reference (留作参考)',
  not_adopted: 'not adopted (不予采纳)',
} as const;

export async function replyToProposer(suggestion: SuggestionRecord, terms: FeedbackTerms): Promise<void> {
  const campaign = await awaitCampaignFeedback(suggestion);
  const decision = suggestion.decision!;
  const satisfaction = suggestion.feedback.satisfaction;
  const repliedAt = new Date().toISOString();
  const round = satisfaction.round + 1;
  // The window's end is counted after the reply has gone: a year whose calendar is not loaded
  // yet may hold up the closing, never the reply (see ratingWindowEnd).
  Object.assign(satisfaction, { state: 'awaiting', round, windowEndsAt: undefined });
  suggestion.repliedAt = repliedAt;
  suggestion.status = statusAfterReply(suggestion);
  suggestion.record('replied', decision.decidedBy, { channel: suggestion.intake.proposer.replyChannel, round, ...(campaign ? { campaignId: campaign.campaignId } : {}) });
  await publish(suggestion, [
    {
      key: `reply-${round}`,
      recipient: 'proposer',
      channel: suggestion.intake.proposer.replyChannel,
      subject: `Reply to your suggestion ${suggestion.intake.trackingNumber}`,
      body: [
        `Outcome: ${outcomeWords[decision.outcome]}.`,
        decision.reason ? `Reason: ${decision.reason}` : '',
        decision.reply,
        decision.plan ? `What changes: ${decision.plan.summary}` : '',
        campaign ? `The campaign's results: ${campaign.summary}${campaign.url ? ` (${campaign.url})` : ''}` : '',
        `Please tell us whether you are satisfied, with your tracking number and token, within ${terms.rating.amount} ${terms.rating.unit.replace('_', ' ')}.`,
      ]
        .filter(Boolean)
        .join('\n'),
    },
    // A first adoption's plan starts right after the reply (follow-through.ts).
  ], { passing: decision.plan !== undefined && suggestion.feedback.implementation === undefined });
}

/** When the proposer's window to rate the latest reply closes. */
export async function ratingWindowEnd(suggestion: SuggestionRecord, terms: FeedbackTerms): Promise<string> {
  const satisfaction = suggestion.feedback.satisfaction;
  satisfaction.windowEndsAt ??= await deadlineFrom({ from: suggestion.repliedAt!, limit: terms.rating });
  return satisfaction.windowEndsAt;
}

/** Where a replied suggestion stands while it is carried out and rated. */
export function statusAfterReply(suggestion: SuggestionRecord): SuggestionStatus {
  const implementation = suggestion.feedback.implementation;
  if (!implementation || implementation.stoppedAt) return 'replied';
  return implementation.implementedAt ? 'implemented' : 'implementing';
}

/** Settles the status once nothing else is in flight: re-handling and decisions set their own. */
export function refreshStatus(suggestion: SuggestionRecord): void {
  if (suggestion.status === 'rehandling' || suggestion.status === 'decided' || suggestion.status === 'closed') return;
  suggestion.status = statusAfterReply(suggestion);
}

/** Closed: the rating is settled, and an adopted suggestion is implemented and checked. */
export async function closeSuggestion(suggestion: SuggestionRecord): Promise<void> {
  suggestion.status = 'closed';
  suggestion.closedAt = new Date().toISOString();
  suggestion.record('closed', 'system', { satisfaction: suggestion.feedback.satisfaction.state });
  await publish(suggestion);
}
