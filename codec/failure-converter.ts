import { DefaultFailureConverter } from '@temporalio/common';

// Loaded by path inside the workflow sandbox as well as in the worker and client: moves a
// failure's message and stack trace into an encoded payload, which the codec then encrypts.
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
