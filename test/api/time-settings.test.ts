import { hashApiKey } from '../../api/auth';
import { deadlineAfter } from '../../domain/calendar';
import { workflowIdFor } from '../../domain/tracking-number';
import { stateQuery } from '../../workflows/messages';
import { as, client, conformanceChecker, type Reply } from '../support/api-client';
import { storedCalendar } from '../support/handling';
import { ownDatabase } from '../support/service-process';
import { eventually, startStack, type Stack } from '../support/stack';

// The office's time limits through the API, on the real stack: listed with their defaults,
// changed with validation, every change audited (who, when, before → after), and applied to the
// suggestions that arrive afterwards, never to those already on their way.

let stack: Stack;
let database: Awaited<ReturnType<typeof ownDatabase>>;
let call: ReturnType<typeof client>;
let conforms: ReturnType<typeof conformanceChecker>;
const keys: Record<'office' | 'admin' | 'supervisor' | 'transport', string> = { office: '', admin: '', supervisor: '', transport: '' };

beforeAll(async () => {
  // Its own database: the limits it sets would otherwise reach other test files' suggestions.
  database = await ownDatabase();
  stack = await startStack({ databaseUrl: database.url });
  call = client(stack.baseUrl);
  conforms = conformanceChecker((await call('GET', '/openapi.json')).body);
  [keys.office, keys.admin, keys.supervisor, keys.transport] = await Promise.all([
    stack.issueKey('office'),
    stack.issueKey('admin'),
    stack.issueKey('supervisor'),
    stack.issueKey('department', 'transport'),
  ]);
});
afterAll(async () => {
  await stack?.stop();
  await database?.drop();
});

/** A call whose answer must match the OpenAPI document. */
async function documented(method: string, path: string, body: unknown, key: string): Promise<Reply> {
  const reply = await call(method, path, body, as(key));
  expect(conforms(method, path, reply)).toEqual([]);
  return reply;
}

const keyIdOf = async (key: string) => (await stack.db.apiKey.findUniqueOrThrow({ where: { hash: hashApiKey(key) } })).id;

test('the office lists the defaults, sets a limit for a channel and category, changes and removes it; each change is audited with who and before → after', async () => {
  const listed = await documented('GET', '/v1/time-settings', undefined, keys.supervisor);
  expect(listed.status).toBe(200);
  expect(listed.body.defaults).toEqual(
    expect.arrayContaining([
      { step: 'respond', amount: 30, unit: 'calendar_days' },
      { step: 'rating', amount: 15, unit: 'working_days' },
      { step: 'milestoneGrace', amount: 5, unit: 'working_days' },
      { step: 'followUpMonths', amount: 3, unit: 'months' },
    ]),
  );

  const path = '/v1/time-settings/coOpinion';
  const set = await documented('PUT', path, { channel: 'letter', category: 'housing', amount: 8, unit: 'working_days' }, keys.office);
  expect(set.status).toBe(201);
  expect(set.body.setting).toMatchObject({ step: 'coOpinion', channel: 'letter', category: 'housing', amount: 8, unit: 'working_days' });
  expect(set.body.change).toMatchObject({
    previous: null,
    current: { amount: 8, unit: 'working_days' },
    changedBy: { label: 'office test key', role: 'office', keyId: await keyIdOf(keys.office) },
  });

  // The same value again changes nothing and records nothing.
  const same = await documented('PUT', path, { channel: 'letter', category: 'housing', amount: 8, unit: 'working_days' }, keys.office);
  expect(same.status).toBe(200);
  expect(same.body.change).toBeNull();

  const changed = await documented('PUT', path, { channel: 'letter', category: 'housing', amount: 12, unit: 'calendar_days' }, keys.admin);
  expect(changed.status).toBe(200);
  expect(changed.body.setting.id).toBe(set.body.setting.id);
  expect(changed.body.change).toMatchObject({
    previous: { amount: 8, unit: 'working_days' },
    current: { amount: 12, unit: 'calendar_days' },
    changedBy: { role: 'admin' },
  });

  const removed = await documented('DELETE', `${path}?channel=letter&category=housing`, undefined, keys.office);
  expect(removed.status).toBe(200);
  expect(removed.body.change).toMatchObject({ previous: { amount: 12, unit: 'calendar_days' }, current: null });
  expect((await documented('DELETE', `${path}?channel=letter&category=housing`, undefined, keys.office)).status).toBe(404);
  expect(await stack.db.timeLimitSetting.count({ where: { step: 'coOpinion' } })).toBe(0);

  const audit = await documented('GET', '/v1/time-setting-changes?limit=3', undefined, keys.supervisor);
  expect(audit.body.items.map((c: { id: number }) => c.id)).toEqual([removed.body.change.id, changed.body.change.id, set.body.change.id]);
  for (const c of audit.body.items) expect(Date.parse(c.changedAt)).toBeGreaterThan(Date.now() - 60_000);
  const older = await documented('GET', `/v1/time-setting-changes?limit=3&beforeId=${changed.body.change.id}`, undefined, keys.supervisor);
  expect(older.body.items[0].id).toBe(set.body.change.id);
});

