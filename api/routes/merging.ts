import { Router } from 'express';
import { z } from 'zod';
import { trackingNumberPattern } from '../../domain/tracking-number';
import { mergeUpdate, unmergeUpdate } from '../../workflows/messages';
import { actionEndpoints } from '../action-endpoint';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { requireInJurisdiction } from '../jurisdiction-scope';
import { problemDocument, suggestionIdParams, suggestionView } from '../schemas';

// 合并办理: the collection office merges a suggestion into another on the same matter (the
// primary); the merged one follows the primary, whose decision answers every proposer of the
// group, each by their own channel. Until the primary is decided the office can undo it.

const mergeBody = z
  .object({
    into: z
      .string()
      .regex(trackingNumberPattern, 'a tracking number such as JY-20261126-7K3QXM')
      .describe('the tracking number of the suggestion that answers for the matter (the primary)')
      .meta({ examples: ['JY-20261126-7K3QXM'] }),
    reason: z
      .string()
      .trim()
      .min(2)
      .max(2000)
      .describe('why they are one matter, for both timelines')
      .meta({ examples: ['同一路口（国定路政民路）行人信号灯时长问题，合并办理'] }),
  })
  .strict()
  .meta({ examples: [{ into: 'JY-20261126-7K3QXM', reason: '同一路口（国定路政民路）行人信号灯时长问题，合并办理' }] });
const unmergeBody = z
  .object({
    reason: z
      .string()
      .trim()
      .min(2)
      .max(2000)
      .describe('why it is handled on its own after all')
      .meta({ examples: ['经核实为不同路口，恢复单独办理'] }),
  })
  .strict()
  .meta({ examples: [{ reason: '经核实为不同路口，恢复单独办理' }] });

const refusals = {
  404: { description: 'No such suggestion, or no such primary', schema: problemDocument },
  409: { description: 'Either one is past being merged: decided, closed, itself merged, or a primary of others', schema: problemDocument },
  422: { description: 'The merge is incomplete', schema: problemDocument },
};

/** A primary must be a suggestion still before its decision, and not merged into another itself. */
const mergeableStatuses = ['received', 'triage', 'handling'];

export function mergingRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const actionEndpoint = actionEndpoints(ctx, registry, router);

  actionEndpoint(
    {
      method: 'post',
      path: '/v1/suggestions/:id/merge',
      summary:
        'The office merges this suggestion into another on the same matter (合并办理): it is answered with that one, its proposer each by their own channel',
      tag: 'triage',
      access: ['office'],
      params: suggestionIdParams,
      body: mergeBody,
      responses: { 200: { description: 'Merged: it waits for the primary', schema: suggestionView }, ...refusals },
    },
    mergeUpdate,
    async ({ params, body, staff }) => {
      // The primary must be within the office's jurisdiction too.
      await requireInJurisdiction(ctx, staff, body.into);
      if (body.into === params.id) throw new Problem(422, 'invalid-action', 'Action refused', 'a suggestion cannot be merged into itself');
      const primary = await ctx.db.suggestion.findUnique({ where: { id: body.into }, select: { status: true } });
      if (!primary) throw new Problem(404, 'not-found', 'Not found', `suggestion ${body.into} does not exist`);
      if (!mergeableStatuses.includes(primary.status))
        throw new Problem(
          409,
          'wrong-state',
          'Action refused',
          `suggestion ${body.into} is ${primary.status}: merge into a suggestion still before its decision`,
        );
      return body;
    },
  );

  actionEndpoint(
    {
      method: 'delete',
      path: '/v1/suggestions/:id/merge',
      summary: 'The office undoes a merge before the primary is decided: the suggestion is handled on its own again, under its own deadline',
      tag: 'triage',
      access: ['office'],
      params: suggestionIdParams,
      body: unmergeBody,
      responses: { 200: { description: 'Handled on its own again', schema: suggestionView }, ...refusals },
    },
    unmergeUpdate,
    ({ body }) => body,
  );

  return router;
}
