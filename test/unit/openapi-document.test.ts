import type { z } from 'zod';
import { createApi } from '../../api/app';
import type { ApiContext } from '../../api/context';
import type { AnyEndpoint } from '../../api/endpoint';
import { openApiDocument } from '../../api/openapi';
import { channels } from '../../domain/vocabulary';
import { loadProfileFile, shippedProfiles } from '../../profiles';

// What /docs (Swagger UI) reads: the OpenAPI document generated from the zod schemas. Every field
// a client sends is described; every request body and the main answers carry an example a person
// would write (Chinese where the field is Chinese text), valid by the very schema that validates
// the request, so the reference never shows generated filler such as "stringstri" or "953svh…".

type Json = Record<string, unknown>;
// Nothing is called while the app is built: the routes only register.
const ctx = { db: {}, temporal: {}, taskQueue: 'suggestion-chain', keys: {}, forecast: { forecast: () => undefined } } as unknown as ApiContext;
const { endpoints } = createApi(ctx, () => undefined);
const doc = openApiDocument(endpoints) as { paths: Record<string, Record<string, Json>> };
const pathOf = (e: AnyEndpoint) => e.path.replace(/:([A-Za-z]+)/g, '{$1}');
const operation = (e: AnyEndpoint) => doc.paths[pathOf(e)][e.method] as Json;
const withBody = endpoints.filter((e) => e.body);

/** Every property below a JSON schema, by where it is. */
function properties(schema: unknown, at: string, found: [string, Json][] = []): [string, Json][] {
  if (!schema || typeof schema !== 'object') return found;
  const s = schema as Json;
  for (const [name, p] of Object.entries((s.properties ?? {}) as Record<string, Json>)) {
    found.push([`${at}.${name}`, p]);
    properties(p, `${at}.${name}`, found);
  }
  if (s.items) properties(s.items, `${at}[]`, found);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') properties(s.additionalProperties, `${at}{}`, found);
  for (const k of ['anyOf', 'oneOf', 'allOf']) for (const [i, x] of ((s[k] ?? []) as unknown[]).entries()) properties(x, `${at}|${i}`, found);
  return found;
}

/** Fields whose values are words a person writes, in Chinese on this system. */
const chineseText =
  /^(title|content|reason|reply|summary|note|opinion|description|citation|referral|comment|topics|campaignTopic|label|receptionPoint|serviceItem|name|source)$/;

/**
 * Codes the chain itself knows — its channels and the shipped profiles' codes of categories,
 * districts, streets and departments: a word of the system's own vocabulary, never generated filler
 * even when it runs letters and digits together ("open311").
 */
const knownCodes = new Set<string>([
  ...channels,
  ...shippedProfiles().flatMap((name) => {
    const { document: p } = loadProfileFile(name).profile;
    return [...p.categories.map((c) => c.code), ...p.districts.flatMap((d) => [d.code, ...d.streets.map((s) => s.code)]), ...p.departments.map((d) => d.code)];
  }),
]);

/** Strings in an example that look made up by a generator rather than written by someone. */
function filler(example: unknown, at = ''): string[] {
  if (typeof example === 'string') {
    const key =
      at
        .split(/[.[\]]/)
        .filter(Boolean)
        .filter((k) => !/^\d+$/.test(k))
        .at(-1) ?? '';
    const found: string[] = [];
    if (/^(string|foo|bar|baz|test|lorem|example|abc|xxx|sample|todo)/i.test(example)) found.push(`${at}: "${example}" is a placeholder`);
    // Letters and digits run together, with no word or separator in them: "953svh", "a1b2c3d4".
    if (!knownCodes.has(example) && /^(?=.*\d)(?=.*[a-z])[a-z0-9]{6,}$/i.test(example)) found.push(`${at}: "${example}" looks random`);
    if (chineseText.test(key) && !/[\u4e00-\u9fff]/.test(example) && key !== 'name') found.push(`${at}: "${example}" is not Chinese text`);
    return found;
  }
  if (Array.isArray(example)) return example.flatMap((x, i) => filler(x, `${at}[${i}]`));
  if (example && typeof example === 'object') return Object.entries(example).flatMap(([k, v]) => filler(v, `${at}.${k}`));
  return [];
}

test('every property of every request body in the document has a description', () => {
  expect(withBody.length).toBeGreaterThan(30);
  const undescribed = withBody.flatMap((e) => {
    const schema = ((operation(e).requestBody as Json).content as Record<string, Json>)['application/json'].schema;
    return properties(schema, `${e.method.toUpperCase()} ${e.path}`)
      .filter(([, p]) => typeof p.description !== 'string' || (p.description as string).length < 8)
      .map(([at]) => at);
  });
  expect(undescribed).toEqual([]);
});

