import { Prisma } from '../prisma/client';

/** A message to send; its key makes it unique within its suggestion, so a retried write is one row. */
export interface OutgoingMessage {
  key: string;
  recipient: string; // proposer | department:<code> | supervisors
  channel: string;
  subject: string;
  body: string;
  /** Not sent before this instant (ISO 8601): a message queued ahead of its day. */
  sendAfter?: string;
}

/**
 * The statement that queues messages, for the caller's transaction or as one part of a larger
 * statement (activities/projection.ts). A message's row id is its suggestion's id and its key;
 * `now` (ISO 8601) is its creation time, given in UTC rather than taken from the database's clock.
 */
export function queueMessagesSql(suggestionId: string, messages: readonly OutgoingMessage[], now: string): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO notifications (id, suggestion_id, recipient, channel, subject, body, send_after, created_at)
    SELECT ${suggestionId} || ':' || m.key, ${suggestionId}, m.recipient, m.channel, m.subject, m.body, m."sendAfter", ${now}::timestamp
    FROM jsonb_to_recordset(${JSON.stringify(messages)}::jsonb) AS m(key text, recipient text, channel text, subject text, body text, "sendAfter" timestamp)
    ON CONFLICT DO NOTHING`;
}

/**
 * Queues messages in the same transaction as the state change that caused them (the outbox),
 * so a retried activity never sends twice and a crash never loses one.
 */
export async function enqueueMessages(tx: Prisma.TransactionClient, suggestionId: string, messages: readonly OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await tx.$executeRaw(queueMessagesSql(suggestionId, messages, new Date().toISOString()));
}
