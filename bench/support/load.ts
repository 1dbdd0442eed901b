import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  /** Responses with a 2xx status. */
  accepted: number;
  throughput: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Every answered request's latency in ms, so that runs can be pooled (`pooled`). */
  latencies: number[];
  seconds: number;
}

/**
 * Drives POSTs at `url` for `seconds` with `connections` clients, each request with a fresh
 * Idempotency-Key (a retry would be answered from the first result, which is not what is measured).
 */
export function postLoad(opts: { url: string; body: unknown; headers?: Record<string, string>; connections: number; seconds: number }): Promise<LoadResult> {
  return drive(
    {
      url: opts.url,
      connections: opts.connections,
      duration: opts.seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...opts.headers },
      body: JSON.stringify(opts.body),
      requests: [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } }) }],
    },
    opts.seconds,
  );
}

/**
 * Drives GETs at `url` for `seconds` with `connections` clients; `perRequest` adds headers of each
 * request's own (e.g. X-Forwarded-For: many citizens behind the city's proxy, not one address).
 */
export function getLoad(opts: {
  url: string;
  headers?: Record<string, string>;
  perRequest?: () => Record<string, string>;
  connections: number;
  seconds: number;
}): Promise<LoadResult> {
  const { perRequest } = opts;
  return drive(
    {
      url: opts.url,
      connections: opts.connections,
      duration: opts.seconds,
      method: 'GET',
      headers: opts.headers,
      ...(perRequest ? { requests: [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...perRequest() } }) }] } : {}),
    },
    opts.seconds,
  );
}

/** One autocannon run, every answered request's latency kept. */
async function drive(options: autocannon.Options, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(options, (err, done) => (err ? reject(err) : resolve(done)));
    run.on('response', (_client, _status, _bytes, responseTime: number) => latencies.push(responseTime));
  });
  return {
    requests: result.requests.total,
    accepted: result['2xx'],
    throughput: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    latencies,
    seconds,
  };
}

/** Several runs of the same load as one: counts added, throughput over their total time, percentiles of all their latencies. */
export function pooled(runs: LoadResult[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const sum = (pick: (r: LoadResult) => number) => runs.reduce((total, r) => total + pick(r), 0);
  const requests = sum((r) => r.requests);
  return {
    requests,
    accepted: sum((r) => r.accepted),
    throughput: requests / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    latencies,
    seconds,
  };
}

/** The nearest-rank percentile of sorted values, in whole ms as autocannon reports its own. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]);
}
