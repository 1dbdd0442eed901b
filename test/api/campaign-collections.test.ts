import { randomBytes } from 'node:crypto';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { calendarStore } from '../../prisma/calendar-store';
import { collectionScheduleId } from '../../temporal-client/schedule-calendar';
import { awardScheduleId, ensureAwardSchedule } from '../../temporal-client/schedules';
import { shanghaiDate } from '../../domain/calendar';
import { monthlyCollectionDays } from '../../domain/campaign';
import { eventually, startStack, type Stack } from '../support/stack';

// Recurring collections are Temporal Schedules: their mechanics (spec, policies, backfill, pause,
// trigger, delete) run against the real dev server, which the time-skipping server cannot stand in for.

let stack: Stack;
let officeKey: string;

beforeAll(async () => {
  stack = await startStack();
  officeKey = await stack.issueKey('office');
});
afterAll(() => stack?.stop());

async function call(method: string, path: string, body?: unknown, key = officeKey) {
  const res = await fetch(stack.baseUrl + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), authorization: `Bearer ${key}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const collection = () => ({
  id: `mh-test-${randomBytes(4).toString('hex')}`,
  title: 'Wujiaochang monthly problem list',
  description: 'Problems and ideas of the month, gathered when the officials visit the neighbourhood.',
  topics: ['lifts', 'street order'],
  leadDepartment: 'yangpu-wujiaochang',
  jointDepartments: ['yangpu-housing'],
  districts: ['yangpu'],
  categories: ['housing'],
  roundWorkingDays: 5,
});

test('a monthly collection is a Schedule over the first working days, with deliberate overlap and catch-up policies', async () => {
  const c = collection();
  const created = await call('POST', '/v1/collections', c);
  expect(created.status).toBe(201);

  const days = monthlyCollectionDays(await calendarStore(stack.db)(), new Date().getUTCFullYear());
  const next = days.find((d) => `${d}T01:00:00.000Z` > new Date().toISOString());
  expect(created.body.schedule.nextRuns[0]).toBe(`${next}T01:00:00.000Z`);
  expect(created.body.schedule.paused).toBe(false);

  const description = await stack.temporal.schedule.getHandle(collectionScheduleId(c.id)).describe();
  expect(description.policies.overlap).toBe(ScheduleOverlapPolicy.BUFFER_ONE);
  expect(description.policies.catchupWindow).toBe(7 * 24 * 3600_000);
  expect((await call('POST', '/v1/collections', c)).status).toBe(409);
});

test('October 2025, after the holiday week, runs on the 9th: a backfill of the month starts exactly that round', async () => {
  const c = collection();
  await call('POST', '/v1/collections', c);
  const handle = stack.temporal.schedule.getHandle(collectionScheduleId(c.id));
  await handle.backfill({ start: new Date('2025-10-01T00:00:00Z'), end: new Date('2025-11-01T00:00:00Z'), overlap: ScheduleOverlapPolicy.ALLOW_ALL });

  const round = await eventually(() => stack.db.campaign.findFirst({ where: { collectionId: c.id } }), 'the backfilled round');
  expect(round.id).toBe(`${c.id}-20251009`);
  expect(round.opensAt.toISOString()).toBe('2025-10-09T01:00:00.000Z');
  // Five working days after the 9th, counting Saturday the 11th (an adjusted working day, 调休): the 15th.
  expect(shanghaiDate(round.closesAt)).toBe('2025-10-15');
  const runs = (await handle.describe()).info.recentActions;
  expect(runs.map((r) => r.scheduledAt.toISOString())).toEqual(['2025-10-09T01:00:00.000Z']);
  // A round whose window is long past closes at once and is digested.
  await eventually(async () => (await stack.db.campaignDigest.findUnique({ where: { campaignId: round.id } })) !== null, "the round's digest");
});

test('the office pauses, resumes, triggers and deletes a collection; a triggered round takes submissions', async () => {
  const c = collection();
  await call('POST', '/v1/collections', c);

  const paused = await call('POST', `/v1/collections/${c.id}/pause`, { note: 'Officials on leave this month' });
  expect(paused.body.schedule).toMatchObject({ paused: true, note: 'Officials on leave this month' });
  expect((await call('POST', `/v1/collections/${c.id}/resume`, {})).body.schedule.paused).toBe(false);

  expect((await call('POST', `/v1/collections/${c.id}/trigger`, {})).status).toBe(200);
  const roundId = `${c.id}-${shanghaiDate(new Date()).replaceAll('-', '')}`;
  await eventually(async () => (await stack.db.campaign.findUnique({ where: { id: roundId } }))?.status === 'open', 'the triggered round to open');
  const listed = await call('GET', '/v1/collections');
  expect(listed.body.items.find((i: { id: string }) => i.id === c.id).rounds.map((r: { id: string }) => r.id)).toContain(roundId);
  const submitted = await call('POST', '/v1/suggestions', {
    title: 'The lift in building 12 stops between floors',
    content: 'Residents on the upper floors have been stuck twice this month.',
    category: 'housing',
    district: 'yangpu',
    campaignId: roundId,
    campaignTopic: 'lifts',
  });
  expect(submitted.status).toBe(202);

  expect((await call('DELETE', `/v1/collections/${c.id}`)).status).toBe(204);
  expect((await call('GET', `/v1/collections/${c.id}`)).status).toBe(404);
  await expect(stack.temporal.schedule.getHandle(collectionScheduleId(c.id)).describe()).rejects.toMatchObject({ name: 'ScheduleNotFoundError' });
  // The round already open runs on to its digest.
  expect((await stack.db.campaign.findUnique({ where: { id: roundId } }))?.status).toBe('open');
});

test('the yearly selection of outstanding suggestions is a Schedule due every 20 December', async () => {
  await ensureAwardSchedule(stack.temporal, stack.taskQueue);
  await ensureAwardSchedule(stack.temporal, stack.taskQueue);
  const description = await stack.temporal.schedule.getHandle(awardScheduleId).describe();
  const next = description.info.nextActionTimes[0];
  expect(next.toISOString().slice(5)).toBe('12-20T01:00:00.000Z');
  expect(description.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
});
