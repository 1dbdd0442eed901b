import { randomBytes } from 'node:crypto';
import type { Outcome } from '../../domain/vocabulary';
import type { Database } from '../../prisma/client';

export interface DecidedSuggestion {
  outcome: Outcome;
  decidedAt: string;
  publishConsent?: boolean;
  implemented?: boolean;
  rating?: string;
}

/**
 * Puts decided suggestions of a past (or coming) year straight into the read model, as their
 * workflows would have projected them, so the yearly selection has a year of its own to rank.
 */
export async function seedDecidedSuggestions(db: Database, suggestions: DecidedSuggestion[]): Promise<string[]> {
  const ids: string[] = [];
  for (const s of suggestions) {
    const id = `JY-${s.decidedAt.slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex').toUpperCase()}`;
    const feedback = {
      ...(s.implemented ? { implementation: { implementedAt: s.decidedAt } } : {}),
      satisfaction: { state: s.rating ? 'rated' : 'not_yet', round: 1, ratings: s.rating ? [{ rating: s.rating, at: s.decidedAt, round: 1 }] : [] },
    };
    await db.suggestion.create({
      data: {
        id,
        trackingNumber: id,
        workflowId: `suggestion-${id}`,
        channel: 'web',
        category: 'transport',
        district: 'yangpu',
        title: `Suggestion decided ${s.outcome} on ${s.decidedAt.slice(0, 10)}`,
        content: 'A suggestion for the outstanding-suggestion selection.',
        status: 'closed',
        leadDepartment: 'transport',
        receivedAt: new Date(Date.parse(s.decidedAt) - 20 * 24 * 3600_000),
        decidedAt: new Date(s.decidedAt),
        repliedAt: new Date(s.decidedAt),
        outcome: s.outcome,
        publishConsent: s.publishConsent ?? false,
        feedback,
      },
    });
    await db.proposer.create({ data: { suggestionId: id, keyId: `key-of-${id}`, replyChannel: 'sms' } });
    ids.push(id);
  }
  return ids;
}
