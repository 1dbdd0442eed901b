import { Router } from 'express';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { z } from 'zod';
import { enqueueMessages } from '../../notifications/outbox';
import { awardSchema, nominationSchema, scoreWeights } from '../../domain/outstanding-suggestions';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { problemDocument } from '../schemas';

// Outstanding suggestions (优秀人民建议): the yearly shortlist ranked by the documented score
// (domain/outstanding-suggestions.ts), then the office's nominations and awards.

const yearParams = z.object({ year: z.coerce.number().int().min(2020).max(2100) });

const candidateView = z.object({
  rank: z.number().int(),
  suggestionId: z.string(),
  title: z.string(),
  outcome: z.string().nullable(),
  leadDepartment: z.string().nullable(),
  score: z.number().int(),
  breakdown: z.record(z.string(), z.number()),
  nominatedAt: z.string().optional(),
  nominationNote: z.string().optional(),
  awardedAt: z.string().optional(),
  citation: z.string().optional(),
});

export function awardRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const now = ctx.now ?? (() => new Date());

  async function candidate(year: number, suggestionId: string) {
    const row = await ctx.db.outstandingSuggestion.findUnique({ where: { year_suggestionId: { year, suggestionId } } });
    if (!row) throw new Problem(404, 'not-a-candidate', 'Not a candidate', `${suggestionId} is not on the ${year} shortlist; run the selection first`);
    return row;
  }

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/awards/:year/selection',
      summary: 'Run the yearly selection now (its Schedule runs it every 20 December)',
      tag: 'awards',
      access: ['office'],
      params: yearParams,
      responses: { 200: { description: 'The shortlist is ranked', schema: z.object({ year: z.number().int(), candidates: z.number().int() }) } },
    },
    async ({ params, res }) => {
      const result = await ctx.temporal.workflow.execute('awardSelectionWorkflow', {
        taskQueue: ctx.taskQueue,
        workflowId: `award-selection-${params.year}`,
        args: [params.year],
        // A selection already running is joined, a finished one may be run again (scores change).
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
      res.json(result);
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/awards/:year/candidates',
      summary: "The year's adopted suggestions ranked by the documented score, with nominations and awards",
      tag: 'awards',
      access: ['office', 'supervisor', 'admin'],
      params: yearParams,
      responses: {
        200: {
          description: 'The ranked shortlist and how it is scored',
          schema: z.object({ year: z.number().int(), scoring: z.unknown(), items: z.array(candidateView) }),
        },
      },
    },
    async ({ params, res }) => {
      const rows = await ctx.db.outstandingSuggestion.findMany({ where: { year: params.year }, orderBy: { rank: 'asc' } });
      const suggestions = await ctx.db.suggestion.findMany({
        where: { id: { in: rows.map((r) => r.suggestionId) } },
        select: { id: true, title: true, outcome: true, leadDepartment: true },
      });
      const byId = new Map(suggestions.map((s) => [s.id, s]));
      res.json({
        year: params.year,
        scoring: scoreWeights,
        items: rows.map((r) => ({
          rank: r.rank,
          suggestionId: r.suggestionId,
          title: byId.get(r.suggestionId)?.title ?? '',
          outcome: byId.get(r.suggestionId)?.outcome ?? null,
          leadDepartment: byId.get(r.suggestionId)?.leadDepartment ?? null,
          score: r.score,
          breakdown: r.breakdown as Record<string, number>,
          ...(r.nominatedAt ? { nominatedAt: r.nominatedAt.toISOString(), nominationNote: r.nominationNote ?? undefined } : {}),
          ...(r.awardedAt ? { awardedAt: r.awardedAt.toISOString(), citation: r.citation ?? undefined } : {}),
        })),
      });
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/awards/:year/nominations',
      summary: 'Nominate a shortlisted suggestion',
      tag: 'awards',
      access: ['office'],
      params: yearParams,
      body: nominationSchema,
      responses: {
        200: { description: 'Nominated', schema: candidateView.pick({ suggestionId: true, nominatedAt: true }) },
        404: { description: 'Not on the shortlist', schema: problemDocument },
        409: { description: 'Already awarded', schema: problemDocument },
      },
    },
    async ({ params, body, req, res }) => {
      const row = await candidate(params.year, body.suggestionId);
      if (row.awardedAt) throw new Problem(409, 'already-awarded', 'Already awarded', `${body.suggestionId} was awarded on ${row.awardedAt.toISOString()}`);
      const nominatedAt = row.nominatedAt ?? now();
      await ctx.db.outstandingSuggestion.update({
        where: { year_suggestionId: { year: params.year, suggestionId: body.suggestionId } },
        data: { nominatedAt, nominatedBy: req.staff!.label, nominationNote: body.note },
      });
      res.json({ suggestionId: body.suggestionId, nominatedAt: nominatedAt.toISOString() });
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/awards/:year/awards',
      summary: 'Award a nominated suggestion; the proposer is told and the public board marks it',
      tag: 'awards',
      access: ['office'],
      params: yearParams,
      body: awardSchema,
      responses: {
        200: { description: 'Awarded', schema: candidateView.pick({ suggestionId: true, awardedAt: true }) },
        404: { description: 'Not on the shortlist', schema: problemDocument },
        409: { description: 'Not nominated, or already awarded', schema: problemDocument },
      },
    },
    async ({ params, body, res }) => {
      const row = await candidate(params.year, body.suggestionId);
      if (!row.nominatedAt) throw new Problem(409, 'not-nominated', 'Not nominated', `nominate ${body.suggestionId} before awarding it`);
      if (row.awardedAt) throw new Problem(409, 'already-awarded', 'Already awarded', `${body.suggestionId} was awarded on ${row.awardedAt.toISOString()}`);
      const awardedAt = now();
      const where = { year_suggestionId: { year: params.year, suggestionId: body.suggestionId } };
      await ctx.db.$transaction(async (tx) => {
        const proposer = await tx.proposer.findUnique({ where: { suggestionId: body.suggestionId }, select: { replyChannel: true } });
        // Guarded on awardedAt so two racing requests award (and notify) once.
        const updated = await tx.outstandingSuggestion.updateMany({
          where: { ...where.year_suggestionId, awardedAt: null },
          data: { awardedAt, citation: body.citation },
        });
        if (updated.count === 0) throw new Problem(409, 'already-awarded', 'Already awarded', `${body.suggestionId} is already awarded`);
        await enqueueMessages(tx, body.suggestionId, [
          {
            key: `award-${params.year}`,
            recipient: 'proposer',
            channel: proposer?.replyChannel ?? 'online',
            subject: `Your suggestion ${body.suggestionId} is an outstanding suggestion of ${params.year}`,
            body: body.citation,
          },
        ]);
      });
      res.json({ suggestionId: body.suggestionId, awardedAt: awardedAt.toISOString() });
    },
  );

  return router;
}
