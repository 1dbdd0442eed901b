import { log, workflowInfo } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { CampaignView } from '../domain/campaign';
import { openCollectionRound, refreshCollectionSchedule } from './campaign-activities';
import { runCampaign } from './campaign-workflow';
import { refuseUnsealedInput } from './issued-for';

/** Set by the Schedule on every run it starts: the moment the run was due. */
const scheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/**
 * One run of a recurring collection's Schedule (每月汇): opens the round as a campaign from the
 * collection's template and runs it to its digest like any campaign. The round is named and timed
 * by the day the run was due, so a run caught up after an outage is still that month's round.
 * Each scheduled run also brings the Schedule's list of first working days up to date with the calendar.
 */
export async function collectionRoundWorkflow(collectionId: string): Promise<CampaignView | null> {
  if (typeof collectionId !== 'string') refuseUnsealedInput(collectionId);
  const scheduledAt = workflowInfo().typedSearchAttributes.get(scheduledStartTime);
  const round = await openCollectionRound(collectionId, (scheduledAt ?? new Date()).toISOString());
  if (!round) {
    log.info('no round opened: the collection was deleted or this round is already running', { collectionId });
    return null;
  }
  // Only a run the Schedule started has a Schedule to keep up to date; one a month is enough.
  if (scheduledAt) await refreshCollectionSchedule(collectionId);
  return runCampaign(round);
}
