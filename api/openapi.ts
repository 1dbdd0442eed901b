import { z } from 'zod';
import type { AnyEndpoint } from './endpoint';
import { problemDocument } from './schemas';

/** The OpenAPI 3.1 document, generated from the same endpoint descriptions the router validates with. */
export function openApiDocument(endpoints: readonly AnyEndpoint[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const path = e.path.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][e.method] = {
      summary: e.summary,
      tags: [e.tag],
      security: e.access === 'public' ? [{}, { apiKey: [] }] : [{ apiKey: [] }],
      ...(e.access === 'public' ? {} : { description: `Roles: ${e.access.join(', ')}` }),
      parameters: [...parameters(e.params, 'path'), ...parameters(e.query, 'query'), ...parameters(e.headers, 'header')],
      ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(e.body, 'input') } } } } : {}),
      responses: Object.fromEntries(
        Object.entries(responsesOf(e)).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.schema ? { content: { [Number(status) >= 400 ? 'application/problem+json' : 'application/json']: { schema: jsonSchema(r.schema, 'output') } } } : {}),
          },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'suggestion-chain',
      version: '1',
      description: "The people's-suggestion chain (人民建议征集): intake, routing, handling, decision and reply.",
    },
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A staff API key, or a signed token (JWT) from the identity provider' } } },
    paths,
  };
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s }));
}

type ResponseSpec = { description: string; schema?: z.ZodType };

/**
 * The answers every endpoint can give besides its own, so the document lists every status a
 * client can actually see: validation, authentication, role, size, media type, rate limit,
 * a dependency out of reach.
 */
function responsesOf(e: AnyEndpoint): Record<number, ResponseSpec> {
  const problem = (description: string): ResponseSpec => ({ description, schema: problemDocument });
  const common: Record<number, ResponseSpec> = {};
  // Any request but a GET may carry a body, and every body is read (and may be refused) before the route;
  // a control character anywhere in the path, the query string or the body is refused (control-characters.ts).
  const mayHaveBody = e.method !== 'get';
  common[400] = problem('Invalid request: the problem lists the fields at fault');
  if (e.params) common[404] = problem('No such resource');
  if (mayHaveBody) Object.assign(common, { 413: problem('Request body too large'), 415: problem('Request body is not JSON') });
  if (e.access === 'public') common[429] = problem('Too many requests from this client; see Retry-After');
  else Object.assign(common, { 401: problem('No, unknown or revoked API key or token'), 403: problem('Role not allowed') });
  // PostgreSQL or the workflow service restarting or out of reach: retry after the time the header says.
  common[503] = problem('Temporarily unavailable (the database or the workflow service cannot be reached); see Retry-After');
  // A route's own description of a status wins over the generic one.
  return { ...common, ...e.responses };
}
