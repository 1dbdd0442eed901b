import { workflowInfo } from '@temporalio/workflow';
import type { LookupAnswer } from '../activities';
import { shanghaiDate } from '../domain/calendar/working-days';

// Look-ups answered ahead of the calls that ask for them (activities/handling-lookups.ts). An
// answer serves one call with the same arguments, in the workflow task that looked it up: a
// later task asks the database again. This module is loaded once per workflow run.

let answers: { task: number; byCall: Map<string, LookupAnswer[]> } | undefined;

/** The workflow task running now: the history's length when it began. */
const currentTask = () => workflowInfo().historyLength;

/** The answers looked up at once, kept for the calls this workflow task makes. */
export function keepAnswers(looked: LookupAnswer[]): void {
  const byCall = new Map<string, LookupAnswer[]>();
  for (const answer of looked) {
    const key = callKey(answer.name, answer.args);
    byCall.set(key, [...(byCall.get(key) ?? []), answer]);
  }
  answers = { task: currentTask(), byCall };
}

/** The answer kept for this call, taken so it serves once; undefined when there is none. */
export function answerAhead(name: string, args: unknown[]): { value: unknown } | undefined {
  if (!answers) return undefined;
  if (answers.task !== currentTask()) {
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
