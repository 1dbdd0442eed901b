import type { SuggestionView } from '../domain/suggestion';
import type { Category, Channel, District, Outcome, SuggestionStatus } from '../domain/vocabulary';
import type { Database } from '../prisma/client';

/** A suggestion as the read model holds it, in the same shape as the workflow's state query. */
export async function readSuggestion(db: Database, id: string): Promise<SuggestionView | null> {
  const row = await db.suggestion.findUnique({ where: { id }, include: { events: { orderBy: { seq: 'asc' } } } });
  if (!row) return null;
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
        ? { outcome: row.outcome as Outcome, reason: row.decisionReason ?? undefined, reply: row.reply ?? '', decidedBy: row.leadDepartment ?? '', decidedAt: row.decidedAt.toISOString() }
        : undefined,
    repliedAt: iso(row.repliedAt),
    closedAt: iso(row.closedAt),
    version: row.version,
    timeline: row.events.map((e) => ({ seq: e.seq, type: e.type, actor: e.actor, at: e.at.toISOString(), detail: e.detail as Record<string, unknown> })),
  };
}
