import { Router } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { departmentCodeParams, inbox, problemDocument } from '../schemas';
import { jurisdictionWhere } from '../jurisdiction-scope';
import { listQueryFields, listSuggestions, sortOrders, summaryOf } from '../suggestion-list';

const inboxQuery = z
  .object({
    ...listQueryFields,
    status: listQueryFields.status.describe('default: handling'),
    role: z.enum(['lead', 'co']).optional().describe('lead or co-handling only'),
    sort: z.enum(sortOrders).default('dueAt'),
  })
  .strict();

const departmentList = z.object({
  items: z.array(z.object({ code: z.string(), name: z.string(), district: z.string().nullable().describe('null for a city-wide department') })),
});

export function departmentRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/departments',
      summary: 'The departments a suggestion can be routed to, with the district each serves (null: city-wide), by code',
      tag: 'handling',
      access: ['intake', 'office', 'department', 'supervisor', 'admin'],
      responses: { 200: { description: 'Every department', schema: departmentList } },
    },
    async ({ res }) => {
      const rows = await ctx.db.department.findMany({ select: { code: true, name: true, district: true }, orderBy: { code: 'asc' } });
      res.json({ items: rows.map((r) => ({ code: r.code, name: r.name, district: r.district ?? null })) });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/departments/:code/inbox',
      summary: "A department's suggestions in handling or re-handling (or another status), soonest deadline first, overdue ones flagged",
      tag: 'handling',
      access: ['department', 'office', 'supervisor'],
      params: departmentCodeParams,
      query: inboxQuery,
      responses: {
        200: { description: 'A page of the inbox', schema: inbox },
        403: { description: "Another department's inbox", schema: problemDocument },
      },
    },
    async ({ params, query, req, res }) => {
      const staff = req.staff!;
      if (staff.role === 'department' && staff.departmentCode !== params.code) {
        throw new Problem(403, 'forbidden', 'Not allowed', 'a department sees only its own inbox');
      }
      const { sort, limit, cursor, role, status, ...filter } = query;
      const page = await listSuggestions(ctx.db, {
        filter: { ...filter, status: status ?? ['handling', 'rehandling'], department: params.code, departmentRole: role },
        sort,
        limit,
        cursor,
        scope: jurisdictionWhere(staff, ctx.profile!.current),
      });
      res.json({
        items: page.rows.map((r) => ({ ...summaryOf(r), role: r.leadDepartment === params.code ? 'lead' : 'co' })),
        nextCursor: page.nextCursor,
      });
    },
  );

  return router;
}
