import { startStack, type Stack } from '../support/stack';

// Operators scrape the API's Prometheus metrics at /metrics: requests and latency by route
// pattern, method and status, and server errors by route.

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
  const submitted = await fetch(`${stack.baseUrl}/v1/suggestions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(stall) });
  expect(submitted.status).toBe(202);
  const { id } = (await submitted.json()) as { id: string };
  const refused = await fetch(`${stack.baseUrl}/v1/suggestions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...stall, category: 'weather' }) });
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
