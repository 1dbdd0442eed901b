import { randomBytes } from 'node:crypto';
import { createActivities } from '../../activities';
import { developmentNotifier, maskAddress, type Notifier } from '../../notifications/notifier';
import { dispatchPending } from '../../notifications/outbox-dispatcher';
import type { SuggestionIntake, SuggestionView } from '../../domain/suggestion';
import { trackingNumber } from '../../domain/tracking-number';
import { connectDatabase, type Database } from '../../prisma/client';
import { ownDatabase } from '../support/service-process';
import { testKeyRing } from '../support/stack';
import { sealedForTest } from '../support/handling';
import type { ProposerDetails } from '../../domain/intake';

// Notifications delivered by a write in the dispatcher's transaction (the mailbox) go many to one
// transaction; when one of them cannot be written, the batch gives way and each goes on its own,
// so the others are still sent and the failing one keeps its error for the next pass. A database
// of its own: the dispatcher sends whatever is pending, and other files' notifications are theirs.
// Its clock is set to Shanghai's time zone, as a city's managed PostgreSQL may well be: the times
// written are still UTC, as everywhere else.

let database: Awaited<ReturnType<typeof ownDatabase>>;
let db: Database;
const keys = testKeyRing();

beforeAll(async () => {
  database = await ownDatabase();
  const setup = connectDatabase(database.url, 1);
  await setup.$executeRawUnsafe(`DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'Asia/Shanghai'); END $$`);
  await setup.$disconnect();
  db = connectDatabase(database.url, 2);
});

/** A time written just now, read back: within a minute of this clock (not eight hours off). */
const justNow = (at: Date | null | undefined) => expect(Math.abs((at?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

async function registered(proposer: ProposerDetails, count: number): Promise<string> {
  const receivedAt = new Date().toISOString();
  const number = trackingNumber(receivedAt.slice(0, 10), randomBytes(4));
  const intake = {
    trackingNumber: number,
    title: 'Benches at the Century Park gate',
    content: 'There is nowhere to sit while waiting.',
    category: 'environment',
    district: 'pudong',
    channel: 'web',
    receivedAt,
    publishConsent: false,
    proposer: sealedForTest(proposer),
  } as SuggestionIntake;
  const view = { ...intake, id: number, status: 'received', coDepartments: [], overdue: false, version: 1, timeline: [] } as unknown as SuggestionView;
  const messages = Array.from({ length: count }, (_, i) => ({
    key: `notice-${i}`,
    recipient: i === 0 ? 'proposer' : 'department:greening',
    channel: proposer.replyChannel,
    subject: `Notice ${i}`,
    body: 'Registered.',
  }));
  await createActivities(db, keys).registerSuggestion(intake, view, [{ seq: 1, type: 'registered', actor: 'system', at: receivedAt }], messages);
  return number;
}

test('mailbox deliveries go together, each once, with two dispatchers at once; a proposer without a contact for the channel is undeliverable', async () => {
  const online = await registered({ replyChannel: 'online' }, 4);
  const byPhone = await registered({ replyChannel: 'phone' }, 1); // no number given
  const lines: string[] = [];
  const dispatcher = { db, keys, notifier: developmentNotifier((l) => lines.push(l)) };

  const sent = await Promise.all([dispatchPending(dispatcher), dispatchPending(dispatcher)]);

  expect(sent[0] + sent[1]).toBe(4);
  const mailbox = await db.mailboxMessage.findMany({ orderBy: { id: 'asc' } });
  expect(mailbox.map((m) => [m.id, m.adapter, m.address])).toEqual([
    [`${online}:notice-0`, 'online', maskAddress(`tracking:${online}`)],
    [`${online}:notice-1`, 'online', 'inbox:department:greening'],
    [`${online}:notice-2`, 'online', 'inbox:department:greening'],
    [`${online}:notice-3`, 'online', 'inbox:department:greening'],
  ]);
  expect(await db.notification.findMany({ where: { suggestionId: online }, select: { status: true, sentAt: true } })).toEqual(
    Array(4).fill({ status: 'sent', sentAt: expect.any(Date) }),
  );
  expect(await db.notification.findUniqueOrThrow({ where: { id: `${byPhone}:notice-0` } })).toMatchObject({
    status: 'undeliverable',
    lastError: expect.stringMatching(/no contact detail/),
  });
  expect(lines).toHaveLength(4);

  const [suggestion] = await db.suggestion.findMany({ where: { id: online } });
  const written: (Date | null)[] = [
    suggestion.createdAt,
    suggestion.updatedAt,
    (await db.proposer.findUniqueOrThrow({ where: { suggestionId: online } })).createdAt,
  ];
  for (const n of await db.notification.findMany({ where: { suggestionId: online } })) written.push(n.createdAt, n.sentAt);
  for (const m of mailbox) written.push(m.deliveredAt);
  expect(await db.$queryRaw<{ zone: string }[]>`SELECT current_setting('TimeZone') AS zone`).toEqual([{ zone: 'Asia/Shanghai' }]);
  for (const at of written) justNow(at);
});

test('a delivery that cannot be written sends the batch one by one: the others go, the failing one waits with its error', async () => {
  const id = await registered({ replyChannel: 'online' }, 3);
  const failing = `${id}:notice-1`;
  const mailbox = developmentNotifier(() => undefined);
  const notifier: Notifier = {
    ...mailbox,
    online: {
      kind: 'online',
      inTransaction: true,
      async deliver(d, tx) {
        if (d.id === failing) throw new Error('the inbox refused the message');
        await mailbox.online.deliver(d, tx);
      },
    },
  };

  expect(await dispatchPending({ db, keys, notifier })).toBe(2);

  const rows = await db.notification.findMany({ where: { suggestionId: id }, orderBy: { id: 'asc' } });
  expect(rows.map((n) => [n.id, n.status, n.attempts, n.lastError])).toEqual([
    [`${id}:notice-0`, 'sent', 0, null],
    [failing, 'pending', 1, 'the inbox refused the message'],
    [`${id}:notice-2`, 'sent', 0, null],
  ]);
  expect(await db.mailboxMessage.count({ where: { suggestionId: id } })).toBe(2);
});
