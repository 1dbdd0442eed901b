import { ApplicationFailure } from '@temporalio/workflow';
import type { Refusal } from '../domain/errors';

/** Refuses an update synchronously; the API maps the type to its HTTP status. */
export function refuse(type: Refusal, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}
