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
}

/**
 * Drives POSTs at `url` for `seconds` with `connections` clients, each request with a fresh
 * Idempotency-Key (a retry would be answered from the first result, which is not what is measured).
 */
export async function postLoad(opts: { url: string; body: unknown; headers?: Record<string, string>; connections: number; seconds: number }): Promise<LoadResult> {
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: JSON.stringify(opts.body),
    requests: [
      {
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } }),
      },
    ],
  });
  return {
    requests: result.requests.total,
    accepted: result['2xx'],
    throughput: result.requests.total / opts.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
