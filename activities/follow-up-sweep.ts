import type { Database } from '../prisma/client';

// 回头看 past its answer deadline: the daily sweep (workflows/follow-up-sweep-workflow.ts) finds
// the follow-up checks still unanswered in the read model, and tells their suggestions.

export interface UnansweredFollowUpsRequest {
  /** The sweep's instant: checks whose answer was due by then. */
  asOf: string;
  /** Suggestion ids come in order; a page starts after this one. */
  after?: string;
  limit: number;
}

export function followUpSweepActivities(db: Database) {
  return {
    /** Suggestions whose follow-up answer was due by `asOf` and has neither come nor been escalated, by id. */
    async unansweredFollowUps(req: UnansweredFollowUpsRequest): Promise<string[]> {
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT id FROM suggestions
        WHERE closed_at IS NULL
          AND (feedback #>> '{implementation,followUp,answerDueAt}')::timestamptz <= ${new Date(req.asOf)}
          AND feedback #> '{implementation,followUp,confirmedAt}' IS NULL
          AND feedback #> '{implementation,followUp,escalatedAt}' IS NULL
          AND id > ${req.after ?? ''}
        ORDER BY id
        LIMIT ${req.limit}`;
      return rows.map((r) => r.id);
    },
  };
}
