import type { ImplementationView } from './implementation';
import type { SatisfactionView } from './satisfaction';

/** The campaign's published results, the collective feedback of Art 12. */
export interface CampaignFeedback {
  campaignId: string;
  summary: string;
  url?: string;
  publishedAt: string;
}

/** What happens after the decision: implementation, the proposer's rating, campaign feedback. */
export interface FeedbackView {
  implementation?: ImplementationView;
  satisfaction: SatisfactionView;
  campaignFeedback?: CampaignFeedback;
}
