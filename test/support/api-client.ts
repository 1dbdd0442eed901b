import { createServer } from 'node:http';
import { keepConnectionsAlive, maxRequestHeadBytes } from '../../api/server';
import type { AddressInfo } from 'node:net';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createApi } from '../../api/app';
import type { ApiContext } from '../../api/context';
import type { Stack } from './stack';
import { serverErrorLog } from './server-error-log';

// Helpers for tests of the API as a client sees it: calls, a second app with other settings on
// the same stack, and checking real responses against the OpenAPI document.

export interface Reply {
  status: number;
  type: string;
  headers: Headers;
  body: any;
}

export function client(baseUrl: string) {
  return async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, headers: res.headers, body: text && type.includes('json') ? JSON.parse(text) : text };
  };
}

export const as = (key: string) => ({ authorization: `Bearer ${key}` });

/** Another instance of the API on the stack's Temporal, database and task queue, e.g. with other limits. */
export async function serveApi(stack: Stack, overrides: Partial<ApiContext> = {}) {
  const context: ApiContext = {
    temporal: stack.temporal,
    db: stack.db,
    taskQueue: stack.taskQueue,
    keys: stack.keys,
    profile: stack.profile,
    objects: stack.objects,
    ...overrides,
  };
  const { app, endpoints } = createApi(context, serverErrorLog());
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = createServer({ maxHeaderSize: maxRequestHeadBytes }, app).listen(0, '127.0.0.1', () => resolve(keepConnectionsAlive(s)));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { baseUrl, endpoints, call: client(baseUrl), stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** No limit a test can reach: for tests that are not about rate limiting. */
export const unlimited = { intake: { limit: 1e9, windowMs: 60_000 }, reads: { limit: 1e9, windowMs: 60_000 } };

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };

/**
 * Checks a real response against the OpenAPI document: the status must be listed for the
 * operation, and a JSON body must have the listed media type and match the listed schema.
 * Returns what is wrong, or an empty list.
 */
export function conformanceChecker(document: { paths: Record<string, Record<string, Operation>> }) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<object, ReturnType<typeof ajv.compile>>();
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));

  return function check(method: string, path: string, reply: Reply): string[] {
    // Express routes ignore one trailing slash, so /v1/suggestions/ is /v1/suggestions.
    const pathname = new URL(path, 'http://x').pathname.replace(/(.)\/$/, '$1');
    const match = templates
      .filter((t) => t.pattern.test(pathname))
      .map((t) => document.paths[t.template][method.toLowerCase()])
      .find(Boolean);
    // Unknown paths: the body is read (and may be refused) before routing, so 400/413/415 too.
    if (!match)
      return [400, 404, 405, 413, 415].includes(reply.status)
        ? checkProblem(reply)
        : [`${method} ${pathname} is not in the document (answered ${reply.status})`];
    const described = match.responses[String(reply.status)];
    if (!described) return [`${method} ${pathname} answered ${reply.status}, which the document does not list (${Object.keys(match.responses).join(', ')})`];
    if (!described.content) return [];
    const mediaType = reply.type.split(';')[0].trim();
    const content = described.content[mediaType];
    if (!content) return [`${method} ${pathname} ${reply.status} sent ${mediaType}, the document lists ${Object.keys(described.content).join(', ')}`];
    let validate = validators.get(content.schema);
    if (!validate) {
      validate = ajv.compile(content.schema);
      validators.set(content.schema, validate);
    }
    return validate(reply.body) ? [] : [`${method} ${pathname} ${reply.status}: ${ajv.errorsText(validate.errors)}`];
  };
}

/** The shape every error answer has (RFC 9457). */
export function checkProblem(reply: Reply): string[] {
  const b = reply.body;
  const ok =
    reply.type.startsWith('application/problem+json') &&
    typeof b === 'object' &&
    typeof b.type === 'string' &&
    typeof b.title === 'string' &&
    b.status === reply.status &&
    typeof b.detail === 'string' &&
    !/\bat \S+ \(|node_modules|prisma|Error:/i.test(JSON.stringify(b));
  return ok ? [] : [`${reply.status} is not a clean problem document: ${reply.type} ${JSON.stringify(b).slice(0, 300)}`];
}
