import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { as, checkProblem, client, conformanceChecker, serveApi, unlimited, type Reply } from '../support/api-client';
import { eventually, startStack, type Stack } from '../support/stack';

// The API as a client sees it: its document, its errors, its lists and statistics, its keys,
// every answer checked against the OpenAPI document it publishes.

let stack: Stack;
let api: Awaited<ReturnType<typeof serveApi>>;
let check: ReturnType<typeof conformanceChecker>;
let officeKey: string;
let supervisorKey: string;
let adminKey: string;
let transportKey: string;
const violations: string[] = [];
const execFileAsync = promisify(execFile);

beforeAll(async () => {
  stack = await startStack();
  api = await serveApi(stack, { rateLimits: unlimited });
  check = conformanceChecker((await client(api.baseUrl)('GET', '/openapi.json')).body);
  [officeKey, supervisorKey, adminKey, transportKey] = await Promise.all([
    stack.issueKey('office'),
    stack.issueKey('supervisor'),
    stack.issueKey('admin'),
    stack.issueKey('department', 'transport'),
  ]);
});
afterAll(async () => {
  await api.stop();
  await stack.stop();
});
afterEach(() => {
  expect(violations.splice(0)).toEqual([]);
});

/** Every call in this file is checked against the document. */
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const reply = await api.call(method, path, body, headers);
  violations.push(...check(method, path, reply));
  return reply;
}

const suggestion = (n: number) => ({
  title: `Bench by the river, number ${n}`,
  content: 'Benches every 200 m along the riverside path would let older walkers rest.',
  category: 'transport',
  district: 'yangpu',
});

/**
 * Letters registered by intake staff with receipt times of their own, a millisecond apart at a
 * random moment of the past weeks: a time window only this test's suggestions fall in, though
 * other test files share the database.
 */
async function registerLetters(count: number, district = 'yangpu') {
  const base = Date.now() - 86_400_000 * (3 + Math.floor(Math.random() * 20)) - Math.floor(Math.random() * 86_400_000);
  const intakeKey = await stack.issueKey('intake');
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const letter = { ...suggestion(n), district, channel: 'letter', receivedAt: new Date(base + n).toISOString() };
    const registered = await call('POST', '/v1/suggestions', letter, as(intakeKey));
    expect(registered.status).toBe(202);
    ids.push(registered.body.id);
  }
  await eventually(
    async () => (await stack.db.suggestion.count({ where: { id: { in: ids }, status: { not: 'received' } } })) === count,
    'the letters to be routed',
  );
  const window = `receivedFrom=${new Date(base).toISOString()}&receivedBefore=${new Date(base + count).toISOString()}`;
  return { ids, window, day: new Date(base + 8 * 3_600_000).toISOString().slice(0, 10) };
}

test('the OpenAPI document lists every registered endpoint with its responses, and /docs serves the reference without a CDN', async () => {
  const doc = (await api.call('GET', '/openapi.json')).body;
  for (const e of api.endpoints) {
    const operation = doc.paths[e.path.replace(/:([A-Za-z]+)/g, '{$1}')][e.method];
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(e.access === 'public' ? ['429'] : ['401', '403']));
  }
  const page = await api.call('GET', '/docs');
  expect(page.status).toBe(200);
  expect(page.body).toContain('/openapi.json');
  expect(page.body).not.toMatch(/https?:\/\/(?!localhost)/);
  for (const asset of page.body.match(/\/docs\/assets\/[\w.-]+/g)) {
    expect((await fetch(api.baseUrl + asset)).status).toBe(200);
  }
});

