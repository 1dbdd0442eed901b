// The workflow bundle's entry point: every workflow type the worker runs.
export { suggestionWorkflow } from './suggestion-workflow';
export { coHandlingWorkflow } from './co-handling-workflow';
export { campaignWorkflow } from './campaign-workflow';
export { collectionRoundWorkflow } from './collection-round-workflow';
export { awardSelectionWorkflow } from './award-selection-workflow';
export { followUpSweepWorkflow } from './follow-up-sweep-workflow';
export { calendarYearWorkflow } from './calendar-year-workflow';
