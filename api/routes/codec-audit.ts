import { Router } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { problemDocument } from '../schemas';

// Who has read the workflows' payloads through the codec endpoint (the Temporal UI, the CLI):
// every decode is recorded with the staff member, the suggestions it named and whether the
// proposers' details were revealed to them. Administrators and supervisors read the record.

const decodesQuery = z
  .object({
    suggestion: z
      .string()
      .regex(/^JY-\d{8}-[0-9A-Z]{6}$/)
      .optional()
      .describe('only decodes that named this tracking number'),
    staffKeyId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/)
      .optional()
      .describe('only this staff member'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    beforeId: z.coerce.number().int().min(1).max(2_147_483_647).optional().describe('the page after this record (pass the last id back)'),
  })
  .strict();

const decodeRecord = z.object({
  id: z.number().int(),
  at: z.string(),
  staff: z.object({ keyId: z.string(), label: z.string(), role: z.string() }),
  namespace: z.string().nullable(),
  suggestionIds: z.array(z.string()),
  payloads: z.number().int(),
  proposersRevealed: z.boolean().describe("whether the proposers' details were shown in clear (office, admin) or redacted"),
});

export function codecAuditRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/codec-decodes',
      summary: 'The record of every decode through the codec endpoint: who read which suggestions, when, and whether proposers were revealed',
      tag: 'codec',
      access: ['admin', 'supervisor'],
      query: decodesQuery,
      responses: {
        200: { description: 'The newest first', schema: z.object({ items: z.array(decodeRecord) }) },
        403: { description: 'Not an administrator or supervisor', schema: problemDocument },
      },
    },
    async ({ query, res }) => {
      const rows = await ctx.db.codecDecode.findMany({
        where: {
          ...(query.suggestion ? { suggestionIds: { has: query.suggestion } } : {}),
          ...(query.staffKeyId ? { staffKeyId: query.staffKeyId } : {}),
          ...(query.beforeId ? { id: { lt: query.beforeId } } : {}),
        },
        orderBy: { id: 'desc' },
        take: query.limit,
      });
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        items: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          staff: { keyId: r.staffKeyId, label: r.staffLabel, role: r.staffRole },
          namespace: r.namespace,
          suggestionIds: r.suggestionIds,
          payloads: r.payloads,
          proposersRevealed: r.proposersRevealed,
        })),
      });
    },
  );
  return router;
}
