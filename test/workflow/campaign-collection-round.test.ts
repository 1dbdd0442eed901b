import { randomBytes } from 'node:crypto';
import { calendarStore } from '../../prisma/calendar-store';
import { addWorkingDays, shanghaiDate } from '../../domain/calendar';
import type { CampaignView } from '../../domain/campaign';
import { eventually } from '../support/stack';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/time-skipping';

// One run of a monthly collection at its real length, on the time-skipping server: the round opens
// from the collection's template, stays open its working days by the calendar, and is digested.
// (The Schedule that starts such runs is proved on the dev server: test/api/campaign-collections.)

let stack: TimeSkippingStack;
beforeAll(async () => {
  stack = await startTimeSkippingStack();
});
afterAll(() => stack?.stop());

test('a round is open for its working days from the day it runs, then closes with its digest', async () => {
  const collectionId = `ts-round-${randomBytes(3).toString('hex')}`;
  await stack.db.recurringCollection.create({
    data: {
      id: collectionId,
      title: 'Monthly problem list',
      description: 'Problems of the month in the neighbourhood.',
      topics: ['lifts'],
      leadDepartment: 'yangpu-wujiaochang',
      jointDepartments: ['yangpu-housing'],
      districts: ['yangpu'],
      categories: ['housing'],
      roundWorkingDays: 3,
    },
  });
  const startedAt = new Date(await stack.env.currentTimeMs());
  const roundId = `${collectionId}-${shanghaiDate(startedAt).replaceAll('-', '')}`;
  const closesAt = addWorkingDays(await calendarStore(stack.db)(), startedAt, 3);

  const result = await stack.withWorker(async () => {
    const handle = await stack.env.client.workflow.start('collectionRoundWorkflow', {
      args: [collectionId],
      taskQueue: stack.taskQueue,
      workflowId: `round-${collectionId}`,
    });
    const round = await eventually(async () => {
      const r = await stack.db.campaign.findUnique({ where: { id: roundId } });
      return r?.status === 'open' ? r : undefined;
    }, 'the round to open');
    expect(round.closesAt.toISOString()).toBe(closesAt.toISOString());
    expect(round.topics).toEqual(['lifts']);
    return (await handle.result()) as CampaignView;
  });

  expect(result).toMatchObject({ id: roundId, kind: 'round', collectionId, status: 'closed', digestFinal: true });
  const digest = await stack.db.campaignDigest.findUniqueOrThrow({ where: { campaignId: roundId } });
  expect(digest.final).toBe(true);
  expect(digest.compiledAt.getTime()).toBeGreaterThanOrEqual(closesAt.getTime());
  const shares = await stack.db.notification.findMany({ where: { id: { startsWith: `campaign:${roundId}:digest:` } } });
  expect(shares.map((n) => n.recipient).sort()).toEqual(['department:yangpu-housing', 'department:yangpu-wujiaochang']);
});
