import { allHandlersFinished, condition } from '@temporalio/workflow';
import { recordChanges } from '../recording';
import type { Suggestion } from '../suggestion';

/** 办结: the rating is settled, and an adopted suggestion is implemented and checked (or a matter out of scope was closed). */
export async function close(suggestion: Suggestion): Promise<void> {
  if (suggestion.status !== 'closed') {
    suggestion.status = 'closed';
    suggestion.closedAt = new Date().toISOString();
    suggestion.record('closed', 'system', { satisfaction: suggestion.feedback.satisfaction.state });
  }
  // An action accepted just before closing is recorded before the workflow ends.
  while (!allHandlersFinished() || suggestion.recordedVersion < suggestion.version) {
    if (suggestion.recordedVersion < suggestion.version) await recordChanges(suggestion);
    else await condition(() => allHandlersFinished() || suggestion.recordedVersion < suggestion.version);
  }
}
