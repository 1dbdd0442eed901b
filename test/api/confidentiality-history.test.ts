import { defaultPayloadConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { EncryptionCodec, decryptHistory, encryptedEncoding, keyIdMetadata, openProposer } from '../../codec';
import type { SealedProposer } from '../../domain/intake';
import { workflowIdFor } from '../../domain/tracking-number';
import { submitAndAwaitRouting } from '../support/confidential';
import { rawDescription, rawHistory, startInput } from '../support/raw-temporal';
import { eventually, startStack, type Stack } from '../support/stack';

// 建议人信息保密: the proposer's name, phone and e-mail go into the workflow sealed with a data key
// of their own, and what the Temporal server stores and PostgreSQL holds is ciphertext. Read here
// the way an operator with access to either would: raw, without the codec.

let stack: Stack;
let officeKey: string;
let supervisorKey: string;

beforeAll(async () => {
  stack = await startStack();
  [officeKey, supervisorKey] = await Promise.all([stack.issueKey('office'), stack.issueKey('supervisor')]);
});
afterAll(() => stack.stop());

const proposer = { name: '欧阳明霞 Ouyang Mingxia', phone: '13912345678', email: 'ouyang.mingxia@example.cn', replyChannel: 'email' as const };
const secrets = [proposer.name, '欧阳明霞', 'Ouyang Mingxia', proposer.phone, proposer.email];

const submit = () => submitAndAwaitRouting(stack, proposer, 'Benches along the Yangpu riverside');

function expectNoSecretIn(bytes: Buffer, where: string) {
  for (const secret of secrets) expect([where, bytes.includes(Buffer.from(secret, 'utf8'))]).toEqual([where, false]);
}

test('the raw workflow history on the Temporal server holds no plaintext name, phone or e-mail', async () => {
  const id = await submit();
  // The routing's projection reaches PostgreSQL a moment before its workflow task (with the
  // registration's marker) is recorded in the history: wait for the marker.
  const codec = new EncryptionCodec(stack.keys);
  const registrationMarker = async (events: temporal.api.history.v1.IHistoryEvent[]) => {
    const data = events
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .flatMap((e) => e.markerRecordedEventAttributes!.details?.data?.payloads ?? []);
    return (await codec.decode(data as never)).some((p) => /"register(Suggestion|WithHandlingLookups)"/.test(Buffer.from(p.data!).toString()));
  };
  const { events, bytes } = await eventually(async () => {
    const history = await rawHistory(workflowIdFor(id));
    return (await registrationMarker(history.events)) ? history : undefined;
  }, "the registration's marker in the history");

  expectNoSecretIn(bytes, 'workflow history');
  // The scan does see plaintext where there is some: the District search attribute is not encrypted.
  expect(bytes.includes(Buffer.from('"yangpu"'))).toBe(true);

  // The workflow's input, every activity's arguments and results, the local activities' results and
  // the memo are encrypted with the current key. Registration (which carries the proposer's details)
  // runs as a local activity: its arguments never reach the history, its marker names it.
  const localActivities = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
  const payloads = [
    ...startInput(events),
    ...Object.values(events[0]!.workflowExecutionStartedEventAttributes!.memo?.fields ?? {}),
    ...events.flatMap((e) => e.activityTaskScheduledEventAttributes?.input?.payloads ?? []),
    ...events.flatMap((e) => e.activityTaskCompletedEventAttributes?.result?.payloads ?? []),
    ...localActivities.flatMap((e) => e.markerRecordedEventAttributes!.details?.result?.payloads ?? []),
  ];
  expect(payloads.length).toBeGreaterThan(3);
  for (const p of payloads) {
    expect(Buffer.from(p.metadata!.encoding!).toString()).toBe(encryptedEncoding);
    expect(Buffer.from(p.metadata![keyIdMetadata]!).toString()).toBe(stack.keys.currentKeyId);
  }

  // The same bytes decode with the key to what was submitted, the proposer still sealed with
  // their own data key inside, which opens to exactly what they gave.
  const [decoded] = await new EncryptionCodec(stack.keys).decode([startInput(events)[0]!] as never);
  const sealed = defaultPayloadConverter.fromPayload<{ proposer: SealedProposer }>(decoded!).proposer;
  expectNoSecretIn(Buffer.from(JSON.stringify(sealed)), "the workflow's input, decrypted");
  const dataKey = await stack.db.proposerKey.findUniqueOrThrow({ where: { id: sealed.keyId } });
  expect({ ...openProposer(stack.keys, sealed, dataKey), replyChannel: sealed.replyChannel }).toEqual(proposer);
});

test('the workflow description (memo, search attributes) holds no personal data either', async () => {
  const id = await submit();
  expectNoSecretIn(await rawDescription(workflowIdFor(id)), 'workflow description');
});

test('PostgreSQL holds the details apart from the suggestion, as ciphertext; staff views leave them out', async () => {
  const id = await submit();
  const [row] = await stack.db.$queryRaw<{ key_id: string; details: string; reply_channel: string }[]>`
    SELECT key_id, details, reply_channel FROM proposers WHERE suggestion_id = ${id}`;
  expect(row!.details).toMatch(/^dk:[A-Za-z0-9+/=]+$/);
  expect(row!.reply_channel).toBe('email');
  // Its data key is kept apart, sealed with the ring.
  const [dataKey] = await stack.db.$queryRaw<{ key: string }[]>`SELECT key FROM proposer_keys WHERE id = ${row!.key_id}`;
  expect(dataKey!.key).toMatch(/^aes-gcm:[\w.-]+:[A-Za-z0-9+/=]+$/);

  const elsewhere = await stack.db.$queryRaw<unknown[]>`
    SELECT to_jsonb(s) AS suggestion,
           (SELECT jsonb_agg(e) FROM suggestion_events e WHERE e.suggestion_id = s.id) AS events,
           (SELECT jsonb_agg(n) FROM notifications n WHERE n.suggestion_id = s.id) AS notifications
    FROM suggestions s WHERE s.id = ${id}`;
  expectNoSecretIn(Buffer.from(JSON.stringify(elsewhere)), 'suggestion, timeline and outbox rows');
  expectNoSecretIn(Buffer.from(JSON.stringify(row)), 'proposers row');

  const staffView = await fetch(`${stack.baseUrl}/v1/suggestions/${id}`, { headers: { authorization: `Bearer ${supervisorKey}` } });
  expect(staffView.status).toBe(200);
  expectNoSecretIn(Buffer.from(await staffView.text()), 'the staff view of the suggestion');

  // The collection office reads them decrypted when it must reach the proposer.
  const details = await fetch(`${stack.baseUrl}/v1/suggestions/${id}/proposer`, { headers: { authorization: `Bearer ${officeKey}` } });
  expect(details.status).toBe(200);
  expect(details.headers.get('cache-control')).toBe('no-store');
  expect(await details.json()).toEqual({ suggestionId: id, ...proposer });
});

test('a history decrypted with the key reads in clear and replays without it, as replay tests keep them', async () => {
  const id = await submit();
  const { events } = await rawHistory(workflowIdFor(id));
  const decrypted = await decryptHistory({ events }, stack.keys);
  const bytes = Buffer.from(temporal.api.history.v1.History.encode(decrypted).finish());
  expect(bytes.includes(Buffer.from('Benches along the Yangpu riverside'))).toBe(true);
  expect(bytes.includes(Buffer.from(encryptedEncoding))).toBe(false);
  // The proposer stays sealed with their data key even then: a kept history holds no one's phone.
  expect(bytes.includes(Buffer.from(proposer.phone))).toBe(false);
  // The raw history is untouched.
  expect(Buffer.from(startInput(events)[0]!.metadata!.encoding!).toString()).toBe(encryptedEncoding);
  await Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } }, decrypted, workflowIdFor(id));
});
