import { condition, setHandler } from '@temporalio/workflow';
import type { CampaignFeedback } from '../../domain/feedback';
import { campaignFeedbackSignal } from '../feedback-messages';
import type { SuggestionRecord } from '../suggestion-record';

// 公开反馈: a campaign's suggestions get its collective results (Art 12). The public board itself
// reads the read model (api/routes/public.ts): adopted suggestions whose proposer consented.

/** Takes the campaign's published results once; results of another campaign are ignored. */
export function receiveCampaignFeedback(suggestion: SuggestionRecord): void {
  setHandler(campaignFeedbackSignal, (feedback) => {
    if (suggestion.feedback.campaignFeedback || feedback.campaignId !== suggestion.intake.campaignId) return;
    suggestion.feedback.campaignFeedback = feedback;
    suggestion.record('campaign_feedback', 'system', { campaignId: feedback.campaignId, publishedAt: feedback.publishedAt, ...(feedback.url ? { url: feedback.url } : {}) });
  });
}

/**
 * A campaign suggestion is answered with the campaign's results: waits for them, but no longer
 * than the response deadline, since the proposer is owed an answer by then either way.
 */
export async function awaitCampaignFeedback(suggestion: SuggestionRecord): Promise<CampaignFeedback | undefined> {
  if (suggestion.intake.channel !== 'campaign' || !suggestion.intake.campaignId) return undefined;
  const published = () => suggestion.feedback.campaignFeedback !== undefined;
  const dueAt = suggestion.dueAt?.getTime() ?? Date.now();
  if (!published() && dueAt > Date.now()) await condition(published, dueAt - Date.now());
  return suggestion.feedback.campaignFeedback;
}
