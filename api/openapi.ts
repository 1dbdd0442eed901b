import { z } from 'zod';
import type { CityProfile } from '../domain/profile';
import { profileCodes } from '../domain/profile-codes';
import type { AnyEndpoint } from './endpoint';
import { problemDocument } from './schemas';

/**
 * The OpenAPI 3.1 document, generated from the same endpoint descriptions the router validates
 * with; a field that names a code of the city profile lists the profile's codes as its enum.
 */
export function openApiDocument(endpoints: readonly AnyEndpoint[], profile?: CityProfile): Record<string, unknown> {
  cityProfile = profile;
  try {
    return documentOf(endpoints, profile);
  } finally {
    cityProfile = undefined;
  }
}

/** The profile of the document being made (the generator's schemas are module constants, like the validators'). */
let cityProfile: CityProfile | undefined;

function documentOf(endpoints: readonly AnyEndpoint[], profile: CityProfile | undefined): Record<string, unknown> {
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
      ...(e.body ? { requestBody: { required: true, content: { 'application/json': mediaType(jsonSchema(e.body, 'input')) } } } : {}),
      ...(e.upload ? { requestBody: { required: true, content: { 'multipart/form-data': uploadMediaType(e.upload) } } } : {}),
      responses: Object.fromEntries(
        Object.entries(responsesOf(e)).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.media
              ? { content: Object.fromEntries(r.media.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }])) }
              : r.schema
                ? Number(status) >= 400
                  ? {
                      content: {
                        'application/problem+json': { schema: jsonSchema(r.schema, 'output'), example: problemExample(Number(status), r.description) },
                      },
                    }
                  : { content: { 'application/json': mediaType(jsonSchema(r.schema, 'output')) } }
                : {}),
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
      description: `The people's-suggestion chain (人民建议征集)${profile ? ` of ${profile.city.nameEn} (${profile.city.name})` : ''}: intake, routing, handling, decision and reply.`,
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A staff API key, or a signed token (JWT) from the identity provider' } },
    },
    paths,
  };
}

/**
 * A schema as JSON Schema. What a zod schema says of itself with `.describe()` and
 * `.meta({ examples })` comes along as `description` and `examples` (JSON Schema's own words).
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const code = profileCodes.get(zodSchema as unknown as z.ZodType);
      if (code && cityProfile) jsonSchema.enum = cityProfile.codes(code.kind, code.forNew);
    },
  }) as Record<string, unknown>;
  return rest;
}

/**
 * A request or response body: its schema, and the schema's first example as the media type's
 * `example`, which Swagger UI shows (and "Try it out" sends) instead of a sample it would make up.
 */
function mediaType(schema: Record<string, unknown>): Record<string, unknown> {
  const examples = schema.examples as unknown[] | undefined;
  return { schema, ...(examples?.length ? { example: examples[0] } : {}) };
}

/** The type and title a problem of each status usually has (api/problem.ts, api/temporal-errors.ts). */
const problemKinds: Record<number, [type: string, title: string]> = {
  400: ['validation-failed', 'The request is not valid'],
  401: ['unauthenticated', 'Unknown API key'],
  403: ['forbidden', 'Not allowed'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  409: ['wrong-state', 'Action refused'],
  413: ['body-too-large', 'Request body too large'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['invalid-action', 'Action refused'],
  429: ['rate-limited', 'Too many requests'],
  503: ['temporarily-unavailable', 'Temporarily unavailable'],
};

/** A problem as an endpoint answers it with this status, for the reference to show instead of a made-up one. */
function problemExample(status: number, description: string): Record<string, unknown> {
  const [type, title] = problemKinds[status] ?? ['error', description];
  return {
    type,
    title,
    status,
    detail: description,
    ...(status === 400 ? { errors: [{ field: 'body.title', message: 'Too small: expected string to have >=2 characters' }] } : {}),
  };
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    ...(Array.isArray(s.examples) && s.examples.length ? { example: s.examples[0] } : {}),
    schema: s,
  }));
}

type ResponseSpec = { description: string; schema?: z.ZodType; media?: readonly string[] };

/** A multipart body with one file field: its JSON Schema and how the file part is encoded. */
function uploadMediaType(upload: NonNullable<AnyEndpoint['upload']>): Record<string, unknown> {
  return {
    schema: {
      type: 'object',
      required: [upload.field],
      properties: { [upload.field]: { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream', description: upload.description } },
    },
    encoding: { [upload.field]: { contentType: upload.mediaTypes.join(', ') } },
  };
}

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
