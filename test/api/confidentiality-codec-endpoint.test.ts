import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { hashApiKey, jwtVerifier } from '../../api/auth';
import { EncryptionCodec } from '../../codec';
import { workflowIdFor } from '../../domain/tracking-number';
import { ensureTemporalCli } from '../../scripts/provision/temporal-cli';
import { serveApi } from '../support/api-client';
import { submitAndAwaitRouting } from '../support/confidential';
import { payloadJson, rawHistory, startInput } from '../support/raw-temporal';
import { signInEndsAt } from '../../api/staff-sessions';
import { startStack, testUiOrigin, type Stack } from '../support/stack';

// The codec endpoint the API serves for the Temporal Web UI: it turns the workflows' ciphertext
// into clear payloads for staff who oversee all suggestions, and refuses everyone else, so the
// UI (or the CLI) shows them ciphertext. The proposer's details, sealed with their own data key,
// are opened for the collection office and administrators only, and every decode is recorded.

let stack: Stack;
let keys: Record<'supervisor' | 'office' | 'admin' | 'department' | 'intake', string>;
let suggestionId: string;
let encryptedInput: { metadata: Record<string, string>; data: string }[];

const proposer = { name: 'Zhang Wei', phone: '13700000042', email: 'zhang.wei@example.cn', replyChannel: 'phone' as const };

beforeAll(async () => {
  stack = await startStack();
  const [supervisor, office, admin, department, intake] = await Promise.all([
    stack.issueKey('supervisor'),
    stack.issueKey('office'),
    stack.issueKey('admin'),
    stack.issueKey('department', 'transport'),
    stack.issueKey('intake'),
  ]);
  keys = { supervisor, office, admin, department, intake };
  suggestionId = await submitAndAwaitRouting(stack, proposer, 'A pedestrian light at Siping Road');
  encryptedInput = startInput((await rawHistory(workflowIdFor(suggestionId))).events).map(payloadJson);
});
afterAll(() => stack.stop());

