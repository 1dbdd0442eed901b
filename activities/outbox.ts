import type { Prisma } from '../prisma/client';

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
 * Queues messages in the same transaction as the state change that caused them (the outbox),
 * so a retried activity never sends twice and a crash never loses one.
 */
export async function enqueueMessages(tx: Prisma.TransactionClient, suggestionId: string, messages: readonly OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await tx.notification.createMany({
    data: messages.map((m) => ({
      id: `${suggestionId}:${m.key}`,
      suggestionId,
      recipient: m.recipient,
      channel: m.channel,
      subject: m.subject,
      body: m.body,
      ...(m.sendAfter ? { sendAfter: new Date(m.sendAfter) } : {}),
    })),
    skipDuplicates: true,
  });
}
