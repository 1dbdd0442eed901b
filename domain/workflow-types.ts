/**
 * The workflow type new suggestions start as. Suggestions started as `suggestionWorkflow` before
 * it finish on that type, replaying as recorded (workflows/suggestion-workflow.ts).
 */
export const suggestionWorkflowType = 'suggestionWorkflowV2';
