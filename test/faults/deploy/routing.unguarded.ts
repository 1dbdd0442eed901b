import { sleep } from '@temporalio/workflow';
import type { Suggestion } from '../../../workflows/suggestion';
import { routeAgain as routeAgainAtOnce } from '../../../workflows/stages/routing';

// The same change as routing.after.ts without its patched() guard: what the replay check must
// refuse, since a suggestion returned before it was routed again without the pause's timer.
export * from '../../../workflows/stages/routing';

export async function routeAgain(suggestion: Suggestion): Promise<void> {
  await sleep('2 seconds');
  return routeAgainAtOnce(suggestion);
}
