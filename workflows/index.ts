// The workflow bundle's entry point: every workflow type the worker runs.
export { suggestionWorkflow } from './suggestion-workflow';
