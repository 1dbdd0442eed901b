import { Router } from 'express';
import { z } from 'zod';
import { dataKeyRingId, openProposer } from '../../codec';
import { replyChannels, type StaffRole } from '../../domain/vocabulary';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { requireInJurisdiction } from '../jurisdiction-scope';
import { problemDocument, suggestionIdParams } from '../schemas';

// The proposer's personal data (建议人信息保密): read by the collection office when it must reach
// the proposer, and erased at the proposer's request. Erasure destroys the proposer's data key,
// so their name and contact details can be opened nowhere any more (PostgreSQL, Temporal's
// history, the Temporal UI's codec); the suggestion, its timeline, decision and public record stay.

const custodians: StaffRole[] = ['office', 'admin'];

const proposerView = z.object({
  suggestionId: z.string(),
  name: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  replyChannel: z.enum(replyChannels),
  erasedAt: z.string().optional(),
});
const erasureReceipt = z.object({ suggestionId: z.string(), erasedAt: z.string(), erasedBy: z.string() });

export function proposerRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const now = ctx.now ?? (() => new Date());

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/suggestions/:id/proposer',
      summary: "The proposer's name and contact details, decrypted for the collection office",
      tag: 'proposers',
      access: custodians,
      params: suggestionIdParams,
      responses: {
        200: { description: 'The proposer (only the reply channel once erased)', schema: proposerView },
        404: { description: 'No such suggestion', schema: problemDocument },
        503: { description: 'The details are sealed with a key this service does not hold', schema: problemDocument },
      },
    },
    async ({ params, req, res }) => {
      await requireInJurisdiction(ctx, req.staff!, params.id);
      const row = await ctx.db.proposer.findUnique({ where: { suggestionId: params.id } });
      if (!row) throw new Problem(404, 'not-found', 'Not found', `suggestion ${params.id} does not exist`);
      const dataKey = await ctx.db.proposerKey.findUnique({ where: { id: row.keyId } });
      const ringKey = dataKey ? dataKeyRingId(dataKey) : undefined;
      if (ringKey && !ctx.keys.has(ringKey)) {
        // The operator needs the key id to restore it; the caller learns only that it is missing.
        ctx.logger?.error({ suggestionId: row.suggestionId, keyIds: [ringKey] }, "the proposer's details are sealed with a key that is not in ENCRYPTION_KEYS");
        throw new Problem(
          503,
          'key-unavailable',
          'Key unavailable',
          "the proposer's details are encrypted with a key this service does not hold; an administrator must add it back to the key ring",
        );
      }
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        suggestionId: row.suggestionId,
        ...(row.erasedAt ? {} : (openProposer(ctx.keys, row, dataKey) ?? {})),
        replyChannel: row.replyChannel,
        ...(row.erasedAt ? { erasedAt: row.erasedAt.toISOString() } : {}),
      });
    },
  );

  registry.add(
    router,
    {
      method: 'delete',
      path: '/v1/suggestions/:id/proposer',
      summary: "Erases the proposer's personal data at their request; the suggestion and its public record stay",
      tag: 'proposers',
      access: custodians,
      params: suggestionIdParams,
      responses: {
        200: { description: 'Erased (again: the first erasure is reported)', schema: erasureReceipt },
        404: { description: 'No such suggestion', schema: problemDocument },
      },
    },
    async ({ params, req, res }) => {
      await requireInJurisdiction(ctx, req.staff!, params.id);
      const erasedAt = now();
      const erasedBy = req.staff!.keyId;
      // Only a row not yet erased changes, so a repeated request reports the first erasure. The
      // data key goes with it: what Temporal's history holds of the details can no longer be opened.
      const row = await ctx.db.proposer.findUnique({ where: { suggestionId: params.id }, select: { keyId: true } });
      if (row) {
        await ctx.db.$transaction([
          ctx.db.proposer.updateMany({ where: { suggestionId: params.id, erasedAt: null }, data: { details: null, erasedAt, erasedBy } }),
          ctx.db.proposerKey.deleteMany({ where: { id: row.keyId } }),
        ]);
      }
      const erased = await ctx.db.proposer.findUnique({ where: { suggestionId: params.id }, select: { erasedAt: true, erasedBy: true } });
      if (!erased?.erasedAt) throw new Problem(404, 'not-found', 'Not found', `suggestion ${params.id} does not exist`);
      res.json({ suggestionId: params.id, erasedAt: erased.erasedAt.toISOString(), erasedBy: erased.erasedBy ?? erasedBy });
    },
  );

  return router;
}