function codec(operation: 'decode' | 'encode', body: unknown, headers: Record<string, string> = {}) {
  // encode is gone; asking for it shows it is refused.
  return fetch(`${stack.baseUrl}/codec/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: JSON.stringify(body),
  });
}
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const plainData = (p: { data: string }) => Buffer.from(p.data, 'base64').toString('utf8');

test('supervisors, the collection office and administrators get the payloads decoded; only the office and administrators see the proposer', async () => {
  for (const role of ['supervisor', 'office', 'admin'] as const) {
    const res = await codec('decode', { payloads: encryptedInput }, bearer(keys[role]));
    expect([role, res.status]).toEqual([role, 200]);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { payloads } = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    const input = JSON.parse(plainData(payloads[0]!));
    expect(input.title).toBe('A pedestrian light at Siping Road');
    if (role === 'supervisor') {
      expect(input.proposer).toEqual({ replyChannel: proposer.replyChannel, redacted: expect.any(String) });
      expect(plainData(payloads[0]!)).not.toContain(proposer.phone);
    } else expect(input.proposer).toEqual(proposer);
  }
});

test('every decode is recorded: who, which suggestion, whether the proposer was shown; administrators and supervisors read the record', async () => {
  await codec('decode', { payloads: encryptedInput }, bearer(keys.supervisor));
  await codec('decode', { payloads: encryptedInput }, bearer(keys.office));
  const record = await fetch(`${stack.baseUrl}/v1/codec-decodes?suggestion=${suggestionId}`, { headers: bearer(keys.admin) });
  expect(record.status).toBe(200);
  const { items } = (await record.json()) as { items: { staff: { role: string }; suggestionIds: string[]; proposersRevealed: boolean; namespace: string }[] };
  expect(items.find((i) => i.staff.role === 'supervisor')).toMatchObject({ suggestionIds: [suggestionId], proposersRevealed: false, namespace: 'default' });
  expect(items.find((i) => i.staff.role === 'office')).toMatchObject({ suggestionIds: [suggestionId], proposersRevealed: true });
  expect((await fetch(`${stack.baseUrl}/v1/codec-decodes`, { headers: bearer(keys.office) })).status).toBe(403);
});

test('credentials are checked before the body is read, and decoding is limited per member of staff', async () => {
  // Five megabytes from nobody: refused for who it is, not read (a 413 would mean it was).
  const big = JSON.stringify({ payloads: [{ metadata: {}, data: Buffer.alloc(5 * 1024 * 1024).toString('base64') }] });
  const anonymous = await fetch(`${stack.baseUrl}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
  expect(anonymous.status).toBe(401);
  const department = await fetch(`${stack.baseUrl}/codec/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(keys.department) },
    body: big,
  });
  expect(department.status).toBe(403);
  // One member of staff scraping: after the minute's quota (240), 429 with when to come back. The
  // window is fixed: a scrape that crosses its turn of the minute may need up to twice the quota.
  const scraper = await stack.issueKey('supervisor');
  let limited: Response | undefined;
  for (let i = 0; i < 2 * 240 + 1 && !limited; i++) {
    const res = await codec('decode', { payloads: [] }, bearer(scraper));
    if (res.status === 429) limited = res;
  }
  expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
  expect((await codec('decode', { payloads: [] }, bearer(keys.office))).status).toBe(200);
});

test('anyone else is refused: no credentials 401, an unknown key 401, departments and intake 403', async () => {
  const cases: [string, Record<string, string>, number][] = [
    ['anonymous', {}, 401],
    ['unknown key', bearer('not-a-key'), 401],
    ['department', bearer(keys.department), 403],
    ['intake', bearer(keys.intake), 403],
  ];
  for (const [who, headers, status] of cases) {
    const res = await codec('decode', { payloads: encryptedInput }, headers);
    expect([who, res.status]).toEqual([who, status]);
    const text = await res.text();
    expect(text).not.toContain(proposer.name);
    expect(text).not.toContain(proposer.phone);
  }
  // There is no encode, for anyone: the UI could seal a request of its choosing with the key.
  expect((await codec('encode', { payloads: [] })).status).toBe(404);
  expect((await codec('encode', { payloads: [] }, bearer(keys.admin))).status).toBe(404);
});

test('the Temporal UI origin may call it from a browser (CORS preflight), other origins may not', async () => {
  const preflight = await fetch(`${stack.baseUrl}/codec/decode`, {
    method: 'OPTIONS',
    headers: { origin: testUiOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(testUiOrigin);
  expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
  expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toEqual(expect.stringContaining('x-namespace'));

  const fromUi = await codec('decode', { payloads: encryptedInput }, { origin: testUiOrigin, ...bearer(keys.supervisor) });
  expect(fromUi.status).toBe(200);
  expect(fromUi.headers.get('access-control-allow-origin')).toBe(testUiOrigin);

  const elsewhere = 'https://attacker.example';
  const foreignPreflight = await fetch(`${stack.baseUrl}/codec/decode`, {
    method: 'OPTIONS',
    headers: { origin: elsewhere, 'access-control-request-method': 'POST' },
  });
  expect(foreignPreflight.status).toBe(403);
  expect(foreignPreflight.headers.get('access-control-allow-origin')).toBeNull();
  const foreign = await codec('decode', { payloads: encryptedInput }, { origin: elsewhere, ...bearer(keys.supervisor) });
  expect(foreign.status).toBe(403);
  expect(await foreign.text()).not.toContain(proposer.name);
});

test('a sealed payload decodes to what was sealed; a tampered payload is a 422, a malformed body a 400', async () => {
  const original = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"signal":"remind"}').toString('base64') };
  const [sealedPayload] = await new EncryptionCodec(stack.keys).encode([
    { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"signal":"remind"}') },
  ]);
  const sealed = [payloadJson(sealedPayload!)];
  expect(plainData(sealed[0]!)).not.toContain('remind');
  const decoded = await codec('decode', { payloads: sealed }, bearer(keys.office));
  expect(((await decoded.json()) as { payloads: unknown[] }).payloads).toEqual([original]);

  const data = Buffer.from(sealed[0]!.data, 'base64');
  data[data.length - 1] = data[data.length - 1]! ^ 0xff;
  const tampered = await codec('decode', { payloads: [{ ...sealed[0]!, data: data.toString('base64') }] }, bearer(keys.office));
  expect(tampered.status).toBe(422);
  expect((await codec('decode', { payloads: 'all of them' }, bearer(keys.office))).status).toBe(400);
});

test('a staff browser signs in once; the Temporal UI then decodes with the session cookie until the key is revoked', async () => {
  const page = await fetch(`${stack.baseUrl}/codec/sign-in`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(await page.text()).toContain('<input id="key" name="key" type="password"');

  const signIn = (headers: Record<string, string>) => fetch(`${stack.baseUrl}/codec/session`, { method: 'POST', headers });
  expect((await signIn({})).status).toBe(401);
  expect((await signIn(bearer(keys.department))).status).toBe(403);

  const supervisorKey = await stack.issueKey('supervisor');
  const signedIn = await signIn(bearer(supervisorKey));
  expect(signedIn.status).toBe(200);
  const setCookie = signedIn.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/^codec_session=[^;]+; Path=\/codec; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
  // Until midnight in Shanghai (an hour at least), as the README says.
  const cookieExpires = new Date(/Expires=([^;]+)/.exec(setCookie)![1]!).getTime();
  expect(Math.abs(cookieExpires - signInEndsAt(new Date()).getTime())).toBeLessThan(60_000);
  expect(setCookie).not.toContain(supervisorKey);
  const cookie = setCookie.split(';')[0]!;

  // What the UI sends with "include cross-origin credentials": its origin and the cookie, no key.
  const fromUi = (c: string) => codec('decode', { payloads: encryptedInput }, { origin: testUiOrigin, cookie: c });
  const decoded = await fromUi(cookie);
  expect(decoded.status).toBe(200);
  // A supervisor's session: the workflow in clear, the proposer redacted.
  expect(plainData(((await decoded.json()) as { payloads: { data: string }[] }).payloads[0]!)).toContain('A pedestrian light at Siping Road');

  // A cookie with its expiry pushed back, or naming another key, no longer matches its signature.
  const [name, value] = cookie.split('=') as [string, string];
  const [ring, keyId, expires, signature] = value.split('.');
  expect((await fromUi(`${name}=${[ring, keyId, Number(expires) + 86_400, signature].join('.')}`)).status).toBe(401);
  expect((await fromUi(`${name}=${[ring, Buffer.from('dev-admin').toString('base64url'), expires, signature].join('.')}`)).status).toBe(401);

  await stack.db.apiKey.update({ where: { hash: hashApiKey(supervisorKey) }, data: { revokedAt: new Date() } });
  expect((await fromUi(cookie)).status).toBe(401);

  const signedOut = await fetch(`${stack.baseUrl}/codec/session`, { method: 'DELETE' });
  expect(signedOut.status).toBe(204);
  expect(signedOut.headers.get('set-cookie')).toMatch(/^codec_session=;.*Expires=Thu, 01 Jan 1970/);
});

test("a Temporal UI that passes the signed-in user's access token decodes for staff who oversee all suggestions only", async () => {
  const secret = randomBytes(32);
  const [issuer, audience] = ['https://id.example.gov.cn', 'suggestion-chain'];
  const api = await serveApi(stack, { codecOrigins: [testUiOrigin], verifyToken: jwtVerifier({ issuer, audience, key: secret }) });
  const token = (claims: Record<string, string>, key = secret) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('li.wei').setIssuer(issuer).setAudience(audience).setExpirationTime('5m').sign(key);
  const decode = async (accessToken: string) =>
    fetch(`${api.baseUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: testUiOrigin, authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ payloads: encryptedInput }),
    });
  try {
    const supervisor = await decode(await token({ role: 'supervisor' }));
    expect(supervisor.status).toBe(200);
    expect(plainData(((await supervisor.json()) as { payloads: { data: string }[] }).payloads[0]!)).not.toContain(proposer.phone);
    const office = await decode(await token({ role: 'office' }));
    expect(plainData(((await office.json()) as { payloads: { data: string }[] }).payloads[0]!)).toContain(proposer.phone);
    expect((await decode(await token({ role: 'department', department: 'transport' }))).status).toBe(403);
    expect((await decode(await token({ role: 'supervisor' }, randomBytes(32)))).status).toBe(401);
  } finally {
    await api.stop();
  }
});

