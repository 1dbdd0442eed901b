import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Problem } from './problem';

/**
 * The API's Prometheus metrics at GET /metrics: requests, latency and server errors per route
 * and method, plus the Node.js process metrics. Routes are labelled by their pattern
 * (`/v1/suggestions/:id`), never by the path a client sent, so a tracking number never becomes
 * a label and the number of series stays bounded; requests that match no route share one label.
 * Each app has a registry of its own (tests run several apps in one process); `alongside` adds
 * others to the same page (the Temporal calls' timings, api/temporal-calls.ts).
 *
 * The page tells which routes are used how much and how the process is doing, which is nobody's
 * business outside operations: with `token` (METRICS_TOKEN) a scraper sends it as a bearer token;
 * without one, only a client on this machine (loopback, and not through a proxy) is answered.
 */
export function metricsRoutes(alongside: Registry[] = [], token?: string): Router {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its answer, by method, route pattern and status',
    labelNames,
    // Reads answer in milliseconds; intake and decisions wait on a Temporal round trip.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'http_request_errors_total',
    help: 'Answers with a 5xx status, by method and route pattern',
    labelNames: ['method', 'route'],
    registers: [registry],
  });

  const router = Router();
  router.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const labels = { method: req.method, route: routePattern(req) ?? 'unmatched', status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      if (res.statusCode >= 500) errors.inc({ method: labels.method, route: labels.route });
    });
    next();
  });
  router.get('/metrics', async (req, res, next) => {
    const refused = refusal(req, token);
    if (refused) {
      if (refused.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return next(refused);
    }
    const page = alongside.length ? Registry.merge([registry, ...alongside]) : registry;
    res.type(registry.contentType).send(await page.metrics());
  });
  return router;
}

/** The pattern of the route that answered (`/v1/suggestions/:id`), or undefined when none matched. */
export function routePattern(req: Request): string | undefined {
  const pattern: unknown = req.route?.path;
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : undefined;
}

/** Why a scrape is refused, or undefined when it may read the page. */
function refusal(req: Request, token: string | undefined): Problem | undefined {
  if (token) {
    const header = req.header('authorization');
    const sent = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    return sent && sameSecret(sent, token)
      ? undefined
      : new Problem(401, 'unauthenticated', 'Metrics token required', 'send the METRICS_TOKEN as Authorization: Bearer <token>');
  }
  return fromThisMachine(req)
    ? undefined
    : new Problem(403, 'forbidden', 'Not allowed', 'the metrics answer only clients on this machine; set METRICS_TOKEN to scrape them from elsewhere');
}

/** A connection from the loopback interface that no proxy forwarded (a proxy on this machine would make every client look local). */
function fromThisMachine(req: Request): boolean {
  const address = req.socket.remoteAddress ?? '';
  const loopback = address === '::1' || /^(::ffff:)?127\./.test(address);
  return loopback && !req.header('x-forwarded-for') && !req.header('forwarded') && !req.header('x-real-ip');
}

function sameSecret(a: string, b: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(a), digest(b));
}
