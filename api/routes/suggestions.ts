import { Router } from 'express';
import { decisionSchema } from '../../domain/decision';
import { submitSuggestionSchema } from '../../domain/intake';
import { assignUpdate, decideUpdate } from '../../workflows/messages';
import { actionEndpoints } from '../action-endpoint';
import { markAttached, uploaderOf, uploadsFor } from '../attachments';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { takeIn } from '../intake';
import { Problem } from '../problem';
import { readSuggestion } from '../read-model';
import { assignmentBody, intakeReceipt, problemDocument, suggestionIdParams, suggestionPage, suggestionView } from '../schemas';
import { inJurisdiction, jurisdictionWhere } from '../jurisdiction-scope';
import { notFound, queryWorkflow, visibleTo } from '../suggestion-client';
import { listPage, queueQuery, suggestionListQuery } from '../suggestion-list';

export function suggestionRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const actionEndpoint = actionEndpoints(ctx, registry, router);

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/suggestions',
      summary: 'Submit a suggestion (any channel); returns its tracking number',
      tag: 'intake',
      access: 'public',
      body: submitSuggestionSchema,
      responses: {
        202: { description: 'Registered; the suggestion workflow has started', schema: intakeReceipt },
        400: { description: 'Invalid input', schema: problemDocument },
        403: { description: 'This channel is registered by intake staff only', schema: problemDocument },
        409: { description: 'The campaign named is not open: not yet, paused, closed or cancelled', schema: problemDocument },
        422: { description: 'Idempotency-Key reused with a different suggestion, or receivedAt in the future', schema: problemDocument },
      },
    },
    async ({ body, req, res }) => {
      const receipt = await takeIn(ctx, body, req.staff, req.header('idempotency-key'));
      res.status(202).location(`/v1/suggestions/${receipt.id}`).json(receipt);
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/suggestions/:id',
      summary: 'A suggestion with its status, deadline, decision and timeline',
      tag: 'suggestions',
      access: ['intake', 'office', 'department', 'supervisor', 'admin'],
      params: suggestionIdParams,
      responses: {
        200: { description: 'The suggestion', schema: suggestionView },
        404: { description: "No such suggestion (or not one of your department's)", schema: problemDocument },
      },
    },
    async ({ params, req, res }) => {
      const view = (await readSuggestion(ctx.db, params.id)) ?? (await queryWorkflow(ctx, params.id));
      if (!view || !visibleTo(req.staff!, view) || !inJurisdiction(req.staff!, view, ctx.profile!.current)) throw notFound(params.id);
      res.json(view);
    },
  );

  actionEndpoint(
    {
      method: 'post',
      path: '/v1/suggestions/:id/decision',
      summary: 'The lead department records its decision and the reply to the proposer',
      tag: 'handling',
      access: ['department'],
      params: suggestionIdParams,
      body: decisionSchema,
      responses: {
        200: { description: 'Decided; the reply goes to the proposer', schema: suggestionView },
        403: { description: 'Not the lead department', schema: problemDocument },
        404: { description: 'No such suggestion', schema: problemDocument },
        409: { description: 'Not in a state that can be decided', schema: problemDocument },
        422: { description: 'The decision is incomplete', schema: problemDocument },
      },
    },
    decideUpdate,
    async ({ params, body, staff }) => {
      // Attached before the update is sent, to this suggestion only: a retried decision finds them so.
      const evidence = await uploadsFor(ctx, body.evidence, uploaderOf(staff), params.id);
      await markAttached(ctx, params.id, evidence, 'decision');
      return { ...body, evidence };
    },
  );

  actionEndpoint(
    {
      method: 'post',
      path: '/v1/suggestions/:id/assignment',
      summary: 'The collection office routes a suggestion by hand or reassigns it before the decision',
      tag: 'triage',
      access: ['office'],
      params: suggestionIdParams,
      body: assignmentBody,
      responses: {
        200: { description: 'Assigned', schema: suggestionView },
        404: { description: 'No such suggestion or department', schema: problemDocument },
        409: { description: 'Already decided', schema: problemDocument },
      },
    },
    assignUpdate,
    async ({ body }) => {
      const known = await ctx.db.department.count({ where: { code: { in: [body.leadDepartment, ...body.coDepartments] } } });
      if (known !== new Set([body.leadDepartment, ...body.coDepartments]).size) {
        throw new Problem(404, 'unknown-department', 'Unknown department', 'the lead or a co-handling department does not exist');
      }
      return body;
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/suggestions',
      summary: 'Suggestions, filtered and sorted, a page at a time (a department sees only its own)',
      tag: 'suggestions',
      access: ['office', 'department', 'supervisor', 'admin'],
      query: suggestionListQuery,
      responses: {
        200: { description: 'A page of suggestions', schema: suggestionPage },
        403: { description: "Another department's suggestions", schema: problemDocument },
      },
    },
    async ({ query, req, res }) => {
      const staff = req.staff!;
      if (staff.role === 'department' && query.department && query.department !== staff.departmentCode) {
        throw new Problem(403, 'forbidden', 'Not allowed', 'a department lists only its own suggestions');
      }
      res.json(
        await listPage(ctx.db, query, staff.role === 'department' ? { department: staff.departmentCode } : {}, jurisdictionWhere(staff, ctx.profile!.current)),
      );
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/overdue',
      summary:
        'Suggestions with something past its limit now (超期): an answer, a re-handling, a milestone or a follow-up check; longest overdue first, for supervision',
      tag: 'supervision',
      access: ['supervisor', 'office'],
      query: queueQuery('dueAt'),
      responses: { 200: { description: 'A page of overdue suggestions', schema: suggestionPage } },
    },
    async ({ query, req, res }) => {
      // The flag is about now (workflows/overdue.ts), so it needs no status filter: an answer that
      // finally came or a milestone finally done has left the list.
      res.json(await listPage(ctx.db, query, { overdue: 'true' }, jurisdictionWhere(req.staff!, ctx.profile!.current)));
    },
  );

  return router;
}
