import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApi } from '../../api/app';
import { sharedCounter, type RateLimits, type WindowCounter } from '../../api/rate-limit';
import { connectDatabase } from '../../prisma/client';
import { client } from '../support/api-client';
import { eventually, startStack, type Stack } from '../support/stack';

// Two API replicas behind a proxy, as compose runs them: a client's public quota is counted once
// across both, through PostgreSQL. When PostgreSQL cannot count, each replica counts on its own.

const windowMs = 10 * 60_000;
const limits: RateLimits = { intake: { limit: 2, windowMs }, reads: { limit: 3, windowMs } };
let stack: Stack;
const servers: Server[] = [];

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await stack?.stop();
});

/** A replica behind a proxy on this host: the client's address comes from X-Forwarded-For. */
async function replica(counter: WindowCounter) {
  const { app } = createApi(
    { temporal: stack.temporal, db: stack.db, taskQueue: stack.taskQueue, keys: stack.keys, rateLimits: limits, rateLimitCounter: counter },
    () => undefined,
  );
  app.set('trust proxy', 'loopback');
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

/** Waits out the end of a window if it is near, so one test's requests fall in one window. */
async function awayFromWindowEdge() {
  const nextEdge = Math.ceil(Date.now() / windowMs) * windowMs;
  if (nextEdge - Date.now() < 60_000) await eventually(async () => Date.now() > nextEdge, 'the next rate-limit window', 70_000);
}

const clientAddress = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

test("a client's public reads are counted once across replicas; another client has its own quota", async () => {
  const [a, b] = [await replica(sharedCounter(stack.db)), await replica(sharedCounter(stack.db))];
  await awayFromWindowEdge();
  const citizen = { 'x-forwarded-for': clientAddress() };
  const statuses = [];
  for (const call of [a, b, a, b]) statuses.push((await call('GET', '/v1/public/suggestions', undefined, citizen)).status);
  expect(statuses).toEqual([200, 200, 200, 429]);
  const refused = await a('GET', '/v1/public/suggestions', undefined, citizen);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(refused.headers.get('ratelimit-remaining')).toBe('0');

  const neighbour = { 'x-forwarded-for': `203.0.113.${Math.floor(Math.random() * 250) + 1}` };
  expect((await b('GET', '/v1/public/suggestions', undefined, neighbour)).status).toBe(200);
  const stored = await stack.db.rateLimitWindow.findMany({ where: { client: citizen['x-forwarded-for'], scope: 'reads' } });
  expect(stored.map((w) => w.count)).toEqual([5]);
});

test('with PostgreSQL unreachable each replica still limits on its own, and says so once', async () => {
  const unreachable = connectDatabase('postgresql://nobody@127.0.0.1:1/none', 1);
  const reported: unknown[] = [];
  try {
    const [a, b] = [await replica(sharedCounter(unreachable, { onError: (err) => reported.push(err) })), await replica(sharedCounter(unreachable))];
    await awayFromWindowEdge();
    const citizen = { 'x-forwarded-for': clientAddress() };
    const onA = [];
    for (let i = 0; i < 4; i++) onA.push((await a('GET', '/v1/public/suggestions', undefined, citizen)).status);
    expect(onA).toEqual([200, 200, 200, 429]);
    // The other replica has not seen this client: its own count starts again (looser, never closed).
    expect((await b('GET', '/v1/public/suggestions', undefined, citizen)).status).toBe(200);
    expect(reported).toHaveLength(1);
  } finally {
    await unreachable.$disconnect();
  }
});
