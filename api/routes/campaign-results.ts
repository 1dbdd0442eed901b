import { Router } from 'express';
import { z } from 'zod';
import type { CampaignFeedback } from '../../domain/feedback';
import { workflowIdFor } from '../../domain/tracking-number';
import { campaignFeedbackSignal } from '../../workflows/feedback-messages';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { campaignsVisibleTo, requireCampaignHeld } from '../campaign-levels';
import { Problem } from '../problem';
import { problemDocument } from '../schemas';

// 集中反馈 (Art 12): when a campaign has closed, the office publishes its collective results and
// every suggestion the campaign collected is answered with them. Each suggestion's workflow takes
// the first results it is sent and ignores any later ones, so a retried publication is harmless;
// a suggestion already answered on its own at its deadline has finished and is only counted.

const params = z.object({ id: z.string().min(3).max(64) });
const body = z
  .object({
    summary: z
      .string()
      .trim()
      .min(2)
      .max(4000)
      .describe("the campaign's collective results, as every proposer it collected reads them")
      .meta({ examples: ['本次征集共收到建议1297条，梳理形成养老服务、菜场商铺、绿地和慢行道路四类共86项措施，已纳入明年社区生活圈建设计划。'] }),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .describe('where the results are published in full')
      .meta({ examples: ['https://ghzyj.sh.gov.cn/gsgg/20270115/life-circle-results.html'] }),
  })
  .strict()
  .describe("A closed campaign's collective results (集中反馈, Art 12)")
  .meta({
    examples: [
      {
        summary: '本次征集共收到建议1297条，梳理形成养老服务、菜场商铺、绿地和慢行道路四类共86项措施，已纳入明年社区生活圈建设计划。',
        url: 'https://ghzyj.sh.gov.cn/gsgg/20270115/life-circle-results.html',
      },
    ],
  });
const published = z.object({ campaignId: z.string(), publishedAt: z.string(), sentTo: z.number().int(), alreadyAnswered: z.number().int() });

export function campaignResultRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/campaigns/:id/results',
      summary: "Publish a closed campaign's collective results; every suggestion it collected is answered with them",
      tag: 'campaigns',
      access: ['office'],
      params,
      body,
      responses: {
        200: { description: 'The results went to every suggestion still waiting for them', schema: published },
        403: { description: "Role not allowed, or a campaign another level's office made", schema: problemDocument },
        404: { description: 'No such campaign', schema: problemDocument },
        409: { description: 'The campaign has not closed', schema: problemDocument },
      },
    },
    async ({ params: { id }, body: results, req, res }) => {
      const campaign = await ctx.db.campaign.findFirst({
        where: { AND: [{ id }, campaignsVisibleTo(ctx, req.staff!)] },
        select: { id: true, status: true, jurisdiction: true },
      });
      if (!campaign) throw new Problem(404, 'not-found', 'Not found', `no campaign ${id}`);
      requireCampaignHeld(ctx, req.staff!, campaign);
      if (campaign.status !== 'closed')
        throw new Problem(409, 'campaign-not-closed', 'Campaign not closed', `campaign ${id} is ${campaign.status}; results are published after it closes`);

      const feedback: CampaignFeedback = {
        campaignId: id,
        summary: results.summary,
        ...(results.url ? { url: results.url } : {}),
        publishedAt: new Date().toISOString(),
      };
      const suggestions = await ctx.db.suggestion.findMany({ where: { campaignId: id }, select: { trackingNumber: true } });
      let sentTo = 0;
      let alreadyAnswered = 0;
      for (const { trackingNumber } of suggestions) {
        try {
          await ctx.temporal.workflow.getHandle(workflowIdFor(trackingNumber)).signal(campaignFeedbackSignal, feedback);
          sentTo += 1;
        } catch (err) {
          if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
          alreadyAnswered += 1;
        }
      }
      res.json({ campaignId: id, publishedAt: feedback.publishedAt, sentTo, alreadyAnswered });
    },
  );
  return router;
}
