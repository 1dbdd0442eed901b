import { z } from 'zod';
import type { AnyEndpoint } from './endpoint';

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
      parameters: [...parameters(e.params, 'path'), ...parameters(e.query, 'query')],
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
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A staff API key' } } },
    paths,
  };
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s }));
}

type ResponseSpec = { description: string; schema?: z.ZodType };

/** Staff endpoints also answer 401 and 403, whether or not the route lists them. */
function responsesOf(e: AnyEndpoint): Record<number, ResponseSpec> {
  if (e.access === 'public') return e.responses;
  return { ...e.responses, 401: { description: 'No or unknown API key' }, 403: e.responses[403] ?? { description: 'Role not allowed' } };
}
