import { Router } from 'express';
import { z } from 'zod';
import { calendarStore } from '../../prisma/calendar-store';
import { categoryCode, districtCode, streetCode } from '../../domain/profile-codes';
import { outsideJurisdiction, staffScope } from '../jurisdiction-scope';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { problemDocument } from '../schemas';
import { computeStatistics, groupings, periods, type StatisticsRequest } from '../statistics';
import type { StaffIdentity } from '../staff-identity';
import type { CityProfile } from '../../domain/profile';
import { departmentCode } from '../suggestion-list';

const isoDate = z.iso.date();

const statisticsQuery = z
  .object({
    groupBy: z.enum(groupings).default('period'),
    period: z.enum(periods).default('month').describe('the length of a period when grouping by period'),
    from: isoDate.optional().describe('first day received (Shanghai date), inclusive'),
    to: isoDate.optional().describe('last day received (Shanghai date), inclusive'),
    department: departmentCode.optional().describe('lead department'),
    district: districtCode.optional(),
    street: streetCode.optional().describe("the street or town (街镇) of the matter's place"),
    category: categoryCode.optional(),
    campaignId: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'to is before from' });

const figures = z.object({
  key: z.string().nullable().describe('the department, district, street, category, campaign or period; null: none (e.g. not yet routed, or no street named)'),
  received: z.number().int().describe('matters received: a suggestion merged into another (合并办理) is counted once, with it'),
  proposers: z.number().int().describe('people who raised them: every proposer, those of merged suggestions included'),
  decided: z.number().int(),
  adopted: z.number().int(),
  adoptionRate: z.number().nullable(),
  onTimeRate: z.number().nullable(),
  averageHandlingWorkingDays: z.number().nullable(),
  rated: z.number().int(),
  satisfactionRate: z.number().nullable(),
  responseRate: z.number().nullable().describe('响应率: of the suggestions answered or past their deadline, the share answered (decided), late or not'),
  routed: z.number().int().describe('reached a department, by a rule or by hand'),
  returned: z.number().int().describe('returned by a department at least once (退回); by department: returned by that department'),
  returnRate: z.number().nullable().describe('退单率: returned / routed'),
  replied: z.number().int().describe('replied to the proposer'),
  rehandled: z.number().int().describe('handled again after a dissatisfied rating (重办)'),
  rehandlingRate: z.number().nullable().describe('重办率: rehandled / replied'),
});

const statistics = z.object({ groupBy: z.enum(groupings), period: z.enum(periods).optional(), groups: z.array(figures) });

/**
 * The request narrowed to what the staff member may count: a department its own suggestions (as
 * lead department); a district's office or supervisor its district's, a street's its street's
 * (统计逐级汇总: the street's figures are part of the district's, the district's of the city's);
 * the city's and administrators everything. Asking for figures beyond is refused, not narrowed.
 */
function withinReach(staff: StaffIdentity, query: z.output<typeof statisticsQuery>, profile: CityProfile): StatisticsRequest {
  if (staff.role === 'department') {
    if (query.department && query.department !== staff.departmentCode)
      throw new Problem(403, 'forbidden', 'Not allowed', 'a department sees only its own figures');
    return { ...query, department: staff.departmentCode };
  }
  const scope = staffScope(staff, profile);
  if (!scope) return query;
  const beyond = (what: string) => outsideJurisdiction(`${what} are not within ${scope.code}`);
  if (query.district && query.district !== scope.district) throw beyond(`figures of ${query.district}`);
  if (scope.level === 'street') {
    if (query.street && query.street !== scope.code) throw beyond(`figures of street ${query.street}`);
    return { ...query, district: scope.district, street: scope.code };
  }
  if (query.street && profile.street(query.street)?.district !== scope.district) throw beyond(`figures of street ${query.street}`);
  return { ...query, district: scope.district };
}

/**
 * Figures for the collection office, supervisors and administrators: no suggestion text, no
 * proposer, only counts and rates. A department sees its own (as lead department) and no other's:
 * how many suggestions another department has and how it handles them is the office's to report.
 */
export function statisticsRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const calendar = calendarStore(ctx.db);

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/statistics',
      summary: 'Received, adopted, adoption rate, on-time rate, handling time in working days, satisfaction, response, return and re-handling rates, grouped',
      tag: 'statistics',
      access: ['office', 'supervisor', 'admin', 'department'],
      query: statisticsQuery,
      responses: {
        200: {
          description: 'One group of figures per department, district, category, campaign or period (a department: of its own suggestions only)',
          schema: statistics,
        },
        400: { description: 'Invalid query', schema: problemDocument },
        403: { description: "A department asking for another department's figures, or an office another district's or street's", schema: problemDocument },
      },
    },
    async ({ query, req, res }) => {
      const groups = await computeStatistics(ctx.db, calendar, withinReach(req.staff!, query, ctx.profile!.current));
      res.json({ groupBy: query.groupBy, ...(query.groupBy === 'period' ? { period: query.period } : {}), groups });
    },
  );

  return router;
}
