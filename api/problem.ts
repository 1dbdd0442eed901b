import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { temporalUnavailable } from './temporal-errors';

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

/** The last handler: known problems as they are, anything else as a bare 500 with nothing internal. */
export function problemHandler(log: (err: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, next) => {
    // A response already under way can only be cut off; Express closes the connection.
    if (res.headersSent) return next(err);
    const problem = toProblem(err);
    // An unreachable database is reported by /healthz and the request log, not once per request.
    if (problem.status >= 500 && !databaseUnavailable(err)) log(err);
    res.set(problem.headers);
    res.status(problem.status).type('application/problem+json').json({
      type: problemTypeBase + problem.type,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      ...problem.extra,
    });
  };
}

function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  const e = err as { type?: string; status?: number; expose?: boolean };
  // body-parser's own errors carry a status and a type.
  if (e?.type === 'entity.too.large') return new Problem(413, 'body-too-large', 'Request body too large', 'the request body exceeds the limit');
  if (e?.type === 'entity.parse.failed') return new Problem(400, 'malformed-json', 'Malformed JSON', 'the request body is not valid JSON');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new Problem(415, 'unsupported-media-type', 'Unsupported media type', 'send the request body as uncompressed or gzip-compressed UTF-8 JSON');
  }
  // A path with a broken percent-encoding cannot name any resource.
  if (err instanceof URIError) return new Problem(400, 'malformed-path', 'Malformed path', 'the request path is not valid percent-encoding');
  if (e?.status && e.status >= 400 && e.status < 500) return new Problem(e.status, 'bad-request', 'Bad request', 'the request could not be read');
  const temporalProblem = temporalUnavailable(err);
  if (temporalProblem) return temporalProblem;
  if (databaseUnavailable(err)) {
    return new Problem(503, 'temporarily-unavailable', 'Temporarily unavailable', `the suggestion records cannot be reached just now; retry in ${databaseRetryAfterSeconds} s`, {}, { 'Retry-After': String(databaseRetryAfterSeconds) });
  }
  return new Problem(500, 'internal', 'Internal error', 'the service could not complete the request');
}

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
