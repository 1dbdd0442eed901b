import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../scripts/provision/ports';
import { as, client, conformanceChecker, serveApi } from '../support/api-client';
import { eventually, startStack, type Stack } from '../support/stack';

// The handling actions through the real API, Temporal dev server and PostgreSQL: refusals come
// back as problem documents (403 wrong department, 409 wrong state, 422 bad action) before they
// enter the workflow's history, and an action retried with its Idempotency-Key is applied once.

let stack: Stack;
let call: ReturnType<typeof client>;
const keys: Record<string, string> = {};
beforeAll(async () => {
  stack = await startStack();
  call = client(stack.baseUrl);
  [keys.transport, keys.health, keys.office, keys.supervisor] = await Promise.all([
    stack.issueKey('department', 'transport'),
    stack.issueKey('department', 'health'),
    stack.issueKey('office'),
    stack.issueKey('supervisor'),
  ]);
});
afterAll(() => stack.stop());

const suggestion = {
  title: 'Night buses for hospital shift workers',
  content: 'Nurses finishing at midnight at Xinhua Hospital have no bus home; one night line would do.',
  category: 'transport',
  district: 'yangpu',
  proposer: { replyChannel: 'online' },
};

async function submitted(status: string, body: object = suggestion): Promise<string> {
  const res = await call('POST', '/v1/suggestions', body);
  expect(res.status).toBe(202);
  const id: string = res.body.id;
  await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.status === status, `suggestion ${id} in ${status}`);
  return id;
}

test('a return is refused to another department (404, as its GET) and without a reason (400), and applied once when retried', async () => {
  const id = await submitted('handling');
  const wrong = await call('POST', `/v1/suggestions/${id}/return`, { reason: 'Not a health matter' }, as(keys.health));
  expect(wrong.status).toBe(404);
  expect(wrong.type).toContain('application/problem+json');
  expect(wrong.body.detail).not.toContain('transport');
  expect((await call('POST', `/v1/suggestions/${id}/return`, {}, as(keys.transport))).status).toBe(400);

  const retry = { ...as(keys.transport), 'idempotency-key': `return-${id}` };
  const first = await call('POST', `/v1/suggestions/${id}/return`, { reason: 'Night lines are run by the bus group' }, retry);
  const again = await call('POST', `/v1/suggestions/${id}/return`, { reason: 'Night lines are run by the bus group' }, retry);
  expect([first.status, again.status]).toEqual([200, 200]);
  expect(again.body.timeline.filter((e: { type: string }) => e.type === 'returned')).toHaveLength(1);
  expect(again.body.handling.returns).toHaveLength(1);
  // Back in triage, no longer transport's to see: a second, different return is refused as its GET is.
  const later = await call('POST', `/v1/suggestions/${id}/return`, { reason: 'again' }, as(keys.transport));
  expect(later.status).toBe(404);
  expect((await call('GET', `/v1/suggestions/${id}`, undefined, as(keys.transport))).status).toBe(404);
});

test('extensions: more than the limit is 422, a decision with nothing pending is 409, only supervisors decide (403)', async () => {
  const id = await submitted('handling');
  const tooLong = await call('POST', `/v1/suggestions/${id}/extension-request`, { days: 45, reason: 'A long study' }, as(keys.transport));
  expect(tooLong.status).toBe(422);
  expect(tooLong.body.detail).toMatch(/at most 30/);
  const nothingPending = await call('POST', `/v1/suggestions/${id}/extension-decision`, { approve: true, reason: 'fine' }, as(keys.supervisor));
  expect(nothingPending.status).toBe(409);
  expect(
    (await call('POST', `/v1/suggestions/${id}/extension-request`, { days: 10, reason: 'A count of night riders is needed' }, as(keys.transport))).status,
  ).toBe(200);
  expect((await call('POST', `/v1/suggestions/${id}/extension-decision`, { approve: true, reason: 'fine' }, as(keys.transport))).status).toBe(403);
  const approved = await call('POST', `/v1/suggestions/${id}/extension-decision`, { approve: true, reason: 'The count takes a week' }, as(keys.supervisor));
  expect(approved.status).toBe(200);
  expect(approved.body.handling.extensions[0]).toMatchObject({ status: 'approved', newDueAt: approved.body.dueAt });
});

