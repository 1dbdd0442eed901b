import { EncryptionCodec, openProposer } from '../../codec';
import { workflowIdFor } from '../../domain/tracking-number';
import { payloadJson, rawHistory, startInput } from '../support/raw-temporal';
import { stateQuery } from '../../workflows/messages';
import { submitAndAwaitRouting } from '../support/confidential';
import { startStack, type Stack } from '../support/stack';

// At the proposer's request the collection office deletes their personal data; the suggestion,
// its timeline and its place in the process stay untouched. The proposer's data key goes with
// them, so no copy of the details, Temporal's history included, can be opened afterwards.

let stack: Stack;
let officeKey: string;
let adminKey: string;
let departmentKey: string;
let supervisorKey: string;

beforeAll(async () => {
  stack = await startStack();
  [officeKey, adminKey, departmentKey, supervisorKey] = await Promise.all([
    stack.issueKey('office'),
    stack.issueKey('admin'),
    stack.issueKey('department', 'transport'),
    stack.issueKey('supervisor'),
  ]);
});
afterAll(() => stack.stop());

const proposer = { name: 'Chen Jing', phone: '13600000007', email: 'chen.jing@example.cn', replyChannel: 'sms' as const };

async function call(method: string, path: string, key?: string, body?: unknown) {
  const res = await fetch(stack.baseUrl + path, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const submit = () => submitAndAwaitRouting(stack, proposer, 'Shade trees at the Wujiaochang bus hub', { publishConsent: true });

test('erasure deletes name and contact details and keeps the suggestion, its timeline and its workflow', async () => {
  const id = await submit();
  const before = await stack.db.suggestion.findUniqueOrThrow({ where: { id }, include: { events: true } });

  const erased = await call('DELETE', `/v1/suggestions/${id}/proposer`, officeKey);
  expect(erased.status).toBe(200);
  expect(erased.body).toEqual({ suggestionId: id, erasedAt: expect.any(String), erasedBy: expect.any(String) });

  const row = await stack.db.proposer.findUniqueOrThrow({ where: { suggestionId: id } });
  expect(row).toMatchObject({ details: null, replyChannel: 'sms' });
  expect(row.erasedAt?.toISOString()).toBe(erased.body.erasedAt);
  // The data key is destroyed with them.
  expect(await stack.db.proposerKey.findUnique({ where: { id: row.keyId } })).toBeNull();

  // The office now sees only that the details were erased.
  const details = await call('GET', `/v1/suggestions/${id}/proposer`, officeKey);
  expect(details.body).toEqual({ suggestionId: id, replyChannel: 'sms', erasedAt: erased.body.erasedAt });

  // The suggestion is exactly as it was, in the read model and in its workflow.
  const after = await stack.db.suggestion.findUniqueOrThrow({ where: { id }, include: { events: true } });
  expect(after).toEqual(before);
  const staffView = await call('GET', `/v1/suggestions/${id}`, supervisorKey);
  expect(staffView.status).toBe(200);
  expect(staffView.body).toMatchObject({ title: before.title, content: before.content, status: 'handling', leadDepartment: 'transport', publishConsent: true });
  const state = await stack.temporal.workflow.getHandle(workflowIdFor(id)).query(stateQuery);
  expect(state).toMatchObject({ title: before.title, status: 'handling' });

  // Asked again, the first erasure is reported.
  const again = await call('DELETE', `/v1/suggestions/${id}/proposer`, adminKey);
  expect(again.body).toEqual(erased.body);
});

test('only the collection office and administrators may read or erase the details', async () => {
  const id = await submit();
  for (const method of ['GET', 'DELETE']) {
    expect([method, (await call(method, `/v1/suggestions/${id}/proposer`)).status]).toEqual([method, 401]);
    expect([method, (await call(method, `/v1/suggestions/${id}/proposer`, departmentKey)).status]).toEqual([method, 403]);
    expect([method, (await call(method, `/v1/suggestions/${id}/proposer`, supervisorKey)).status]).toEqual([method, 403]);
  }
  expect((await stack.db.proposer.findUniqueOrThrow({ where: { suggestionId: id } })).erasedAt).toBeNull();
  expect((await call('GET', `/v1/suggestions/${id}/proposer`, adminKey)).body).toMatchObject({ name: proposer.name, phone: proposer.phone });
});

test('erasing the proposer of a suggestion that does not exist is a 404', async () => {
  const res = await call('DELETE', '/v1/suggestions/JY-20260101-ZZZZZZ/proposer', officeKey);
  expect(res.status).toBe(404);
});

test("after erasure the details in Temporal's history can no longer be opened: the codec shows the office that they are erased, and the ring alone opens nothing", async () => {
  const id = await submit();
  const input = startInput((await rawHistory(workflowIdFor(id))).events).map(payloadJson);
  const decode = async () => {
    const res = await fetch(`${stack.baseUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${officeKey}` },
      body: JSON.stringify({ payloads: input }),
    });
    return JSON.parse(Buffer.from(((await res.json()) as { payloads: { data: string }[] }).payloads[0]!.data, 'base64').toString());
  };
  expect((await decode()).proposer).toEqual(proposer);

  expect((await call('DELETE', `/v1/suggestions/${id}/proposer`, officeKey)).status).toBe(200);
  const after = await decode();
  expect(after.proposer).toEqual({ replyChannel: 'sms', erased: true });
  expect(JSON.stringify(after)).not.toContain(proposer.phone);
  // The history still holds the sealed details; with every key of the ring and no data key, they do not open.
  const [opened] = await new EncryptionCodec(stack.keys).decode(startInput((await rawHistory(workflowIdFor(id))).events) as never);
  const sealed = JSON.parse(Buffer.from(opened!.data!).toString()).proposer;
  expect(sealed.details).toMatch(/^dk:/);
  expect(openProposer(stack.keys, sealed, null)).toBeNull();
  expect(await stack.db.proposerKey.findUnique({ where: { id: sealed.keyId } })).toBeNull();
});
