import { Router } from 'express';
import { z } from 'zod';
import {
  campaignStatuses,
  createCampaignSchema,
  departmentShare,
  participatingDepartments,
  type CampaignDigest,
  type CampaignPlan,
  type CampaignView,
} from '../../domain/campaign';
import { cancelCampaignUpdate, extendCampaignUpdate, pauseCampaignUpdate, resumeCampaignUpdate, type CampaignAction } from '../../workflows/campaign-messages';
import { actionUpdateId, type ActionCaller } from '../action-endpoint';
import { campaignLevel, campaignsVisibleTo, requireCampaignHeld } from '../campaign-levels';
import { campaignOf, campaignView, openCampaigns, requireDepartments, type CampaignRow } from '../campaign-records';
import type { StaffIdentity } from '../staff-identity';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { idempotencyHeaders, withIdempotency, withIdempotencyResponses } from '../idempotency';
import { Problem } from '../problem';
import { launchCampaign, newCollectionId } from '../proactive-collection';
import { publicCache } from '../response-headers';
import { problemDocument } from '../schemas';
import { problemFromTemporal } from '../temporal-errors';

// The collection office runs thematic and joint campaigns (专题征集, 联合征集); the public sees the
// open ones, with their topics and deadline (Art 8).

const campaignParams = z.object({ id: z.string().min(3).max(64) });
const reason = z
  .string()
  .trim()
  .min(2)
  .max(2000)
  .describe("why, for the campaign's record")
  .meta({ examples: ['征集期间恰逢春节假期，暂停收集，节后恢复。'] });
const reasonBody = z
  .object({ reason: reason.optional() })
  .strict()
  .describe('The reason for pausing or resuming')
  .meta({ examples: [{ reason: '征集期间恰逢春节假期，暂停收集，节后恢复。' }] });
const cancelBody = z
  .object({ reason: reason.meta({ examples: ['征集主题已并入全市专项规划征询，本次征集取消。'] }) })
  .strict()
  .describe('The reason for cancelling; suggestions already received are still handled')
  .meta({ examples: [{ reason: '征集主题已并入全市专项规划征询，本次征集取消。' }] });
const extendBody = z
  .object({
    closesAt: z.iso
      .datetime({ offset: true })
      .describe('the new closing time, later than the one before (ISO 8601 with offset)')
      .meta({ examples: ['2027-01-15T23:59:59+08:00'] }),
    reason: reason.optional().meta({ examples: ['市民参与踊跃，征集延长至1月15日。'] }),
  })
  .strict()
  .describe('A later closing time (延期)')
  .meta({ examples: [{ closesAt: '2027-01-15T23:59:59+08:00', reason: '市民参与踊跃，征集延长至1月15日。' }] });

const publicCampaign = campaignView
  .pick({ id: true, title: true, description: true, topics: true, districts: true, categories: true, opensAt: true, closesAt: true })
  .extend({
    howToSubmit: z.string(),
  });
const digestView = z.object({
  campaignId: z.string(),
  final: z.boolean(),
  compiledAt: z.string(),
  total: z.number().int(),
  content: z.record(z.string(), z.unknown()),
});

