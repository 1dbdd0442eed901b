import { Router } from 'express';
import { z } from 'zod';
import { categoryCode, districtCode } from '../../domain/profile-codes';
import { outcomesNeedingPlan, suggestionStatuses } from '../../domain/vocabulary';
import { profileOf } from '../../segmenter';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { problemDocument, suggestionIdParams } from '../schemas';
import { defaultSimilaritySettings, hotspots, profileOfSuggestion, similarOnBoard, similarSuggestions } from '../similarity';
import { queryWorkflow } from '../suggestion-client';
import { districtFiguresFor, requireInJurisdiction, visibleIds } from '../jurisdiction-scope';

// 多件同一事项: the suggestions about the same matter as one suggestion (for the office and the
// lead department), as a citizen's draft (the public board only) and the period's hotspots. How
// alike two suggestions are is domain/similarity.ts; the lookups are api/similarity.ts.

const score = z
  .number()
  .min(0)
  .max(1)
  .describe('how likely the same matter, 0 to 1; only those at or above the service threshold (SIMILARITY_THRESHOLD) are listed');

const similarList = z.object({
  items: z
    .array(
      z.object({
        id: z.string().describe('tracking number'),
        score,
        title: z.string(),
        status: z.enum(suggestionStatuses),
        department: z.string().nullable().describe('lead department; null while none is assigned'),
      }),
    )
    .describe('open suggestions and those closed within SIMILARITY_WINDOW_DAYS (180), best first; never the suggestion itself'),
});

const draftQuery = z
  .object({
    text: z.string().trim().min(2).max(2000).describe('what the citizen has typed so far: title and content'),
    district: districtCode.optional().describe('the district chosen, if any'),
    category: categoryCode.optional().describe('the category chosen, if any'),
    limit: z.coerce.number().int().min(1).max(20).default(5),
  })
  .strict();

const boardMatches = z.object({
  items: z.array(
    z.object({
      trackingNumber: z.string(),
      score,
      title: z.string(),
      summary: z.string().describe("the department's public summary of what changes"),
      department: z.string(),
      district: z.string(),
      category: z.string(),
      outcome: z.enum(outcomesNeedingPlan as ['adopted', 'partially_adopted']),
    }),
  ),
});

const isoDate = z.iso.date();
const hotspotQuery = z
  .object({
    from: isoDate.optional().describe('first day received (Shanghai date), inclusive; default: 29 days before `to`'),
    to: isoDate.optional().describe('last day received (Shanghai date), inclusive; default: today'),
    district: districtCode.optional().describe("a district office sees its own district's, the city office any"),
    category: categoryCode.optional(),
    minSize: z.coerce.number().int().min(2).max(1000).default(2).describe('the fewest suggestions a hotspot has in the period'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const hotspotList = z.object({
  from: isoDate,
  to: isoDate,
  previousFrom: isoDate.describe('the period of the same length just before, which growth compares with'),
  previousTo: isoDate,
  items: z
    .array(
      z.object({
        size: z.number().int().describe('suggestions in the period'),
        previousSize: z.number().int().describe('suggestions about the same matter in the period before'),
        growth: z.number().int().describe('size - previousSize'),
        growthRate: z.number().nullable().describe('growth / previousSize; null when the matter is new'),
        district: z.string().describe("the members' most common district"),
        place: z.string().nullable().describe('the most common place named in the text (a road as 国定路, a neighbourhood or station by name); null if none'),
        category: z.string(),
        title: z.string().describe('the title of the member most like the others'),
        representative: z.string().describe("that member's tracking number"),
        suggestions: z.array(z.string()).describe("the period's members, at most 50, earliest first"),
      }),
    )
    .describe('largest first, then fastest growing'),
});

const dayMs = 86_400_000;
const maxPeriodDays = 366;

export function similarityRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const settings = () => ctx.similarity ?? defaultSimilaritySettings;

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/suggestions/:id/similar',
      summary: 'Suggestions about the same matter as this one (多件同一事项): its words, places, district and category compared',
      tag: 'suggestions',
      access: ['office', 'department'],
      params: suggestionIdParams,
      responses: {
        200: { description: 'Similar open and recently closed suggestions, best first', schema: similarList },
        404: { description: 'No such suggestion (or not one your department leads)', schema: problemDocument },
      },
    },
    async ({ params, req, res }) => {
      const staff = req.staff!;
      const notFound = () => new Problem(404, 'not-found', 'Not found', `suggestion ${params.id} does not exist`);
      let profile = await profileOfSuggestion(ctx.db, params.id);
      if (!profile) {
        // Not in the read model yet: its workflow knows it.
        const view = await queryWorkflow(ctx, params.id);
        if (!view) throw notFound();
        profile = { ...profileOf(view), leadDepartment: view.leadDepartment ?? null, coDepartments: view.coDepartments };
      }
      if (staff.role === 'department' && profile.leadDepartment !== staff.departmentCode) throw notFound();
      // A district office compares within what it sees: its own suggestion, and only its own among the similar.
      await requireInJurisdiction(ctx, staff, params.id, 'see');
      const items = await similarSuggestions(ctx.db, settings(), params.id, profile, ctx.now?.());
      const seen = await visibleIds(
        ctx,
        staff,
        items.map((i) => i.id),
      );
      res.json({ items: items.filter((i) => seen.has(i.id)) });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/public/similar',
      summary: "Before submitting: the public board's adopted suggestions like what the citizen is typing",
      tag: 'public',
      access: 'public',
      query: draftQuery,
      responses: {
        200: {
          description: "Adopted or partially adopted suggestions published with their proposer's consent, best first; never anyone's open suggestion",
          schema: boardMatches,
        },
        400: { description: 'Invalid query', schema: problemDocument },
      },
    },
    async ({ query, res }) => {
      res.json({ items: await similarOnBoard(ctx.db, settings(), query, query.limit) });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/hotspots',
      summary: "Hotspots (热点): the period's groups of suggestions about one matter, with their growth, largest first",
      tag: 'supervision',
      access: ['office', 'supervisor'],
      query: hotspotQuery,
      responses: {
        200: { description: 'The groups, with size, growth over the period before, place and a representative title', schema: hotspotList },
        400: { description: 'Invalid query, or a period longer than a year', schema: problemDocument },
      },
    },
    async ({ query, req, res }) => {
      const district = districtFiguresFor(req.staff!, ctx.profile!.current, query.district);
      const now = ctx.now?.() ?? new Date();
      const to = query.to ?? new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      const from = query.from ?? new Date(new Date(`${to}T00:00:00Z`).getTime() - 29 * dayMs).toISOString().slice(0, 10);
      const days = (new Date(`${to}T00:00:00Z`).getTime() - new Date(`${from}T00:00:00Z`).getTime()) / dayMs + 1;
      if (days < 1 || days > maxPeriodDays) {
        throw new Problem(400, 'invalid-period', 'Invalid period', `from ${from} to ${to}: a period is 1 to ${maxPeriodDays} days, from before to`);
      }
      res.json(await hotspots(ctx.db, settings(), { from, to, district, category: query.category, minSize: query.minSize, limit: query.limit }));
    },
  );

  return router;
}
