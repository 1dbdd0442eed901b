import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { createApi } from '../../api/app';
import type { ApiContext } from '../../api/context';
import { readConfig } from '../../domain/config';
import { startStack, type Stack } from '../support/stack';

// Operators scrape the API's Prometheus metrics at /metrics: requests and latency by route
// pattern, method and status, and server errors by route; with METRICS_TOKEN, or from this machine.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const stall = {
  title: 'Clear rules for street stalls',
  content: 'Stall keepers on Changyang Road never know which evenings they may set up; publish the hours.',
  category: 'city_appearance',
  district: 'yangpu',
  proposer: { name: 'Li Lei', phone: '13800000002', replyChannel: 'sms' },
};

/** The value of one sample line, found by metric name and exact label set. */
function sample(exposition: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = match[2].split(/,(?=[a-zA-Z_]\w*=")/);
    if (present.length === wanted.length && wanted.every((l) => present.includes(l))) return Number(match[3]);
  }
  return undefined;
}

test('requests, latency and errors are counted by route pattern, never by the tracking number in the path', async () => {
  const officeKey = await stack.issueKey('office');
  const submitted = await fetch(`${stack.baseUrl}/v1/suggestions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(stall),
  });
  expect(submitted.status).toBe(202);
  const { id } = (await submitted.json()) as { id: string };
  const refused = await fetch(`${stack.baseUrl}/v1/suggestions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...stall, category: 'weather' }),
  });
  expect(refused.status).toBe(400);
  for (let i = 0; i < 3; i++) {
    const read = await fetch(`${stack.baseUrl}/v1/suggestions/${id}`, { headers: { authorization: `Bearer ${officeKey}` } });
    expect(read.status).toBe(200);
  }
  expect((await fetch(`${stack.baseUrl}/no-such-page`)).status).toBe(404);

  const scraped = await fetch(`${stack.baseUrl}/metrics`);
  expect(scraped.status).toBe(200);
  expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await scraped.text();

  expect(sample(text, 'http_requests_total', { method: 'POST', route: '/v1/suggestions', status: '202' })).toBe(1);
  expect(sample(text, 'http_requests_total', { method: 'POST', route: '/v1/suggestions', status: '400' })).toBe(1);
  expect(sample(text, 'http_requests_total', { method: 'GET', route: '/v1/suggestions/:id', status: '200' })).toBe(3);
  expect(sample(text, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
  // The histogram: every read falls in the +Inf bucket, the sum is a positive duration.
  expect(sample(text, 'http_request_duration_seconds_bucket', { le: '+Inf', method: 'GET', route: '/v1/suggestions/:id', status: '200' })).toBe(3);
  expect(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/v1/suggestions/:id', status: '200' })).toBe(3);
  expect(sample(text, 'http_request_duration_seconds_sum', { method: 'GET', route: '/v1/suggestions/:id', status: '200' })).toBeGreaterThan(0);
  expect(text).toContain('# TYPE http_request_errors_total counter');
  expect(sample(text, 'http_request_errors_total', { method: 'GET', route: '/v1/suggestions/:id' })).toBeUndefined();
  // The calls to Temporal are timed by gRPC method: here the one start (a refused submission makes none).
  expect(sample(text, 'temporal_request_duration_seconds_count', { method: 'StartWorkflowExecution', status: 'OK' })).toBe(1);
  expect(sample(text, 'temporal_request_duration_seconds_sum', { method: 'StartWorkflowExecution', status: 'OK' })).toBeGreaterThan(0);
  // The process metrics come along; no label carries a tracking number.
  expect(text).toContain('process_cpu_seconds_total');
  expect(text).not.toContain(id);
});

/** An API of this stack listening on every interface, so it can be reached other than by loopback. */
async function listenEverywhere(overrides: Partial<ApiContext>) {
  const { app } = createApi({ temporal: stack.temporal, db: stack.db, taskQueue: stack.taskQueue, keys: stack.keys, ...overrides }, () => undefined);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '0.0.0.0', () => resolve(s));
  });
  return { port: (server.address() as AddressInfo).port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** An address of this machine that is not loopback, if it has one. */
const outwardAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

test('without METRICS_TOKEN the metrics answer only clients on this machine, not through a proxy nor from another interface', async () => {
  const api = await listenEverywhere({});
  try {
    expect((await fetch(`http://127.0.0.1:${api.port}/metrics`)).status).toBe(200);
    const proxied = await fetch(`http://127.0.0.1:${api.port}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(403);
    expect(proxied.headers.get('content-type')).toContain('application/problem+json');
    expect(await proxied.text()).not.toContain('http_requests_total');
    if (outwardAddress) expect((await fetch(`http://${outwardAddress}:${api.port}/metrics`)).status).toBe(403);
  } finally {
    await api.stop();
  }
});

test('with METRICS_TOKEN the metrics answer the bearer of the token only, from anywhere', async () => {
  const metricsToken = `metrics-${randomBytes(12).toString('hex')}`;
  const api = await listenEverywhere({ metricsToken });
  try {
    const at = outwardAddress ?? '127.0.0.1';
    const without = await fetch(`http://${at}:${api.port}/metrics`);
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`http://127.0.0.1:${api.port}/metrics`, { headers: { authorization: 'Bearer not-the-token' } })).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${api.port}/metrics`, { headers: { authorization: `Bearer ${await stack.issueKey('admin')}` } })).status).toBe(401);
    const scraped = await fetch(`http://${at}:${api.port}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('http_requests_total');
  } finally {
    await api.stop();
  }
});

test('a METRICS_TOKEN too short to be a secret is refused at start; an empty one is unset', () => {
  expect(() => readConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  expect(readConfig({ METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
});