test('every request body has an example that its own schema accepts, written as a person would, in Chinese where it is text', () => {
  const problems = withBody.flatMap((e) => {
    const where = `${e.method.toUpperCase()} ${e.path}`;
    const media = ((operation(e).requestBody as Json).content as Record<string, Json>)['application/json'];
    if (media.example === undefined) return [`${where}: no example`];
    const parsed = (e.body as z.ZodType).safeParse(media.example);
    const invalid = parsed.success
      ? []
      : [`${where}: the example is refused: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`];
    const examplesBelow = properties(media.schema, where).flatMap(([at, p]) => ((p.examples ?? []) as unknown[]).flatMap((x) => filler(x, at)));
    return [...invalid, ...filler(media.example, where), ...examplesBelow];
  });
  expect(problems).toEqual([]);
});

/** The answers people read most: intake, a suggestion after each action, tracking, and the office's reference data. */
const mainAnswers: [method: string, path: string, status: number][] = [
  ['post', '/v1/suggestions', 202],
  ['get', '/v1/suggestions/:id', 200],
  ['post', '/v1/suggestions/:id/decision', 200],
  ['get', '/v1/suggestions/:id/tracking', 200],
  ['post', '/v1/suggestions/:id/rating', 200],
  ['post', '/v1/routing-rules', 201],
  ['put', '/v1/time-settings/:step', 200],
  ['post', '/v1/campaigns', 201],
  ['post', '/v1/collections', 201],
  ['get', '/v1/calendar-years/:year', 200],
];

test('the main answers describe each of their fields and show an example their schema accepts', () => {
  const problems = mainAnswers.flatMap(([method, path, status]) => {
    const where = `${method.toUpperCase()} ${path} ${status}`;
    const e = endpoints.find((x) => x.method === method && x.path === path);
    if (!e) return [`${where}: no such endpoint`];
    const media = (((operation(e).responses as Record<string, Json>)[status].content as Record<string, Json>) ?? {})['application/json'];
    const undescribed = properties(media.schema, where)
      .filter(([, p]) => typeof p.description !== 'string')
      .map(([at]) => `${at}: no description`);
    if (media.example === undefined) return [...undescribed, `${where}: no example`];
    const parsed = e.responses[status].schema!.safeParse(media.example);
    return [
      ...undescribed,
      ...(parsed.success ? [] : [`${where}: the example does not fit: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`]),
      ...filler(media.example, where),
    ];
  });
  expect(problems).toEqual([]);
});

test("path parameters carry their schema's description and example", () => {
  const tracking = doc.paths['/v1/suggestions/{id}/tracking'].get as { parameters: { name: string; description?: string; example?: unknown }[] };
  expect(tracking.parameters.find((p) => p.name === 'id')).toMatchObject({
    description: expect.stringContaining('tracking number'),
    example: 'JY-20261126-7K3QXM',
  });
  const inbox = doc.paths['/v1/departments/{code}/inbox'].get as { parameters: { name: string; description?: string; example?: unknown }[] };
  expect(inbox.parameters.find((p) => p.name === 'code')).toMatchObject({ description: expect.any(String), example: 'transport' });
});

test("the proposer's tracking and rating name the tracking-token header they need, so a client made from the document can follow and rate", () => {
  const headers = (path: string, method: string) =>
    ((doc.paths[path][method] as { parameters: { name: string; in: string; required: boolean; description?: string }[] }).parameters ?? []).filter(
      (p) => p.in === 'header',
    );
  for (const [path, method] of [
    ['/v1/suggestions/{id}/tracking', 'get'],
    ['/v1/suggestions/{id}/rating', 'post'],
  ]) {
    expect(headers(path, method)).toContainEqual(
      expect.objectContaining({ name: 'x-tracking-token', required: true, description: expect.stringContaining('tracking token') }),
    );
  }
  expect(headers('/v1/suggestions/{id}/rating', 'post')).toContainEqual(expect.objectContaining({ name: 'idempotency-key', required: false }));
});

test('every refusal in the document shows a problem of its own status, not a generated one', () => {
  const wrong = endpoints.flatMap((e) =>
    Object.entries(operation(e).responses as Record<string, Json>)
      .filter(([status]) => Number(status) >= 400)
      .flatMap(([status, r]) => {
        const example = ((r.content as Record<string, Json>)['application/problem+json'].example ?? {}) as Json;
        return example.status === Number(status) &&
          typeof example.type === 'string' &&
          /^[a-z]+(-[a-z]+)*$/.test(example.type) &&
          example.detail === r.description
          ? []
          : [`${e.method.toUpperCase()} ${e.path} ${status}: ${JSON.stringify(example)}`];
      }),
  );
  expect(wrong).toEqual([]);
});
