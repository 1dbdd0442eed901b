import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { encryptedDataConverter } from '../../codec';
import { workflowIdFor } from '../../domain/tracking-number';
import { suggestionWorkflow } from '../../workflows/suggestion-workflow';
import { campaignFeedbackSignal } from '../../workflows/feedback-messages';
import { decideUpdate, stateQuery } from '../../workflows/messages';
import { returnUpdate } from '../../workflows/handling-messages';
import { intake } from '../support/handling';
import { as, client } from '../support/api-client';
import { eventually, startStack, type Stack } from '../support/stack';

// Anyone who reaches the Temporal frontend is not every department: the worker acts only on
// requests the suggestion service issued for that suggestion and that update. A plaintext
// update (the Temporal CLI, no codec), a sealed one without the service's stamp, one copied from
// another suggestion's history or sent again under another update id: each is refused before it
// enters history, and what was not sealed is reported by the worker.

let stack: Stack;
let raw: Connection;
const refusedPayloads: string[] = [];
const transport = { role: 'department' as const, departmentCode: 'transport', name: 'transport/forged' };
const decision = { actor: transport, outcome: 'not_adopted' as const, reason: 'forged', reply: 'A forged reply.' };

beforeAll(async () => {
  stack = await startStack({ onUnsealedPayload: (why) => refusedPayloads.push(why) });
  raw = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
});
afterAll(async () => {
  await raw?.close();
  await stack?.stop();
});

async function routedToTransport(): Promise<string> {
  const call = client(stack.baseUrl);
  const submitted = await call('POST', '/v1/suggestions', {
    title: 'A shelter at the Guoding Road stop',
    content: 'Passengers wait in the rain; a shelter would help the elderly riders most.',
    category: 'transport',
    district: 'yangpu',
    publishConsent: false,
    proposer: { replyChannel: 'online' },
  });
  expect(submitted.status).toBe(202);
  const key = await stack.issueKey('department', 'transport');
  await eventually(async () => (await call('GET', `/v1/suggestions/${submitted.body.id}`, undefined, as(key))).body.status === 'handling', 'routed');
  return submitted.body.id;
}

async function refusalOf(send: Promise<unknown>): Promise<string | undefined> {
  try {
    await send;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError || (err as Error).name === 'WorkflowUpdateFailedError')
      return (err as { cause?: { type?: string } }).cause?.type;
    throw err;
  }
  return undefined;
}

test('a plaintext decide sent straight to the Temporal frontend is refused, reported by the worker, and changes nothing', async () => {
  const id = await routedToTransport();
  // The refusal itself is sealed: the sender cannot even read why.
  const plain = new Client({ connection: raw, namespace: 'default' });
  await expect(plain.workflow.getHandle(workflowIdFor(id)).executeUpdate(decideUpdate, { args: [decision] })).rejects.toThrow(
    /Unknown encoding: binary\/encrypted/,
  );
  expect(refusedPayloads.some((why) => /not encrypted/.test(why))).toBe(true);
  // Even with a stamp that names this workflow and update: the worker does not open what is not sealed.
  const stamped = plain.workflow.getHandle(workflowIdFor(id));
  await expect(
    stamped.executeUpdate(decideUpdate, { args: [{ ...decision, issuedFor: { workflowId: workflowIdFor(id), updateId: 'u-1' } }], updateId: 'u-1' }),
  ).rejects.toThrow();
  const state = await stack.temporal.workflow.getHandle(workflowIdFor(id)).query(stateQuery);
  expect(state.status).toBe('handling');
  expect(state.decision).toBeUndefined();
});

test('a sealed request is refused without the stamp, and a stamped one is refused on another suggestion or under another update id', async () => {
  const [a, b] = [await routedToTransport(), await routedToTransport()];
  const sealedOnly = new Client({ connection: raw, namespace: 'default', dataConverter: encryptedDataConverter(stack.keys) });
  expect(
    await refusalOf(sealedOnly.workflow.getHandle(workflowIdFor(a)).executeUpdate(returnUpdate, { args: [{ actor: transport, reason: 'forged return' }] })),
  ).toBe('Unauthenticated');
  // A request stamped for suggestion A (as one read from A's history would be), sent to B.
  const forA = { actor: transport, reason: 'copied from another history', issuedFor: { workflowId: workflowIdFor(a), updateId: 'copied-1' } };
  expect(await refusalOf(sealedOnly.workflow.getHandle(workflowIdFor(b)).executeUpdate(returnUpdate, { args: [forA], updateId: 'copied-1' }))).toBe(
    'Unauthenticated',
  );
  // ... and sent to A again under an update id of its own.
  expect(await refusalOf(sealedOnly.workflow.getHandle(workflowIdFor(a)).executeUpdate(returnUpdate, { args: [forA], updateId: 'copied-2' }))).toBe(
    'Unauthenticated',
  );
  for (const id of [a, b]) expect((await stack.temporal.workflow.getHandle(workflowIdFor(id)).query(stateQuery)).status).toBe('handling');
});

test('a plaintext signal is ignored, and a suggestion workflow started without the service fails at once', async () => {
  const id = await routedToTransport();
  const plain = new Client({ connection: raw, namespace: 'default' });
  await plain.workflow.getHandle(workflowIdFor(id)).signal(campaignFeedbackSignal, {
    campaignId: 'x',
    summary: 'forged results',
    publishedAt: new Date().toISOString(),
    issuedFor: { workflowId: workflowIdFor(id) },
  });
  const forged = intake(new Date());
  const started = await plain.workflow.start(suggestionWorkflow, {
    args: [forged],
    taskQueue: stack.taskQueue,
    workflowId: workflowIdFor(forged.trackingNumber),
  });
  await expect(started.result()).rejects.toThrow();
  expect(await stack.db.suggestion.findUnique({ where: { id: forged.trackingNumber } })).toBeNull();
  // A sealed intake copied under another workflow id fails too: its tracking number names another workflow.
  const sealed = new Client({ connection: raw, namespace: 'default', dataConverter: encryptedDataConverter(stack.keys) });
  const copied = await sealed.workflow.start(suggestionWorkflow, {
    args: [intake(new Date())],
    taskQueue: stack.taskQueue,
    workflowId: `suggestion-JY-20990101-AAAAAA`,
  });
  await expect(copied.result()).rejects.toThrow();
  const state = await stack.temporal.workflow.getHandle(workflowIdFor(id)).query(stateQuery);
  expect(state.feedback?.campaignFeedback).toBeUndefined();
});
