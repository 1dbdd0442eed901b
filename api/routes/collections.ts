import { Router } from 'express';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { z } from 'zod';
import { collectionScheduleId } from '../../temporal-client/schedule-calendar';
import { collectionIdPattern, createCollectionSchema } from '../../domain/campaign';
import { campaignOf, campaignSubjectView, requireDepartments } from '../campaign-records';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { idempotencyHeaders, withIdempotency, withIdempotencyResponses } from '../idempotency';
import { requireCityOffice } from '../campaign-levels';
import { Problem } from '../problem';
import { launchCollection, newCollectionId } from '../proactive-collection';
import { problemDocument } from '../schemas';

// Recurring collections (每月汇): each is a Temporal Schedule that opens a round on the first
// working day of every month. The office creates, pauses, resumes, triggers and deletes them.

const collectionParams = z.object({
  id: z
    .string()
    .regex(collectionIdPattern, 'a collection id')
    .describe("the collection's id")
    .meta({ examples: ['wujiaochang-monthly'] }),
});
const noteBody = z
  .object({
    note: z
      .string()
      .trim()
      .min(2)
      .max(500)
      .optional()
      .describe("a note kept on the collection's Schedule")
      .meta({ examples: ['一月轮次因春节顺延。'] }),
  })
  .strict()
  .describe('A note on pausing, resuming or running the collection now')
  .meta({ examples: [{ note: '一月轮次因春节顺延。' }] });

const collectionView = campaignSubjectView
  .extend({
    roundWorkingDays: z.number().int().describe('each round is open this many working days from the first working day of the month'),
    schedule: z
      .object({
        id: z.string().describe("the Temporal Schedule's id"),
        paused: z.boolean().describe('whether the Schedule is paused'),
        note: z.string().optional().describe("the Schedule's note"),
        nextRuns: z.array(z.string()).describe('when the next rounds open (ISO 8601, UTC)'),
        recentRuns: z
          .array(
            z.object({
              scheduledAt: z.string().describe('when the round was due'),
              startedAt: z.string().describe('when it started'),
              workflowId: z.string().describe("the round's workflow"),
            }),
          )
          .describe('the rounds started lately'),
      })
      .describe('the Schedule that opens a round each month'),
    rounds: z
      .array(
        z.object({
          id: z.string().describe("the round's id (the collection's, and the day)"),
          status: z.string().describe("the round's status"),
          opensAt: z.string().describe('when it opens'),
          closesAt: z.string().describe('when it closes'),
        }),
      )
      .describe('its rounds, newest first'),
  })
  .describe('A recurring collection (每月汇) with its Schedule and rounds')
  .meta({
    examples: [
      {
        id: 'wujiaochang-monthly',
        title: '五角场街道“每月汇”：本月民生问题清单',
        description: '每月第一个工作日，街道干部走访社区，收集居民本月反映的问题和建议，交有关部门办理。',
        topics: ['加装电梯和住房', '街面秩序', '社区便民服务'],
        leadDepartment: 'yangpu-wujiaochang',
        jointDepartments: ['yangpu-housing'],
        districts: ['yangpu'],
        categories: ['housing', 'city_appearance', 'other'],
        roundWorkingDays: 5,
        schedule: {
          id: 'collection-wujiaochang-monthly',
          paused: false,
          nextRuns: ['2027-01-04T00:00:00.000Z'],
          recentRuns: [{ scheduledAt: '2026-12-01T00:00:00.000Z', startedAt: '2026-12-01T00:00:01.000Z', workflowId: 'campaign-wujiaochang-monthly-20261201' }],
        },
        rounds: [{ id: 'wujiaochang-monthly-20261201', status: 'open', opensAt: '2026-12-01T00:00:00.000Z', closesAt: '2026-12-07T15:59:59.999Z' }],
      },
    ],
  });

