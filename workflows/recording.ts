import { condition, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { projectSuggestion } from './activities';
import { Department, DueAt, DueAtProvisional, Overdue, SuggestionStatus } from './search-attributes';
import type { Suggestion } from './suggestion';

// The one place a suggestion's changes cost anything. Stages change its state and queue notices;
// before the workflow waits, the changes since the last wait are written at once: one projection
// into the read model with their timeline events and notices (a local activity: all of one
// workflow task's are one billable action), and one upsert of the search attributes whose value
// changed (each upsert is an action; none when nothing supervisors filter on changed). A state
// the suggestion passes through without waiting (decided, replied) is recorded on the timeline
// and never upserted (docs/BENCHMARKS.md, cost of a lifecycle).

/** Writes every change not yet recorded. */
export async function recordChanges(suggestion: Suggestion): Promise<void> {
  while (suggestion.recordedVersion < suggestion.version) {
    const version = suggestion.version;
    upsertChangedAttributes(suggestion);
    const { events, notices } = suggestion.takeUnrecorded();
    await projectSuggestion(suggestion.view(), events, notices);
    suggestion.recordedVersion = Math.max(suggestion.recordedVersion, version);
  }
}

/** Records the changes so far, then waits for the next change or the instant `at`, whichever is first. */
export async function nextChange(suggestion: Suggestion, at: number | undefined, what: string): Promise<void> {
  await recordChanges(suggestion);
  const seen = suggestion.changes;
  await suggestion.alarm.wait(() => suggestion.changes !== seen, at, what);
}

/** Resolves once the read model holds the suggestion as it is now (an update answers after that). */
export async function recorded(suggestion: Suggestion): Promise<void> {
  const version = suggestion.version;
  await condition(() => suggestion.recordedVersion >= version);
}

function upsertChangedAttributes(suggestion: Suggestion): void {
  const wanted: SearchAttributeUpdatePair[] = [
    { key: SuggestionStatus, value: suggestion.status },
    { key: Overdue, value: suggestion.overdue },
    { key: Department, value: suggestion.leadDepartment ?? null },
    // Kept when a state keeps no deadline of its own (decided, replied: the last one stays shown); cleared while merged.
    ...(suggestion.dueAt ? [{ key: DueAt, value: suggestion.dueAt }] : suggestion.status === 'merged' ? [{ key: DueAt, value: null }] : []),
    { key: DueAtProvisional, value: suggestion.dueAtProvisional },
  ];
  const current = workflowInfo().typedSearchAttributes;
  const changed = wanted.filter((a) => !sameValue(current.get(a.key), a.value, a.key === DueAtProvisional));
  if (changed.length > 0) upsertSearchAttributes(changed);
}

/** Absent and empty are the same; an absent DueAtProvisional is false (a suggestion started before it existed). */
function sameValue(current: unknown, next: unknown, absentIsFalse: boolean): boolean {
  const now = current ?? (absentIsFalse ? false : null);
  if (now instanceof Date && next instanceof Date) return now.getTime() === next.getTime();
  return now === (next ?? null);
}
