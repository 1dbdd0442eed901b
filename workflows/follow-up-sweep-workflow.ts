import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { SuggestionActivities } from '../activities';
import { workflowIdFor } from '../domain/tracking-number';
import { followUpOverdueSignal } from './feedback-messages';
import { issuedTo } from './issued-for';

const { unansweredFollowUps } = proxyActivities<SuggestionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const page = 500;

/**
 * 回头看 unanswered: run each morning by its Schedule (temporal-client/schedules.ts), it tells every
 * suggestion whose follow-up answer is past its deadline, and the suggestion escalates it to the
 * supervisors. Most departments answer in time, so a suggestion keeps no timer of its own for this
 * deadline months ahead (a billable action each: docs/BENCHMARKS.md); the sweep costs a start and
 * an activity a day for the whole city, and a signal for each late answer.
 */
export async function followUpSweepWorkflow(): Promise<{ told: number }> {
  const asOf = new Date().toISOString();
  let told = 0;
  for (let after: string | undefined; ;) {
    const ids = await unansweredFollowUps({ asOf, after, limit: page });
    // A suggestion closed meanwhile has no one to tell.
    await Promise.allSettled(ids.map((id) => getExternalWorkflowHandle(workflowIdFor(id)).signal(followUpOverdueSignal, issuedTo(workflowIdFor(id)))));
    told += ids.length;
    if (ids.length < page) return { told };
    after = ids[ids.length - 1];
  }
}
