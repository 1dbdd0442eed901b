import { hashApiKey } from '../../api/auth';
import type { AnyEndpoint } from '../../api/endpoint';
import { staffRoles, type StaffRole } from '../../domain/vocabulary';
import { as, checkProblem, serveApi, unlimited, type Reply } from '../support/api-client';
import { startStack, type Stack } from '../support/stack';

// Every registered endpoint × every role (and no key at all): who is let through and who gets
// 401 or 403. The endpoints come from the registry, so a new endpoint is in the matrix at once.

let stack: Stack;
let api: Awaited<ReturnType<typeof serveApi>>;
const keys = {} as Record<StaffRole, string>;

beforeAll(async () => {
  stack = await startStack();
  api = await serveApi(stack, { rateLimits: unlimited });
  for (const role of staffRoles) keys[role] = await stack.issueKey(role, role === 'department' ? 'transport' : undefined);
});
afterAll(async () => {
  await api.stop();
  await stack.stop();
});

type Caller = StaffRole | 'anonymous';
const callers: Caller[] = ['anonymous', ...staffRoles];

/**
 * Path parameters that fit the usual patterns; the role check runs before validation, so an
 * endpoint whose parameter does not fit still shows who passes (they get a 400, not 401/403).
 */
function concretePath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === 'code' ? 'transport' : name === 'id' ? 'JY-20260101-AAAAAA' : 'matrix-probe'));
}

/** An empty body: an allowed caller gets past the role check and stops at validation, so nothing changes. */
async function send(endpoint: AnyEndpoint, caller: Caller): Promise<Reply> {
  const headers = caller === 'anonymous' ? {} : as(keys[caller]);
  const hasBody = endpoint.method !== 'get' && endpoint.method !== 'delete';
  return api.call(endpoint.method.toUpperCase(), concretePath(endpoint.path), hasBody ? {} : undefined, headers);
}

const isRoleRefusal = (r: Reply) => r.status === 401 || (r.status === 403 && String(r.body?.type).endsWith('/role-not-allowed'));

test('the matrix covers every registered endpoint and every role', () => {
  expect(api.endpoints.length).toBeGreaterThanOrEqual(10);
  expect(new Set(api.endpoints.map((e) => `${e.method} ${e.path}`)).size).toBe(api.endpoints.length);
});

test('every endpoint lets exactly its roles through: no key is 401, a role not listed is 403', async () => {
  const outcomes: string[] = [];
  const wrong: string[] = [];
  for (const endpoint of api.endpoints) {
    for (const caller of callers) {
      const reply = await send(endpoint, caller);
      const name = `${endpoint.method.toUpperCase()} ${endpoint.path} as ${caller}`;
      outcomes.push(`${name}: ${reply.status}`);
      wrong.push(...checkProblemIfError(reply, name));
      if (endpoint.access === 'public') {
        if (isRoleRefusal(reply)) wrong.push(`${name} is public but answered ${reply.status}`);
      } else if (caller === 'anonymous') {
        if (reply.status !== 401) wrong.push(`${name} should be 401, was ${reply.status}`);
      } else if (endpoint.access.includes(caller)) {
        if (isRoleRefusal(reply)) wrong.push(`${name} is allowed but answered ${reply.status} ${reply.body?.detail}`);
      } else if (reply.status !== 403 || !String(reply.body?.type).endsWith('/role-not-allowed')) {
        wrong.push(`${name} should be 403 role-not-allowed, was ${reply.status}`);
      }
    }
  }
  expect(outcomes).toHaveLength(api.endpoints.length * callers.length);
  expect(wrong).toEqual([]);
});

test('a department key is scoped to its department: another department inbox is refused', async () => {
  const own = await api.call('GET', '/v1/departments/transport/inbox', undefined, as(keys.department));
  const other = await api.call('GET', '/v1/departments/health/inbox', undefined, as(keys.department));
  expect(own.status).toBe(200);
  expect(other.status).toBe(403);
});

test('a revoked or made-up key is 401 on every staff endpoint', async () => {
  const revoked = await stack.issueKey('admin');
  await stack.db.apiKey.update({ where: { hash: hashApiKey(revoked) }, data: { revokedAt: new Date() } });
  for (const endpoint of api.endpoints.filter((e) => e.access !== 'public')) {
    for (const key of [revoked, 'made-up-key']) {
      const reply = await api.call(endpoint.method.toUpperCase(), concretePath(endpoint.path), undefined, as(key));
      expect(`${endpoint.method} ${endpoint.path}: ${reply.status}`).toBe(`${endpoint.method} ${endpoint.path}: 401`);
    }
  }
});

function checkProblemIfError(reply: Reply, name: string): string[] {
  if (reply.status >= 500) return [`${name}: ${reply.status} ${JSON.stringify(reply.body)}`];
  return reply.status >= 400 ? checkProblem(reply).map((p) => `${name}: ${p}`) : [];
}
