import { proxyActivities } from '@temporalio/workflow';
import type { SuggestionActivities } from '../activities';

// The activities of proactive collection; like the suggestion chain's, they retry until the
// database answers, so an outage delays a campaign's digest and never loses it.
export const { projectCampaign, compileCampaignDigest, openCollectionRound, refreshCollectionSchedule, rankOutstandingSuggestions } =
  proxyActivities<SuggestionActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
