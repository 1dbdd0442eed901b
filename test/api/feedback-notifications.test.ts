import { randomBytes, randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { developmentNotifier, type Notifier } from '../../notifications/notifier';
import { enqueueMessages } from '../../notifications/outbox';
import { dispatchPending } from '../../notifications/outbox-dispatcher';
import { workerDataConverter } from '../../codec';
import type { SuggestionIntake } from '../../domain/suggestion';
import { trackingNumber, workflowIdFor } from '../../domain/tracking-number';
import { rateUpdate } from '../../workflows/feedback-messages';
import { decideUpdate, stateQuery } from '../../workflows/messages';
import { connectDatabase } from '../../prisma/client';
import { ownDatabase } from '../support/service-process';
import { eventually, startStack, type Stack } from '../support/stack';
import { suggestionWorkflowType } from '../../domain/workflow-types';
import { sealedForTest } from '../support/handling';

// Exactly-once notification: activities only queue keyed rows in the outbox, so a retried activity
// and a restarted worker queue each message once; the dispatcher delivers each row in the same
// transaction that marks it sent, so a delivery that crashes is rolled back and sent once later,
// and two dispatchers never both send it.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const transport = { role: 'department' as const, departmentCode: 'transport', name: 'transport/officer' };
const proposer = { name: 'Qian Wei', phone: '13600000004', email: 'qian.wei@example.com', replyChannel: 'email' as const };

function intake(): SuggestionIntake {
  const now = new Date();
  return {
    trackingNumber: trackingNumber(now.toISOString().slice(0, 10), randomBytes(4)),
    title: 'Longer green light for pedestrians at Siping Road',
    content: 'Older people cannot cross Siping Road in one green phase at the Anshan Road junction.',
    category: 'transport',
    district: 'yangpu',
    channel: 'web',
    receivedAt: now.toISOString(),
    publishConsent: false,
    proposer: sealedForTest(proposer),
  };
}

/**
 * A worker whose projection activity fails once after it has committed, as when the worker loses
 * its connection just after the database write: Temporal retries the activity.
 */
async function flakyWorker(taskQueue: string, connection: NativeConnection, retried: string[]) {
  const activities = createActivities(stack.db, stack.keys);
  const failedOnce = new Set<string>();
  return Worker.create({
    connection,
    taskQueue,
    workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! },
    dataConverter: workerDataConverter(stack.keys, () => undefined),
    activities: {
      ...activities,
      async projectSuggestion(...args: Parameters<typeof activities.projectSuggestion>) {
        await activities.projectSuggestion(...args);
        const [view, , messages] = args;
        const key = `${view.id}@${view.version}`;
        if (messages.length > 0 && !failedOnce.has(key)) {
          failedOnce.add(key);
          retried.push(...messages.map((m) => m.key));
          throw new Error('connection lost after the commit');
        }
      },
    },
  });
}

/** A notifier whose first attempt at each notification delivers and then crashes before the commit. */
function crashingOnceNotifier(lines: string[]): { notifier: Notifier; crashed: Set<string> } {
  const inner = developmentNotifier((line) => lines.push(line));
  const crashed = new Set<string>();
  const wrap = (kind: keyof Notifier) => ({
    kind: inner[kind].kind,
    async deliver(...args: Parameters<Notifier[typeof kind]['deliver']>) {
      await inner[kind].deliver(...args);
      if (!crashed.has(args[0].id)) {
        crashed.add(args[0].id);
        throw new Error('process killed mid-delivery');
      }
    },
  });
  return { notifier: { email: wrap('email'), sms: wrap('sms'), phone: wrap('phone'), letter: wrap('letter'), online: wrap('online') }, crashed };
}