export function collectionRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const now = ctx.now ?? (() => new Date());
  const schedule = (id: string) => ctx.temporal.schedule.getHandle(collectionScheduleId(id));

  async function describe(id: string): Promise<z.infer<typeof collectionView>> {
    const row = await ctx.db.recurringCollection.findUnique({ where: { id } });
    if (!row || row.deletedAt) throw new Problem(404, 'not-found', 'Not found', `collection ${id} does not exist`);
    const [info, rounds] = await Promise.all([
      schedule(id)
        .describe()
        .catch((err: Error) => {
          if (err.name === 'ScheduleNotFoundError') throw new Problem(404, 'not-found', 'Not found', `collection ${id} has no schedule`);
          throw err;
        }),
      ctx.db.campaign.findMany({ where: { collectionId: id }, orderBy: { opensAt: 'desc' }, take: 24 }),
    ]);
    const { deletedAt: _deleted, createdAt: _created, ...collection } = row;
    return {
      ...collection,
      schedule: {
        id: info.scheduleId,
        paused: info.state.paused,
        ...(info.state.note ? { note: info.state.note } : {}),
        nextRuns: info.info.nextActionTimes.map((t) => t.toISOString()),
        recentRuns: info.info.recentActions.map((a) => ({
          scheduledAt: a.scheduledAt.toISOString(),
          startedAt: a.takenAt.toISOString(),
          workflowId: a.action.workflow.workflowId,
        })),
      },
      rounds: rounds.map((r) => {
        const { id: roundId, status, opensAt, closesAt } = campaignOf(r);
        return { id: roundId, status, opensAt, closesAt };
      }),
    };
  }

  /** Runs a schedule operation; a schedule deleted behind the API's back reads as a missing collection. */
  async function onSchedule(id: string, op: () => Promise<void>): Promise<void> {
    await describe(id);
    try {
      await op();
    } catch (err) {
      if ((err as Error).name === 'ScheduleNotFoundError') throw new Problem(404, 'not-found', 'Not found', `collection ${id} has no schedule`);
      throw err;
    }
  }

  const responses = {
    200: { description: 'The collection and its schedule', schema: collectionView },
    404: { description: 'No such collection', schema: problemDocument },
  };

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/collections',
      summary: 'Create a recurring collection: a Schedule opening a round on the first working day of each month',
      tag: 'collections',
      access: ['office'],
      body: createCollectionSchema,
      headers: idempotencyHeaders,
      responses: withIdempotencyResponses({
        201: { description: 'Created', schema: collectionView },
        409: { description: 'A collection with this id exists', schema: problemDocument },
        422: { description: 'Unknown department, or no calendar data for this year', schema: problemDocument },
      }),
    },
    // Without an id of its own each request would create a collection (and a Schedule) under a new id.
    withIdempotency(ctx, 'POST /v1/collections', async ({ body, req, res }) => {
      requireCityOffice(ctx, req.staff!);
      await requireDepartments(ctx.db, [body.leadDepartment, ...body.jointDepartments]);
      const { id: requested, ...template } = body;
      const id = requested ?? newCollectionId('mh', now());
      await launchCollection(ctx, id, template, now());
      res
        .status(201)
        .location(`/v1/collections/${id}`)
        .json(await describe(id));
    }),
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/collections',
      summary: 'Every recurring collection with its schedule',
      tag: 'collections',
      access: ['office', 'supervisor', 'admin'],
      responses: { 200: { description: 'Collections', schema: z.object({ items: z.array(collectionView) }) } },
    },
    async ({ res }) => {
      const rows = await ctx.db.recurringCollection.findMany({ where: { deletedAt: null }, orderBy: { createdAt: 'asc' } });
      // A collection whose schedule was removed outside the API is left out rather than failing the list.
      const described = await Promise.allSettled(rows.map((r) => describe(r.id)));
      const failed = described.find((d) => d.status === 'rejected' && !(d.reason instanceof Problem && d.reason.status === 404));
      if (failed) throw (failed as PromiseRejectedResult).reason;
      res.json({ items: described.flatMap((d) => (d.status === 'fulfilled' ? [d.value] : [])) });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/collections/:id',
      summary: 'One collection: schedule state, next and recent runs, rounds',
      tag: 'collections',
      access: ['office', 'supervisor', 'admin'],
      params: collectionParams,
      responses,
    },
    async ({ params, res }) => {
      res.json(await describe(params.id));
    },
  );

  const scheduleActions = [
    {
      path: 'pause',
      summary: 'Pause the collection: no rounds open until it resumes',
      run: (id: string, note?: string) => schedule(id).pause(note ?? 'paused by the collection office'),
    },
    {
      path: 'resume',
      summary: 'Resume a paused collection',
      run: (id: string, note?: string) => schedule(id).unpause(note ?? 'resumed by the collection office'),
    },
    // The office's "now" must not wait behind a round still open, so it overrides BUFFER_ONE.
    {
      path: 'trigger',
      summary: 'Open a round now, outside the monthly rhythm (one round per collection a day)',
      run: (id: string) => schedule(id).trigger(ScheduleOverlapPolicy.ALLOW_ALL),
    },
  ];
  for (const action of scheduleActions) {
    registry.add(
      router,
      {
        method: 'post',
        path: `/v1/collections/:id/${action.path}`,
        summary: action.summary,
        tag: 'collections',
        access: ['office'],
        params: collectionParams,
        body: noteBody,
        responses,
      },
      async ({ params, body, req, res }) => {
        requireCityOffice(ctx, req.staff!);
        await onSchedule(params.id, () => action.run(params.id, body.note));
        res.json(await describe(params.id));
      },
    );
  }

  registry.add(
    router,
    {
      method: 'delete',
      path: '/v1/collections/:id',
      summary: 'Delete the collection and its schedule; rounds already open run to their digest',
      tag: 'collections',
      access: ['office'],
      params: collectionParams,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'No such collection', schema: problemDocument } },
    },
    async ({ params, req, res }) => {
      requireCityOffice(ctx, req.staff!);
      await onSchedule(params.id, () => schedule(params.id).delete());
      await ctx.db.recurringCollection.update({ where: { id: params.id }, data: { deletedAt: now() } });
      res.status(204).end();
    },
  );

  return router;
}
