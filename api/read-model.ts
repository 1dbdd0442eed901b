import type { AttachmentRef, AttachmentType } from '../domain/attachments';
import type { Place } from '../domain/place';
import type { SuggestionView } from '../domain/suggestion';
import type { Category, Channel, District, Outcome, SuggestionStatus } from '../domain/vocabulary';
import type { Database } from '../prisma/client';

/** A suggestion as the read model holds it, in the same shape as the workflow's state query. */
export async function readSuggestion(db: Database, id: string): Promise<SuggestionView | null> {
  const [row, attached] = await Promise.all([
    db.suggestion.findUnique({ where: { id }, include: { events: { orderBy: { seq: 'asc' } } } }),
    db.attachment.findMany({ where: { suggestionId: id, purpose: { in: ['submission', 'decision'] } }, orderBy: [{ attachedAt: 'asc' }, { id: 'asc' }] }),
  ]);
  if (!row) return null;
  // The proposer's files and the decision's evidence, as intake and the decision attached them (progress evidence is in feedback).
  const refs = (purpose: string): AttachmentRef[] =>
    attached
      .filter((a) => a.purpose === purpose)
      .map((a) => ({
        id: a.id,
        key: a.objectKey,
        sha256: a.sha256,
        contentType: a.contentType as AttachmentType,
        bytes: a.bytes,
        ...(a.thumbnailKey ? { thumbnailKey: a.thumbnailKey } : {}),
      }));
  const [submitted, evidence] = [refs('submission'), refs('decision')];
  const iso = (d: Date | null) => d?.toISOString();
  return {
    id: row.id,
    trackingNumber: row.trackingNumber,
    status: row.status as SuggestionStatus,
    title: row.title,
    content: row.content,
    category: row.category as Category,
    district: row.district as District,
    channel: row.channel as Channel,
    campaignId: row.campaignId ?? undefined,
    publishConsent: row.publishConsent,
    ...(row.place ? { place: row.place as Place } : {}),
    ...(submitted.length ? { attachments: submitted } : {}),
    receivedAt: row.receivedAt.toISOString(),
    leadDepartment: row.leadDepartment ?? undefined,
    coDepartments: row.coDepartments,
    dueAt: iso(row.dueAt),
    dueAtProvisional: row.dueAtProvisional,
    overdue: row.overdue,
    jurisdiction: row.jurisdiction,
    handling: (row.handling ?? undefined) as SuggestionView['handling'],
    ...((row.grouping ?? {}) as Pick<SuggestionView, 'mergedInto' | 'group'>),
    feedback: (row.feedback ?? undefined) as SuggestionView['feedback'],
    decision:
      row.outcome && row.decidedAt
        ? {
            outcome: row.outcome as Outcome,
            reason: row.decisionReason ?? undefined,
            reply: row.reply ?? '',
            ...(evidence.length ? { evidence } : {}),
            decidedBy: row.leadDepartment ?? '',
            decidedAt: row.decidedAt.toISOString(),
          }
        : undefined,
    repliedAt: iso(row.repliedAt),
    closedAt: iso(row.closedAt),
    version: row.version,
    timeline: row.events.map((e) => ({ seq: e.seq, type: e.type, actor: e.actor, at: e.at.toISOString(), detail: e.detail as Record<string, unknown> })),
  };
}
