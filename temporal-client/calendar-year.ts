import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { calendarYearWorkflow } from '../workflows/calendar-year-workflow';

/**
 * Starts the workflow that gives a loaded year's holiday schedule to every open suggestion and
 * collection Schedule. One run per load (the id says which): the API that took the load and every
 * worker that hears of it may all ask; the first starts it, the others find it started or done.
 */
export async function startCalendarYearCorrection(temporal: Client, taskQueue: string, year: number, loadedAt: Date): Promise<void> {
  try {
    await temporal.workflow.start(calendarYearWorkflow, {
      taskQueue,
      workflowId: `calendar-year-${year}-${loadedAt.getTime()}`,
      args: [{ year, loadedAt: loadedAt.toISOString() }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `The official holiday schedule of ${year} reaches the open suggestions`,
    });
  } catch (err) {
    if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
  }
}
