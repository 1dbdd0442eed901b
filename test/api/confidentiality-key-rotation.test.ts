import { randomUUID } from 'node:crypto';
import { dataKeyRingId, EncryptionCodec, KeyRing, keyIdMetadata, openProposer } from '../../codec';
import { workflowIdFor } from '../../domain/tracking-number';
import { resealProposers } from '../../scripts/reseal-proposers';
import { stateQuery } from '../../workflows/messages';
import { createLogger } from '../../telemetry/log';
import { as, checkProblem, client, serveApi } from '../support/api-client';
import { submitAndAwaitRouting } from '../support/confidential';
import { rawHistory, startInput } from '../support/raw-temporal';
import { startStack } from '../support/stack';

// A key rotation on a live system: workflows and proposer rows sealed with the old key stay
// readable once a new key encrypts everything new, as long as the old key stays in the ring.

const oldId = `old-${randomUUID().slice(0, 8)}`;
const newId = `new-${randomUUID().slice(0, 8)}`;
const oldKey = KeyRing.generateKey();
const beforeRotation = KeyRing.fromEntries([[oldId, oldKey]]);
const newKey = KeyRing.generateKey();
const afterRotation = KeyRing.fromEntries([
  [newId, newKey],
  [oldId, oldKey],
]);
const taskQueue = `rotation-${randomUUID()}`;

const proposer = { name: 'Sun Li', phone: '13500000099', replyChannel: 'sms' as const };

const keyIdOf = async (id: string) => Buffer.from(startInput((await rawHistory(workflowIdFor(id))).events)[0]!.metadata![keyIdMetadata]!).toString();

test('after rotation new data uses the new key, and what the old key sealed still opens', async () => {
  const before = await startStack({ keys: beforeRotation, taskQueue });
  let earlier: string;
  try {
    earlier = await submitAndAwaitRouting(before, proposer, 'Bicycle parking at Jiangwan Stadium');
  } finally {
    await before.stop();
  }

  const after = await startStack({ keys: afterRotation, taskQueue });
  try {
    const officeKey = await after.issueKey('office');
    const later = await submitAndAwaitRouting(after, proposer, 'Bicycle parking at Daqiao Road');
    expect(await keyIdOf(earlier)).toBe(oldId);
    expect(await keyIdOf(later)).toBe(newId);

    // A fresh worker has nothing cached: answering the query replays the old history, decoding it.
    const state = await after.temporal.workflow.getHandle(workflowIdFor(earlier)).query(stateQuery);
    expect(state.title).toBe('Bicycle parking at Jiangwan Stadium');

    // The proposer row written before the rotation still opens; the new one is sealed with the new key.
    const details = await fetch(`${after.baseUrl}/v1/suggestions/${earlier}/proposer`, { headers: { authorization: `Bearer ${officeKey}` } });
    expect(await details.json()).toMatchObject({ name: proposer.name, phone: proposer.phone });
    const rows = await after.db.proposer.findMany({ where: { suggestionId: { in: [earlier, later] } }, orderBy: { createdAt: 'asc' } });
    const dataKeyOf = (keyId: string) => after.db.proposerKey.findUniqueOrThrow({ where: { id: keyId } });
    expect(await Promise.all(rows.map(async (r) => dataKeyRingId(await dataKeyOf(r.keyId))))).toEqual([oldId, newId]);

    // Without the old key, the earlier workflow's input cannot be read at all.
    const withoutOldKey = new EncryptionCodec(KeyRing.fromEntries([[newId, KeyRing.generateKey()]]));
    await expect(withoutOldKey.decode(startInput((await rawHistory(workflowIdFor(earlier))).events) as never)).rejects.toThrow(oldId);

    // Re-sealing moves the stored rows to the new key; then PostgreSQL no longer needs the old one.
    const firstPass = await resealProposers(after.db, afterRotation);
    expect(firstPass.resealed).toBeGreaterThanOrEqual(1);
    expect((await resealProposers(after.db, afterRotation)).resealed).toBe(0);
    const newKeyOnly = KeyRing.fromEntries([[newId, newKey]]);
    const resealed = await after.db.proposer.findUniqueOrThrow({ where: { suggestionId: earlier } });
    const resealedKey = await dataKeyOf(resealed.keyId);
    expect(dataKeyRingId(resealedKey)).toBe(newId);
    expect(openProposer(newKeyOnly, resealed, resealedKey)).toMatchObject({ name: proposer.name, phone: proposer.phone });
  } finally {
    await after.stop();
  }
});

test('a proposer row sealed with a key that has left the ring answers 503 key-unavailable, logs the key id, and leaks nothing', async () => {
  const stack = await startStack({ keys: beforeRotation, taskQueue: `rotation-${randomUUID()}` });
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ LOG_LEVEL: 'info' }, 'api', { write: (line: string) => void lines.push(JSON.parse(line)) });
  // The same data read by an API whose ring lost the old key before the rows were re-sealed.
  const api = await serveApi(stack, { keys: KeyRing.fromEntries([[newId, newKey]]), logger });
  try {
    const officeKey = await stack.issueKey('office');
    const id = await submitAndAwaitRouting(stack, proposer, 'Bicycle parking at Wujiaochang');
    const reply = await api.call('GET', `/v1/suggestions/${id}/proposer`, undefined, as(officeKey));
    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({ type: expect.stringMatching(/\/key-unavailable$/), status: 503 });
    expect(checkProblem(reply)).toEqual([]);
    const text = JSON.stringify(reply.body);
    for (const secret of [oldId, proposer.name, proposer.phone, 'aes-gcm']) expect(text).not.toContain(secret);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', suggestionId: id, keyIds: [oldId] }));
    // The API that holds the key still opens it.
    expect((await client(stack.baseUrl)('GET', `/v1/suggestions/${id}/proposer`, undefined, as(officeKey))).body).toMatchObject({ name: proposer.name });
  } finally {
    await api.stop();
    await stack.stop();
  }
});
