import { ApplicationFailure, currentUpdateInfo, log, workflowInfo } from '@temporalio/workflow';
import { refuse } from './refusals';

/**
 * Proof that the suggestion service issued a request for this workflow. It travels inside the
 * request's payload, which the codec authenticates (AES-GCM under keys only the API and the worker
 * hold; the worker's codec hands over anything not sealed so as a request without it:
 * codec/payload-codec.ts), and it names the workflow and the update it was issued for, so a
 * request read from one history cannot be sent again as another action or to another suggestion.
 * The clients stamp it on every update and signal (temporal-client/issued-requests.ts).
 */
export interface IssuedFor {
  workflowId: string;
  /** Updates only: the update id the request was issued under, which is also its action id. */
  updateId?: string;
}

/**
 * The proof on a request or signal. Optional in the types: the clients stamp it on every update and
 * signal they send, and the workflows refuse what arrives without it.
 */
export interface Issued {
  issuedFor?: IssuedFor;
}

/** An update's validator refuses a request not issued for this workflow and this very update, and logs it. */
export function refuseUnlessIssuedHere<T>(request: T): asserts request is T & { issuedFor: IssuedFor } {
  const issuedFor = (request as Issued | null | undefined)?.issuedFor;
  const update = currentUpdateInfo();
  if (issuedFor?.workflowId === workflowInfo().workflowId && update !== undefined && issuedFor.updateId === update.id) return;
  log.warn('refused an update not issued for this workflow by the suggestion service', { update: update?.name, updateId: update?.id });
  refuse('Unauthenticated', 'this request was not issued for this suggestion by the suggestion service');
}

/** Whether a signal was issued for this workflow; one that was not is logged and ignored by its handler. */
export function issuedHere<S>(signal: S, name: string): signal is S & { issuedFor: IssuedFor } {
  const issuedFor = (signal as Issued | null | undefined)?.issuedFor;
  if (issuedFor?.workflowId === workflowInfo().workflowId) return true;
  log.warn('ignored a signal not issued for this workflow by the suggestion service', { signal: name });
  return false;
}

/** A workflow's own signal to another workflow carries the same proof. */
export function issuedTo(workflowId: string): { issuedFor: IssuedFor } {
  return { issuedFor: { workflowId } };
}

/**
 * A workflow's input must have come sealed from the suggestion service: what the worker's codec
 * refused arrives as `{ "$unsealed": why }` (codec/payload-codec.ts), and the workflow fails at
 * once rather than act on it. `belongsHere` checks what binds the input to this workflow.
 */
export function refuseUnsealedInput(input: unknown, belongsHere: (input: never) => boolean = () => true): void {
  if (input !== null && typeof input === 'object' && !('$unsealed' in input) && belongsHere(input as never)) return;
  log.warn('refused to start on an input not issued for this workflow by the suggestion service', { workflowId: workflowInfo().workflowId });
  throw ApplicationFailure.nonRetryable('this workflow was not started by the suggestion service', 'Unauthenticated');
}
