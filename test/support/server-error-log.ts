import { appendFileSync } from 'node:fs';

/** API_ERROR_LOG=<file>: the server errors (5xx) a test's API answers, with their stacks, for finding their cause; else none. */
export function serverErrorLog(): (err: unknown) => void {
  const errorLog = process.env.API_ERROR_LOG;
  return errorLog
    ? (err: unknown) => appendFileSync(errorLog, `${new Date().toISOString()} ${err instanceof Error ? (err.stack ?? err.message) : JSON.stringify(err)}\n`)
    : () => undefined;
}
