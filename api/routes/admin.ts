import { Router } from 'express';
import { z } from 'zod';
import { staffRoles } from '../../domain/vocabulary';
import { issueApiKey, listApiKeys, revokeApiKey } from '../api-keys';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { idempotencyHeaders, withIdempotency, withIdempotencyResponses } from '../idempotency';
import { Problem } from '../problem';
import { apiKeyIdParams, apiKeyList, apiKeySummary, issuedApiKey, problemDocument } from '../schemas';

const issueKeyBody = z
  .object({
    label: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .describe('who or what desk the key is for; the timeline shows it as the actor')
      .meta({ examples: ['交通委办理窗口 3号'] }),
    role: z.enum(staffRoles).describe('what the key may do'),
    departmentCode: z
      .string()
      .regex(/^[a-z0-9_-]{2,64}$/)
      .optional()
      .describe('department keys: the department they act for')
      .meta({ examples: ['transport'] }),
    jurisdiction: z
      .string()
      .regex(/^(?:[a-z][a-z0-9_-]{1,63}|\d{9})$/, 'city, a district code or a street code')
      .optional()
      .describe('office, supervisor and intake keys: where they work — city (the default), a district code, or a street or town by its nine digits')
      .meta({ examples: ['yangpu'] }),
  })
  .strict()
  .describe('A staff API key to issue')
  .meta({ examples: [{ label: '交通委办理窗口 3号', role: 'department', departmentCode: 'transport' }] });

/** Administrators issue and revoke staff API keys (the same operations as `npm run api-keys`). */
export function adminRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/admin/api-keys',
      summary: 'Issue a staff API key; the key itself is shown only in this response',
      tag: 'admin',
      access: ['admin'],
      body: issueKeyBody,
      headers: idempotencyHeaders,
      responses: withIdempotencyResponses({
        201: { description: 'Issued', schema: issuedApiKey },
        404: { description: 'No such department', schema: problemDocument },
        422: { description: 'A department key without its department, another role with one, or an unknown jurisdiction', schema: problemDocument },
      }),
    },
    withIdempotency(ctx, 'POST /v1/admin/api-keys', async ({ body, res }) => {
      const issued = await issueApiKey(ctx.db, body, ctx.profile?.current);
      res.status(201).location(`/v1/admin/api-keys/${issued.id}`).json(issued);
    }),
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/admin/api-keys',
      summary: 'The staff API keys (never the keys themselves), active ones unless asked for all',
      tag: 'admin',
      access: ['admin'],
      query: z.object({ includeRevoked: z.enum(['true', 'false']).default('false') }).strict(),
      responses: { 200: { description: 'The keys', schema: apiKeyList } },
    },
    async ({ query, res }) => {
      res.json({ items: await listApiKeys(ctx.db, query.includeRevoked === 'true') });
    },
  );

  registry.add(
    router,
    {
      method: 'delete',
      path: '/v1/admin/api-keys/:keyId',
      summary: 'Revoke a staff API key; it stops working at once',
      tag: 'admin',
      access: ['admin'],
      params: apiKeyIdParams,
      responses: {
        200: { description: 'Revoked', schema: apiKeySummary },
        404: { description: 'No such key', schema: problemDocument },
      },
    },
    async ({ params, res }) => {
      const revoked = await revokeApiKey(ctx.db, params.keyId);
      // Refused here from the next request on, without waiting for PostgreSQL's announcement.
      ctx.apiKeys?.changed();
      if (!revoked) throw new Problem(404, 'not-found', 'Not found', `API key ${params.keyId} does not exist`);
      res.json(revoked);
    },
  );

  return router;
}
