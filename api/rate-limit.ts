import type { Request, RequestHandler } from 'express';
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
  return { intake: perMinute('RATE_LIMIT_INTAKE_PER_MINUTE', defaultRateLimits.intake), reads: perMinute('RATE_LIMIT_READS_PER_MINUTE', defaultRateLimits.reads) };
}

/**
 * A fixed window per client address. Staff authenticated by a key or token are never limited:
 * intake staff registering a day's letters must not be slowed by the public's quota.
 * In-process on purpose: one API process per deployment; behind several, put the limit at the proxy.
 */
export function rateLimiter(rule: RateLimit, clientOf: (req: Request) => string = (req) => req.ip ?? 'unknown'): RequestHandler {
  let windowStart = 0;
  let counts = new Map<string, number>();
  return (req, res, next) => {
    if (req.staff) return next();
    const now = Date.now();
    if (now - windowStart >= rule.windowMs) {
      windowStart = now;
      counts = new Map();
    }
    const client = clientOf(req);
    const used = (counts.get(client) ?? 0) + 1;
    counts.set(client, used);
    const resetSeconds = Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000));
    res.setHeader('RateLimit-Limit', String(rule.limit));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, rule.limit - used)));
    res.setHeader('RateLimit-Reset', String(resetSeconds));
    if (used > rule.limit) {
      res.setHeader('Retry-After', String(resetSeconds));
      return next(new Problem(429, 'rate-limited', 'Too many requests', `at most ${rule.limit} requests per ${rule.windowMs / 1000} s from one client; retry in ${resetSeconds} s`));
    }
    next();
  };
}