test('the Temporal CLI decodes the history through the endpoint with a staff key, and nothing in clear without one', async () => {
  const cli = await ensureTemporalCli();
  const show = (...extra: string[]) =>
    promisify(execFile)(cli, [
      'workflow',
      'show',
      '--address',
      process.env.TEMPORAL_ADDRESS!,
      '--workflow-id',
      workflowIdFor(suggestionId),
      '--output',
      'json',
      '--codec-endpoint',
      `${stack.baseUrl}/codec`,
      ...extra,
    ]);
  // The CLI prints payloads in protobuf's JSON form: the data is base64 of what the codec returned.
  const inputOf = (stdout: string) =>
    JSON.parse(stdout).events[0].workflowExecutionStartedEventAttributes.input.payloads[0] as { metadata: Record<string, string>; data: string };
  const decoded = inputOf((await show('--codec-auth', `Bearer ${keys.office}`)).stdout);
  expect(Buffer.from(decoded.metadata.encoding!, 'base64').toString()).toBe('json/plain');
  expect(JSON.parse(plainData(decoded)).proposer).toEqual(proposer);

  // Refused by the endpoint, the CLI fails (it retries the codec until its timeout) or prints ciphertext: never the details.
  const refused = await show('--command-timeout', '3s').then(
    ({ stdout }) => stdout,
    (err: { stdout?: string; stderr?: string }) => `${err.stdout ?? ''}${err.stderr ?? ''}`,
  );
  expect(refused).not.toContain(proposer.name);
  expect(refused).not.toContain(proposer.phone);
  if (refused.trimStart().startsWith('{')) expect(Buffer.from(inputOf(refused).metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
});
