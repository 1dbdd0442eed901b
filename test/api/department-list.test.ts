import { loadProfileFile } from '../../profiles';
import { as, client, conformanceChecker, serveApi, unlimited } from '../support/api-client';
import { startStack, type Stack } from '../support/stack';

// GET /v1/departments: the list intake staff and the office choose a department from.

let stack: Stack;
let api: Awaited<ReturnType<typeof serveApi>>;

beforeAll(async () => {
  stack = await startStack();
  api = await serveApi(stack, { rateLimits: unlimited });
});
afterAll(async () => {
  await api.stop();
  await stack.stop();
});

test('every staff role lists the departments by code, each with its name and district (null when city-wide), as the document says', async () => {
  const check = conformanceChecker((await client(api.baseUrl)('GET', '/openapi.json')).body);
  for (const role of ['intake', 'office', 'supervisor', 'admin'] as const) {
    const reply = await api.call('GET', '/v1/departments', undefined, as(await stack.issueKey(role)));
    expect(reply.status).toBe(200);
    expect(check('GET', '/v1/departments', reply)).toEqual([]);
  }
  const reply = await api.call('GET', '/v1/departments', undefined, as(await stack.issueKey('department', 'transport')));
  expect(reply.status).toBe(200);
  const codes = reply.body.items.map((d: { code: string }) => d.code);
  expect(codes).toEqual([...codes].sort());
  for (const seeded of loadProfileFile('shanghai').profile.document.departments) {
    expect(reply.body.items).toContainEqual({ code: seeded.code, name: seeded.name, district: seeded.district ?? null });
  }
});

test('without a key the department list is 401', async () => {
  expect((await api.call('GET', '/v1/departments')).status).toBe(401);
});
