import { randomBytes } from 'node:crypto';
import { scopedIntakeKey } from '../../api/intake';
import { drawRandom, intakeNumber, keyedDraws } from '../../api/intake-number';
import { submitSuggestionSchema } from '../../domain/intake';
import { shanghaiDate } from '../../domain/calendar';
import { serveApi } from '../support/api-client';
import { startStack, eventually, type Stack } from '../support/stack';

// The walking skeleton through the real API, the real Temporal dev server and real PostgreSQL:
// submit → routed by rule → the department decides (a Temporal update) → the reply is recorded.

let stack: Stack;
let transportKey: string;
let healthKey: string;
let officeKey: string;

beforeAll(async () => {
  stack = await startStack();
  [transportKey, healthKey, officeKey] = await Promise.all([
    stack.issueKey('department', 'transport'),
    stack.issueKey('department', 'health'),
    stack.issueKey('office'),
  ]);
});
afterAll(() => stack.stop());

const busStop = {
  title: 'Move the bus stop on Guoding Road',
  content: 'The stop sits right after the crossing, so buses block the junction; moving it 50 m north would help.',
  category: 'transport',
  district: 'yangpu',
  proposer: { name: 'Wang Fang', phone: '13800000001', replyChannel: 'sms' },
  publishConsent: true,
};

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(stack.baseUrl + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

const as = (key: string) => ({ authorization: `Bearer ${key}` });

async function submitAndAwaitAssignment(suggestion: unknown = busStop) {
  const submitted = await call('POST', '/v1/suggestions', suggestion);
  expect(submitted.status).toBe(202);
  const id: string = submitted.body.id;
  await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.status === 'handling', `suggestion ${id} to be assigned`);
  return id;
}

test('a submitted suggestion gets a tracking number and is routed to the department its rule names', async () => {
  const submitted = await call('POST', '/v1/suggestions', busStop);
  expect(submitted.status).toBe(202);
  expect(submitted.body.trackingNumber).toMatch(/^JY-\d{8}-[0-9A-Z]{6}$/);
  expect(submitted.body.id).toBe(submitted.body.trackingNumber);

  const row = await eventually(async () => {
    const r = await stack.db.suggestion.findUnique({ where: { id: submitted.body.id } });
    return r?.status === 'handling' ? r : undefined;
  }, 'the assignment to be projected');
  expect(row.leadDepartment).toBe('transport');
  // 30 calendar days from the day of receipt, ending 23:59:59.999 Shanghai time (15:59:59.999Z).
  expect(row.dueAt!.toISOString()).toMatch(/T15:59:59\.999Z$/);
  const proposer = await stack.db.proposer.findUnique({ where: { suggestionId: submitted.body.id } });
  // Kept apart from the suggestion and sealed with the proposer's own data key (see confidentiality-*.test.ts).
  expect(proposer?.details).toMatch(/^dk:/);
  expect(proposer?.details).not.toContain('138');
});

test('invalid input is refused with a problem document naming the field', async () => {
  const res = await call('POST', '/v1/suggestions', { ...busStop, category: 'weather' });
  expect(res.status).toBe(400);
  expect(res.type).toContain('application/problem+json');
  expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('body.category');
  expect(res.body.detail).toContain('body.category');
});

test('only the lead department can decide, a decision is recorded once, and the outcome shows', async () => {
  const id = await submitAndAwaitAssignment();
  const decision = {
    outcome: 'adopted',
    reply: 'The stop will move 50 m north in the next timetable change.',
    plan: {
      usage: ['improving_work'],
      summary: 'The Guoding Road stop moves 50 m north.',
      milestones: [{ title: 'Move the stop', ownerDepartment: 'transport', dueInWorkingDays: 10 }],
    },
  };

  // Another department is told what its GET says: no such suggestion (never who leads it).
  const wrongDepartment = await call('POST', `/v1/suggestions/${id}/decision`, decision, as(healthKey));
  expect(wrongDepartment.status).toBe(404);
  expect(wrongDepartment.body.detail).not.toContain('transport');

  const noReason = await call('POST', `/v1/suggestions/${id}/decision`, { outcome: 'not_adopted', reply: 'No.' }, as(transportKey));
  expect(noReason.status).toBe(400);
  expect(noReason.body.detail).toMatch(/reason/);

  const anonymous = await call('POST', `/v1/suggestions/${id}/decision`, decision);
  expect(anonymous.status).toBe(401);

  const decided = await call('POST', `/v1/suggestions/${id}/decision`, decision, as(transportKey));
  expect(decided.status).toBe(200);
  expect(decided.body.decision.outcome).toBe('adopted');

  const again = await call('POST', `/v1/suggestions/${id}/decision`, decision, as(transportKey));
  expect(again.status).toBe(409);

  const shown = await eventually(async () => {
    const r = await call('GET', `/v1/suggestions/${id}`, undefined, as(transportKey));
    return r.body?.status === 'implementing' ? r : undefined;
  }, 'the reply to be recorded and the plan to start');
  expect(shown.body.decision).toMatchObject({ outcome: 'adopted', reply: decision.reply });
  expect(shown.body.timeline.map((e: { type: string }) => e.type)).toEqual(['registered', 'assigned', 'decided', 'replied', 'implementation_started']);
  expect(JSON.stringify(shown.body)).not.toContain('Wang Fang');

  const messages = await stack.db.notification.findMany({ where: { suggestionId: id }, orderBy: { createdAt: 'asc' } });
  expect(messages.map((m) => m.recipient)).toEqual(['proposer', 'department:transport', 'proposer', 'department:transport']);
  expect(messages[2].body).toContain(decision.reply);
});