test('the office closes a personal claim as out of scope and the proposer is told where to turn; a closed matter takes no more actions', async () => {
  const id = await submitted('handling');
  const byDepartment = await call('POST', `/v1/suggestions/${id}/out-of-scope`, { kind: 'personal_claim', reason: 'x', referral: 'y' }, as(keys.transport));
  expect(byDepartment.status).toBe(403);
  const closed = await call(
    'POST',
    `/v1/suggestions/${id}/out-of-scope`,
    { kind: 'litigation', reason: 'A claim for damages against the bus company', referral: "the Yangpu District People's Court" },
    as(keys.office),
  );
  expect(closed.status).toBe(200);
  expect(closed.body.status).toBe('closed');
  const told = await eventually(
    () => stack.db.notification.findFirst({ where: { suggestionId: id, recipient: 'proposer', body: { contains: 'Court' } } }),
    'the proposer to be told',
  );
  expect(told.body).toContain('Where to turn');
  const after = await call('POST', `/v1/suggestions/${id}/urgent`, { reason: 'too late' }, as(keys.office));
  expect(after.status).toBe(409);
});

test('an urgent suggestion in triage gets the 1-working-day limit and shows in the office queue', async () => {
  const since = new Date(Date.now() - 1000).toISOString();
  const id = await submitted('triage', { ...suggestion, category: 'other' });
  // The queue is shared with every other test file's suggestions: this one is among the latest.
  const queue = await call('GET', `/v1/triage-queue?receivedFrom=${encodeURIComponent(since)}&limit=100`, undefined, as(keys.office));
  expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(id);
  const before = (await stack.db.suggestion.findUniqueOrThrow({ where: { id } })).dueAt!;
  const urgent = await call('POST', `/v1/suggestions/${id}/urgent`, { reason: 'Night shifts start next week' }, as(keys.office));
  expect(urgent.status).toBe(200);
  expect(urgent.body.handling.urgent).toBe(true);
  expect(Date.parse(urgent.body.dueAt)).toBeLessThan(before.getTime());
  expect(Date.parse(urgent.body.dueAt) - Date.now()).toBeLessThan(5 * 86_400_000);
  expect((await call('POST', `/v1/suggestions/${id}/urgent`, { reason: 'twice' }, as(keys.office))).status).toBe(409);
});

test('the office edits routing rules: a new district rule routes the next suggestion, a department may not edit (403), an unknown department is 422', async () => {
  const rule = { category: 'other', district: 'jinshan', leadDepartment: 'culture-tourism', coDepartments: ['ecology'] };
  expect((await call('POST', '/v1/routing-rules', rule, as(keys.transport))).status).toBe(403);
  expect((await call('POST', '/v1/routing-rules', { ...rule, leadDepartment: 'no-such-dept' }, as(keys.office))).status).toBe(422);
  // A rule id beyond PostgreSQL's integer range names no rule: refused as invalid, not a 500.
  expect((await call('PATCH', '/v1/routing-rules/9007199254740990', { active: false }, as(keys.office))).status).toBe(400);
  const created = await call('POST', '/v1/routing-rules', rule, as(keys.office));
  expect(created.status).toBe(201);
  try {
    const id = await submitted('handling', { ...suggestion, category: 'other', district: 'jinshan' });
    const row = await stack.db.suggestion.findUniqueOrThrow({ where: { id } });
    expect([row.leadDepartment, row.coDepartments]).toEqual(['culture-tourism', ['ecology']]);
  } finally {
    const off = await call('PATCH', `/v1/routing-rules/${created.body.id}`, { active: false }, as(keys.office));
    expect(off.body.active).toBe(false);
  }
  // A change names what it changes, and leaves the rest as it was.
  expect((await call('PATCH', `/v1/routing-rules/${created.body.id}`, {}, as(keys.office))).status).toBe(400);
  expect((await call('PATCH', `/v1/routing-rules/${created.body.id}`, undefined, as(keys.office))).status).toBe(400);
  const prioritised = await call('PATCH', `/v1/routing-rules/${created.body.id}`, { priority: 5 }, as(keys.office));
  const reactivated = await call('PATCH', `/v1/routing-rules/${created.body.id}`, { active: true }, as(keys.office));
  expect([prioritised.body.priority, reactivated.body.priority]).toEqual([5, 5]);
  await call('PATCH', `/v1/routing-rules/${created.body.id}`, { active: false }, as(keys.office));
});

