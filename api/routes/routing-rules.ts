import { Router } from 'express';
import { z } from 'zod';
import { newCategoryCode, newDistrictCode, newStreetCode, profileInScope } from '../../domain/profile-codes';
import { channels } from '../../domain/vocabulary';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { idempotencyHeaders, withIdempotency, withIdempotencyResponses } from '../idempotency';
import { Problem } from '../problem';
import { outsideJurisdiction, staffScope } from '../jurisdiction-scope';
import type { StaffIdentity } from '../staff-identity';
import { holds } from '../../domain/jurisdiction';
import type { Prisma } from '../../prisma/client';
import { problemDocument } from '../schemas';

// 归口办理 rules as data: the collection office reads and edits which department leads (and which
// co-handle) a category, city-wide or in a district, optionally for one channel.

const departmentCode = z
  .string()
  .regex(/^[a-z0-9_-]{2,64}$/)
  .meta({ examples: ['transport'] });
const ruleFields = {
  category: newCategoryCode.describe('the category the rule routes'),
  district: newDistrictCode.nullable().default(null).describe('only suggestions about this district; null: any district'),
  street: newStreetCode
    .nullable()
    .default(null)
    .describe("only suggestions whose place is in this street or town (街镇) of the district; beats the district's rules; null: the whole district")
    .meta({ examples: ['310110019'] }),
  channel: z.enum(channels).nullable().default(null).describe('only suggestions from this channel; null: any channel'),
  leadDepartment: departmentCode.describe('the department that handles and answers what the rule routes (承办单位)'),
  coDepartments: z
    .array(departmentCode.meta({ examples: ['yangpu-gov'] }))
    .max(10)
    .default([])
    .describe('departments that give their opinion to the lead (会办单位), at most 10'),
  priority: z
    .number()
    .int()
    .min(-1000)
    .max(1000)
    .default(0)
    .describe('among rules that fit, the higher wins; then the more specific (district, channel)')
    .meta({ examples: [10] }),
  active: z.boolean().default(true).describe('false keeps the rule but routes nothing by it'),
};
const exampleRule = {
  category: 'transport',
  district: 'yangpu',
  street: null,
  channel: null,
  leadDepartment: 'transport',
  coDepartments: ['yangpu-gov'],
  priority: 10,
  active: true,
} as const;
const newRule = z
  .object(ruleFields)
  .strict()
  .describe('A routing rule (归口办理): which department leads a category, city-wide, in a district or in one of its streets and towns')
  .superRefine((r, ctx) => {
    // Where the street lies, by the profile in scope (its own code check has refused one it does not know).
    const street = r.street === null ? undefined : profileInScope()?.street(r.street);
    if (r.street !== null && (r.district === null || (street !== undefined && street.district !== r.district)))
      ctx.addIssue({ code: 'custom', path: ['street'], message: "the street must be one of the rule's district (GET /v1/streets?district=…)" });
  })
  .meta({ examples: [{ ...exampleRule, coDepartments: [...exampleRule.coDepartments] }] });
// No defaults here: a field left out is left as it is (the creation's default priority would reset it to 0).
const ruleChange = z
  .object({
    leadDepartment: departmentCode.describe('the department that handles and answers what the rule routes (承办单位)'),
    coDepartments: z.array(departmentCode).max(10).describe('the co-handling departments, replacing the ones before'),
    priority: z.number().int().min(-1000).max(1000).describe('among rules that fit, the higher wins'),
    active: z.boolean().describe('false keeps the rule but routes nothing by it'),
  })
  .partial()
  .strict()
  // A change that changes nothing (no body, or {}) is a client's mistake, not a success.
  .refine((change) => Object.keys(change).length > 0, 'name at least one of leadDepartment, coDepartments, priority, active')
  .describe('What changes in a rule; what is left out stays')
  .meta({ minProperties: 1, examples: [{ leadDepartment: 'yangpu-gov', coDepartments: ['transport'], priority: 20 }] });
const rule = z
  .object({
    id: z.number().int().describe("the rule's id"),
    ...ruleFields,
    jurisdiction: z.string().describe('the level whose office made the rule (city, a district, a street): that office and those above change it'),
  })
  .describe('A routing rule')
  .meta({ examples: [{ id: 7, ...exampleRule, coDepartments: [...exampleRule.coDepartments], jurisdiction: 'yangpu' }] });
// Rule ids are PostgreSQL integers (int4): a larger number names no rule and is refused as invalid.
const ruleIdParams = z.object({ ruleId: z.coerce.number().int().min(1).max(2_147_483_647) });

