import { Router } from 'express';
import { z } from 'zod';
import { extensionDecisionBody, extensionRequestBody, opinionBody, returnBody } from '../../domain/handling-requests';
import { decideExtensionUpdate, giveOpinionUpdate, requestExtensionUpdate, returnUpdate, type CoHandlingOutcome } from '../../workflows/handling-messages';
import { actionEndpoints, actionUpdateId } from '../action-endpoint';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { idempotencyHeaders } from '../idempotency';
import { Problem } from '../problem';
import { problemDocument, suggestionIdParams, suggestionView } from '../schemas';
import { problemFromTemporal } from '../temporal-errors';
import { actorOf, notFound, queryWorkflow, visibleTo } from '../suggestion-client';

// Department and supervisor actions while a suggestion is handled: return (退回), extension
// (延期) and the co-handling opinion (会办意见). Each is a Temporal update; the Idempotency-Key
// names the action, so a retried request is applied once.

const refusals = {
  403: { description: 'Not the department (or role) that may do this', schema: problemDocument },
  404: { description: 'No such suggestion', schema: problemDocument },
  409: { description: "Not possible in the suggestion's current state", schema: problemDocument },
  422: { description: 'The action is incomplete', schema: problemDocument },
};

const opinionResult = z.object({
  department: z.string(),
  status: z.enum(['pending', 'given', 'missing']),
  dueAt: z.string(),
  opinion: z.string().optional(),
  givenBy: z.string().optional().describe('who gave it: the department and the member of staff'),
  at: z.string().optional().describe('when it was given'),
});

/** The opinion as the department is answered: what the co-handling recorded, not the workflow that holds it. */
function opinionAnswer(o: CoHandlingOutcome): z.output<typeof opinionResult> {
  return {
    department: o.department,
    status: o.status,
    dueAt: o.dueAt,
    ...(o.opinion === undefined ? {} : { opinion: o.opinion }),
    ...(o.givenBy === undefined ? {} : { givenBy: o.givenBy }),
    ...(o.at === undefined ? {} : { at: o.at }),
  };
}

export function handlingRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const actionEndpoint = actionEndpoints(ctx, registry, router);

  actionEndpoint(
    {
      method: 'post',
      path: '/v1/suggestions/:id/return',
      summary: 'The lead department returns a suggestion outside its remit, within its time limit (退回)',
      tag: 'handling',
      access: ['department'],
      params: suggestionIdParams,
      body: returnBody,
      responses: { 200: { description: 'Back in triage', schema: suggestionView }, ...refusals },
    },
    returnUpdate,
    ({ body }) => body,
  );

  actionEndpoint(
    {
      method: 'post',
      path: '/v1/suggestions/:id/extension-request',
      summary: 'The lead department asks for more time, with a reason (延期申请)',
      tag: 'handling',
      access: ['department'],
      params: suggestionIdParams,
      body: extensionRequestBody,
      responses: { 200: { description: 'Waiting for a supervisor', schema: suggestionView }, ...refusals },
    },
    requestExtensionUpdate,
    ({ body }) => body,
  );

  actionEndpoint(
    {
      method: 'post',
      path: '/v1/suggestions/:id/extension-decision',
      summary: 'A supervisor approves or refuses the pending extension; an approval moves the deadline and tells the proposer why',
      tag: 'handling',
      access: ['supervisor'],
      params: suggestionIdParams,
      body: extensionDecisionBody,
      responses: { 200: { description: 'Decided', schema: suggestionView }, ...refusals },
    },
    decideExtensionUpdate,
    ({ body }) => body,
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/suggestions/:id/opinion',
      summary: 'A co-handling department gives its opinion to the lead department (会办意见)',
      tag: 'handling',
      access: ['department'],
      params: suggestionIdParams,
      body: opinionBody,
      headers: idempotencyHeaders,
      responses: { 200: { description: 'Opinion recorded', schema: opinionResult }, ...refusals },
    },
    async ({ params, body, req, res }) => {
      const staff = req.staff!;
      const view = await queryWorkflow(ctx, params.id);
      // A department that cannot see the suggestion gets what its GET gets: no such suggestion.
      if (!view || !visibleTo(staff, view)) throw notFound(params.id);
      const opinions = (view.handling?.opinions ?? []).filter((o) => o.department === staff.departmentCode);
      const open = opinions.find((o) => o.status === 'pending');
      if (!open) {
        const last = opinions.at(-1);
        if (!last) throw new Problem(403, 'wrong-department', 'Action refused', `${staff.departmentCode} is not a co-handling department of this suggestion`);
        // A retry after the opinion was recorded gets the recorded opinion.
        if (last.status === 'given' && last.opinion === body.opinion.trim()) return void res.json(opinionAnswer({ ...last, status: last.status }));
        throw new Problem(409, 'wrong-state', 'Action refused', `the opinion of ${staff.departmentCode} is already ${last.status}`);
      }
      // One opinion per co-handling workflow: without a key, the department's retries share the update.
      const updateId = req.header('idempotency-key') ? actionUpdateId(req, giveOpinionUpdate.name) : `opinion-${open.workflowId}`;
      try {
        const outcome = await ctx.temporal.workflow
          .getHandle(open.workflowId)
          .executeUpdate(giveOpinionUpdate, { args: [{ actor: actorOf(staff), ...body }], updateId });
        res.json(opinionAnswer(outcome));
      } catch (err) {
        throw problemFromTemporal(err, `the co-handling of ${params.id}`) ?? err;
      }
    },
  );

  return router;
}
