/** The workflow type every suggestion runs as (workflows/suggestion-workflow.ts). */
export const suggestionWorkflowType = 'suggestionWorkflow';