test('unknown routes 404, wrong methods 405 with Allow, oversized bodies 413, non-JSON bodies 415, broken JSON 400: all problem documents', async () => {
  const notFound = await call('GET', '/v1/nothing-here');
  expect(notFound.status).toBe(404);
  const wrongMethod = await call('PUT', '/v1/suggestions');
  expect(wrongMethod.status).toBe(405);
  expect(wrongMethod.headers.get('allow')).toContain('POST');
  // A wrong method is refused as such whatever its body: not 415 for a form where JSON is expected, nor for an upload's multipart.
  for (const [method, path, type] of [
    ['PUT', '/v1/suggestions', 'application/x-www-form-urlencoded'],
    ['PATCH', '/v1/uploads', 'multipart/form-data; boundary=x'],
  ] as const) {
    const refused = await call(method, path, 'title=hello', { 'content-type': type });
    expect([method, path, refused.status, refused.headers.get('allow')?.split(', ').includes('POST')]).toEqual([method, path, 405, true]);
  }
  const tooLarge = await call('POST', '/v1/suggestions', { ...suggestion(0), content: 'x'.repeat(200_000) });
  expect(tooLarge.status).toBe(413);
  const notJson = await call('POST', '/v1/suggestions', 'title=hello', { 'content-type': 'application/x-www-form-urlencoded' });
  expect(notJson.status).toBe(415);
  const broken = await call('POST', '/v1/suggestions', '{"title": ', { 'content-type': 'application/json' });
  expect(broken.status).toBe(400);
  const badPath = await call('GET', '/v1/suggestions/%E0%A4%A', undefined, as(officeKey));
  expect(badPath.status).toBe(400);
  for (const reply of [notFound, wrongMethod, tooLarge, notJson, broken, badPath]) expect(checkProblem(reply)).toEqual([]);
});

test('every answer is nosniff; every answer with a suggestion or personal data is no-store; only the public board and the open campaigns may be cached, briefly', async () => {
  const submitted = await call('POST', '/v1/suggestions', { ...suggestion(0), proposer: { name: 'Zhao Lin', phone: '13800000011', replyChannel: 'sms' } });
  expect(submitted.status).toBe(202);
  const { id, trackingToken } = submitted.body;
  await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.status === 'handling', 'the suggestion to be routed');
  const personal: [string, Reply][] = [
    ['the intake receipt with its token', submitted],
    ['a staff view', await call('GET', `/v1/suggestions/${id}`, undefined, as(officeKey))],
    ["a department's view", await call('GET', `/v1/suggestions/${id}`, undefined, as(transportKey))],
    ['a list', await call('GET', '/v1/suggestions?limit=2', undefined, as(officeKey))],
    ['an inbox', await call('GET', '/v1/departments/transport/inbox?limit=2', undefined, as(transportKey))],
    ["the proposer's tracking", await call('GET', `/v1/suggestions/${id}/tracking`, undefined, { 'x-tracking-token': trackingToken })],
    ["the proposer's details", await call('GET', `/v1/suggestions/${id}/proposer`, undefined, as(officeKey))],
    ['a refusal', await call('GET', `/v1/suggestions/${id}`, undefined, as(await stack.issueKey('department', 'health')))],
    ['an unauthenticated refusal', await call('GET', `/v1/suggestions/${id}`)],
    ['an unknown route', await call('GET', '/v1/nothing-here')],
    ['the API key list', await call('GET', '/v1/admin/api-keys', undefined, as(adminKey))],
  ];
  for (const [what, reply] of personal) {
    expect(`${what}: ${reply.headers.get('cache-control')}`).toBe(`${what}: no-store`);
    expect(`${what}: ${reply.headers.get('x-content-type-options')}`).toBe(`${what}: nosniff`);
  }
  const board = await call('GET', '/v1/public/suggestions');
  const open = await call('GET', '/v1/campaigns/open');
  for (const reply of [board, open]) {
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('public, max-age=60');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
  }
  // A refused board request is not kept.
  expect((await call('GET', '/v1/public/suggestions?pageSize=0')).headers.get('cache-control')).toBe('no-store');
  for (const path of ['/openapi.json', '/metrics', '/healthz', '/docs', '/board']) {
    const res = await fetch(api.baseUrl + path);
    expect(`${path}: ${res.headers.get('x-content-type-options')}`).toBe(`${path}: nosniff`);
  }
});