test("an Idempotency-Key names an action for its caller only: another department's request under it is checked like any other, another officer's is carried out, and the caller's retry gets the first answer", async () => {
  const id = await submitted('handling');
  const [officerA, officerB] = [keys.transport, await stack.issueKey('department', 'transport')];
  const key = `k-${id}`;
  const asked = await call(
    'POST',
    `/v1/suggestions/${id}/extension-request`,
    { days: 10, reason: 'A count of night riders is needed' },
    { ...as(officerA), 'idempotency-key': key },
  );
  expect(asked.status).toBe(200);

  // Temporal would hand back the first update's stored result, the full view, without running the validator.
  const greenery = await call(
    'POST',
    `/v1/suggestions/${id}/decision`,
    { outcome: 'for_reference', reason: 'A bus matter', reply: 'Passed on.' },
    { ...as(await stack.issueKey('department', 'greenery')), 'idempotency-key': key },
  );
  expect(greenery.status).toBe(404);
  expect(JSON.stringify(greenery.body)).not.toContain(suggestion.content);

  const decided = await call(
    'POST',
    `/v1/suggestions/${id}/decision`,
    { outcome: 'for_reference', reason: 'Night lines are planned for 2027', reply: 'Thank you; night lines are planned.' },
    { ...as(officerB), 'idempotency-key': key },
  );
  expect(decided.status).toBe(200);
  expect(decided.body.decision).toMatchObject({ outcome: 'for_reference' });

  const retried = await call(
    'POST',
    `/v1/suggestions/${id}/extension-request`,
    { days: 10, reason: 'A count of night riders is needed' },
    { ...as(officerA), 'idempotency-key': key },
  );
  expect(retried.status).toBe(200);
  expect(retried.body.handling.extensions).toHaveLength(1);
  expect(retried.body.decision).toBeUndefined();
  const row = await eventually(async () => {
    const r = await stack.db.suggestion.findUnique({ where: { id }, include: { events: true } });
    return r?.decidedAt ? r : undefined;
  }, 'the decision to be projected');
  expect(row.events.filter((e) => e.type === 'extension_requested')).toHaveLength(1);
});

test('a department acting on a suggestion it cannot see gets the 404 its GET gets, whatever the action, and no refusal names another department; a co-handling department is told who leads', async () => {
  const id = await submitted('handling');
  const seen = await call('GET', `/v1/suggestions/${id}`, undefined, as(keys.health));
  expect(seen.status).toBe(404);
  const actions: [string, string, unknown][] = [
    ['POST', 'decision', { outcome: 'for_reference', reason: 'Not for us', reply: 'Passed on.' }],
    ['POST', 'return', { reason: 'Not a health matter' }],
    ['POST', 'extension-request', { days: 5, reason: 'A study is needed' }],
    ['POST', 'opinion', { opinion: 'No health concerns.' }],
    ['POST', 'implementation/milestones/M1/progress', { percent: 10, note: 'Started.' }],
    ['PUT', 'implementation/plan', { reason: 'New dates', milestones: [{ title: 'Run the line', ownerDepartment: 'health', dueInWorkingDays: 5 }] }],
    ['POST', 'implementation/follow-up', { stillInPlace: true, note: 'Still running.' }],
  ];
  for (const [method, action, body] of actions) {
    const reply = await call(method, `/v1/suggestions/${id}/${action}`, body, as(keys.health));
    expect(`${action}: ${reply.status} ${reply.body.type}`).toBe(`${action}: 404 ${seen.body.type}`);
    expect(reply.body.detail).toBe(seen.body.detail);
    expect(JSON.stringify(reply.body)).not.toContain('transport');
  }
  // The same for a suggestion that does not exist at all.
  const missing = await call('POST', '/v1/suggestions/JY-20260101-ZZZZZZ/decision', actions[0][2], as(keys.health));
  expect(missing.status).toBe(404);

  // Health co-handles an elderly-care suggestion led by civil affairs: it sees it, so it is told why not.
  const coHandled = await submitted('handling', { ...suggestion, category: 'elderly_care' });
  expect((await call('GET', `/v1/suggestions/${coHandled}`, undefined, as(keys.health))).status).toBe(200);
  const notLead = await call('POST', `/v1/suggestions/${coHandled}/decision`, actions[0][2], as(keys.health));
  expect(notLead.status).toBe(403);
  expect(notLead.body.detail).toContain('civil-affairs');
});