export function campaignRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const now = ctx.now ?? (() => new Date());
  const officeActor = (req: { staff?: { label: string } }, reason?: string): CampaignAction => ({ actor: req.staff!.label, reason });

  async function campaignRow(id: string, staff?: StaffIdentity): Promise<CampaignRow> {
    const row = await ctx.db.campaign.findFirst({ where: { AND: [{ id }, staff ? campaignsVisibleTo(ctx, staff) : {}] } });
    if (!row) throw new Problem(404, 'not-found', 'Not found', `campaign ${id} does not exist`);
    return row;
  }

  /** Sends the office's action to the campaign's workflow; its validator refuses what does not fit the state. */
  async function act(
    id: string,
    staff: StaffIdentity,
    send: (handle: ReturnType<ApiContext['temporal']['workflow']['getHandle']>) => Promise<CampaignView>,
  ): Promise<CampaignView> {
    const row = await campaignRow(id, staff);
    requireCampaignHeld(ctx, staff, row);
    try {
      return await send(ctx.temporal.workflow.getHandle(row.workflowId));
    } catch (err) {
      if ((err as Error).name === 'WorkflowNotFoundError') throw new Problem(409, 'wrong-state', 'Action refused', `campaign ${id} has finished`);
      throw problemFromTemporal(err, `campaign ${id}`) ?? err;
    }
  }

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/campaigns',
      summary: 'Create a thematic or joint campaign; its workflow opens, reminds, closes and digests it',
      tag: 'campaigns',
      access: ['office'],
      body: createCampaignSchema,
      headers: idempotencyHeaders,
      responses: withIdempotencyResponses({
        201: { description: 'Created; it opens at opensAt', schema: campaignView },
        400: { description: 'Invalid campaign', schema: problemDocument },
        403: { description: "Role not allowed, or a campaign about districts beyond the office's own", schema: problemDocument },
        409: { description: 'A campaign with this id exists', schema: problemDocument },
        422: { description: 'Unknown department, or a window that has already ended', schema: problemDocument },
      }),
    },
    // Without an id of its own each request would create a campaign (and a workflow) under a new id.
    withIdempotency(ctx, 'POST /v1/campaigns', async ({ body, req, res }) => {
      const { districts, jurisdiction } = campaignLevel(ctx, req.staff!, body.districts);
      if (new Date(body.closesAt).getTime() <= now().getTime())
        throw new Problem(422, 'window-ended', 'Window already ended', 'closesAt must be in the future');
      await requireDepartments(ctx.db, [body.leadDepartment, ...body.jointDepartments]);
      const { id: requested, ...subject } = body;
      const id = requested ?? newCollectionId('zj', now());
      const plan: CampaignPlan = {
        id,
        kind: 'campaign',
        ...subject,
        jointDepartments: subject.jointDepartments.filter((d) => d !== subject.leadDepartment),
        districts,
        opensAt: new Date(body.opensAt).toISOString(),
        closesAt: new Date(body.closesAt).toISOString(),
      };
      await launchCampaign(ctx, plan, jurisdiction);
      res
        .status(201)
        .location(`/v1/campaigns/${id}`)
        .json(campaignOf(await campaignRow(id)));
    }),
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/campaigns/open',
      summary: 'The campaigns open for submissions now: topics, districts, deadline and how to submit',
      tag: 'campaigns',
      access: 'public',
      cache: publicCache,
      responses: { 200: { description: 'Open campaigns, closing soonest first', schema: z.object({ items: z.array(publicCampaign) }) } },
    },
    async ({ res }) => {
      const rows = await openCampaigns(ctx.db, now());
      res.json({
        items: rows.map((r) => {
          const { id, title, description, topics, districts, categories, opensAt, closesAt } = campaignOf(r);
          return {
            id,
            title,
            description,
            topics,
            districts,
            categories,
            opensAt,
            closesAt,
            howToSubmit: `POST /v1/suggestions with "campaignId": "${id}" and one of the topics as "campaignTopic"`,
          };
        }),
      });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/campaigns',
      summary: 'Every campaign and collection round, newest first',
      tag: 'campaigns',
      access: ['office', 'supervisor', 'department', 'admin'],
      query: z.object({ status: z.enum(campaignStatuses).optional() }).strict(),
      responses: { 200: { description: 'Campaigns', schema: z.object({ items: z.array(campaignView) }) } },
    },
    async ({ query, req, res }) => {
      const rows = await ctx.db.campaign.findMany({
        where: { AND: [query.status ? { status: query.status } : {}, campaignsVisibleTo(ctx, req.staff!)] },
        orderBy: { opensAt: 'desc' },
        take: 200,
      });
      res.json({ items: rows.map(campaignOf) });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/campaigns/:id',
      summary: 'One campaign',
      tag: 'campaigns',
      access: ['office', 'supervisor', 'department', 'admin'],
      params: campaignParams,
      responses: { 200: { description: 'The campaign', schema: campaignView }, 404: { description: 'No such campaign', schema: problemDocument } },
    },
    async ({ params, req, res }) => {
      res.json(campaignOf(await campaignRow(params.id, req.staff!)));
    },
  );

  type OfficeRequest = CampaignAction & { closesAt?: string };
  type Handle = ReturnType<ApiContext['temporal']['workflow']['getHandle']>;
  // The update id is the caller's, the action's and the Idempotency-Key's (action-endpoint.ts): the
  // same member of staff retrying gets the first answer; anyone else's request is checked anew.
  const actions: {
    path: string;
    body: z.ZodType<Omit<OfficeRequest, 'actor'>>;
    summary: string;
    send: (h: Handle, r: OfficeRequest, req: ActionCaller) => Promise<CampaignView>;
  }[] = [
    {
      path: 'extension',
      body: extendBody,
      summary: 'Extend the campaign: a later closing time (延期)',
      send: (h, r, req) =>
        h.executeUpdate(extendCampaignUpdate, { args: [{ ...r, closesAt: r.closesAt! }], updateId: actionUpdateId(req, extendCampaignUpdate.name) }),
    },
    {
      path: 'pause',
      body: reasonBody,
      summary: 'Pause the campaign: submissions are refused until it resumes',
      send: (h, r, req) => h.executeUpdate(pauseCampaignUpdate, { args: [r], updateId: actionUpdateId(req, pauseCampaignUpdate.name) }),
    },
    {
      path: 'resume',
      body: reasonBody,
      summary: 'Resume a paused campaign',
      send: (h, r, req) => h.executeUpdate(resumeCampaignUpdate, { args: [r], updateId: actionUpdateId(req, resumeCampaignUpdate.name) }),
    },
    {
      path: 'cancellation',
      body: cancelBody,
      summary: 'Cancel the campaign; suggestions already received continue',
      send: (h, r, req) => h.executeUpdate(cancelCampaignUpdate, { args: [r], updateId: actionUpdateId(req, cancelCampaignUpdate.name) }),
    },
  ];
  for (const action of actions) {
    registry.add(
      router,
      {
        method: 'post',
        path: `/v1/campaigns/:id/${action.path}`,
        summary: action.summary,
        tag: 'campaigns',
        access: ['office'],
        params: campaignParams,
        body: action.body,
        headers: idempotencyHeaders,
        responses: {
          200: { description: 'Done', schema: campaignView },
          403: { description: "Role not allowed, or a campaign another level's office made", schema: problemDocument },
          404: { description: 'No such campaign', schema: problemDocument },
          409: { description: 'Not in a state that allows it (closed, cancelled, not paused …)', schema: problemDocument },
          422: { description: 'An extension that does not close later', schema: problemDocument },
        },
      },
      async ({ params, body, req, res }) => {
        await act(params.id, req.staff!, (handle) => action.send(handle, { ...body, ...officeActor(req, body.reason) }, req));
        res.json(campaignOf(await campaignRow(params.id, req.staff!)));
      },
    );
  }

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/campaigns/:id/digest',
      summary:
        "The campaign's digest: counts by topic, district, category and channel, the suggestions per department, those awaiting a decision (a department: its own suggestions only)",
      tag: 'campaigns',
      access: ['office', 'supervisor', 'department', 'admin'],
      params: campaignParams,
      responses: {
        200: { description: 'The digest; final once the grace period after closing has passed', schema: digestView },
        404: { description: "No such campaign, not one of your department's, or not closed yet", schema: problemDocument },
      },
    },
    async ({ params, req, res }) => {
      const row = await campaignRow(params.id, req.staff!);
      const staff = req.staff!;
      if (staff.role === 'department' && !participatingDepartments(row).includes(staff.departmentCode ?? '')) {
        throw new Problem(404, 'not-found', 'Not found', `campaign ${params.id} is not one your department takes part in`);
      }
      const digest = await ctx.db.campaignDigest.findUnique({ where: { campaignId: params.id } });
      if (!digest) throw new Problem(404, 'digest-not-ready', 'No digest yet', `campaign ${params.id} is ${row.status}; the digest is compiled when it closes`);
      // A department sees its own share; the office, supervisors and administrators the whole digest.
      const content = staff.role === 'department' ? departmentShare(digest.content as unknown as CampaignDigest, staff.departmentCode ?? '') : digest.content;
      res.json({ campaignId: digest.campaignId, final: digest.final, compiledAt: digest.compiledAt.toISOString(), total: digest.total, content });
    },
  );

  return router;
}
