import { Router } from 'express';
import { handoverBetween, jurisdictionOf } from '../../domain/jurisdiction';
import { handoverBody } from '../../domain/handling-requests';
import { handOverUpdate } from '../../workflows/handling-messages';
import { actionEndpoints } from '../action-endpoint';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { problemDocument, suggestionIdParams, suggestionView } from '../schemas';

// 转办 between levels: the office holding a suggestion (or one above it) hands it to the level above
// or below. The profile says what is above and below (workflows never read it); the workflow checks
// the suggestion is still held where the API found it.

export function handoverRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const actionEndpoint = actionEndpoints(ctx, registry, router);

  actionEndpoint(
    {
      method: 'post',
      path: '/v1/suggestions/:id/handover',
      summary: 'The office holding a suggestion hands it up or down a level, with its reason; the receiving office routes it by a deadline of its own',
      tag: 'triage',
      access: ['office'],
      params: suggestionIdParams,
      body: handoverBody,
      responses: {
        200: { description: "Handed over: in the receiving level's triage", schema: suggestionView },
        404: { description: 'No such suggestion in your jurisdiction', schema: problemDocument },
        409: { description: 'Decided, closed, or no longer held where it was', schema: problemDocument },
        422: { description: 'Not one level up or down, or an unknown level', schema: problemDocument },
      },
    },
    handOverUpdate,
    async ({ params, body }) => {
      const profile = ctx.profile!.current;
      const row = await ctx.db.suggestion.findUnique({ where: { id: params.id }, select: { jurisdiction: true } });
      if (!row) throw new Problem(404, 'not-found', 'Not found', `suggestion ${params.id} does not exist`);
      const from = jurisdictionOf(row.jurisdiction, profile);
      const to = jurisdictionOf(body.to, profile);
      if (!to)
        throw new Problem(422, 'unknown-jurisdiction', 'Unknown jurisdiction', `${body.to} is neither the city, a district nor a street of the city profile`);
      if ((to.level === 'district' && profile.district(to.code)?.retired) || (to.level === 'street' && profile.street(to.code)?.retired)) {
        throw new Problem(422, 'retired-jurisdiction', 'Retired jurisdiction', `${body.to} is retired: nothing new is handed to it`);
      }
      const step = from && handoverBetween(from, to);
      if (!step)
        throw new Problem(
          422,
          'not-one-level',
          'Not one level up or down',
          `the suggestion is held by ${row.jurisdiction}; ${body.to} is not the level above or below it`,
        );
      return { from: row.jurisdiction, to: body.to, direction: step.direction, toLevel: step.toLevel, reason: body.reason };
    },
  );

  return router;
}
