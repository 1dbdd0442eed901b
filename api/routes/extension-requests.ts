import { Router } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { suggestionSummary } from '../schemas';
import { summaryOf } from '../suggestion-list';

// 延期审批: the extension requests waiting for a supervisor, oldest first, each with the
// suggestion it is for. The decision itself is POST /v1/suggestions/{id}/extension-decision.

const pendingRequest = z.object({
  suggestion: suggestionSummary,
  extension: z.object({ id: z.number().int(), requestedBy: z.string(), days: z.number().int(), unit: z.string(), reason: z.string(), requestedAt: z.string() }),
});

interface ExtensionJson {
  id: number;
  requestedBy: string;
  days: number;
  unit: string;
  reason: string;
  requestedAt: string;
  status: string;
}

export function extensionRequestRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/extension-requests',
      summary: 'Extension requests waiting for a supervisor’s decision, oldest first (延期审批)',
      tag: 'supervision',
      access: ['supervisor', 'office'],
      responses: { 200: { description: 'Every pending request', schema: z.object({ items: z.array(pendingRequest) }) } },
    },
    async ({ res }) => {
      // The read model keeps the workflow's handling state as JSON: a pending request is in its extensions.
      const ids = await ctx.db.$queryRaw<{ id: string }[]>`
        SELECT id FROM suggestions
        WHERE status IN ('handling', 'rehandling') AND handling -> 'extensions' @> '[{"status": "pending"}]'::jsonb`;
      const rows = ids.length ? await ctx.db.suggestion.findMany({ where: { id: { in: ids.map((r) => r.id) } } }) : [];
      const items = rows
        .map((row) => {
          const pending = ((row.handling as { extensions?: ExtensionJson[] } | null)?.extensions ?? []).find((e) => e.status === 'pending')!;
          const { status: _status, ...extension } = pending;
          return { suggestion: summaryOf(row), extension };
        })
        .sort((a, b) => a.extension.requestedAt.localeCompare(b.extension.requestedAt));
      res.json({ items });
    },
  );

  return router;
}
