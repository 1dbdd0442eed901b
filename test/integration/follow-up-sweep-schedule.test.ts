import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { ensureFollowUpSweepSchedule, followUpSweepScheduleId } from '../../temporal-client/schedules';
import { pollUntil } from '../../scripts/provision/process';
import { ownDatabase, startServiceProcess } from '../support/service-process';

// The daily sweep of late follow-up answers (workflows/follow-up-sweep-workflow.ts) runs on a
// Temporal Schedule that every worker makes sure of when it starts: a fresh deployment needs no
// step of its own, and a second worker leaves the first one's schedule as it is.

let connection: Connection;
let client: Client;
beforeAll(async () => {
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  client = new Client({ connection });
});
afterAll(() => connection?.close());

const described = () =>
  client.schedule
    .getHandle(followUpSweepScheduleId)
    .describe()
    .catch(() => undefined);

test('the worker makes the sweep schedule when it starts: each morning at 09:00 in Shanghai, one run at a time', async () => {
  await client.schedule
    .getHandle(followUpSweepScheduleId)
    .delete()
    .catch(() => undefined);
  const database = await ownDatabase();
  const worker = startServiceProcess('worker/main.ts', {
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: `sweep-${randomUUID()}`,
    WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE,
  });
  try {
    const schedule = await pollUntil('the sweep schedule', described, { timeoutMs: 60_000 });
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'followUpSweepWorkflow' });
    expect(schedule.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 1, end: 1, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
    expect(schedule.policies).toMatchObject({ overlap: 'SKIP' });

    // Made once: a second worker (here, a second call) keeps the schedule the first one made.
    const taskQueue = schedule.action.type === 'startWorkflow' ? schedule.action.taskQueue : undefined;
    await ensureFollowUpSweepSchedule(client, 'another-queue');
    const again = await described();
    expect(again?.action.type === 'startWorkflow' && again.action.taskQueue).toBe(taskQueue);
  } finally {
    await worker.stop();
    await database.drop();
  }
});