test("a co-handling department's opinion is answered as the document describes it, and so is its retry: who gave it and when, never the co-handling workflow's id", async () => {
  const check = conformanceChecker((await call('GET', '/openapi.json')).body);
  // Elderly care is led by civil affairs, with health co-handling.
  const id = await submitted('handling', { ...suggestion, category: 'elderly_care' });
  await eventually(
    async () =>
      (await call('GET', `/v1/suggestions/${id}`, undefined, as(keys.health))).body?.handling?.opinions?.some(
        (o: { department: string; status: string }) => o.department === 'health' && o.status === 'pending',
      ),
    'the opinion to be asked',
  );
  const opinion = { opinion: 'Home visits by the community health centre can cover it.' };
  const given = await call('POST', `/v1/suggestions/${id}/opinion`, opinion, as(keys.health));
  const again = await call('POST', `/v1/suggestions/${id}/opinion`, opinion, as(keys.health));
  for (const reply of [given, again]) {
    expect(check('POST', `/v1/suggestions/${id}/opinion`, reply)).toEqual([]);
    expect(reply.body).toEqual({
      department: 'health',
      status: 'given',
      dueAt: expect.any(String),
      opinion: opinion.opinion,
      givenBy: expect.stringContaining('health'),
      at: expect.any(String),
    });
  }
});

test('a department owning a milestone of the plan sees the suggestion and reports on its milestone; it may not decide or revise', async () => {
  const id = await submitted('handling');
  const greenery = await stack.issueKey('department', 'greenery');
  expect((await call('GET', `/v1/suggestions/${id}`, undefined, as(greenery))).status).toBe(404);
  const plan = {
    usage: ['improving_work'],
    summary: 'A night line with trees at its stops.',
    milestones: [{ title: 'Plant the stops', ownerDepartment: 'greenery', dueInWorkingDays: 10 }],
  };
  const adopted = await call('POST', `/v1/suggestions/${id}/decision`, { outcome: 'adopted', reply: 'A night line will run.', plan }, as(keys.transport));
  expect(adopted.status).toBe(200);
  await eventually(
    async () => ((await stack.db.suggestion.findUnique({ where: { id } }))?.feedback as { implementation?: unknown } | null)?.implementation,
    'the plan to be projected',
  );
  const seen = await call('GET', `/v1/suggestions/${id}`, undefined, as(greenery));
  expect(seen.status).toBe(200);
  const milestone = seen.body.feedback.implementation.milestones[0].id;
  expect(
    (
      await call(
        'POST',
        `/v1/suggestions/${id}/implementation/milestones/${milestone}/progress`,
        { percent: 40, note: 'Half the stops planted.' },
        as(greenery),
      )
    ).status,
  ).toBe(200);
  expect(
    (
      await call(
        'PUT',
        `/v1/suggestions/${id}/implementation/plan`,
        { reason: 'More stops', milestones: [{ ...plan.milestones[0], id: milestone }] },
        as(greenery),
      )
    ).status,
  ).toBe(403);
});

test('a closed suggestion refuses actions with 409 at once, from the read model, even while the workflow service is slow to answer', async () => {
  const res = await call('POST', '/v1/suggestions', suggestion);
  const { id, trackingToken } = res.body;
  await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.status === 'handling', 'handling');
  const closed = await call(
    'POST',
    `/v1/suggestions/${id}/out-of-scope`,
    { kind: 'litigation', reason: 'A claim for damages', referral: 'the district court' },
    as(keys.office),
  );
  expect(closed.status).toBe(200);
  await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.status === 'closed', 'the closure to be projected');
  // The same database, a workflow service that never answers: the client retries it for 10–15 s.
  const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  const stalled = await serveApi(stack, { temporal: new Client({ connection }) });
  try {
    const attempts: [string, unknown, Record<string, string>][] = [
      ['decision', { outcome: 'for_reference', reason: 'Too late', reply: 'Too late.' }, as(keys.transport)],
      ['extension-request', { days: 5, reason: 'More time' }, as(keys.transport)],
      ['urgent', { reason: 'Now urgent' }, as(keys.office)],
      ['assignment', { leadDepartment: 'transport', reason: 'Back to the bus group' }, as(keys.office)],
      ['rating', { rating: 'satisfied' }, { 'x-tracking-token': trackingToken }],
    ];
    for (const [action, body, headers] of attempts) {
      const started = Date.now();
      const refused = await stalled.call('POST', `/v1/suggestions/${id}/${action}`, body, headers);
      expect(`${action}: ${refused.status} ${refused.body.type}`).toMatch(new RegExp(`^${action}: 409 .*/wrong-state$`));
      expect(Date.now() - started).toBeLessThan(3000);
    }
  } finally {
    await stalled.stop();
    await connection.close();
  }
});
