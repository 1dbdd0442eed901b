import type { Prisma } from '../prisma/client';

// The notifier (通知): how a queued notification reaches its recipient. One adapter per medium;
// in development every adapter writes a line to the log and a row to the mailbox table.

/** One notification, ready to deliver. `id` is the outbox row's id: the provider's idempotency key. */
export interface Delivery {
  id: string;
  suggestionId: string | null;
  recipient: string;
  /** Where it goes: a phone number, an e-mail address, a staff inbox; never written to logs. */
  address: string;
  subject: string;
  body: string;
}

export const adapterKinds = ['email', 'sms', 'phone', 'letter', 'online'] as const;
export type AdapterKind = (typeof adapterKinds)[number];

export interface NotifierAdapter {
  readonly kind: AdapterKind;
  /**
   * Delivers only by writing in the dispatcher's transaction (the mailbox: a tracking page, a staff
   * inbox), so its deliveries are exactly once whatever happens, and many go in one transaction.
   */
  readonly inTransaction?: boolean;
  /**
   * Delivers within the dispatcher's transaction `tx`: an adapter that can write there (the
   * development mailbox) delivers exactly once; one that calls a provider passes `delivery.id`
   * as the provider's idempotency key.
   */
  deliver(delivery: Delivery, tx: Prisma.TransactionClient): Promise<void>;
}

export type Notifier = Record<AdapterKind, NotifierAdapter>;

/** The reply channel the proposer chose (Art 12), and staff channels, mapped to an adapter. */
export function adapterFor(channel: string): AdapterKind {
  switch (channel) {
    case 'email':
      return 'email';
    case 'sms':
      return 'sms';
    case 'phone':
      return 'phone'; // a call list for the office's staff
    case 'written':
      return 'letter';
    default:
      return 'online'; // the proposer's tracking page, or a staff inbox
  }
}

/** Hides most of an address, so the mailbox and the log show that one was used, not which. */
export function maskAddress(address: string): string {
  const at = address.indexOf('@');
  if (at > 0) return `${address[0]}***${address.slice(at)}`;
  const digits = address.replace(/\D/g, '');
  if (digits.length >= 7) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return address.includes(':') ? address : `${address.slice(0, 1)}***`;
}

const emailAddresses = /[^\s<>"'()[\],;:@]+@[^\s<>"'()[\],;:@]+\.[A-Za-z]{2,}/g;
/** Seven or more digits, with the spaces, dashes and a leading + a phone number is written with (not inside a tracking number or other word). */
const phoneNumbers = /(?<![\w+-])\+?\d(?:[ -]?\d){6,}(?![\w-])/g;

/**
 * Text from a provider (a mail server's rejection names the recipient, a gateway's the number)
 * with every e-mail address and phone number in it masked as the mailbox masks them; the rest
 * (status, reason) stays, to diagnose by.
 */
export function maskContacts(text: string): string {
  return text.replace(emailAddresses, (a) => maskAddress(a)).replace(phoneNumbers, (p) => maskAddress(p));
}

/**
 * What is kept of a failed delivery (notifications.last_error) and logged: its message and the
 * provider's code, status and command, masked. Nothing else of the error goes along: a mail
 * client's error carries the rejected addresses and the server's whole answer in fields of its own.
 */
export function deliveryFailure(err: unknown): Error {
  const e = (err ?? {}) as { name?: string; message?: string; code?: unknown; responseCode?: unknown; command?: unknown };
  const said = [
    typeof e.code === 'string' ? `code ${e.code}` : undefined,
    typeof e.responseCode === 'number' ? `status ${e.responseCode}` : undefined,
    typeof e.command === 'string' ? `command ${e.command}` : undefined,
  ].filter(Boolean);
  const message = maskContacts(`${err instanceof Error ? err.message : String(err)}${said.length ? ` (${said.join(', ')})` : ''}`);
  const failure = new Error(message);
  failure.name = `DeliveryFailed${typeof e.name === 'string' && e.name !== 'Error' ? `(${e.name})` : ''}`;
  return failure;
}

/** A development adapter: logs the delivery (masked, no body) and files it in the mailbox table. */
export function mailboxAdapter(kind: AdapterKind, log: (line: string) => void): NotifierAdapter {
  return {
    kind,
    inTransaction: true,
    async deliver(d, tx) {
      const address = maskAddress(d.address);
      await tx.$executeRaw`
        INSERT INTO mailbox_messages (id, suggestion_id, adapter, recipient, address, subject, body, delivered_at)
        VALUES (${d.id}, ${d.suggestionId}, ${kind}, ${d.recipient}, ${address}, ${d.subject}, ${d.body}, ${new Date().toISOString()}::timestamp)`;
      log(`[${kind}] ${d.recipient} (${address}) ${d.suggestionId ?? ''}: ${d.subject}`);
    },
  };
}

/** E-mail adapter; in development, the mailbox. */
export const emailAdapter = (log: (line: string) => void) => mailboxAdapter('email', log);
/** SMS adapter; in development, the mailbox. */
export const smsAdapter = (log: (line: string) => void) => mailboxAdapter('sms', log);

/** The development notifier: every medium goes to the log and the mailbox table. */
export function developmentNotifier(log: (line: string) => void = (line) => console.log(line)): Notifier {
  return {
    email: emailAdapter(log),
    sms: smsAdapter(log),
    phone: mailboxAdapter('phone', log),
    letter: mailboxAdapter('letter', log),
    online: mailboxAdapter('online', log),
  };
}
