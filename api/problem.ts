import type { RequestHandler } from 'express';
import type { z } from 'zod';

/** An error the client can act on, sent as application/problem+json (RFC 9457). */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    /** Response headers that belong to the answer, such as Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const problemTypeBase = 'https://suggestion-chain.example/problems/';

export function validationProblem(error: z.ZodError, where: 'body' | 'query' | 'path' | 'header'): Problem {
  const errors = error.issues.map((issue) => ({ field: [where, ...issue.path.map(String)].join('.'), message: issue.message }));
  const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return new Problem(400, 'validation-failed', 'The request is not valid', detail, { errors });
}

/** A body must be JSON: anything else is refused before it is read. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    return next(new Problem(415, 'unsupported-media-type', 'Unsupported media type', 'send the request body as application/json'));
  }
  next();
};

export const notFound: RequestHandler = (req, _res, next) => {
  next(new Problem(404, 'not-found', 'Not found', `no resource at ${req.method} ${req.path}`));
};

/** How long a client waits before retrying while PostgreSQL is unreachable: a restart or fail-over takes seconds. */
export const databaseRetryAfterSeconds = 5;

// Prisma's codes for a database it cannot reach, whose connection dropped or whose pool ran dry.
const unreachableCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
// The driver adapter's kinds for the same, when Prisma reports them under another code (raw queries: P2010).
const unreachableKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/**
 * PostgreSQL down, restarting or out of connections: the request was fine and will succeed once
 * the database is back, so it is answered 503 with Retry-After instead of 500. Workflows do not
 * need PostgreSQL; what waits on it is the read model, and its projections catch up.
 */
export function databaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; errorCode?: string; meta?: { driverAdapterError?: { cause?: { kind?: string; code?: string; originalCode?: string } } } };
  if (!e || typeof e !== 'object') return false;
  const code = e.code ?? e.errorCode;
  if (code && unreachableCodes.has(code)) return true;
  const cause = e.meta?.driverAdapterError?.cause;
  if (cause?.kind && unreachableKinds.has(cause.kind)) return true;
  // PostgreSQL shutting down or starting up (57P01–57P03), or a connection failure (class 08).
  const sqlState = cause?.kind === 'postgres' ? (cause.code ?? cause.originalCode) : undefined;
  return sqlState !== undefined && (/^57P0[1-3]$/.test(sqlState) || sqlState.startsWith('08'));
}
