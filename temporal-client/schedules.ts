import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { awardSelectionWorkflow } from '../workflows/award-selection-workflow';
import { collectionRoundWorkflow } from '../workflows/collection-round-workflow';
import { followUpSweepWorkflow } from '../workflows/follow-up-sweep-workflow';
import { collectionScheduleId, collectionSpec, runHourUtc } from './schedule-calendar';

// The Temporal Schedules: one per recurring collection (每月汇), one for the yearly selection of
// outstanding suggestions (优秀人民建议) and the daily follow-up sweep (回头看). The API, `npm start`
// and the worker create them here, so the policies are chosen in one place; when they run is in
// schedule-calendar.ts. Each action names the workflow function, so its arguments are type-checked.

export const awardScheduleId = 'outstanding-suggestions-yearly';

/**
 * Overlap BUFFER_ONE: rounds of one collection do not run side by side; if one is still open when
 * the next is due, the next waits for it, and never more than one waits.
 * Catch-up window of 7 days: after an outage (a holiday week, say) the missed round still opens,
 * once; a monthly run further back than a week is stale and is dropped rather than replayed.
 */
const collectionPolicies = { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '7 days' } as const;

export async function createCollectionSchedule(client: Client, taskQueue: string, collectionId: string, days: readonly string[]): Promise<void> {
  await client.schedule.create({
    scheduleId: collectionScheduleId(collectionId),
    spec: collectionSpec(days),
    action: { type: 'startWorkflow', workflowType: collectionRoundWorkflow, args: [collectionId], taskQueue, workflowId: `round-${collectionId}` },
    policies: collectionPolicies,
    state: { note: 'created by the collection office' },
  });
}

/**
 * The yearly selection runs on 20 December, in time for the awards at the year's end (the first
 * were on 29 December 2021). Overlap SKIP: one selection a year is enough; a catch-up window of a
 * month runs a selection missed during an outage once when the service is back.
 */
export async function ensureAwardSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: awardScheduleId,
      spec: { calendars: [{ month: 'DECEMBER', dayOfMonth: 20, hour: runHourUtc, minute: 0, comment: 'yearly selection of outstanding suggestions' }] },
      action: { type: 'startWorkflow', workflowType: awardSelectionWorkflow, args: [], taskQueue, workflowId: 'award-selection' },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '30 days' },
    });
  } catch (err) {
    if ((err as Error).name !== 'ScheduleAlreadyRunning') throw err;
  }
}

export const followUpSweepScheduleId = 'follow-up-sweep-daily';

/**
 * Each morning the sweep tells the suggestions whose follow-up answer (回头看) is past its deadline
 * (workflows/follow-up-sweep-workflow.ts). Every worker makes sure it exists when it starts, so a
 * new deployment needs no step of its own. Overlap SKIP: one sweep covers every late answer; a
 * catch-up window of a week runs one missed during an outage, once, when the service is back.
 */
export async function ensureFollowUpSweepSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: followUpSweepScheduleId,
      spec: { calendars: [{ hour: runHourUtc, minute: 0, comment: 'follow-up answers past their deadline' }] },
      action: { type: 'startWorkflow', workflowType: followUpSweepWorkflow, args: [], taskQueue, workflowId: 'follow-up-sweep' },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
    });
  } catch (err) {
    if ((err as Error).name !== 'ScheduleAlreadyRunning') throw err;
  }
}
