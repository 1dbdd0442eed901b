import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { SuggestionActivities } from '../activities';

// Activities retry until they succeed: a database outage delays the chain, it never breaks it.
const options = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
const asTasks = proxyActivities<SuggestionActivities>(options);
const inWorkflowTask = proxyLocalActivities<SuggestionActivities>(options);

/** Suggestions started before look-ups and projections ran as local activities replay as recorded. */
export const localActivitiesPatch = 'local-lookups-and-projections';

/**
 * The look-ups (time limits, calendar, routing rules) and the projections into the read model are
 * short, idempotent reads and writes of PostgreSQL, so they run as local activities in the worker
 * that runs the workflow task: all local activities of one workflow task are one billable action,
 * where every activity task is one of its own (docs/BENCHMARKS.md, cost of a lifecycle). They
 * retry like the others; past a minute of failures the retries wait on a timer.
 */
function local<K extends keyof SuggestionActivities>(name: K): SuggestionActivities[K] {
  type Call = (...args: unknown[]) => Promise<unknown>;
  return ((...args: unknown[]) => ((patched(localActivitiesPatch) ? inWorkflowTask[name] : asTasks[name]) as Call)(...args)) as SuggestionActivities[K];
}

/** Registration stays an activity task of its own: its history event shows the suggestion was taken in. */
export const { registerSuggestion } = asTasks;
export const routeToDepartment = local('routeToDepartment');
export const departmentName = local('departmentName');
export const projectSuggestion = local('projectSuggestion');
export const handlingTerms = local('handlingTerms');
export const deadlineFrom = local('deadlineFrom');
export const reminderTimes = local('reminderTimes');
export const feedbackTerms = local('feedbackTerms');
export const milestoneDueDates = local('milestoneDueDates');
