import { proxyActivities } from '@temporalio/workflow';
import type { SuggestionActivities } from '../activities';

// Activities retry until they succeed: a database outage delays the chain, it never breaks it.
export const { registerSuggestion, routeToDepartment, projectSuggestion, handlingTerms, deadlineFrom, reminderTimes, feedbackTerms, milestoneDueDates } = proxyActivities<SuggestionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
