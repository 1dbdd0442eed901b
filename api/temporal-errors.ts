import { refusals, type Refusal } from '../domain/errors';
import { Problem } from './problem';

/**
 * Turns a refused Temporal update into the API's answer: the validator's failure type says why
 * (wrong department 403, wrong state 409, bad data 422); an unknown workflow is a 404.
 */
export function problemFromTemporal(err: unknown, what: string): Problem | undefined {
  const e = err as { name?: string; cause?: { name?: string; type?: string; message?: string } };
  if (e?.name === 'WorkflowNotFoundError') return new Problem(404, 'not-found', 'Not found', `${what} does not exist`);
  if (e?.name === 'WorkflowUpdateFailedError' && e.cause?.type && e.cause.type in refusals) {
    const type = e.cause.type as Refusal;
    const kebab = type.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase());
    return new Problem(refusals[type], kebab, 'Action refused', e.cause.message ?? type);
  }
  return undefined;
}

/** How long a client waits before retrying while the workflow service is busy or restarting. */
export const temporalRetryAfterSeconds = 2;

// gRPC status codes of a service that is not answering: deadline exceeded, overloaded, unavailable.
const unavailableCodes = new Set([4, 8, 14]);

/**
 * The workflow service did not answer in time or could not be reached (a restart, a fail-over,
 * an overloaded frontend): the request was fine and is answered 503 with Retry-After. An update
 * that timed out may still be applied; retried with the same Idempotency-Key it is applied once
 * and answers its result.
 */
export function temporalUnavailable(err: unknown): Problem | undefined {
  const retry = { 'Retry-After': String(temporalRetryAfterSeconds) };
  if ((err as Error)?.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') {
    return new Problem(
      503,
      'still-processing',
      'Still processing',
      `the action did not finish in time; retry with the same Idempotency-Key in ${temporalRetryAfterSeconds} s to get its result`,
      {},
      retry,
    );
  }
  for (
    let e = err as { code?: unknown; details?: unknown; cause?: unknown } | undefined, depth = 0;
    e && typeof e === 'object' && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e.code === 'number' && typeof e.details === 'string' && unavailableCodes.has(e.code)) {
      return new Problem(
        503,
        'temporarily-unavailable',
        'Temporarily unavailable',
        `the workflow service cannot be reached just now; retry in ${temporalRetryAfterSeconds} s`,
        {},
        retry,
      );
    }
  }
  return undefined;
}
