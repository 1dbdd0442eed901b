import { openProposer, type KeyRing } from '../codec';
import { Prisma, type Database } from '../prisma/client';
import { adapterFor, deliveryFailure, type Delivery, type Notifier } from './notifier';

// The outbox dispatcher: sends what the workflow's activities queued in the notifications table.
// Activities only ever queue (keyed rows, so a retried activity queues once); this is the one
// place that sends. A delivery and the mark that it was sent commit together, so a crash before
// the commit leaves it pending for the next pass, and a second dispatcher skips what the first
// holds. Deliveries that are a write in the same transaction (the mailbox: tracking pages, staff
// inboxes) go many to a transaction; one handed to a provider (SMTP, an SMS gateway) has a
// transaction of its own, so a failure or a crash touches that delivery alone.

export interface OutboxDispatcherOptions {
  db: Database;
  keys: KeyRing;
  notifier: Notifier;
  /** Notifications per pass. */
  batchSize?: number;
  /** Pause between passes when the outbox is empty. */
  intervalMs?: number;
  onError?: (err: unknown) => void;
}

/** A locked notification, with its proposer's sealed details when it goes to the proposer. */
interface Locked {
  id: string;
  suggestion_id: string | null;
  recipient: string;
  channel: string;
  subject: string;
  body: string;
  proposer_id: string | null;
  key_id: string | null;
  details: string | null;
  data_key: string | null;
  erased_at: Date | null;
}

/** Notifications with their proposers' details; the caller adds the rows it locks. */
const notificationsWithProposers = Prisma.sql`
  SELECT n.id, n.suggestion_id, n.recipient, n.channel, n.subject, n.body,
    p.suggestion_id AS proposer_id, p.key_id, p.details, k.key AS data_key, p.erased_at
  FROM notifications n
  LEFT JOIN proposers p ON n.recipient = 'proposer' AND p.suggestion_id = n.suggestion_id
  LEFT JOIN proposer_keys k ON k.id = p.key_id`;

type Outcome = 'sent' | 'skipped' | 'undeliverable' | 'failed';

const noAddress = 'no contact detail for this channel (never given, or erased on request)';

/** One pass over the pending notifications whose day has come, oldest first; returns how many were sent. */
export async function dispatchPending(opts: OutboxDispatcherOptions): Promise<number> {
  let together: { sent: number; left: string[] };
  try {
    together = await dispatchTogether(opts);
  } catch {
    // One of them could not be written: each goes on its own, and the one that fails says why.
    together = { sent: 0, left: await pendingIds(opts) };
  }
  let sent = together.sent;
  for (const id of together.left) {
    if ((await dispatchOne(opts, id)) === 'sent') sent += 1;
  }
  return sent;
}

async function pendingIds(opts: OutboxDispatcherOptions): Promise<string[]> {
  const due = { status: 'pending', OR: [{ sendAfter: null }, { sendAfter: { lte: new Date() } }] };
  const pending = await opts.db.notification.findMany({ where: due, orderBy: { createdAt: 'asc' }, take: opts.batchSize ?? 50, select: { id: true } });
  return pending.map((n) => n.id);
}

/**
 * Locks a batch of due notifications with their proposers' details, delivers in this transaction
 * those whose adapter writes here, and marks them; returns the ids of the others.
 */
async function dispatchTogether(opts: OutboxDispatcherOptions): Promise<{ sent: number; left: string[] }> {
  return opts.db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Locked[]>`
      ${notificationsWithProposers}
      WHERE n.status = 'pending' AND (n.send_after IS NULL OR n.send_after <= ${new Date().toISOString()}::timestamp)
      ORDER BY n.created_at
      LIMIT ${opts.batchSize ?? 50}
      FOR UPDATE OF n SKIP LOCKED`;
    const marks: { id: string; status: 'sent' | 'undeliverable'; lastError?: string }[] = [];
    const left: string[] = [];
    for (const row of rows) {
      const adapter = opts.notifier[adapterFor(row.channel)];
      if (!adapter.inTransaction) {
        left.push(row.id);
        continue;
      }
      const delivery = deliveryOf(opts.keys, row);
      if (!delivery) {
        marks.push({ id: row.id, status: 'undeliverable', lastError: noAddress });
        continue;
      }
      await adapter.deliver(delivery, tx);
      marks.push({ id: row.id, status: 'sent' });
    }
    if (marks.length > 0) {
      await tx.$executeRaw`
        UPDATE notifications n
        SET status = mark.status, sent_at = CASE WHEN mark.status = 'sent' THEN ${new Date().toISOString()}::timestamp END, last_error = COALESCE(mark."lastError", n.last_error)
        FROM jsonb_to_recordset(${JSON.stringify(marks)}::jsonb) AS mark(id text, status text, "lastError" text)
        WHERE n.id = mark.id`;
    }
    return { sent: marks.filter((m) => m.status === 'sent').length, left };
  });
}

async function dispatchOne(opts: OutboxDispatcherOptions, id: string): Promise<Outcome> {
  try {
    return await opts.db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<Locked[]>`
        ${notificationsWithProposers}
        WHERE n.id = ${id} AND n.status = 'pending' FOR UPDATE OF n SKIP LOCKED`;
      if (!row) return 'skipped';
      const delivery = deliveryOf(opts.keys, row);
      if (!delivery) {
        await tx.notification.update({ where: { id }, data: { status: 'undeliverable', lastError: noAddress } });
        return 'undeliverable';
      }
      await opts.notifier[adapterFor(row.channel)].deliver(delivery, tx);
      await tx.notification.update({ where: { id }, data: { status: 'sent', sentAt: new Date() } });
      return 'sent';
    });
  } catch (err) {
    // A provider's rejection names the address: it is stored and logged masked (notifier.ts).
    const failure = deliveryFailure(err);
    opts.onError?.(failure);
    await opts.db.notification.update({ where: { id }, data: { attempts: { increment: 1 }, lastError: failure.message.slice(0, 500) } }).catch(() => undefined);
    return 'failed';
  }
}

/** The delivery of a notification, or undefined when there is nowhere to send it. */
function deliveryOf(keys: KeyRing, n: Locked): Delivery | undefined {
  const address = addressOf(keys, n);
  return !address ? undefined : { id: n.id, suggestionId: n.suggestion_id, recipient: n.recipient, address, subject: n.subject, body: n.body };
}

/** Where a notification goes. The proposer's contact details are opened only here, in memory. */
function addressOf(keys: KeyRing, n: Locked): string | undefined {
  if (n.recipient !== 'proposer') return `inbox:${n.recipient}`;
  if (!n.suggestion_id || !n.proposer_id || !n.key_id || n.erased_at) return undefined;
  // No data key: erased at the proposer's request, the details can no longer be opened.
  const details = openProposer(keys, { keyId: n.key_id, details: n.details }, n.data_key ? { id: n.key_id, key: n.data_key } : null) ?? {};
  switch (adapterFor(n.channel)) {
    case 'sms':
    case 'phone':
      return details.phone;
    case 'email':
      return details.email;
    case 'letter':
      return details.name ?? `proposer of ${n.suggestion_id}`;
    default:
      return `tracking:${n.suggestion_id}`;
  }
}

export interface RunningDispatcher {
  stop(): Promise<void>;
}

/** Runs passes until stopped: at once while there is work, every `intervalMs` when idle. */
export function startOutboxDispatcher(opts: OutboxDispatcherOptions): RunningDispatcher {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let sent = 0;
      try {
        sent = await dispatchPending(opts);
      } catch (err) {
        opts.onError?.(err);
      }
      if (sent === 0 && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, opts.intervalMs ?? 1000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
