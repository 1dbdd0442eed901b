import { proxyLocalActivities } from '@temporalio/workflow';
import type { SuggestionActivities } from '../activities';

/**
 * The suggestion workflow's activities: registration, the projection into the read model and the
 * routing rules when a returned suggestion is routed again. Short, idempotent reads and writes of
 * PostgreSQL, run as local activities in the worker that runs the workflow task: all local
 * activities of one workflow task are one billable action (docs/BENCHMARKS.md, cost of a
 * lifecycle). They retry until they succeed: a database outage delays the chain, never breaks it;
 * past a minute of failures the retries wait on a timer.
 */
export const { registerSuggestion, projectSuggestion, routeToDepartment } = proxyLocalActivities<SuggestionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
