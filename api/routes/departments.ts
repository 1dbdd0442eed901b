import { Router } from 'express';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { departmentCodeParams, inbox, problemDocument } from '../schemas';

export function departmentRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/departments/:code/inbox',
      summary: "A department's open suggestions, soonest deadline first, overdue ones flagged",
      tag: 'handling',
      access: ['department', 'office', 'supervisor'],
      params: departmentCodeParams,
      responses: {
        200: { description: 'The inbox', schema: inbox },
        403: { description: "Another department's inbox", schema: problemDocument },
      },
    },
    async ({ params, req, res }) => {
      const staff = req.staff!;
      if (staff.role === 'department' && staff.departmentCode !== params.code) {
        throw new Problem(403, 'forbidden', 'Not allowed', 'a department sees only its own inbox');
      }
      const rows = await ctx.db.suggestion.findMany({
        where: { status: { in: ['handling'] }, OR: [{ leadDepartment: params.code }, { coDepartments: { has: params.code } }] },
        orderBy: [{ dueAt: 'asc' }, { receivedAt: 'asc' }],
        take: 200,
      });
      res.json({
        items: rows.map((r) => ({
          id: r.id,
          trackingNumber: r.trackingNumber,
          title: r.title,
          status: r.status,
          category: r.category,
          district: r.district,
          role: r.leadDepartment === params.code ? 'lead' : 'co',
          dueAt: r.dueAt?.toISOString() ?? null,
          overdue: r.overdue,
          receivedAt: r.receivedAt.toISOString(),
        })),
      });
    },
  );

  return router;
}