export function routingRuleRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const shape = (r: z.infer<typeof rule>) => ({
    id: r.id,
    category: r.category,
    district: r.district,
    street: r.street,
    channel: r.channel,
    leadDepartment: r.leadDepartment,
    coDepartments: r.coDepartments,
    priority: r.priority,
    active: r.active,
    jurisdiction: r.jurisdiction,
  });

  /**
   * Rules belong to the level that made them (属地): a district's office makes rules for its
   * district (a street's for its street), sees the city's and its own, and changes its own and
   * its streets'; the city's office and supervisors see and change every rule.
   */
  const levelOf = (staff: StaffIdentity) => staffScope(staff, ctx.profile!.current);
  const visibleRules = (staff: StaffIdentity): Prisma.RoutingRuleWhereInput => {
    const scope = levelOf(staff);
    if (!scope) return {};
    return { OR: [{ district: null }, { district: scope.district }] };
  };
  function madeHere(staff: StaffIdentity, body: z.output<typeof newRule>): z.output<typeof newRule> & { jurisdiction: string } {
    const scope = levelOf(staff);
    if (!scope) return { ...body, jurisdiction: 'city' };
    const beyond = (what: string) => outsideJurisdiction(`${what} is not within ${scope.code}`);
    if (body.district !== null && body.district !== scope.district) throw beyond(`a rule for ${body.district}`);
    if (scope.level === 'street' && body.street !== null && body.street !== scope.code) throw beyond(`a rule for street ${body.street}`);
    return { ...body, district: scope.district!, street: scope.level === 'street' ? scope.code : body.street, jurisdiction: scope.code };
  }

  async function requireDepartments(codes: string[]) {
    const unique = [...new Set(codes)];
    if ((await ctx.db.department.count({ where: { code: { in: unique } } })) !== unique.length) {
      throw new Problem(422, 'unknown-department', 'Unknown department', 'the lead or a co-handling department does not exist');
    }
  }

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/routing-rules',
      summary: "The routing rules: a district's or street's office sees the city's and its district's",
      tag: 'triage',
      access: ['office', 'supervisor', 'admin'],
      responses: { 200: { description: 'All rules', schema: z.object({ items: z.array(rule) }) } },
    },
    async ({ req, res }) => {
      const rows = await ctx.db.routingRule.findMany({ where: visibleRules(req.staff!), orderBy: [{ category: 'asc' }, { id: 'asc' }] });
      res.json({ items: rows.map((r) => shape(r as z.infer<typeof rule>)) });
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/routing-rules',
      summary: 'The office adds a routing rule; new suggestions follow it at once',
      tag: 'triage',
      access: ['office'],
      body: newRule,
      headers: idempotencyHeaders,
      responses: withIdempotencyResponses({
        201: { description: 'Added', schema: rule },
        403: { description: "Role not allowed, or a rule for a district or street beyond the office's own", schema: problemDocument },
        422: { description: 'Unknown department', schema: problemDocument },
      }),
    },
    withIdempotency(ctx, 'POST /v1/routing-rules', async ({ body, req, res }) => {
      const data = madeHere(req.staff!, body);
      await requireDepartments([body.leadDepartment, ...body.coDepartments]);
      const created = await ctx.db.routingRule.create({ data });
      ctx.forecast?.forget();
      res.status(201).json(shape(created as z.infer<typeof rule>));
    }),
  );

  registry.add(
    router,
    {
      method: 'patch',
      path: '/v1/routing-rules/:ruleId',
      summary: 'The office changes a rule: its departments, priority, or whether it is active',
      tag: 'triage',
      access: ['office'],
      params: ruleIdParams,
      body: ruleChange,
      responses: {
        200: { description: 'Changed', schema: rule },
        403: { description: "Role not allowed, or a rule another level's office made", schema: problemDocument },
        404: { description: 'No such rule', schema: problemDocument },
        422: { description: 'Unknown department', schema: problemDocument },
      },
    },
    async ({ params, body, req, res }) => {
      const existing = await ctx.db.routingRule.findFirst({ where: { AND: [{ id: params.ruleId }, visibleRules(req.staff!)] } });
      if (!existing) throw new Problem(404, 'not-found', 'Not found', `routing rule ${params.ruleId} does not exist`);
      const scope = levelOf(req.staff!);
      if (scope && !holds(scope, existing.jurisdiction, ctx.profile!.current)) {
        throw outsideJurisdiction(`routing rule ${params.ruleId} belongs to ${existing.jurisdiction}; its office changes it`);
      }
      await requireDepartments([body.leadDepartment ?? existing.leadDepartment, ...(body.coDepartments ?? [])]);
      const changed = await ctx.db.routingRule.update({ where: { id: params.ruleId }, data: body });
      ctx.forecast?.forget();
      res.json(shape(changed as z.infer<typeof rule>));
    },
  );

  return router;
}
