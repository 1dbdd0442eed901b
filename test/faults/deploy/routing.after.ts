import { patched, sleep } from '@temporalio/workflow';
import type { Suggestion } from '../../../workflows/suggestion';
import { routeAgain as routeAgainAtOnce } from '../../../workflows/stages/routing';

// The next version of workflows/stages/routing.ts, as the deploy test deploys it: a returned
// suggestion waits a pause before the rules route it again, so the office may take it first.
// Guarded by patched(), as every change to the suggestion workflow is: suggestions returned
// before the deploy replay as they were recorded.
export * from '../../../workflows/stages/routing';

export const reroutePausePatch = 'reroute-after-pause';

export async function routeAgain(suggestion: Suggestion): Promise<void> {
  if (patched(reroutePausePatch)) await sleep('2 seconds');
  return routeAgainAtOnce(suggestion);
}
