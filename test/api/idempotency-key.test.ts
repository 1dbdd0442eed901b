import { randomBytes } from 'node:crypto';
import { KeyRing } from '../../codec';
import { as, client, conformanceChecker, serveApi, type Reply } from '../support/api-client';
import { ownDatabase } from '../support/service-process';
import { startStack, type Stack } from '../support/stack';

// Idempotency-Key on the POSTs that create records without a workflow id to lean on: a retry
// gets the first answer and no second record; the same key with another request is refused;
// keys belong to the staff member who sent them; a failed request leaves the key free. Intake's
// keys are scoped the same way (the public's to the submission itself), and the tracking number
// and token a key leads to are the service's secret.

let stack: Stack;
let database: Awaited<ReturnType<typeof ownDatabase>>;
let call: ReturnType<typeof client>;
let conforms: ReturnType<typeof conformanceChecker>;
let admin: string;
let otherAdmin: string;
let office: string;
let intake: string;
let otherIntake: string;

beforeAll(async () => {
  // Its own database: the routing rules it adds would send other test files' suggestions elsewhere.
  database = await ownDatabase();
  stack = await startStack({ databaseUrl: database.url });
  call = client(stack.baseUrl);
  conforms = conformanceChecker((await call('GET', '/openapi.json')).body);
  [admin, otherAdmin, office, intake, otherIntake] = await Promise.all([
    stack.issueKey('admin'),
    stack.issueKey('admin'),
    stack.issueKey('office'),
    stack.issueKey('intake'),
    stack.issueKey('intake'),
  ]);
});
afterAll(async () => {
  await stack?.stop();
  await database?.drop();
});

const newKey = () => `retry-${randomBytes(6).toString('hex')}`;

async function post(path: string, body: unknown, staffKey: string | undefined, idempotencyKey?: string): Promise<Reply> {
  const reply = await call('POST', path, body, { ...(staffKey ? as(staffKey) : {}), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) });
  expect(conforms('POST', path, reply)).toEqual([]);
  return reply;
}

test('an API key issued twice under one Idempotency-Key is issued once, and the retry gets the same key back', async () => {
  const label = `desk ${newKey()}`;
  const body = { label, role: 'department', departmentCode: 'transport' };
  const key = newKey();
  const first = await post('/v1/admin/api-keys', body, admin, key);
  const retry = await post('/v1/admin/api-keys', body, admin, key);
  expect([first.status, retry.status]).toEqual([201, 201]);
  expect(retry.body).toEqual(first.body);
  expect(retry.headers.get('location')).toBe(first.headers.get('location'));
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
  expect(await stack.db.apiKey.count({ where: { label } })).toBe(1);
  // The key that was shown once is kept for the retry only sealed, never in clear.
  const stored = await stack.db.idempotentRequest.findMany({ where: { key } });
  expect(stored).toHaveLength(1);
  expect(stored[0].response).not.toContain(first.body.key);
  // The issued key works.
  expect((await call('GET', '/v1/departments/transport/inbox', undefined, as(first.body.key))).status).toBe(200);

  // Another request under the same key is refused and creates nothing.
  const reused = await post('/v1/admin/api-keys', { ...body, label: `${label} 2` }, admin, key);
  expect(reused.status).toBe(422);
  expect(reused.body.type).toMatch(/\/idempotency-key-reused$/);
  expect(await stack.db.apiKey.count({ where: { label: `${label} 2` } })).toBe(0);

  // Keys are per staff member: another administrator's same key is a request of its own.
  const others = await post('/v1/admin/api-keys', body, otherAdmin, key);
  expect(others.status).toBe(201);
  expect(others.body.id).not.toBe(first.body.id);
  // Without a key, each request creates a record, as before.
  await post('/v1/admin/api-keys', body, admin);
  expect(await stack.db.apiKey.count({ where: { label } })).toBe(3);
});

test('a routing rule sent five times at once under one key is added once; every answer is the rule or "still in progress"', async () => {
  const rule = { category: 'environment', district: 'chongming', channel: 'letter', leadDepartment: 'transport', priority: 7 };
  const key = newKey();
  const replies = await Promise.all(Array.from({ length: 5 }, () => post('/v1/routing-rules', rule, office, key)));
  const created = replies.filter((r) => r.status === 201);
  const waiting = replies.filter((r) => r.status === 409);
  expect(created.length + waiting.length).toBe(5);
  expect(created.length).toBeGreaterThanOrEqual(1);
  expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
  for (const r of waiting) expect(r.body.type).toMatch(/\/request-in-progress$/);
  expect(await stack.db.routingRule.count({ where: { category: 'environment', district: 'chongming', channel: 'letter' } })).toBe(1);
  // Once answered, a retry gets the same rule.
  const later = await post('/v1/routing-rules', rule, office, key);
  expect([later.status, later.body.id]).toEqual([201, created[0].body.id]);
});

test('a request that fails leaves its key free: corrected and sent again under the same key, it is carried out', async () => {
  const key = newKey();
  const rule = { category: 'culture_tourism', district: 'jinshan', leadDepartment: 'no-such-department' };
  const refused = await post('/v1/routing-rules', rule, office, key);
  expect(refused.status).toBe(422);
  expect(refused.body.type).toMatch(/\/unknown-department$/);
  const corrected = await post('/v1/routing-rules', { ...rule, leadDepartment: 'transport' }, office, key);
  expect(corrected.status).toBe(201);
  expect(await stack.db.routingRule.count({ where: { category: 'culture_tourism', district: 'jinshan' } })).toBe(1);
  // A malformed key is a bad request, like any malformed parameter.
  expect((await post('/v1/routing-rules', { ...rule, leadDepartment: 'transport' }, office, 'has spaces in it')).status).toBe(400);
});

