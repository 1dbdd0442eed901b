import { workflowInfo } from '@temporalio/workflow';
import type { LookupAnswer } from '../activities';
import { shanghaiDate } from '../domain/calendar/working-days';

// Look-ups answered ahead of the calls that ask for them (activities/handling-lookups.ts). An
// answer serves one call with the same arguments, until the suggestion first waits: a call after
// that asks the database again. This module is loaded once per workflow run.
//
// Suggestions started as `suggestionWorkflow` kept them for the workflow task that looked them
// up, and replay so. That bound is not the same on replay when a local activity's marker lands
// in an earlier workflow task than the one that took its result, so suggestionWorkflowV2's runs
// keep them until the first wait, which the code alone decides.

let answers: { task?: number; byCall: Map<string, LookupAnswer[]> } | undefined;

/** The workflow task running now: the history's length when it began. */
const currentTask = () => workflowInfo().historyLength;

/**
 * The answers looked up at once, kept for the calls that follow: until the suggestion first
 * waits (`forgetAnswersAsItWaits`), or, for runs started as `suggestionWorkflow`, for the calls
 * this workflow task makes.
 */
export function keepAnswers(looked: LookupAnswer[], until: 'first wait' | 'end of task'): void {
  const byCall = new Map<string, LookupAnswer[]>();
  for (const answer of looked) {
    const key = callKey(answer.name, answer.args);
    byCall.set(key, [...(byCall.get(key) ?? []), answer]);
  }
  answers = { task: until === 'end of task' ? currentTask() : undefined, byCall };
}

/** The suggestion waits now: answers kept until its first wait serve no later call. */
export function forgetAnswersAsItWaits(): void {
  if (answers && answers.task === undefined) answers = undefined;
}

/** The answer kept for this call, taken so it serves once; undefined when there is none. */
export function answerAhead(name: string, args: unknown[]): { value: unknown } | undefined {
  if (!answers) return undefined;
  if (answers.task !== undefined && answers.task !== currentTask()) {
    answers = undefined;
    return undefined;
  }
  const key = callKey(name, args);
  const answer = answers.byCall.get(key)?.shift();
  return answer && { value: answer.value };
}

/**
 * The same call gives the same key, whatever order its objects' properties come in. A deadline
 * counts whole days from the day of `from` (domain/calendar/working-days.ts), so two instants
 * of one day ask the same: the workflow's clock moves on while its task runs.
 */
function callKey(name: string, args: unknown[]): string {
  if (name === 'deadlineFrom') {
    const [{ from, limit }] = args as [{ from: string; limit: unknown }];
    args = [{ fromDay: shanghaiDate(new Date(from)), limit }];
  }
  return `${name}(${JSON.stringify(args, (_, value) => (value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) : value))})`;
}
