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
