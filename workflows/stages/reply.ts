import { publish } from '../publish';
import type { SuggestionRecord } from '../suggestion-record';

/** Tells the proposer the outcome and why (答复), by the channel they chose. */
export async function replyToProposer(suggestion: SuggestionRecord): Promise<void> {
  const decision = suggestion.decision!;
  suggestion.status = 'closed';
  suggestion.repliedAt = new Date().toISOString();
  suggestion.closedAt = suggestion.repliedAt;
  suggestion.record('replied', decision.decidedBy, { channel: suggestion.intake.proposer.replyChannel });
  await publish(suggestion, [
    {
      key: 'reply',
      recipient: 'proposer',
      channel: suggestion.intake.proposer.replyChannel,
      subject: `Reply to your suggestion ${suggestion.intake.trackingNumber}`,
      body: [`Outcome: ${decision.outcome}.`, decision.reason ? `Reason: ${decision.reason}` : '', decision.reply].filter(Boolean).join('\n'),
    },
  ]);
}