test('every intake channel is accepted with its own fields, staff channels only from staff, and a missing channel field is named', async () => {
  const intakeKey = await stack.issueKey('intake');
  const channels: [string, object, boolean][] = [
    ['web', {}, false],
    ['service_rating', { source: { serviceItem: 'Residence permit renewal', rating: 1 } }, false],
    ['letter', { receivedAt: new Date(Date.now() - 3_600_000).toISOString() }, true],
    ['email', { proposer: { email: 'li@example.cn', replyChannel: 'email' } }, true],
    ['hotline', { proposer: { phone: '13800000009', replyChannel: 'phone' }, source: { workOrder: '12345-2026-000817' } }, true],
    ['station', { source: { stationId: 'yangpu-riverside-03' } }, true],
    ['visit', { source: { receptionPoint: 'Yangpu district reception office' } }, true],
  ];
  for (const [channel, extra, staffOnly] of channels) {
    const body = { ...suggestion(0), channel, ...extra };
    if (staffOnly) expect((await call('POST', '/v1/suggestions', body)).status).toBe(403);
    const accepted = await call('POST', '/v1/suggestions', body, staffOnly ? as(intakeKey) : {});
    expect(`${channel}: ${accepted.status}`).toBe(`${channel}: 202`);
  }
  const missing = await call('POST', '/v1/suggestions', { ...suggestion(0), channel: 'station' }, as(intakeKey));
  expect(missing.status).toBe(400);
  expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.source.stationId']);
});

test("actions answer with the suggestion as the document describes it, the channel's own fields and the campaign topic included", async () => {
  const intakeKey = await stack.issueKey('intake');
  const station = { ...suggestion(0), category: 'other', district: 'chongming', channel: 'station', source: { stationId: 'chongming-ferry-02' } };
  const registered = await call('POST', '/v1/suggestions', station, as(intakeKey));
  expect(registered.status).toBe(202);
  const id = registered.body.id;
  await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.status === 'triage', 'triage');
  const assigned = await call(
    'POST',
    `/v1/suggestions/${id}/assignment`,
    { leadDepartment: 'transport', reason: 'The ferry bus is a transport matter' },
    as(officeKey),
  );
  expect(assigned.status).toBe(200);
  expect(assigned.body.source).toEqual({ stationId: 'chongming-ferry-02' });
  const closed = await call(
    'POST',
    `/v1/suggestions/${id}/out-of-scope`,
    { kind: 'personal_claim', reason: 'A refund of a ferry ticket', referral: 'the ferry company' },
    as(officeKey),
  );
  expect(closed.status).toBe(200);
  // afterEach checks every answer against the document.
});