test('a setting a step cannot take is refused with a problem document, and nothing is recorded', async () => {
  const before = await stack.db.timeSettingChange.count();
  const refusals: [string, unknown, number, string?][] = [
    ['/v1/time-settings/rating', { channel: 'web', amount: 10, unit: 'working_days' }, 422, 'invalid-time-setting'],
    ['/v1/time-settings/followUpMonths', { amount: 6, unit: 'working_days' }, 422, 'invalid-time-setting'],
    ['/v1/time-settings/followUpMonths', { amount: 36, unit: 'months' }, 422, 'invalid-time-setting'],
    ['/v1/time-settings/respond', { amount: 2, unit: 'months' }, 422, 'invalid-time-setting'],
    ['/v1/time-settings/respond', { amount: 0, unit: 'working_days' }, 400],
    ['/v1/time-settings/respond', { amount: 400, unit: 'calendar_days' }, 400],
    ['/v1/time-settings/respond', { amount: 5, unit: 'working_days', channel: 'fax' }, 400],
    ['/v1/time-settings/respond', { amount: 5, unit: 'working_days', comment: 'extra' }, 400],
    ['/v1/time-settings/nap', { amount: 5, unit: 'working_days' }, 400],
  ];
  for (const [path, body, status, type] of refusals) {
    const reply = await documented('PUT', path, body, keys.office);
    expect(`${path} ${JSON.stringify(body)}: ${reply.status}`).toBe(`${path} ${JSON.stringify(body)}: ${status}`);
    if (type) expect(reply.body.type).toMatch(new RegExp(`/${type}$`));
  }
  // Supervisors and departments read or nothing; they do not change limits.
  expect((await call('PUT', '/v1/time-settings/respond', { amount: 5, unit: 'working_days' }, as(keys.supervisor))).status).toBe(403);
  expect((await call('GET', '/v1/time-settings', undefined, as(keys.transport))).status).toBe(403);
  expect(await stack.db.timeSettingChange.count()).toBe(before);
});

const suggestion = {
  title: 'Bus shelters with seats on Huaihai Road',
  content: 'The stops between Shaanxi Road and Xizang Road have no seats; older riders stand for twenty minutes.',
  category: 'transport',
  district: 'huangpu',
  proposer: { replyChannel: 'online' },
};

async function submitAndAssign(): Promise<string> {
  const reply = await call('POST', '/v1/suggestions', suggestion);
  expect(reply.status).toBe(202);
  const id: string = reply.body.id;
  await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.status === 'handling', `suggestion ${id} in handling`);
  return id;
}

async function decidedAndReplied(id: string) {
  const decided = await call(
    'POST',
    `/v1/suggestions/${id}/decision`,
    { outcome: 'for_reference', reason: 'Seats come with the road works next year.', reply: 'Kept for the road works.' },
    as(keys.transport),
  );
  expect(decided.status).toBe(200);
  // The rating window is set once the reply has gone; the workflow's own state shows it.
  const handle = stack.temporal.workflow.getHandle(workflowIdFor(id));
  const state = await eventually(async () => {
    const s = await handle.query(stateQuery);
    return s.feedback?.satisfaction.windowEndsAt ? s : undefined;
  }, `the reply to ${id} and its rating window`);
  return {
    receivedAt: new Date(state.receivedAt),
    dueAt: new Date(state.dueAt!),
    repliedAt: new Date(state.repliedAt!),
    windowEndsAt: state.feedback!.satisfaction.windowEndsAt!,
  };
}

test('changed limits apply to suggestions that arrive afterwards; one already on its way keeps the limits it arrived under', async () => {
  const earlier = await submitAndAssign();
  const respond = await call('PUT', '/v1/time-settings/respond', { channel: 'web', category: 'transport', amount: 7, unit: 'working_days' }, as(keys.office));
  const rating = await call('PUT', '/v1/time-settings/rating', { amount: 3, unit: 'working_days' }, as(keys.office));
  expect([respond.status, rating.status]).toEqual([201, 201]);
  const later = await submitAndAssign();

  const cal = await storedCalendar(stack.db);
  const [a, b] = await Promise.all([decidedAndReplied(earlier), decidedAndReplied(later)]);
  // The response deadline: 30 calendar days for the earlier one, 7 working days for the later.
  expect(a.dueAt.toISOString()).toBe(deadlineAfter(cal, a.receivedAt, { amount: 30, unit: 'calendar_days' }).toISOString());
  expect(b.dueAt.toISOString()).toBe(deadlineAfter(cal, b.receivedAt, { amount: 7, unit: 'working_days' }).toISOString());
  // The rating window, though both were decided after the change: 15 working days, then 3.
  expect(a.windowEndsAt).toBe(deadlineAfter(cal, a.repliedAt, { amount: 15, unit: 'working_days' }).toISOString());
  expect(b.windowEndsAt).toBe(deadlineAfter(cal, b.repliedAt, { amount: 3, unit: 'working_days' }).toISOString());
});
