import { Router } from 'express';
import { z } from 'zod';
import { milestoneSchema } from '../../domain/decision';
import { maxMilestones } from '../../domain/implementation';
import { answerFollowUpUpdate, reportProgressUpdate, revisePlanUpdate } from '../../workflows/feedback-messages';
import { actionEndpoints } from '../action-endpoint';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { problemDocument, suggestionIdParams, suggestionView } from '../schemas';

// 落实转化: the departments report progress on an adopted suggestion's milestones, the lead
// department revises the plan (with its reason) and answers the follow-up check.

const milestoneParams = suggestionIdParams.extend({ milestoneId: z.string().regex(/^M\d{1,4}$/, 'a milestone id such as M1') });

const progressBody = z
  .object({
    percent: z.number().int().min(0).max(100),
    note: z.string().trim().min(2).max(2000),
    evidenceUrl: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  })
  .strict();

const revisionBody = z
  .object({
    reason: z.string().trim().min(2).max(2000),
    milestones: z.array(milestoneSchema.extend({ id: z.string().regex(/^M\d{1,4}$/).optional() })).min(1).max(maxMilestones),
  })
  .strict();

const followUpBody = z.object({ stillInPlace: z.boolean(), note: z.string().trim().min(2).max(2000) }).strict();

const refusals = {
  200: { description: 'Recorded', schema: suggestionView },
  403: { description: 'Not the lead or owner department', schema: problemDocument },
  404: { description: 'No such suggestion', schema: problemDocument },
  409: { description: 'Not in a state that allows this', schema: problemDocument },
  422: { description: 'Not consistent with the plan', schema: problemDocument },
};

export function implementationRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const actionEndpoint = actionEndpoints(ctx, registry, router);

  actionEndpoint(
    {
      method: 'post',
      path: '/v1/suggestions/:id/implementation/milestones/:milestoneId/progress',
      summary: 'The owner or lead department reports progress on a milestone (100 = done), with an optional evidence link',
      tag: 'implementation',
      access: ['department'],
      params: milestoneParams,
      body: progressBody,
      responses: refusals,
    },
    reportProgressUpdate,
    ({ params, body }) => ({ milestoneId: params.milestoneId, ...body }),
  );

  actionEndpoint(
    {
      method: 'put',
      path: '/v1/suggestions/:id/implementation/plan',
      summary: "The lead department revises the plan's milestones, giving its reason; kept milestone ids keep their progress",
      tag: 'implementation',
      access: ['department'],
      params: suggestionIdParams,
      body: revisionBody,
      responses: refusals,
    },
    revisePlanUpdate,
    ({ body }) => body,
  );

  actionEndpoint(
    {
      method: 'post',
      path: '/v1/suggestions/:id/implementation/follow-up',
      summary: 'The lead department answers the follow-up check: is the change still in place?',
      tag: 'implementation',
      access: ['department'],
      params: suggestionIdParams,
      body: followUpBody,
      responses: refusals,
    },
    answerFollowUpUpdate,
    ({ body }) => body,
  );

  return router;
}
