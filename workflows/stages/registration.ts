import { registerInWorkflowTask, registerSuggestion } from '../activities';
import type { SuggestionRecord } from '../suggestion-record';

/** 登记: the suggestion is registered and the proposer is given the tracking number. */
export async function register(suggestion: SuggestionRecord): Promise<void> {
  suggestion.record('registered', 'system', { channel: suggestion.intake.channel });
  const { trackingNumber } = suggestion.intake;
  await (suggestion.lean ? registerInWorkflowTask : registerSuggestion)(suggestion.intake, suggestion.view(), suggestion.takeUnprojected(), [
    {
      key: 'acknowledgement',
      recipient: 'proposer',
      channel: suggestion.intake.proposer.replyChannel,
      subject: `Suggestion received: ${trackingNumber}`,
      body: `Your suggestion "${suggestion.intake.title}" is registered under tracking number ${trackingNumber}.`,
    },
  ]);
}