test('each notification reaches its recipient exactly once despite a retried activity, a worker restart, a crashed delivery and two racing dispatchers', async () => {
  const taskQueue = `notify-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const retried: string[] = [];
  const suggestion = intake();
  const id = suggestion.trackingNumber;
  const handle = await stack.temporal.workflow.start(suggestionWorkflowType, { args: [suggestion], taskQueue, workflowId: workflowIdFor(id) });

  // First worker: routing, the decision and the reply, every projection with messages retried once.
  const first = await flakyWorker(taskQueue, connection, retried);
  await first.runUntil(async () => {
    await eventually(async () => (await handle.query(stateQuery)).status === 'handling', 'assignment');
    await handle.executeUpdate(decideUpdate, {
      args: [{ actor: transport, outcome: 'not_adopted', reason: 'The phase is set for the whole corridor.', reply: 'We keep the timing.' }],
    });
    await eventually(async () => (await stack.db.notification.count({ where: { id: `${id}:reply-1` } })) === 1, 'the reply');
  });
  expect(retried).toEqual(expect.arrayContaining(['reply-1']));

  // The worker is gone; a new one picks the workflow up from its history.
  const second = await flakyWorker(taskQueue, connection, retried);
  await second.runUntil(async () => {
    await handle.executeUpdate(rateUpdate, { args: [{ rating: 'dissatisfied', comment: 'Please look again.' }] });
    await eventually(
      async () => (await stack.db.notification.count({ where: { suggestionId: id, id: { contains: 'rehandling' } } })) === 2,
      'the re-handling notices',
    );
  });
  await connection.close();

  const queued = await stack.db.notification.findMany({ where: { suggestionId: id } });
  const keys = queued.map((n) => n.id.slice(id.length + 1)).sort();
  expect(keys).toEqual(expect.arrayContaining(['acknowledgement', 'reply-1', `rated-1`, 'rehandling-department', 'rehandling-supervisors']));
  expect(new Set(keys).size).toBe(keys.length);
  expect(retried.filter((k) => keys.includes(k)).length).toBeGreaterThanOrEqual(3);

  // Two dispatchers at once, each first delivery crashing before its commit.
  const lines: string[] = [];
  const { notifier, crashed } = crashingOnceNotifier(lines);
  const dispatcher = { db: stack.db, keys: stack.keys, notifier };
  await eventually(async () => {
    await Promise.all([dispatchPending(dispatcher), dispatchPending(dispatcher)]);
    const left = await stack.db.notification.count({ where: { suggestionId: id, status: { not: 'sent' } } });
    return left === 0;
  }, 'every notification to be sent');

  const mailbox = await stack.db.mailboxMessage.findMany({ where: { suggestionId: id } });
  expect(mailbox.map((m) => m.id).sort()).toEqual(queued.map((n) => n.id).sort());
  const sent = await stack.db.notification.findMany({ where: { suggestionId: id } });
  for (const n of sent) {
    expect(crashed.has(n.id)).toBe(true);
    expect(n.attempts).toBeGreaterThanOrEqual(1);
    expect(n.sentAt).not.toBeNull();
  }

  // The reply went by e-mail, the channel the proposer chose; contact details stay out of the mailbox and the log.
  const reply = mailbox.find((m) => m.id === `${id}:reply-1`)!;
  expect(reply).toMatchObject({ adapter: 'email', recipient: 'proposer', address: 'q***@example.com' });
  expect(reply.body).toContain('not adopted');
  const everything = JSON.stringify(mailbox) + lines.join('\n');
  for (const secret of [proposer.name, proposer.phone, proposer.email]) expect(everything).not.toContain(secret);

  await handle.terminate('test finished');
});

test('the proposer whose details were erased is not reached, and the notification says why instead of retrying forever', async () => {
  const suggestion = intake();
  const id = suggestion.trackingNumber;
  await stack.temporal.workflow.start(suggestionWorkflowType, { args: [suggestion], taskQueue: stack.taskQueue, workflowId: workflowIdFor(id) });
  await eventually(async () => (await stack.db.notification.count({ where: { suggestionId: id } })) >= 2, 'the acknowledgement and the assignment');
  await stack.db.proposer.update({ where: { suggestionId: id }, data: { details: null, erasedAt: new Date(), erasedBy: 'test' } });

  const lines: string[] = [];
  await eventually(async () => {
    await dispatchPending({ db: stack.db, keys: stack.keys, notifier: developmentNotifier((l) => lines.push(l)) });
    return (await stack.db.notification.count({ where: { suggestionId: id, status: 'pending' } })) === 0;
  }, 'the notifications to be settled');
  const ack = await stack.db.notification.findUniqueOrThrow({ where: { id: `${id}:acknowledgement` } });
  expect(ack.status).toBe('undeliverable');
  expect(await stack.db.mailboxMessage.count({ where: { id: ack.id } })).toBe(0);
  const staffNotice = await stack.db.mailboxMessage.findMany({ where: { suggestionId: id, recipient: 'department:transport' } });
  expect(staffNotice.map((m) => m.adapter)).toEqual(['online']);
  await stack.temporal.workflow.getHandle(workflowIdFor(id)).terminate('test finished');
});

test('a message queued for a later day waits in the outbox until then, and goes out once on the day', async () => {
  // A database of its own: the dispatcher sends whatever is due, and other tests' rows are theirs to send.
  const database = await ownDatabase();
  const db = connectDatabase(database.url, 2);
  try {
    const onItsDay = new Date(Date.now() + 2000);
    const message = {
      key: 'follow-up-requested',
      recipient: 'department:transport',
      channel: 'online',
      subject: 'Follow-up check',
      body: 'Is the change still in place?',
    };
    await db.$transaction((tx) =>
      enqueueMessages(tx, 'JY-20261127-QUEUED', [
        { ...message, sendAfter: onItsDay.toISOString() },
        { ...message, key: 'now', subject: 'At once' },
      ]),
    );
    const sent: string[] = [];
    const dispatcher = { db, keys: stack.keys, notifier: developmentNotifier((line) => sent.push(line)) };

    expect(await dispatchPending(dispatcher)).toBe(1);
    expect(await db.notification.findUnique({ where: { id: 'JY-20261127-QUEUED:follow-up-requested' } })).toMatchObject({ status: 'pending', sentAt: null });

    const row = await eventually(async () => {
      await dispatchPending(dispatcher);
      const r = await db.notification.findUnique({ where: { id: 'JY-20261127-QUEUED:follow-up-requested' } });
      return r?.status === 'sent' ? r : undefined;
    }, 'the queued message on its day');
    expect(row.sentAt!.getTime()).toBeGreaterThanOrEqual(onItsDay.getTime());
    expect(sent.filter((line) => line.includes('Follow-up check'))).toHaveLength(1);
  } finally {
    await db.$disconnect();
    await database.drop();
  }
});
