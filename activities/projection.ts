import { sealProposerDetails, type KeyRing } from '../codec';
import type { SuggestionIntake, SuggestionView, TimelineEvent } from '../domain/suggestion';
import type { Database, Prisma } from '../prisma/client';
import { workflowIdFor } from '../domain/tracking-number';
import { enqueueMessages, type OutgoingMessage } from './outbox';

/**
 * Writes the workflow's state into the read model. Idempotent: a row only moves forward in
 * version, and timeline events are keyed by (suggestion, seq).
 */
export function projectionActivities(db: Database, keys: KeyRing) {
  async function project(tx: Prisma.TransactionClient, view: SuggestionView, events: readonly TimelineEvent[], messages: readonly OutgoingMessage[]) {
    const row = {
      status: view.status,
      leadDepartment: view.leadDepartment ?? null,
      coDepartments: view.coDepartments,
      dueAt: view.dueAt ? new Date(view.dueAt) : null,
      overdue: view.overdue,
      handling: (view.handling ?? undefined) as Prisma.InputJsonValue | undefined,
      feedback: (view.feedback ?? undefined) as Prisma.InputJsonValue | undefined,
      outcome: view.decision?.outcome ?? null,
      decisionReason: view.decision?.reason ?? null,
      reply: view.decision?.reply ?? null,
      decidedAt: view.decision ? new Date(view.decision.decidedAt) : null,
      repliedAt: view.repliedAt ? new Date(view.repliedAt) : null,
      closedAt: view.closedAt ? new Date(view.closedAt) : null,
      version: view.version,
    };
    await tx.suggestion.updateMany({ where: { id: view.id, version: { lt: view.version } }, data: row });
    await tx.suggestionEvent.createMany({
      data: events.map((e) => ({ suggestionId: view.id, seq: e.seq, type: e.type, actor: e.actor, at: new Date(e.at), detail: (e.detail ?? {}) as Prisma.InputJsonValue })),
      skipDuplicates: true,
    });
    await enqueueMessages(tx, view.id, messages);
  }

  return {
    /** Registers a new suggestion: its row, the proposer's details kept apart, and the acknowledgement. */
    async registerSuggestion(intake: SuggestionIntake, view: SuggestionView, events: TimelineEvent[], messages: OutgoingMessage[]): Promise<void> {
      await db.$transaction(async (tx) => {
        // Each row only if it is not there yet (a retried registration): one INSERT … ON CONFLICT DO NOTHING each.
        await tx.suggestion.createMany({
          data: {
            id: view.id,
            trackingNumber: view.trackingNumber,
            workflowId: workflowIdFor(view.trackingNumber),
            channel: view.channel,
            category: view.category,
            district: view.district,
            title: view.title,
            content: view.content,
            status: view.status,
            campaignId: view.campaignId ?? null,
            receivedAt: new Date(view.receivedAt),
            publishConsent: view.publishConsent,
            version: 0,
          },
          skipDuplicates: true,
        });
        await tx.proposer.createMany({ data: sealProposerDetails(keys, view.id, intake.proposer), skipDuplicates: true });
        // Kept here only if the API could not keep it at intake; a newer token it issued stays.
        if (intake.trackingTokenHash) {
          await tx.trackingToken.createMany({ data: { suggestionId: view.id, hash: intake.trackingTokenHash }, skipDuplicates: true });
        }
        await project(tx, view, events, messages);
      });
    },

    /** Records a change of state, its timeline events and the messages it causes, atomically. */
    async projectSuggestion(view: SuggestionView, events: TimelineEvent[], messages: OutgoingMessage[]): Promise<void> {
      await db.$transaction((tx) => project(tx, view, events, messages));
    },
  };
}