test('another department cannot read a suggestion that is not theirs', async () => {
  const id = await submitAndAwaitAssignment();
  expect((await call('GET', `/v1/suggestions/${id}`, undefined, as(healthKey))).status).toBe(404);
  expect((await call('GET', `/v1/suggestions/${id}`, undefined, as(transportKey))).status).toBe(200);
  // Newest first: other test files fill the shared database with transport suggestions.
  const inbox = await call('GET', '/v1/departments/transport/inbox?sort=-receivedAt&limit=100', undefined, as(transportKey));
  expect(inbox.body.items.map((i: { id: string }) => i.id)).toContain(id);
  expect((await call('GET', '/v1/departments/transport/inbox', undefined, as(healthKey))).status).toBe(403);
});

test('a suggestion no rule matches waits in triage until the office assigns it', async () => {
  const submitted = await call('POST', '/v1/suggestions', { ...busStop, category: 'other' });
  const id = submitted.body.id;
  await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.status === 'triage', 'triage');
  const refused = await call('POST', `/v1/suggestions/${id}/assignment`, { leadDepartment: 'transport', reason: 'a bus matter' }, as(transportKey));
  expect(refused.status).toBe(403);
  const assigned = await call('POST', `/v1/suggestions/${id}/assignment`, { leadDepartment: 'transport', reason: 'a bus matter' }, as(officeKey));
  expect(assigned.status).toBe(200);
  expect(assigned.body).toMatchObject({ status: 'handling', leadDepartment: 'transport' });
  const unknown = await call('POST', `/v1/suggestions/${id}/assignment`, { leadDepartment: 'no-such-dept', reason: 'x y' }, as(officeKey));
  expect(unknown.status).toBe(404);
});

test('a retried submission with the same Idempotency-Key starts no second workflow', async () => {
  const key = { 'idempotency-key': `retry-${Date.now()}` };
  const first = await call('POST', '/v1/suggestions', busStop, key);
  const second = await call('POST', '/v1/suggestions', busStop, key);
  expect(first.status).toBe(202);
  expect(second.status).toBe(202);
  // The same receipt, tracking token included: whichever attempt's answer reaches the client, an
  // attempt still running on the server cannot void the token it holds.
  expect(second.body).toEqual(first.body);
  const tracked = await call('GET', `/v1/suggestions/${first.body.id}/tracking`, undefined, { 'x-tracking-token': first.body.trackingToken });
  expect(tracked.status).toBe(200);
  // Anonymous keys are scoped to the submission: other words under the same key are another
  // suggestion, with a token of its own (a member of staff reusing a key is refused: idempotency-key.test.ts).
  const different = await call('POST', '/v1/suggestions', { ...busStop, title: 'Something else entirely' }, key);
  expect(different.status).toBe(202);
  expect(different.body.id).not.toBe(first.body.id);
  expect(different.body.trackingToken).not.toBe(first.body.trackingToken);
});

/** The tracking number an anonymous submission of `busStop` under `key` tries at `attempt` (the server's secret is the test run's key ring). */
const keyedNumber = (receivedOn: string, attempt: number, key: string) =>
  intakeNumber(receivedOn, attempt, keyedDraws(stack.keys, scopedIntakeKey(parsedBusStop, undefined, key)));
const parsedBusStop = submitSuggestionSchema.parse(busStop);

/** Two Idempotency-Keys whose first tracking-number candidates are the same number on `receivedOn`. */
function clashingKeys(receivedOn: string): [string, string] {
  const seen = new Map<string, string>();
  const run = randomBytes(4).toString('hex');
  for (let i = 0; ; i++) {
    const key = `clash-${run}-${i}`;
    const number = keyedNumber(receivedOn, 0, key);
    const earlier = seen.get(number);
    if (earlier) return [earlier, key];
    seen.set(number, key);
  }
}

