import type { CampaignFeedback } from '../../domain/feedback';
import { nextChange } from '../recording';
import type { Suggestion } from '../suggestion';

// 公开反馈: a campaign's suggestions get its collective results (Art 12). The public board itself
// reads the read model (api/routes/public.ts): adopted suggestions whose proposer consented.

/** Takes the campaign's published results once; results of another campaign are ignored. */
export function receiveCampaignFeedback(suggestion: Suggestion, feedback: CampaignFeedback): void {
  if (suggestion.feedback.campaignFeedback || feedback.campaignId !== suggestion.intake.campaignId) return;
  suggestion.feedback.campaignFeedback = feedback;
  suggestion.record('campaign_feedback', 'system', {
    campaignId: feedback.campaignId,
    publishedAt: feedback.publishedAt,
    ...(feedback.url ? { url: feedback.url } : {}),
  });
}

/**
 * A campaign suggestion is answered with the campaign's results: waits for them, but no longer
 * than the response deadline, since the proposer is owed an answer by then either way.
 */
export async function campaignResults(suggestion: Suggestion): Promise<CampaignFeedback | undefined> {
  if (suggestion.intake.channel !== 'campaign' || !suggestion.intake.campaignId) return undefined;
  const published = () => suggestion.feedback.campaignFeedback !== undefined;
  for (;;) {
    const dueAt = suggestion.dueAt?.getTime() ?? Date.now();
    if (published() || Date.now() >= dueAt) return suggestion.feedback.campaignFeedback;
    await nextChange(suggestion, dueAt, "the campaign's results or the response deadline");
  }
}