test('lists page by cursor through every matching suggestion exactly once, filter and sort, and a department sees only its own', async () => {
  const { ids, window } = await registerLetters(5);

  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page: Reply = await call('GET', `/v1/suggestions?${window}&sort=receivedAt&limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, as(officeKey));
    expect(page.status).toBe(200);
    pages.push(page.body.items.map((i: { id: string }) => i.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
  expect(pages.flat()).toEqual(ids);

  const newestFirst = await call('GET', `/v1/suggestions?${window}&sort=-receivedAt`, undefined, as(officeKey));
  expect(newestFirst.body.items.map((i: { id: string }) => i.id)).toEqual([...ids].reverse());
  const otherDistrict = await call('GET', `/v1/suggestions?${window}&district=xuhui`, undefined, as(officeKey));
  expect(otherDistrict.body.items).toEqual([]);

  const inbox = await call('GET', `/v1/departments/transport/inbox?${window}&role=lead&limit=100`, undefined, as(transportKey));
  expect(inbox.body.items.map((i: { id: string }) => i.id).sort()).toEqual([...ids].sort());
  expect(inbox.body.items.every((i: { role: string; status: string }) => i.role === 'lead' && i.status === 'handling')).toBe(true);

  const healthKey = await stack.issueKey('department', 'health');
  const asHealth = await call('GET', `/v1/suggestions?${window}`, undefined, as(healthKey));
  expect(asHealth.body.items).toEqual([]);
  expect((await call('GET', '/v1/suggestions?department=transport', undefined, as(healthKey))).status).toBe(403);

  const firstPage = await call('GET', `/v1/suggestions?${window}&limit=1`, undefined, as(officeKey));
  const wrongSort = await call('GET', `/v1/suggestions?${window}&sort=dueAt&cursor=${firstPage.body.nextCursor}`, undefined, as(officeKey));
  expect(wrongSort.status).toBe(400);
  expect(wrongSort.body.type).toMatch(/invalid-cursor$/);
});

test("the office's triage queue holds what no rule routed; the overdue list holds what is overdue now", async () => {
  const since = new Date().toISOString();
  const id = (await call('POST', '/v1/suggestions', { ...suggestion(0), category: 'other', district: 'chongming' })).body.id;
  await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.status === 'triage', 'triage');
  const queue = await call('GET', `/v1/triage-queue?receivedFrom=${since}&limit=100`, undefined, as(officeKey));
  expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(id);
  expect(queue.body.items.every((i: { status: string }) => i.status === 'triage')).toBe(true);
  expect((await call('GET', '/v1/triage-queue', undefined, as(transportKey))).status).toBe(403);

  // A letter received two months ago is past its answer limit as soon as it is routed.
  const intakeKey = await stack.issueKey('intake');
  const late = { ...suggestion(1), channel: 'letter', receivedAt: new Date(Date.now() - 60 * 86_400_000).toISOString() };
  const lateId = (await call('POST', '/v1/suggestions', late, as(intakeKey))).body.id;
  await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id: lateId } }))?.overdue === true, 'the late letter to be overdue');

  // Letters of other tests turn overdue while this one runs (their timers fire as they are
  // routed), so the list is checked against the rows overdue both before and after the call
  // (they must be listed) and the rows overdue at either moment (nothing else may be).
  const overdueNow = async () => (await stack.db.suggestion.findMany({ where: { overdue: true }, select: { id: true } })).map((r) => r.id);
  const before = await overdueNow();
  const overdue = await call('GET', '/v1/overdue?limit=100', undefined, as(supervisorKey));
  const after = await overdueNow();
  expect(overdue.status).toBe(200);
  const listed: string[] = overdue.body.items.map((i: { id: string }) => i.id);
  const either = new Set([...before, ...after]);
  expect(either.size).toBeLessThanOrEqual(100);
  expect(listed.filter((i) => !either.has(i))).toEqual([]);
  expect(before.filter((i) => after.includes(i) && !listed.includes(i))).toEqual([]);
  expect(listed).toContain(lateId);
});

test('statistics count received, decided and adopted suggestions and the rates per group, for the office, supervisors and administrators; a department gets its own figures only; nobody else any', async () => {
  const district = ['huangpu', 'xuhui', 'changning', 'jingan', 'putuo', 'hongkou', 'minhang', 'baoshan', 'jiading'][Math.floor(Math.random() * 9)];
  const { ids, day } = await registerLetters(3, district);
  await eventually(
    async () => (await stack.db.suggestion.count({ where: { id: { in: ids }, status: 'handling' } })) === 3,
    'the letters to reach the department',
  );
  const decision = { outcome: 'for_reference', reason: 'The path is being rebuilt next year.', reply: 'Benches will be part of the rebuilt path.' };
  const decided = await call('POST', `/v1/suggestions/${ids[0]}/decision`, decision, as(transportKey));
  expect(decided.status).toBe(200);
  await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id: ids[0] } }))?.decidedAt, 'the decision to be projected');

  // Received days or weeks ago: whether the decision beat the deadline depends on the draw.
  const rows = await stack.db.suggestion.findMany({ where: { id: { in: ids } } });
  const onTime = rows.filter((r) => r.decidedAt && r.dueAt && r.decidedAt <= r.dueAt).length;
  const late = rows.filter((r) => (r.decidedAt && r.dueAt && r.decidedAt > r.dueAt) || (!r.decidedAt && r.overdue)).length;
  const expectedOnTime = onTime + late === 0 ? null : Math.round((onTime / (onTime + late)) * 1000) / 1000;
  const filter = `from=${day}&to=${day}&district=${district}&category=transport`;
  const byDepartment = await call('GET', `/v1/statistics?groupBy=department&${filter}`, undefined, as(officeKey));
  expect(byDepartment.status).toBe(200);
  expect(byDepartment.body.groups).toEqual([
    {
      key: 'transport',
      received: 3,
      proposers: 3,
      decided: 1,
      adopted: 0,
      adoptionRate: 0,
      onTimeRate: expectedOnTime,
      averageHandlingWorkingDays: expect.any(Number),
      rated: 0,
      satisfactionRate: null,
      responseRate: expect.any(Number),
      routed: 3,
      returned: 0,
      returnRate: 0,
      replied: expect.any(Number),
      rehandled: 0,
      // The letter decided may or may not have been replied to yet: none rehandled either way.
      rehandlingRate: byDepartment.body.groups[0]?.replied ? 0 : null,
    },
  ]);
  expect(byDepartment.body.groups[0].averageHandlingWorkingDays).toBeGreaterThan(0);
  const byMonth = await call('GET', `/v1/statistics?groupBy=period&period=quarter&${filter}`, undefined, as(supervisorKey));
  expect(byMonth.body.groups).toHaveLength(1);
  expect(byMonth.body.groups[0].key).toMatch(/^\d{4}-Q[1-4]$/);
  expect((await call('GET', '/v1/statistics?from=2026-02-01&to=2026-01-01', undefined, as(adminKey))).status).toBe(400);

  // Not for the public, nor for intake desks.
  expect((await call('GET', `/v1/statistics?groupBy=department&${filter}`)).status).toBe(401);
  expect((await call('GET', '/v1/statistics', undefined, as(await stack.issueKey('intake')))).status).toBe(403);
  // A department sees its own figures, whatever it groups by, and no other department's.
  const own = await call('GET', `/v1/statistics?groupBy=department&from=${day}&to=${day}`, undefined, as(transportKey));
  expect(own.status).toBe(200);
  expect(own.body.groups.map((g: { key: string }) => g.key)).toEqual(['transport']);
  const health = await call('GET', `/v1/statistics?groupBy=district&${filter}`, undefined, as(await stack.issueKey('department', 'health')));
  expect(health.body.groups).toEqual([]);
  expect((await call('GET', '/v1/statistics?department=health', undefined, as(transportKey))).status).toBe(403);
});

test('an administrator issues a key that works at once and revokes it so it stops working; the command-line tool does the same', async () => {
  const issued = await call('POST', '/v1/admin/api-keys', { label: 'Ms Li, collection office', role: 'office' }, as(adminKey));
  expect(issued.status).toBe(201);
  expect((await call('GET', '/v1/triage-queue', undefined, as(issued.body.key))).status).toBe(200);
  const listed = await call('GET', '/v1/admin/api-keys', undefined, as(adminKey));
  expect(JSON.stringify(listed.body)).not.toContain(issued.body.key);
  expect(listed.body.items.map((k: { id: string }) => k.id)).toContain(issued.body.id);
  expect((await call('DELETE', `/v1/admin/api-keys/${issued.body.id}`, undefined, as(adminKey))).body.revokedAt).toEqual(expect.any(String));
  expect((await call('GET', '/v1/triage-queue', undefined, as(issued.body.key))).status).toBe(401);
  expect((await call('POST', '/v1/admin/api-keys', { label: 'no department', role: 'department' }, as(adminKey))).status).toBe(422);
  expect((await call('POST', '/v1/admin/api-keys', { label: 'nowhere', role: 'department', departmentCode: 'nowhere' }, as(adminKey))).status).toBe(404);
  expect((await call('DELETE', `/v1/admin/api-keys/${randomUUID()}`, undefined, as(adminKey))).status).toBe(404);

  const run = async (...args: string[]) => (await execFileAsync('npx', ['tsx', 'scripts/api-keys.ts', ...args], { env: process.env, encoding: 'utf8' })).stdout;
  const fromCli = JSON.parse(await run('issue', '--role', 'department', '--department', 'transport', '--label', 'transport desk'));
  expect((await call('GET', '/v1/departments/transport/inbox', undefined, as(fromCli.key))).status).toBe(200);
  expect(JSON.parse(await run('revoke', fromCli.id)).revokedAt).toEqual(expect.any(String));
  expect((await call('GET', '/v1/departments/transport/inbox', undefined, as(fromCli.key))).status).toBe(401);
});
