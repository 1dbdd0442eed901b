import { join } from 'node:path';
import { silent, type Log } from './process';
import { ensurePythonPackage } from './python-package';

/** The external fuzzer the test run points at /openapi.json (PyPI package, pinned). */
export const SCHEMATHESIS_VERSION = '4.32.5';

/** The `st` command of the pinned schemathesis, in its virtual environment in the cache. */
export async function ensureSchemathesis(log: Log = silent): Promise<string> {
  const bin = await ensurePythonPackage({ name: 'schemathesis', version: SCHEMATHESIS_VERSION, purpose: 'the API fuzzer run by npm test', python: '3.9' }, log);
  return join(bin, 'st');
}
