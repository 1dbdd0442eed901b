import type { ErrorRequestHandler } from 'express';
import { databaseRetryAfterSeconds, databaseUnavailable, Problem, problemTypeBase } from './problem';
import { temporalUnavailable } from './temporal-errors';

// The API's last error handler: every error a route throws leaves as application/problem+json.
// Apart from problem.ts because it knows the errors of the services behind the API (Temporal's
// here, PostgreSQL's in problem.ts), and temporal-errors.ts itself builds Problems.

/** The last handler: known problems as they are, anything else as a bare 500 with nothing internal. */
export function problemHandler(log: (err: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, next) => {
    // A response already under way can only be cut off; Express closes the connection.
    if (res.headersSent) return next(err);
    const problem = toProblem(err);
    // An unreachable database is reported by /healthz and the request log, not once per request.
    if (problem.status >= 500 && !databaseUnavailable(err)) log(err);
    // A refusal is never kept, even on an endpoint whose answers may be (a 503 kept for a minute would outlast the outage).
    res.setHeader('Cache-Control', 'no-store');
    res.set(problem.headers);
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({
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
    return new Problem(
      503,
      'temporarily-unavailable',
      'Temporarily unavailable',
      `the suggestion records cannot be reached just now; retry in ${databaseRetryAfterSeconds} s`,
      {},
      { 'Retry-After': String(databaseRetryAfterSeconds) },
    );
  }
  return new Problem(500, 'internal', 'Internal error', 'the service could not complete the request');
}
