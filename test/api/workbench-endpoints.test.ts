import { randomBytes } from 'node:crypto';
import { apiClient } from '../support/feedback-api';
import { startStack, type Stack } from '../support/stack';

// The two lists the staff workbench needed that the API lacked: a department's online notices and
// the extension requests waiting for a supervisor. Who may read them is the role matrix's.

let stack: Stack;
const { call, submitRouted, projected, as } = apiClient(() => stack);

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

test("a department reads its own online notices newest first, a page at a time, and never another department's", async () => {
  const [transport, greenery, office] = await Promise.all([
    stack.issueKey('department', 'transport'),
    stack.issueKey('department', 'greenery'),
    stack.issueKey('office'),
  ]);
  const run = randomBytes(3).toString('hex');
  const base = Date.now();
  for (let i = 0; i < 3; i += 1) {
    await stack.db.mailboxMessage.create({
      data: {
        id: `notice-${run}-${i}`,
        suggestionId: null,
        adapter: 'online',
        recipient: 'department:transport',
        address: 'department:transport',
        subject: `Notice ${run} ${i}`,
        body: 'body',
        deliveredAt: new Date(base + i * 1000 + 3_600_000),
      },
    });
  }
  // An SMS to a proposer is not a department's notice.
  await stack.db.mailboxMessage.create({
    data: {
      id: `sms-${run}`,
      suggestionId: null,
      adapter: 'sms',
      recipient: 'department:transport',
      address: '138****0000',
      subject: 'not a notice',
      body: '',
      deliveredAt: new Date(base + 7_200_000),
    },
  });

  const first = await call('GET', '/v1/departments/transport/notices?limit=2', undefined, as(transport));
  expect(first.status).toBe(200);
  expect(first.body.items.map((n: { subject: string }) => n.subject)).toEqual([`Notice ${run} 2`, `Notice ${run} 1`]);
  const second = await call('GET', `/v1/departments/transport/notices?limit=2&cursor=${first.body.nextCursor}`, undefined, as(transport));
  expect(second.body.items[0].subject).toBe(`Notice ${run} 0`);

  expect((await call('GET', '/v1/departments/transport/notices', undefined, as(greenery))).status).toBe(403);
  expect((await call('GET', '/v1/departments/transport/notices', undefined, as(office))).status).toBe(200);
  expect((await call('GET', '/v1/departments/transport/notices?cursor=bm90LWEtY3Vyc29y', undefined, as(transport))).status).toBe(400);
});

test('the extension requests waiting for a supervisor are listed with their suggestion until decided', async () => {
  const [transport, supervisor] = await Promise.all([stack.issueKey('department', 'transport'), stack.issueKey('supervisor')]);
  const { id } = await submitRouted({
    title: 'A bus lane on Siping Road',
    content: 'Buses are stuck behind cars every morning on Siping Road.',
    category: 'transport',
    district: 'yangpu',
  });
  expect(
    (await call('POST', `/v1/suggestions/${id}/extension-request`, { days: 7, reason: 'The district must agree to the lane.' }, as(transport))).status,
  ).toBe(200);
  await projected(id, (r) => JSON.stringify((r as { handling?: unknown }).handling).includes('"pending"'), 'the request in the read model');

  const listed = await call('GET', '/v1/extension-requests', undefined, as(supervisor));
  const mine = listed.body.items.find((i: { suggestion: { id: string } }) => i.suggestion.id === id);
  expect(mine).toMatchObject({
    suggestion: { id, leadDepartment: 'transport', status: 'handling' },
    extension: { days: 7, reason: 'The district must agree to the lane.' },
  });

  expect((await call('POST', `/v1/suggestions/${id}/extension-decision`, { approve: false, reason: 'Decide within the limit.' }, as(supervisor))).status).toBe(
    200,
  );
  await projected(id, (r) => JSON.stringify((r as { handling?: unknown }).handling).includes('"refused"'), 'the refusal in the read model');
  const after = await call('GET', '/v1/extension-requests', undefined, as(supervisor));
  expect(after.body.items.map((i: { suggestion: { id: string } }) => i.suggestion.id)).not.toContain(id);
});
