import { Router } from 'express';
import { outOfScopeBody, urgentBody } from '../../domain/handling-requests';
import { closeOutOfScopeUpdate, markUrgentUpdate } from '../../workflows/handling-messages';
import { actionEndpoints } from '../action-endpoint';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { problemDocument, suggestionIdParams, suggestionPage, suggestionView } from '../schemas';
import { jurisdictionWhere } from '../jurisdiction-scope';
import { listPage, queueQuery } from '../suggestion-list';

// The collection office's triage (甄别): the queue of suggestions no rule routed, closing what is
// not a suggestion (Art 10), and the emergency fast path (Art 14). Assignment and reassignment
// are POST /v1/suggestions/:id/assignment (routes/suggestions.ts).

const refusals = {
  404: { description: 'No such suggestion', schema: problemDocument },
  409: { description: 'Already decided or closed', schema: problemDocument },
  422: { description: 'The action is incomplete', schema: problemDocument },
};

export function triageRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const actionEndpoint = actionEndpoints(ctx, registry, router);

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/triage-queue',
      summary: "The collection office's queue: suggestions no rule routed, oldest first",
      tag: 'triage',
      access: ['office', 'supervisor'],
      query: queueQuery('receivedAt'),
      responses: { 200: { description: 'A page of the queue', schema: suggestionPage } },
    },
    async ({ query, req, res }) => {
      // A district's office sees its district's queue and what is handed to its level or below.
      res.json(await listPage(ctx.db, query, { status: 'triage' }, jurisdictionWhere(req.staff!, ctx.profile!.current)));
    },
  );

  actionEndpoint(
    {
      method: 'post',
      path: '/v1/suggestions/:id/out-of-scope',
      summary: 'The office closes a personal claim or a matter for a court, arbitration or administrative review, and tells the proposer where to turn',
      tag: 'triage',
      access: ['office'],
      params: suggestionIdParams,
      body: outOfScopeBody,
      responses: { 200: { description: 'Closed', schema: suggestionView }, ...refusals },
    },
    closeOutOfScopeUpdate,
    ({ body }) => body,
  );

  actionEndpoint(
    {
      method: 'post',
      path: '/v1/suggestions/:id/urgent',
      summary: 'The office puts a suggestion on the emergency fast path with its short limits',
      tag: 'triage',
      access: ['office'],
      params: suggestionIdParams,
      body: urgentBody,
      responses: { 200: { description: 'On the fast path', schema: suggestionView }, ...refusals },
    },
    markUrgentUpdate,
    ({ body }) => body,
  );

  return router;
}
