import { upsertSearchAttributes } from '@temporalio/workflow';
import type { OutgoingMessage } from '../activities';
import { projectSuggestion } from './activities';
import { Department, DueAt, Overdue, SuggestionStatus } from './search-attributes';
import type { SuggestionRecord } from './suggestion-record';

/** Projects the state into the read model and keeps the supervisors' search attributes current. */
export async function publish(suggestion: SuggestionRecord, messages: OutgoingMessage[] = []): Promise<void> {
  upsertSearchAttributes([
    { key: SuggestionStatus, value: suggestion.status },
    { key: Overdue, value: suggestion.overdue },
    ...(suggestion.leadDepartment ? [{ key: Department, value: suggestion.leadDepartment }] : []),
    ...(suggestion.dueAt ? [{ key: DueAt, value: suggestion.dueAt }] : []),
  ]);
  await projectSuggestion(suggestion.view(), suggestion.takeUnprojected(), messages);
}
