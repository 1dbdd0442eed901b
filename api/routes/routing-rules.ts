import { Router } from 'express';
import { z } from 'zod';
import { newCategoryCode, newDistrictCode } from '../../domain/profile-codes';
import { channels } from '../../domain/vocabulary';
import { streetCodePattern, streetInDistrict } from '../../domain/streets';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { idempotencyHeaders, withIdempotency, withIdempotencyResponses } from '../idempotency';
import { Problem } from '../problem';
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
  street: z
    .string()
    .regex(streetCodePattern, 'a street code of nine digits (GET /v1/streets)')
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
    if (r.street !== null && (r.district === null || !streetInDistrict(r.street, r.district)))
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
  .object({ id: z.number().int().describe("the rule's id"), ...ruleFields })
  .describe('A routing rule')
  .meta({ examples: [{ id: 7, ...exampleRule, coDepartments: [...exampleRule.coDepartments] }] });
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
  });

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
      summary: 'The routing rules',
      tag: 'triage',
      access: ['office', 'supervisor', 'admin'],
      responses: { 200: { description: 'All rules', schema: z.object({ items: z.array(rule) }) } },
    },
    async ({ res }) => {
      const rows = await ctx.db.routingRule.findMany({ orderBy: [{ category: 'asc' }, { id: 'asc' }] });
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
      responses: withIdempotencyResponses({ 201: { description: 'Added', schema: rule }, 422: { description: 'Unknown department', schema: problemDocument } }),
    },
    withIdempotency(ctx, 'POST /v1/routing-rules', async ({ body, res }) => {
      await requireDepartments([body.leadDepartment, ...body.coDepartments]);
      const created = await ctx.db.routingRule.create({ data: body });
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
        404: { description: 'No such rule', schema: problemDocument },
        422: { description: 'Unknown department', schema: problemDocument },
      },
    },
    async ({ params, body, res }) => {
      const existing = await ctx.db.routingRule.findUnique({ where: { id: params.ruleId } });
      if (!existing) throw new Problem(404, 'not-found', 'Not found', `routing rule ${params.ruleId} does not exist`);
      await requireDepartments([body.leadDepartment ?? existing.leadDepartment, ...(body.coDepartments ?? [])]);
      const changed = await ctx.db.routingRule.update({ where: { id: params.ruleId }, data: body });
      ctx.forecast?.forget();
      res.json(shape(changed as z.infer<typeof rule>));
    },
  );

  return router;
}