test('two submissions whose keys draw the same tracking number stay two suggestions, and each retry finds its own', async () => {
  // Two proposers sending the very same text, their keys drawing one number: neither is merged into the other.
  const [firstKey, secondKey] = clashingKeys(shanghaiDate(new Date()));
  const first = await call('POST', '/v1/suggestions', busStop, { 'idempotency-key': firstKey });
  const second = await call('POST', '/v1/suggestions', busStop, { 'idempotency-key': secondKey });
  expect([first.status, second.status]).toEqual([202, 202]);
  const receivedOn = shanghaiDate(new Date(first.body.receivedAt));
  expect(first.body.id).toBe(keyedNumber(receivedOn, 0, firstKey));
  expect(keyedNumber(receivedOn, 0, secondKey)).toBe(first.body.id);
  expect(second.body.id).toBe(keyedNumber(receivedOn, 1, secondKey));
  expect(second.body.id).not.toBe(first.body.id);
  // Two workflows, two rows in the read model.
  for (const id of [first.body.id, second.body.id]) {
    expect((await stack.temporal.workflow.getHandle(`suggestion-${id}`).describe()).status.name).toBe('RUNNING');
  }
  await eventually(
    async () => (await stack.db.suggestion.count({ where: { id: { in: [first.body.id, second.body.id] } } })) === 2,
    'both suggestions in the read model',
  );
  // Each retry walks its key's numbers to its own suggestion, with its own receipt.
  const retries = await Promise.all([
    call('POST', '/v1/suggestions', busStop, { 'idempotency-key': secondKey }),
    call('POST', '/v1/suggestions', busStop, { 'idempotency-key': firstKey }),
  ]);
  expect(retries.map((r) => r.status)).toEqual([202, 202]);
  expect(retries[0].body).toEqual(second.body);
  expect(retries[1].body).toEqual(first.body);
  // A different suggestion under the second key is a submission of its own, on neither number.
  const another = await call('POST', '/v1/suggestions', { ...busStop, title: 'Something else entirely' }, { 'idempotency-key': secondKey });
  expect(another.status).toBe(202);
  expect([first.body.id, second.body.id]).not.toContain(another.body.id);
});

test('a submission without a key that draws a number another suggestion holds is started under a fresh draw, and is refused with 503 when every draw is taken', async () => {
  // An API whose first two draws are the same bytes, as two proposers' random draws may be.
  const held = randomBytes(4);
  const draws = [held, held];
  let drawn = 0;
  const drawNumber = () => {
    drawn++;
    return draws.shift() ?? drawRandom();
  };
  const api = await serveApi(stack, { drawNumber });
  try {
    const submit = () => api.call('POST', '/v1/suggestions', busStop);
    const first = await submit();
    const second = await submit();
    expect([first.status, second.status]).toEqual([202, 202]);
    const [a, b] = [first.body, second.body];
    expect(a.id).toBe(intakeNumber(shanghaiDate(new Date(a.receivedAt)), 0, undefined, () => held));
    expect(b.id).not.toBe(a.id);
    expect(drawn).toBe(3);
    for (const id of [a.id, b.id]) {
      expect((await stack.temporal.workflow.getHandle(`suggestion-${id}`).describe()).status.name).toBe('RUNNING');
    }
    await eventually(async () => (await stack.db.suggestion.count({ where: { id: { in: [a.id, b.id] } } })) === 2, 'both suggestions in the read model');
    // Every draw taken: nothing is started, and the proposer is told to send it again.
    draws.push(...Array(8).fill(held));
    drawn = 0;
    const refused = await submit();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toMatchObject({ type: expect.stringContaining('no-free-tracking-number') });
    expect(drawn).toBe(8);
    expect((await stack.temporal.workflow.getHandle(`suggestion-${a.id}`).describe()).status.name).toBe('RUNNING');
  } finally {
    await api.stop();
  }
});

test('health answers 200 when Temporal and the database answer, and the OpenAPI document lists the endpoints', async () => {
  const health = await call('GET', '/healthz');
  expect(health.status).toBe(200);
  expect(health.body).toMatchObject({ temporal: 'ok', database: 'ok' });
  const doc = await call('GET', '/openapi.json');
  expect(doc.body.openapi).toBe('3.1.0');
  expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/suggestions', '/v1/suggestions/{id}', '/v1/suggestions/{id}/decision']));
});

test('unknown routes are 404 and non-JSON bodies 415, as problem documents', async () => {
  const missing = await call('GET', '/v1/nothing-here');
  expect(missing.status).toBe(404);
  expect(missing.type).toContain('application/problem+json');
  const res = await fetch(`${stack.baseUrl}/v1/suggestions`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
  expect(res.status).toBe(415);
});
