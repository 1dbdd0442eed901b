import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { jwtVerifier } from '../../api/auth';
import { as, serveApi, unlimited } from '../support/api-client';
import { eventually, startStack, type Stack } from '../support/stack';

// Signed tokens from an identity provider as an alternative to API keys, and the per-client
// rate limits of public intake and public reads (which staff never hit).

let stack: Stack;
let privateKey: KeyLike;
let tokenApi: Awaited<ReturnType<typeof serveApi>>;
const issuer = 'https://id.example.gov.cn';
const audience = 'suggestion-chain';

beforeAll(async () => {
  stack = await startStack();
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test', alg: 'ES256' };
  tokenApi = await serveApi(stack, { rateLimits: unlimited, verifyToken: jwtVerifier({ issuer, audience, key: createLocalJWKSet({ keys: [jwk] }) }) });
});
afterAll(async () => {
  await tokenApi.stop();
  await stack.stop();
});

function token(claims: Record<string, unknown>, opts: { issuer?: string; expiresIn?: string; key?: KeyLike } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'test' })
    .setSubject('li.wei')
    .setIssuer(opts.issuer ?? issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(opts.key ?? privateKey);
}

test('a signed token carries a role and a department like an API key does', async () => {
  const office = await token({ role: 'office' });
  expect((await tokenApi.call('GET', '/v1/triage-queue', undefined, as(office))).status).toBe(200);
  const transport = await token({ role: 'department', department: 'transport' });
  expect((await tokenApi.call('GET', '/v1/departments/transport/inbox', undefined, as(transport))).status).toBe(200);
  expect((await tokenApi.call('GET', '/v1/departments/health/inbox', undefined, as(transport))).status).toBe(403);
  expect((await tokenApi.call('GET', '/v1/triage-queue', undefined, as(transport))).status).toBe(403);
  // API keys keep working next to tokens.
  expect((await tokenApi.call('GET', '/v1/triage-queue', undefined, as(await stack.issueKey('office')))).status).toBe(200);
});

test('expired, foreign, badly signed or role-less tokens are 401', async () => {
  const stranger = (await generateKeyPair('ES256')).privateKey;
  const refused = [
    await token({ role: 'office' }, { expiresIn: '-1m' }),
    await token({ role: 'office' }, { issuer: 'https://someone-else.example' }),
    await token({ role: 'office' }, { key: stranger }),
    await token({ role: 'citizen' }),
    await token({ role: 'department' }),
  ];
  for (const t of refused) {
    const reply = await tokenApi.call('GET', '/v1/triage-queue', undefined, as(t));
    expect(reply.status).toBe(401);
    expect(reply.type).toContain('application/problem+json');
  }
});

test('public intake and public reads are limited per client, with Retry-After; staff keys are not limited', async () => {
  const limited = await serveApi(stack, { rateLimits: { intake: { limit: 2, windowMs: 60_000 }, reads: { limit: 3, windowMs: 60_000 } } });
  try {
    const invalid = { title: 'x' }; // refused by validation, so no workflow starts, yet it counts
    const intake = [];
    for (let i = 0; i < 3; i += 1) intake.push(await limited.call('POST', '/v1/suggestions', invalid));
    expect(intake.map((r) => r.status)).toEqual([400, 400, 429]);
    expect(Number(intake[2].headers.get('retry-after'))).toBeGreaterThan(0);
    expect(intake[2].body.type).toMatch(/rate-limited$/);

    const reads = [];
    for (let i = 0; i < 4; i += 1) reads.push((await limited.call('GET', '/v1/public/suggestions')).status);
    expect(reads).toEqual([200, 200, 200, 429]);

    const intakeKey = await stack.issueKey('intake');
    const staff = [];
    for (let i = 0; i < 5; i += 1) staff.push((await limited.call('POST', '/v1/suggestions', invalid, as(intakeKey))).status);
    expect(staff).toEqual([400, 400, 400, 400, 400]);
    for (let i = 0; i < 5; i += 1) expect((await limited.call('GET', '/v1/public/suggestions', undefined, as(intakeKey))).status).toBe(200);
  } finally {
    await limited.stop();
  }
});

test("a proposer's tracking token works before the registration has written it to the read model: the workflow answers for it", async () => {
  const submitted = await tokenApi.call('POST', '/v1/suggestions', {
    title: 'A crossing by the Huangxing Park gate',
    content: 'Families cross six lanes to reach the park gate; a signalled crossing would make it safe.',
    category: 'transport',
    district: 'yangpu',
    publishConsent: false,
    proposer: { replyChannel: 'online' },
  });
  expect(submitted.status).toBe(202);
  const { id, trackingToken } = submitted.body;
  // Registered, then its row taken away again: as it stands before a busy worker registers it.
  await eventually(() => stack.db.trackingToken.findUnique({ where: { suggestionId: id } }).then((row) => row ?? undefined), 'the registration');
  await stack.db.trackingToken.delete({ where: { suggestionId: id } });

  const own = await tokenApi.call('GET', `/v1/suggestions/${id}/tracking`, undefined, { 'x-tracking-token': trackingToken });
  expect(own.status).toBe(200);
  expect(own.body.trackingNumber).toBe(id);
  expect((await tokenApi.call('GET', `/v1/suggestions/${id}/tracking`, undefined, { 'x-tracking-token': `${trackingToken}x` })).status).toBe(404);
  expect((await tokenApi.call('GET', '/v1/suggestions/JY-20261127-ZZZZZZ/tracking', undefined, { 'x-tracking-token': trackingToken })).status).toBe(404);
});
