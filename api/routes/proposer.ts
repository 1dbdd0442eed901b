import { Router } from 'express';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { idempotencyHeaders } from '../idempotency';
import { forProposer, ownSuggestion, proposerStatus, rate, ratingBody, tokenHeaders, tokenOf } from '../proposer-tracking';
import { problemDocument, suggestionIdParams } from '../schemas';
import { trackingTokenHeader } from '../tracking-token';

// The proposer's own endpoints (查询, 评价); what they are shown is decided in proposer-tracking.ts.

export function proposerTrackingRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/suggestions/:id/tracking',
      summary: `The proposer follows their suggestion: status, outcome, progress and timeline (tracking token in the ${trackingTokenHeader} header)`,
      tag: 'proposer',
      access: 'public',
      params: suggestionIdParams,
      headers: tokenHeaders,
      responses: {
        200: { description: 'What concerns the proposer', schema: proposerStatus },
        400: { description: 'No tracking token', schema: problemDocument },
        404: { description: 'Unknown tracking number or wrong token', schema: problemDocument },
      },
    },
    async ({ params, req, res }) => {
      const view = await ownSuggestion(ctx, params.id, tokenOf(req));
      res.json(forProposer(view));
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/suggestions/:id/rating',
      summary: `The proposer rates the handling (满意度); dissatisfied opens one re-handling round (tracking token in the ${trackingTokenHeader} header)`,
      tag: 'proposer',
      access: 'public',
      params: suggestionIdParams,
      body: ratingBody,
      // A retried rating under the same key gets the first answer (action-endpoint.ts).
      headers: tokenHeaders.extend(idempotencyHeaders.shape),
      responses: {
        200: { description: 'Rated', schema: proposerStatus },
        400: { description: 'Invalid rating', schema: problemDocument },
        404: { description: 'Unknown tracking number or wrong token', schema: problemDocument },
        409: { description: 'Nothing to rate now: no reply yet, already rated, or the window closed', schema: problemDocument },
      },
    },
    async ({ params, body, req, res }) => {
      res.json(forProposer(await rate(ctx, params.id, tokenOf(req), body, req)));
    },
  );

  return router;
}
