import { Router } from 'express';
import { z } from 'zod';
import { districtCode } from '../../domain/profile-codes';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';

// 街镇: the streets and towns a suggestion's place, a routing rule and the lists' filters name.

const street = z
  .object({
    code: z.string().describe('the statistics code (统计用区划代码), nine digits'),
    name: z.string().describe('the name, e.g. 五角场街道'),
    district: z.string().describe('the district it lies in'),
    kind: z.enum(['subdistrict', 'town', 'township']).describe('街道, 镇 or 乡'),
  })
  .meta({ examples: [{ code: '310110019', name: '五角场街道', district: 'yangpu', kind: 'subdistrict' }] });

export function streetRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/streets',
      summary: "Shanghai's streets and towns (街镇), optionally of one district",
      tag: 'reference',
      access: 'public',
      query: z.object({ district: districtCode.optional().describe('only the streets and towns of this district') }).strict(),
      responses: { 200: { description: 'The streets and towns, by code', schema: z.object({ items: z.array(street) }) } },
    },
    async ({ query, res }) => {
      const rows = await ctx.db.street.findMany({ where: query.district ? { district: query.district } : {}, orderBy: { code: 'asc' } });
      res.json({ items: rows });
    },
  );
  return router;
}
