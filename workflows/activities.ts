import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { SuggestionActivities } from '../activities';
import { answerAhead } from './answers-ahead';
import { changed } from './changes';

// Activities retry until they succeed: a database outage delays the chain, it never breaks it.
const options = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
const asTasks = proxyActivities<SuggestionActivities>(options);
const inWorkflowTask = proxyLocalActivities<SuggestionActivities>(options);
type Call = (...args: unknown[]) => Promise<unknown>;

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
  const inWorkflow = inWorkflowTaskInTurn(name) as Call;
  return ((...args: unknown[]) => {
    const asLocal = changed(localActivitiesPatch);
    const ahead = answerAhead(name, args);
    if (ahead) return Promise.resolve(ahead.value);
    return (asLocal ? inWorkflow : (asTasks[name] as Call))(...args);
  }) as SuggestionActivities[K];
}

/** A local activity that waits its turn behind the run's earlier ones, once they take turns. */
function inWorkflowTaskInTurn<K extends keyof SuggestionActivities>(name: K): SuggestionActivities[K] {
  return ((...args: unknown[]) => inTurn(() => (inWorkflowTask[name] as Call)(...args))) as SuggestionActivities[K];
}

/** The end of the queue of this run's local activities, once they take turns (this module is loaded once per workflow run). */
let lastInTurn: Promise<unknown> | undefined;

/**
 * From now on this suggestion's local activities run one at a time, in the order they were asked
 * for. Two at once (an update's projection beside the next step's) resolve one activation apiece
 * when they run, but together when their markers replay, so the commands after them could come
 * in another order on replay; taking turns makes both the same.
 */
export function localActivitiesTakeTurns(): void {
  lastInTurn ??= Promise.resolve();
}

function inTurn<T>(run: () => Promise<T>): Promise<T> {
  if (!lastInTurn) return run();
  const result = lastInTurn.then(run, run);
  lastInTurn = result.catch(() => undefined);
  return result;
}

/**
 * Registration: an activity task of its own for suggestions started before the lean lifecycle; a
 * local activity in the first workflow task, with the routing's look-ups, since (one action for both).
 */
export const { registerSuggestion } = asTasks;
export const registerInWorkflowTask = inWorkflowTaskInTurn('registerSuggestion');
/** The routing's look-ups at once, for suggestions started since (workflows/stages/handling-lookups.ts). */
export const handlingLookups = inWorkflowTaskInTurn('handlingLookups');
/** Registration and the routing's look-ups as one local activity, for suggestions started as suggestionWorkflowV2. */
export const registerWithHandlingLookups = inWorkflowTaskInTurn('registerWithHandlingLookups');
export const routeToDepartment = local('routeToDepartment');
export const departmentName = local('departmentName');
export const projectSuggestion = local('projectSuggestion');
export const handlingTerms = local('handlingTerms');
export const deadlineFrom = local('deadlineFrom');
export const deadlineIfKnown = inWorkflowTaskInTurn('deadlineIfKnown');
export const reminderTimes = local('reminderTimes');
export const feedbackTerms = local('feedbackTerms');
export const milestoneDueDates = local('milestoneDueDates');
