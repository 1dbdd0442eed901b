import type { ApiContext } from '../../api/context';
import { Problem } from '../../api/problem';
import { updateSuggestion } from '../../api/suggestion-client';
import { closeOutOfScopeUpdate } from '../../workflows/handling-messages';

// An action that reaches a suggestion's workflow as it finishes (closed out of scope a moment
// before, or the closure's own retry): Temporal fails the update with an error of its own, not one
// of the workflow's refusals. The likely cause of the 500 schemathesis met once on POST
// /v1/suggestions/{id}/out-of-scope (the office sends its example again and again in the coverage
// phase, with and without an Idempotency-Key); it is the 409 of a closed suggestion. Any other failure, of a workflow still running, stays a server error.

/** The error Temporal's client raises when the run completes before the update does. */
class WorkflowUpdateFailedError extends Error {
  override name = 'WorkflowUpdateFailedError';
  constructor(override readonly cause: Error) {
    super('Workflow Update failed');
  }
}

function context(status: 'RUNNING' | 'COMPLETED', rows: number): ApiContext {
  const handle = {
    executeUpdate: () =>
      Promise.reject(new WorkflowUpdateFailedError(new Error('Workflow Update failed because the Workflow completed before the Update completed.'))),
    describe: () => Promise.resolve({ status: { name: status } }),
  };
  return { temporal: { workflow: { getHandle: () => handle } }, db: { suggestion: { count: () => Promise.resolve(rows) } } } as unknown as ApiContext;
}

const request = {
  kind: 'litigation',
  reason: 'A claim for damages against the bus company',
  referral: "the Yangpu District People's Court",
  actor: { role: 'office', name: 'desk 1' },
} as never;

test('an action that meets the workflow as it finishes is refused as the closed suggestion it is (409), not a server error', async () => {
  const refused = await updateSuggestion(context('COMPLETED', 1), 'sg-1', closeOutOfScopeUpdate, request, 'u-1').catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(Problem);
  expect(refused).toMatchObject({ status: 409 });
});

test('the same failure of a workflow still running stays an error: nothing is hidden behind a 409', async () => {
  const failed = await updateSuggestion(context('RUNNING', 1), 'sg-1', closeOutOfScopeUpdate, request, 'u-1').catch((e: unknown) => e);
  expect(failed).not.toBeInstanceOf(Problem);
  expect((failed as Error).name).toBe('WorkflowUpdateFailedError');
});
