import type { Request, RequestHandler } from 'express';
import type { Database } from '../prisma/client';
import { Problem } from './problem';

export interface RateLimit {
  /** Requests one client may make in a window. */
  limit: number;
  windowMs: number;
}

/** Public intake is a write that starts a workflow, so it is held much tighter than public reads. */
export interface RateLimits {
  intake: RateLimit;
  reads: RateLimit;
}

export const defaultRateLimits: RateLimits = {
  intake: { limit: 60, windowMs: 60_000 },
  reads: { limit: 600, windowMs: 60_000 },
};

/**
 * Limits from RATE_LIMIT_INTAKE_PER_MINUTE and RATE_LIMIT_READS_PER_MINUTE where set (a load
 * test from one address, a city-wide event), the defaults otherwise.
 */
export function rateLimitsFromEnv(env: Record<string, string | undefined>): RateLimits {
  const perMinute = (name: string, fallback: RateLimit): RateLimit => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const limit = Number(value);
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`${name} must be a whole number of requests per minute, not ${JSON.stringify(value)}`);
    return { limit, windowMs: 60_000 };
  };
  return {
    intake: perMinute('RATE_LIMIT_INTAKE_PER_MINUTE', defaultRateLimits.intake),
    reads: perMinute('RATE_LIMIT_READS_PER_MINUTE', defaultRateLimits.reads),
  };
}

/**
 * Counts a client's requests in a window. Windows are aligned to the clock (not to a first
 * request), so every API replica agrees on which window a request falls in.
 */
export interface WindowCounter {
  /** Counts one more request and answers how many the client has made in the window so far. */
  count(scope: string, client: string, windowStart: Date): Promise<number>;
}

/** Counts in this process only: for one API process, and as the fallback of the shared counter. */
export function localCounter(): WindowCounter {
  let window = 0;
  let counts = new Map<string, number>();
  return {
    async count(scope, client, windowStart) {
      if (windowStart.getTime() !== window) {
        window = windowStart.getTime();
        counts = new Map();
      }
      const key = `${scope}\n${client}`;
      const used = (counts.get(key) ?? 0) + 1;
      counts.set(key, used);
      return used;
    },
  };
}

/** Windows older than this are swept; they can no longer be the current window of any limit. */
const sweepAfterMs = 3600_000;

/**
 * Counts in PostgreSQL, so replicas behind a load balancer share one quota per client. If the
 * database cannot answer, each replica counts on its own meanwhile (reported once a minute): the public keeps access
 * (intake works while PostgreSQL is down) and the limit is only looser for that time.
 */
export function sharedCounter(db: Database, opts: { onError?: (err: unknown) => void } = {}): WindowCounter {
  const fallback = localCounter();
  let lastSweep = 0;
  let lastReport = 0;
  const report = (err: unknown) => {
    if (Date.now() - lastReport < 60_000) return;
    lastReport = Date.now();
    opts.onError?.(err);
  };
  return {
    async count(scope, client, windowStart) {
      try {
        const [row] = await db.$queryRaw<{ count: number }[]>`
          INSERT INTO rate_limit_windows (scope, client, window_start, count) VALUES (${scope}, ${client}, ${windowStart}, 1)
          ON CONFLICT (scope, client, window_start) DO UPDATE SET count = rate_limit_windows.count + 1
          RETURNING count`;
        if (Date.now() - lastSweep > 60_000) {
          lastSweep = Date.now();
          db.rateLimitWindow.deleteMany({ where: { windowStart: { lt: new Date(Date.now() - sweepAfterMs) } } }).catch(report);
        }
        return Number(row.count);
      } catch (err) {
        report(err);
        return fallback.count(scope, client, windowStart);
      }
    },
  };
}

/**
 * A fixed window per client address. Staff authenticated by a key or token are never limited:
 * intake staff registering a day's letters must not be slowed by the public's quota. Behind a
 * reverse proxy, set TRUST_PROXY so the client's address (not the proxy's) is counted.
 */
export function rateLimiter(
  scope: string,
  rule: RateLimit,
  counter: WindowCounter = localCounter(),
  clientOf: (req: Request) => string = (req) => req.ip ?? 'unknown',
): RequestHandler {
  return windowLimiter(scope, rule, counter, (req) => (req.staff ? undefined : clientOf(req)));
}

/** A fixed window per staff identity, for what staff may do only so often (decoding payloads). */
export function staffRateLimiter(scope: string, rule: RateLimit, counter: WindowCounter = localCounter()): RequestHandler {
  return windowLimiter(scope, rule, counter, (req) => (req.staff ? `staff:${req.staff.keyId}` : (req.ip ?? 'unknown')));
}

/** Counts the request against its client's window (none: not limited) and refuses past the limit with 429. */
function windowLimiter(scope: string, rule: RateLimit, counter: WindowCounter, clientOf: (req: Request) => string | undefined): RequestHandler {
  return (req, res, next) => {
    const client = clientOf(req);
    if (client === undefined) return next();
    const now = Date.now();
    const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
    counter.count(scope, client, new Date(windowStart)).then((used) => {
      const resetSeconds = Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000));
      res.setHeader('RateLimit-Limit', String(rule.limit));
      res.setHeader('RateLimit-Remaining', String(Math.max(0, rule.limit - used)));
      res.setHeader('RateLimit-Reset', String(resetSeconds));
      if (used > rule.limit) {
        res.setHeader('Retry-After', String(resetSeconds));
        return next(
          new Problem(
            429,
            'rate-limited',
            'Too many requests',
            `at most ${rule.limit} requests per ${rule.windowMs / 1000} s from one client; retry in ${resetSeconds} s`,
          ),
        );
      }
      next();
    }, next);
  };
}

/** Express's `trust proxy` from TRUST_PROXY: a number of hops, true, or the proxies' addresses or subnets. */
export function trustProxySetting(value: string): number | boolean | string {
  if (/^\d+$/.test(value)) return Number(value);
  return value === 'true' ? true : value;
}
