import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { changed as takesChange } from './changes';
import type { OutgoingMessage } from '../activities';
import { projectSuggestion } from './activities';
import { Department, DueAt, Overdue, SuggestionStatus } from './search-attributes';
import type { SuggestionRecord } from './suggestion-record';

/** Suggestions started before attributes were upserted only when they change replay as recorded. */
export const changedAttributesPatch = 'upsert-changed-search-attributes';

export interface PublishOptions {
  /**
   * The next step publishes again in the same workflow task (the reply right after a decision, the
   * plan right after the reply): its attributes cover this state, so none are upserted for it.
   */
  passing?: boolean;
}

/** Projects the state into the read model and keeps the supervisors' search attributes current. */
export async function publish(suggestion: SuggestionRecord, messages: OutgoingMessage[] = [], opts: PublishOptions = {}): Promise<void> {
  const attributes: SearchAttributeUpdatePair[] = [
    { key: SuggestionStatus, value: suggestion.status },
    { key: Overdue, value: suggestion.overdue },
    ...(suggestion.leadDepartment ? [{ key: Department, value: suggestion.leadDepartment }] : []),
    ...(suggestion.dueAt ? [{ key: DueAt, value: suggestion.dueAt }] : []),
  ];
  // Each upsert is a billable action: only the attributes whose value changed are sent, and none
  // when nothing a supervisor filters on changed (a reminder, a rating, a progress report).
  const onlyChanged = takesChange(changedAttributesPatch);
  const changed = !onlyChanged ? attributes : opts.passing ? [] : attributes.filter((a) => !sameValue(workflowInfo().typedSearchAttributes.get(a.key), a.value));
  if (changed.length > 0) upsertSearchAttributes(changed);
  await projectSuggestion(suggestion.view(), suggestion.takeUnprojected(), messages);
}

function sameValue(current: unknown, next: unknown): boolean {
  return current instanceof Date && next instanceof Date ? current.getTime() === next.getTime() : current === next;
}
