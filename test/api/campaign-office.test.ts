import { randomBytes } from 'node:crypto';
import { workflowIdFor } from '../../domain/tracking-number';
import { stateQuery } from '../../workflows/messages';
import { CampaignId } from '../../workflows/search-attributes';
import { eventually, startStack, type Stack } from '../support/stack';

// The collection office runs a campaign through the real API, the Temporal dev server and
// PostgreSQL: create, publish, take submissions, pause, resume, extend, cancel, digest.

let stack: Stack;
let officeKey: string;
let transportKey: string;
let healthKey: string;

beforeAll(async () => {
  stack = await startStack();
  [officeKey, transportKey, healthKey] = await Promise.all([
    stack.issueKey('office'),
    stack.issueKey('department', 'transport'),
    stack.issueKey('department', 'health'),
  ]);
});
afterAll(() => stack?.stop());

async function call(method: string, path: string, body?: unknown, key?: string, headers: Record<string, string> = {}) {
  const res = await fetch(stack.baseUrl + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const minute = 60_000;
const campaign = (opensInMs: number, closesInMs: number) => ({
  id: `api-${randomBytes(4).toString('hex')}`,
  title: 'Your golden ideas for the livelihood projects',
  description: 'Which projects should the city take on next year for daily life?',
  topics: ['buses', 'lifts'],
  leadDepartment: 'transport',
  jointDepartments: ['housing'],
  districts: ['yangpu'],
  categories: ['transport', 'housing'],
  opensAt: new Date(Date.now() + opensInMs).toISOString(),
  closesAt: new Date(Date.now() + closesInMs).toISOString(),
});
const suggestion = (campaignId: string, topic = 'buses') => ({
  title: 'A night bus to the riverside',
  content: 'Shift workers at the riverside have no way home after eleven.',
  category: 'transport',
  district: 'yangpu',
  campaignId,
  campaignTopic: topic,
});
const openIds = async () => ((await call('GET', '/v1/campaigns/open')).body.items as { id: string }[]).map((c) => c.id);

test('only the office creates campaigns, naming departments that exist and a sensible window', async () => {
  const c = campaign(minute, 60 * minute);
  expect((await call('POST', '/v1/campaigns', c, transportKey)).status).toBe(403);
  expect((await call('POST', '/v1/campaigns', { ...c, leadDepartment: 'weather-bureau' }, officeKey)).status).toBe(422);
  expect((await call('POST', '/v1/campaigns', { ...c, closesAt: c.opensAt }, officeKey)).status).toBe(400);
  expect((await call('POST', '/v1/campaigns', c, officeKey)).status).toBe(201);
  expect((await call('POST', '/v1/campaigns', c, officeKey)).status).toBe(409);
});

test('a campaign not yet open is not listed and refuses submissions with a clear error', async () => {
  const c = campaign(60 * minute, 120 * minute);
  const created = await call('POST', '/v1/campaigns', c, officeKey);
  expect(created.body.status).toBe('scheduled');
  expect(await openIds()).not.toContain(c.id);
  const early = await call('POST', '/v1/suggestions', suggestion(c.id));
  expect(early.status).toBe(409);
  expect(early.body.type).toMatch(/campaign-not-open$/);
  expect(early.body.detail).toContain(c.opensAt);
  expect((await call('POST', '/v1/suggestions', suggestion('no-such-campaign'))).status).toBe(422);
});

test('an open campaign takes submissions with its search attribute; pause, resume, extend and cancel change what intake accepts', async () => {
  const c = campaign(-minute, 3 * 24 * 60 * minute);
  await call('POST', '/v1/campaigns', c, officeKey);
  await eventually(async () => (await stack.db.campaign.findUnique({ where: { id: c.id } }))?.status === 'open', 'the campaign to open');
  const listed = (await call('GET', '/v1/campaigns/open')).body.items.find((i: { id: string }) => i.id === c.id);
  expect(listed.topics).toEqual(['buses', 'lifts']);
  expect(listed.howToSubmit).toContain(c.id);

  const accepted = await call('POST', '/v1/suggestions', suggestion(c.id));
  expect(accepted.status).toBe(202);
  const described = await stack.temporal.workflow.getHandle(workflowIdFor(accepted.body.id)).describe();
  expect(described.typedSearchAttributes.get(CampaignId)).toBe(c.id);
  expect(await stack.db.campaignEntry.findUnique({ where: { suggestionId: accepted.body.id } })).toMatchObject({ campaignId: c.id, topic: 'buses' });

  const paused = await call('POST', `/v1/campaigns/${c.id}/pause`, { reason: 'Wording of the questions is being corrected' }, officeKey);
  expect(paused.body.status).toBe('paused');
  expect((await call('POST', '/v1/suggestions', suggestion(c.id))).body.type).toMatch(/campaign-paused$/);
  expect(await openIds()).not.toContain(c.id);
  expect((await call('POST', `/v1/campaigns/${c.id}/pause`, {}, officeKey)).status).toBe(409);
  expect((await call('POST', `/v1/campaigns/${c.id}/resume`, {}, officeKey)).body.status).toBe('open');
  expect((await call('POST', '/v1/suggestions', suggestion(c.id, 'lifts'))).status).toBe(202);

  expect((await call('POST', `/v1/campaigns/${c.id}/extension`, { closesAt: c.opensAt }, officeKey)).status).toBe(422);
  const later = new Date(Date.parse(c.closesAt) + 7 * 24 * 60 * minute).toISOString();
  expect((await call('POST', `/v1/campaigns/${c.id}/extension`, { closesAt: later }, officeKey)).body.closesAt).toBe(later);

  expect((await call('POST', `/v1/campaigns/${c.id}/cancellation`, {}, officeKey)).status).toBe(400);
  const cancelled = await call('POST', `/v1/campaigns/${c.id}/cancellation`, { reason: 'Merged into the city-wide campaign' }, officeKey);
  expect(cancelled.body.status).toBe('cancelled');
  expect((await call('POST', '/v1/suggestions', suggestion(c.id))).body.type).toMatch(/campaign-cancelled$/);
  expect((await stack.temporal.workflow.getHandle(`campaign-${c.id}`).result()).status).toBe('cancelled');
  expect((await call('POST', `/v1/campaigns/${c.id}/resume`, {}, officeKey)).status).toBe(409);
  // The suggestion received before the cancellation keeps its own workflow.
  expect((await stack.temporal.workflow.getHandle(workflowIdFor(accepted.body.id)).describe()).status.name).toBe('RUNNING');

  const notices = await stack.db.notification.findMany({ where: { id: { startsWith: `campaign:${c.id}:` }, recipient: 'department:housing' } });
  expect(notices.map((n) => n.id.split(':')[2]).sort()).toEqual(['cancelled', 'extended', 'opened', 'paused', 'resumed']);
});

test("the office's actions on a campaign take an Idempotency-Key of the caller's own: a retry gets the first answer, another member of staff's request under the same key is carried out", async () => {
  const c = campaign(-minute, 3 * 24 * 60 * minute);
  await call('POST', '/v1/campaigns', c, officeKey);
  await eventually(async () => (await stack.db.campaign.findUnique({ where: { id: c.id } }))?.status === 'open', 'the campaign to open');
  const key = { 'idempotency-key': `pause-${c.id}` };
  const paused = await call('POST', `/v1/campaigns/${c.id}/pause`, { reason: 'Wording of the questions is being corrected' }, officeKey, key);
  const retried = await call('POST', `/v1/campaigns/${c.id}/pause`, { reason: 'Wording of the questions is being corrected' }, officeKey, key);
  expect([paused.status, retried.status]).toEqual([200, 200]);
  expect(retried.body.status).toBe('paused');
  // Not the first caller's stored answer: another office key's resume under the key resumes.
  const resumed = await call('POST', `/v1/campaigns/${c.id}/resume`, {}, await stack.issueKey('office'), key);
  expect(resumed.status).toBe(200);
  expect(resumed.body.status).toBe('open');
  const notices = await stack.db.notification.findMany({ where: { id: { startsWith: `campaign:${c.id}:paused:` } } });
  expect(new Set(notices.map((n) => n.id.split(':')[3])).size).toBe(1);
  await stack.temporal.workflow
    .getHandle(`campaign-${c.id}`)
    .terminate('test finished')
    .catch(() => undefined);
});

test('at close the campaign refuses late submissions and its digest is available to the departments taking part', async () => {
  const c = campaign(-minute, 4000);
  await call('POST', '/v1/campaigns', c, officeKey);
  await eventually(async () => (await stack.db.campaign.findUnique({ where: { id: c.id } }))?.status === 'open', 'the campaign to open');
  const accepted = await call('POST', '/v1/suggestions', suggestion(c.id));
  expect(accepted.status).toBe(202);
  await eventually(
    async () => (await stack.db.suggestion.findUnique({ where: { id: accepted.body.id } }))?.status === 'handling',
    'the submission to be routed',
  );

  expect((await call('GET', `/v1/campaigns/${c.id}/digest`, undefined, officeKey)).body.type).toMatch(/digest-not-ready$/);
  await eventually(async () => (await stack.db.campaignDigest.findUnique({ where: { campaignId: c.id } })) !== null, 'the digest at close');
  const late = await call('POST', '/v1/suggestions', suggestion(c.id));
  expect(late.status).toBe(409);
  expect(late.body.type).toMatch(/campaign-closed$/);

  const digest = await call('GET', `/v1/campaigns/${c.id}/digest`, undefined, transportKey);
  expect(digest.status).toBe(200);
  expect(digest.body.total).toBe(1);
  expect(digest.body.content.byTopic).toEqual({ buses: 1 });
  expect(digest.body.content.byDepartment.transport.map((s: { id: string }) => s.id)).toEqual([accepted.body.id]);
  expect(digest.body.content.awaitingDecision).toHaveLength(1);
  expect((await call('GET', `/v1/campaigns/${c.id}/digest`, undefined, healthKey)).status).toBe(404);
  expect((await call('GET', `/v1/campaigns/${c.id}`, undefined, officeKey)).body.status).toBe('closed');

  // The office publishes the collective results (集中反馈); the suggestion takes them once.
  const results = { summary: 'Three new bus routes came from this campaign.', url: 'https://example.org/campaign-results' };
  expect((await call('POST', `/v1/campaigns/${c.id}/results`, results, transportKey)).status).toBe(403);
  const sent = await call('POST', `/v1/campaigns/${c.id}/results`, results, officeKey);
  expect(sent.status).toBe(200);
  expect(sent.body).toMatchObject({ campaignId: c.id, sentTo: 1, alreadyAnswered: 0 });
  expect((await call('POST', `/v1/campaigns/${c.id}/results`, { summary: 'A second, different text' }, officeKey)).status).toBe(200);
  const state = await eventually(async () => {
    const view = await stack.temporal.workflow.getHandle(`suggestion-${accepted.body.id}`).query(stateQuery);
    return view.feedback?.campaignFeedback && view;
  }, 'the suggestion to take the results');
  expect(state.feedback!.campaignFeedback).toMatchObject({ campaignId: c.id, summary: results.summary, url: results.url });
  expect(state.timeline.filter((e) => e.type === 'campaign_feedback')).toHaveLength(1);
});

test("a department reads its own share of a campaign's digest, never the other departments' suggestions; the office reads it all", async () => {
  const c = { ...campaign(-minute, 4000), jointDepartments: ['yangpu-housing'] };
  await call('POST', '/v1/campaigns', c, officeKey);
  await eventually(async () => (await stack.db.campaign.findUnique({ where: { id: c.id } }))?.status === 'open', 'the campaign to open');
  const bus = await call('POST', '/v1/suggestions', suggestion(c.id));
  const lift = await call('POST', '/v1/suggestions', {
    ...suggestion(c.id, 'lifts'),
    title: 'A lift for the six-storey blocks on Anshan Road',
    category: 'housing',
  });
  expect([bus.status, lift.status]).toEqual([202, 202]);
  await eventually(
    async () => (await stack.db.suggestion.count({ where: { id: { in: [bus.body.id, lift.body.id] }, status: 'handling' } })) === 2,
    'both to be routed',
  );
  await eventually(async () => (await stack.db.campaignDigest.findUnique({ where: { campaignId: c.id } })) !== null, 'the digest at close');

  const office = await call('GET', `/v1/campaigns/${c.id}/digest`, undefined, officeKey);
  expect(Object.keys(office.body.content.byDepartment).sort()).toEqual(['transport', 'yangpu-housing']);
  expect(office.body.content.awaitingDecision).toHaveLength(2);

  const transport = await call('GET', `/v1/campaigns/${c.id}/digest`, undefined, transportKey);
  expect(transport.status).toBe(200);
  expect(transport.body.content.byDepartment).toEqual({ transport: [expect.objectContaining({ id: bus.body.id })] });
  expect(transport.body.content.awaitingDecision.map((s: { id: string }) => s.id)).toEqual([bus.body.id]);
  expect(JSON.stringify(transport.body)).not.toContain(lift.body.id);
  expect(JSON.stringify(transport.body)).not.toContain('Anshan Road');
  // The counts name no suggestion and stay the campaign's.
  expect(transport.body.total).toBe(2);
  expect(transport.body.content.byTopic).toEqual({ buses: 1, lifts: 1 });

  const housing = await call('GET', `/v1/campaigns/${c.id}/digest`, undefined, await stack.issueKey('department', 'yangpu-housing'));
  expect(housing.body.content.byDepartment).toEqual({ 'yangpu-housing': [expect.objectContaining({ id: lift.body.id })] });
  expect(JSON.stringify(housing.body)).not.toContain(bus.body.id);
  await stack.temporal.workflow
    .getHandle(`campaign-${c.id}`)
    .terminate('test finished')
    .catch(() => undefined);
});

test('results are published only for a closed campaign', async () => {
  const c = campaign(-minute, 60 * minute);
  await call('POST', '/v1/campaigns', c, officeKey);
  await eventually(async () => (await stack.db.campaign.findUnique({ where: { id: c.id } }))?.status === 'open', 'the campaign to open');
  const early = await call('POST', `/v1/campaigns/${c.id}/results`, { summary: 'Too soon' }, officeKey);
  expect(early.status).toBe(409);
  expect(early.body.type).toMatch(/campaign-not-closed$/);
  expect((await call('POST', '/v1/campaigns/no-such-campaign/results', { summary: 'Nothing' }, officeKey)).status).toBe(404);
});

test('a campaign left without its workflow by a crash between the row and the start runs after the next attempt', async () => {
  const c = campaign(-minute, 60 * minute);
  const { id, ...subject } = c;
  // The row as the API writes it just before starting the workflow.
  await stack.db.campaign.create({
    data: {
      id,
      kind: 'campaign',
      workflowId: `campaign-${id}`,
      ...subject,
      opensAt: new Date(c.opensAt),
      closesAt: new Date(c.closesAt),
      status: 'scheduled',
      version: 0,
    },
  });
  const retried = await call('POST', '/v1/campaigns', c, officeKey);
  expect(retried.status).toBe(409);
  await eventually(async () => (await stack.db.campaign.findUnique({ where: { id } }))?.status === 'open', 'the recovered campaign to open');
  expect((await call('POST', '/v1/campaigns', c, officeKey)).status).toBe(409);
});
