import type { OutgoingMessage } from '../../activities';
import { registerInWorkflowTask, registerSuggestion, registerWithHandlingLookups } from '../activities';
import { keepAnswers } from '../answers-ahead';
import type { SuggestionRecord } from '../suggestion-record';
import { handlingLookupsRequest } from './handling-lookups';

/** 登记: the suggestion is registered and the proposer is given the tracking number. */
export async function register(suggestion: SuggestionRecord): Promise<void> {
  suggestion.record('registered', 'system', { channel: suggestion.intake.channel });
  const { trackingNumber } = suggestion.intake;
  const acknowledgement: OutgoingMessage = {
    key: 'acknowledgement',
    recipient: 'proposer',
    channel: suggestion.intake.proposer.replyChannel,
    subject: `Suggestion received: ${trackingNumber}`,
    body: `Your suggestion "${suggestion.intake.title}" is registered under tracking number ${trackingNumber}.`,
  };
  const { intake } = suggestion;
  if (suggestion.lookUpAtRegistration) {
    // The routing that follows asks for these; one local activity answers both (stages/handling-lookups.ts).
    keepAnswers(await registerWithHandlingLookups(intake, suggestion.view(), suggestion.takeUnprojected(), [acknowledgement], handlingLookupsRequest(suggestion)), 'first wait');
    return;
  }
  await (suggestion.lean ? registerInWorkflowTask : registerSuggestion)(intake, suggestion.view(), suggestion.takeUnprojected(), [acknowledgement]);
}
