import { openProposerDetails, type KeyRing } from '../codec';
import type { Database, Prisma } from '../prisma/client';
import { adapterFor, type Delivery, type Notifier } from './notifier';

// The outbox dispatcher: sends what the workflow's activities queued in the notifications table.
// Activities only ever queue (keyed rows, so a retried activity queues once); this is the one
// place that sends. Each notification is locked, delivered and marked sent in one transaction,
// so a crash before the commit leaves it pending for the next pass, and a second dispatcher
// skips what the first holds.

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

interface Locked {
  id: string;
  suggestion_id: string | null;
  recipient: string;
  channel: string;
  subject: string;
  body: string;
}

type Outcome = 'sent' | 'skipped' | 'undeliverable' | 'failed';

/** One pass over the pending notifications whose day has come, oldest first; returns how many were sent. */
export async function dispatchPending(opts: OutboxDispatcherOptions): Promise<number> {
  const due = { status: 'pending', OR: [{ sendAfter: null }, { sendAfter: { lte: new Date() } }] };
  const pending = await opts.db.notification.findMany({ where: due, orderBy: { createdAt: 'asc' }, take: opts.batchSize ?? 50, select: { id: true } });
  let sent = 0;
  for (const { id } of pending) {
    if ((await dispatchOne(opts, id)) === 'sent') sent += 1;
  }
  return sent;
}

async function dispatchOne(opts: OutboxDispatcherOptions, id: string): Promise<Outcome> {
  try {
    return await opts.db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<Locked[]>`
        SELECT id, suggestion_id, recipient, channel, subject, body FROM notifications
        WHERE id = ${id} AND status = 'pending' FOR UPDATE SKIP LOCKED`;
      if (!row) return 'skipped';
      const address = await addressOf(tx, opts.keys, row);
      if (!address) {
        await tx.notification.update({ where: { id }, data: { status: 'undeliverable', lastError: 'no contact detail for this channel (never given, or erased on request)' } });
        return 'undeliverable';
      }
      const delivery: Delivery = { id: row.id, suggestionId: row.suggestion_id, recipient: row.recipient, address, subject: row.subject, body: row.body };
      await opts.notifier[adapterFor(row.channel)].deliver(delivery, tx);
      await tx.notification.update({ where: { id }, data: { status: 'sent', sentAt: new Date() } });
      return 'sent';
    });
  } catch (err) {
    opts.onError?.(err);
    const message = err instanceof Error ? err.message : String(err);
    await opts.db.notification.update({ where: { id }, data: { attempts: { increment: 1 }, lastError: message.slice(0, 500) } }).catch(() => undefined);
    return 'failed';
  }
}

/** Where a notification goes. The proposer's contact details are opened only here, in memory. */
async function addressOf(tx: Prisma.TransactionClient, keys: KeyRing, n: Locked): Promise<string | undefined> {
  if (n.recipient !== 'proposer') return `inbox:${n.recipient}`;
  if (!n.suggestion_id) return undefined;
  const stored = await tx.proposer.findUnique({ where: { suggestionId: n.suggestion_id } });
  if (!stored || stored.erasedAt) return undefined;
  const details = openProposerDetails(keys, stored);
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
