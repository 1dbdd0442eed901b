import { Router } from 'express';
import { z } from 'zod';
import { evidenceUploadsSchema, milestoneSchema } from '../../domain/decision';
import { maxMilestones } from '../../domain/implementation';
import { answerFollowUpUpdate, reportProgressUpdate, revisePlanUpdate } from '../../workflows/feedback-messages';
import { actionEndpoints } from '../action-endpoint';
import { markAttached, uploaderOf, uploadsFor } from '../attachments';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { problemDocument, suggestionIdParams, suggestionView } from '../schemas';

// 落实转化: the departments report progress on an adopted suggestion's milestones, the lead
// department revises the plan (with its reason) and answers the follow-up check.

const milestoneParams = suggestionIdParams.extend({ milestoneId: z.string().regex(/^M\d{1,4}$/, 'a milestone id such as M1') });

const progressBody = z
  .object({
    percent: z
      .number()
      .int()
      .min(0)
      .max(100)
      .describe('how far the milestone is now, 0–100; 100 marks it done')
      .meta({ examples: [60] }),
    note: z
      .string()
      .trim()
      .min(2)
      .max(2000)
      .describe('what was done, as the proposer reads it on the status page')
      .meta({ examples: ['候车亭基础施工已完成，到站信息屏预计下月安装。'] }),
    evidenceUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .describe('an http(s) link to public evidence (a notice, photos), shown to the proposer')
      .meta({ examples: ['https://jtw.sh.gov.cn/gsgg/20261215/guoding-road-shelter.html'] }),
    evidence: evidenceUploadsSchema,
  })
  .strict()
  .describe('A progress report on one milestone')
  .meta({
    examples: [
      { percent: 60, note: '候车亭基础施工已完成，到站信息屏预计下月安装。', evidenceUrl: 'https://jtw.sh.gov.cn/gsgg/20261215/guoding-road-shelter.html' },
    ],
  });

const revisionBody = z
  .object({
    reason: z
      .string()
      .trim()
      .min(2)
      .max(2000)
      .describe('why the plan changes, kept with the revision')
      .meta({ examples: ['信息屏供货延迟，安装节点顺延20个工作日。'] }),
    milestones: z
      .array(
        milestoneSchema.extend({
          id: z
            .string()
            .regex(/^M\d{1,4}$/)
            .optional()
            .describe('a milestone kept from the plan (M1, M2 …), keeping its progress; none: a new one')
            .meta({ examples: ['M2'] }),
        }),
      )
      .min(1)
      .max(maxMilestones)
      .describe('the milestones from now on; one left out is dropped'),
  })
  .strict()
  .describe("The lead department revises the plan's milestones")
  .meta({
    examples: [
      {
        reason: '信息屏供货延迟，安装节点顺延20个工作日。',
        milestones: [
          { id: 'M1', title: '现场踏勘和方案设计', ownerDepartment: 'transport', dueInWorkingDays: 20 },
          { id: 'M2', title: '候车亭施工和信息屏安装', ownerDepartment: 'transport', dueInWorkingDays: 80 },
        ],
      },
    ],
  });

const followUpBody = z
  .object({
    stillInPlace: z.boolean().describe('whether the change is still in place months later'),
    note: z
      .string()
      .trim()
      .min(2)
      .max(2000)
      .describe('what the department found')
      .meta({ examples: ['候车亭和信息屏运行正常，已纳入日常养护。'] }),
  })
  .strict()
  .describe('The lead department answers the follow-up check (回头看)')
  .meta({ examples: [{ stillInPlace: true, note: '候车亭和信息屏运行正常，已纳入日常养护。' }] });

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
    async ({ params, body, staff }) => {
      const evidence = await uploadsFor(ctx, body.evidence, uploaderOf(staff), params.id);
      await markAttached(ctx, params.id, evidence, 'progress', params.milestoneId);
      return { milestoneId: params.milestoneId, ...body, evidence };
    },
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
