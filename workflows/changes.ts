import { patched } from '@temporalio/workflow';

// Which changes to the suggestion workflow a run takes. Every change is guarded by `patched`, so
// suggestions started before it replay as recorded. A suggestion started since the changes below
// were gathered records one patch for all of them, where it recorded one per change: each patch
// is a marker and a TemporalChangeVersion upsert in its history, about a third of its first
// workflow task's events. Runs started before go on asking for each change, as they recorded it.
// A change made after the gathering is asked for by its own patch, by every run. Suggestions
// started as suggestionWorkflowV2 take the gathered changes without recording any patch.

/** The changes gathered under one patch, each by its own patch id. */
export const gatheredChanges: readonly string[] = [
  'local-lookups-and-projections',
  'upsert-changed-search-attributes',
  'timeline-names-assigned-department',
  'lean-lifecycle',
  'follow-up-answer-swept',
  'handling-lookups-at-once',
];

/** The one patch a suggestion started since records for every gathered change. */
export const changesGatheredPatch = 'changes-gathered-2026-11';

/** This module is loaded once per workflow run: whether this run took the gathered changes at once. */
let gathered = false;

/** Decides, once at the start of a suggestion's run, whether it takes the gathered changes at once. */
export function gatherChanges(): void {
  gathered = patched(changesGatheredPatch);
}

/**
 * A suggestion started as suggestionWorkflowV2 was written with every gathered change: it takes
 * them all and records no patch for them (its type tells a replay which path it took).
 */
export function takeGatheredChanges(): void {
  gathered = true;
}

/** Whether this run takes the change: at once if it is gathered and so was the run, else as its history recorded it. */
export function changed(patchId: string): boolean {
  return (gathered && gatheredChanges.includes(patchId)) || patched(patchId);
}
