import { randomBytes } from 'node:crypto';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { calendarStore } from '../prisma/calendar-store';
import { createCollectionSchedule } from '../temporal-client/schedules';
import { monthlyCollectionDays, type CampaignPlan, type CreateCollection } from '../domain/campaign';
import { shanghaiDate } from '../domain/calendar';
import type { Database } from '../prisma/client';
import { campaignWorkflow } from '../workflows/campaign-workflow';
import { Problem } from './problem';

// Creating campaigns and recurring collections, for the API and for `npm start`'s demonstration.

export interface CollectionDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
}

/** An id for a campaign (`zj`, 征集) or collection (`mh`, 每月汇) the office did not name. */
export function newCollectionId(prefix: 'zj' | 'mh', now: Date): string {
  return `${prefix}-${shanghaiDate(now).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`;
}

/** Records the campaign and starts its workflow; the row first, so intake knows it at once. */
export async function launchCampaign(deps: CollectionDeps, plan: CampaignPlan, jurisdiction = 'city'): Promise<void> {
  const workflowId = `campaign-${plan.id}`;
  const start = (args: CampaignPlan) =>
    deps.temporal.workflow.start(campaignWorkflow, {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [args],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  const created = await deps.db.campaign.createMany({ data: [{ ...plan, workflowId, status: 'scheduled', version: 0, jurisdiction }], skipDuplicates: true });
  if (created.count === 0) {
    await resumeOrphan(deps, plan.id, start);
    throw new Problem(409, 'campaign-exists', 'Campaign exists', `campaign ${plan.id} already exists`);
  }
  try {
    await start(plan);
  } catch (err) {
    await deps.db.campaign.delete({ where: { id: plan.id } });
    throw err;
  }
}

/**
 * A crash between writing the row and starting the workflow leaves a campaign that never runs
 * (its row is still at version 0). The next attempt to create it starts the workflow from the
 * stored row; a workflow already started is left alone.
 */
async function resumeOrphan(deps: CollectionDeps, id: string, start: (plan: CampaignPlan) => Promise<unknown>): Promise<void> {
  const row = await deps.db.campaign.findUnique({ where: { id } });
  if (!row || row.kind !== 'campaign' || row.version > 0) return;
  const { title, description, topics, leadDepartment, jointDepartments, districts, categories } = row;
  const stored: CampaignPlan = {
    id,
    kind: 'campaign',
    title,
    description,
    topics,
    leadDepartment,
    jointDepartments,
    districts,
    categories,
    opensAt: row.opensAt.toISOString(),
    closesAt: row.closesAt.toISOString(),
  };
  await start(stored).catch((err: Error) => {
    if (err.name !== 'WorkflowExecutionAlreadyStartedError') throw err;
  });
}

/** Records the collection's template and creates its Schedule over the calendar's first working days. */
export async function launchCollection(deps: CollectionDeps, id: string, template: Omit<CreateCollection, 'id'>, now: Date): Promise<void> {
  const days = monthlyCollectionDays(await calendarStore(deps.db)(), now.getUTCFullYear() - 1);
  if (!days.some((d) => d >= shanghaiDate(now))) {
    throw new Problem(422, 'no-calendar', 'No working-day calendar', 'load the holiday schedule of the coming months before creating a monthly collection');
  }
  const existing = await deps.db.recurringCollection.findUnique({ where: { id } });
  if (existing && !existing.deletedAt) throw new Problem(409, 'collection-exists', 'Collection exists', `collection ${id} already exists`);
  await deps.db.recurringCollection.upsert({ where: { id }, create: { id, ...template }, update: { ...template, deletedAt: null } });
  try {
    await createCollectionSchedule(deps.temporal, deps.taskQueue, id, days);
  } catch (err) {
    if ((err as Error).name !== 'ScheduleAlreadyRunning') throw err;
  }
}