test('a campaign without an id of its own, retried under one key, is created once (one workflow, one row)', async () => {
  const title = `Ideas for the riverside ${newKey()}`;
  const campaign = {
    title,
    description: 'What should the riverside path have next year?',
    topics: ['benches', 'lights'],
    leadDepartment: 'transport',
    jointDepartments: [],
    districts: ['yangpu'],
    categories: ['transport'],
    opensAt: new Date(Date.now() + 3600_000).toISOString(),
    closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  };
  const key = newKey();
  const first = await post('/v1/campaigns', campaign, office, key);
  const retry = await post('/v1/campaigns', campaign, office, key);
  expect([first.status, retry.status]).toEqual([201, 201]);
  expect(retry.body.id).toBe(first.body.id);
  expect(await stack.db.campaign.count({ where: { title } })).toBe(1);
  await stack.temporal.workflow
    .getHandle(`campaign-${first.body.id}`)
    .terminate('test finished')
    .catch(() => undefined);
});

const hotlineCall = (workOrder: string) => ({
  title: 'A pedestrian light at Anshan Road',
  content: 'The caller says children cross Anshan Road at the school gate without a light; a signal is needed.',
  category: 'transport',
  district: 'yangpu',
  channel: 'hotline',
  source: { workOrder },
  proposer: { name: 'Chen Jie', phone: '13800000021', replyChannel: 'phone' },
});
const webSuggestion = (title: string) => ({
  title,
  content: 'Benches every 200 m along the riverside path would let older walkers rest on the way.',
  category: 'transport',
  district: 'yangpu',
});
const tracking = (id: string, token: string) => call('GET', `/v1/suggestions/${id}/tracking`, undefined, { 'x-tracking-token': token });

test("an anonymous caller using intake staff's Idempotency-Key gets a suggestion and token of its own: it neither opens nor rates theirs, nor blocks their registration", async () => {
  const workOrder = `WO1-${randomBytes(3).toString('hex')}`;
  const key = `hotline-${workOrder}`;
  // Squatting the key before staff register under it.
  const squat = await post('/v1/suggestions', webSuggestion('Benches on the riverside path'), undefined, key);
  expect(squat.status).toBe(202);

  const registered = await post('/v1/suggestions', hotlineCall(workOrder), intake, key);
  expect(registered.status).toBe(202);
  expect(registered.body.id).not.toBe(squat.body.id);
  expect(registered.body.trackingToken).not.toBe(squat.body.trackingToken);

  // A different web suggestion under the staff key: another suggestion, another token.
  const other = await post('/v1/suggestions', webSuggestion('More benches on the riverside path'), undefined, key);
  expect(other.status).toBe(202);
  expect(other.body.id).not.toBe(registered.body.id);
  expect(other.body.trackingToken).not.toBe(registered.body.trackingToken);
  expect((await tracking(registered.body.id, other.body.trackingToken)).status).toBe(404);
  expect(
    (await call('POST', `/v1/suggestions/${registered.body.id}/rating`, { rating: 'dissatisfied' }, { 'x-tracking-token': other.body.trackingToken })).status,
  ).toBe(404);
  // The caller's own token opens the call's page (nothing to rate yet: 409, not 404).
  expect((await tracking(registered.body.id, registered.body.trackingToken)).status).toBe(200);
  expect(
    (await call('POST', `/v1/suggestions/${registered.body.id}/rating`, { rating: 'satisfied' }, { 'x-tracking-token': registered.body.trackingToken })).status,
  ).toBe(409);

  // The import run again: the same receipt, token included (scripts/import-hotline.ts relies on it).
  const again = await post('/v1/suggestions', hotlineCall(workOrder), intake, key);
  expect(again.status).toBe(202);
  expect(again.body).toEqual(registered.body);
  // Another call under the same work order by the same staff is still a reused key.
  const reused = await post('/v1/suggestions', { ...hotlineCall(workOrder), title: 'Something else entirely' }, intake, key);
  expect(reused.status).toBe(422);
  expect(reused.body.type).toMatch(/\/idempotency-key-reused$/);
  // The anonymous retries find their own, and another member of staff's key is theirs alone.
  expect((await post('/v1/suggestions', webSuggestion('More benches on the riverside path'), undefined, key)).body).toEqual(other.body);
  expect((await post('/v1/suggestions', webSuggestion('Benches on the riverside path'), undefined, key)).body).toEqual(squat.body);
  const colleague = await post('/v1/suggestions', hotlineCall(workOrder), otherIntake, key);
  expect(colleague.status).toBe(202);
  expect(colleague.body.id).not.toBe(registered.body.id);
});

test("the tracking number and token a key leads to are the service's secret: a service with another key ring gives the same request another number and token", async () => {
  const otherRing = KeyRing.parse(`other=${randomBytes(32).toString('base64')}`);
  const elsewhere = await serveApi(stack, { keys: otherRing });
  try {
    const workOrder = `WO2-${randomBytes(3).toString('hex')}`;
    const here = await post('/v1/suggestions', hotlineCall(workOrder), intake, `hotline-${workOrder}`);
    const there = await elsewhere.call('POST', '/v1/suggestions', hotlineCall(workOrder), { ...as(intake), 'idempotency-key': `hotline-${workOrder}` });
    expect([here.status, there.status]).toEqual([202, 202]);
    expect(there.body.id).not.toBe(here.body.id);
    expect(there.body.trackingToken).not.toBe(here.body.trackingToken);
  } finally {
    await elsewhere.stop();
  }
});
